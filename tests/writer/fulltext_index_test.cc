// Adding a full-text index (writer/fulltext_index.h): the blocks are copied
// byte for byte, the output is reproducible, failures leave nothing behind.
#include "writer/fulltext_index.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "format/layout.h"
#include "reader/archive.h"
#include "reader/archive_impl.h"
#include "reader/verify.h"
#include "test_util.h"

namespace quire {
namespace {

namespace fs = std::filesystem;

std::vector<OwnedArticle> corpus(size_t n) {
  std::mt19937_64 rng(7);
  std::vector<OwnedArticle> out;
  const char* langs[] = {"en", "de", "vi", "fr", ""};
  for (size_t i = 0; i < n; ++i) {
    OwnedArticle a = test::make_article("doc/" + std::to_string(i), test::random_text(rng, 200 + rng() % 3000));
    a.meta.title = "Title " + std::to_string(i);
    a.meta.lang = langs[i % 5];
    a.meta.source = i % 2 ? "wire" : "desk";
    out.push_back(std::move(a));
  }
  return out;
}

IndexOptions quiet_options(unsigned threads = 1) {
  IndexOptions o;
  o.threads = threads;
  o.sync = false;
  return o;
}

TEST(FulltextIndex, CopiesEveryByteBeforeTheManifestAndKeepsTheContentDigest) {
  test::TempDir dir;
  WriterOptions wo;
  wo.block_size = 4096;  // many blocks
  test::write_archive(dir.path("a.quire"), corpus(300), wo);
  auto stats = write_indexed_archive(dir.path("a.quire"), dir.path("b.quire"), quiet_options());
  ASSERT_TRUE(stats) << stats.status().to_string();
  EXPECT_EQ(stats->documents, 300u);
  EXPECT_EQ(stats->without_text, 0u);
  EXPECT_GT(stats->index_bytes, 0u);
  EXPECT_EQ(stats->default_language, "de");  // en, de, fr have 60 each with text: ties go alphabetically

  auto a = Archive::open(dir.path("a.quire"));
  auto b = Archive::open(dir.path("b.quire"));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->manifest().format_major, 1);
  EXPECT_EQ(b->manifest().format_major, 2);
  EXPECT_FALSE(a->manifest().fulltext.has_value());
  ASSERT_TRUE(b->manifest().fulltext.has_value());
  EXPECT_EQ(b->manifest().fulltext->section.count, 300u);
  EXPECT_EQ(b->manifest().fulltext->scheme, "quire-fulltext/1");
  EXPECT_EQ(a->manifest().content_digest, b->manifest().content_digest);

  std::string old_bytes = test::read_file(dir.path("a.quire"));
  std::string new_bytes = test::read_file(dir.path("b.quire"));
  uint64_t manifest = a->impl()->footer().manifest_offset;
  ASSERT_GT(new_bytes.size(), manifest);
  EXPECT_TRUE(old_bytes.compare(64, manifest - 64, new_bytes, 64, manifest - 64) == 0)
      << "blocks, dictionaries and indexes must be copied unchanged";
  auto header = FileHeader::decode(std::as_bytes(std::span(new_bytes.data(), 64)));
  ASSERT_TRUE(header);
  EXPECT_EQ(header->major, 2);
  // The index section sits right after the copied bytes.
  EXPECT_EQ(b->manifest().fulltext->section.offset, manifest);

  auto report = verify_archive(dir.path("b.quire"), VerifyOptions{});
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok()) << (report->damage.empty() ? "" : report->damage[0].message);
  EXPECT_EQ(report->content_digest, a->manifest().content_digest);
}

TEST(FulltextIndex, SameInputGivesTheSameBytesWhateverTheThreadsAndAnOldIndex) {
  test::TempDir dir;
  WriterOptions wo;
  wo.block_size = 2048;
  test::write_archive(dir.path("a.quire"), corpus(200), wo);
  ASSERT_TRUE(write_indexed_archive(dir.path("a.quire"), dir.path("one.quire"), quiet_options(1)));
  ASSERT_TRUE(write_indexed_archive(dir.path("a.quire"), dir.path("four.quire"), quiet_options(4)));
  // Indexing an indexed archive replaces its index: nothing of the old one stays.
  ASSERT_TRUE(write_indexed_archive(dir.path("one.quire"), dir.path("again.quire"), quiet_options(2)));
  std::string one = test::read_file(dir.path("one.quire"));
  EXPECT_TRUE(one == test::read_file(dir.path("four.quire")));
  EXPECT_TRUE(one == test::read_file(dir.path("again.quire")));
}

TEST(FulltextIndex, InPlaceReplacesTheFile) {
  test::TempDir dir;
  test::write_archive(dir.path("a.quire"), corpus(20));
  ASSERT_TRUE(write_indexed_archive(dir.path("a.quire"), dir.path("a.quire"), quiet_options()));
  auto a = Archive::open(dir.path("a.quire"));
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->manifest().fulltext.has_value());
  size_t entries = 0;
  for (auto& e : fs::directory_iterator(dir.root())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1u) << "no temporary file or database directory may remain";
}

TEST(FulltextIndex, ADamagedBlockStopsTheIndexAndLeavesNothing) {
  test::TempDir dir;
  WriterOptions wo;
  wo.block_size = 2048;
  test::write_archive(dir.path("a.quire"), corpus(50), wo);
  auto a = Archive::open(dir.path("a.quire"));
  ASSERT_TRUE(a);
  auto block = a->impl()->block_info(3);
  ASSERT_TRUE(block);
  std::string bytes = test::read_file(dir.path("a.quire"));
  bytes[block->offset + block->length - 20] ^= 0x40;
  test::write_file(dir.path("bad.quire"), bytes);
  auto stats = write_indexed_archive(dir.path("bad.quire"), dir.path("out.quire"), quiet_options(2));
  ASSERT_FALSE(stats);
  EXPECT_NE(stats.status().message().find("block 3"), std::string::npos) << stats.status().to_string();
  std::vector<std::string> left;
  for (auto& e : fs::directory_iterator(dir.root())) left.push_back(e.path().filename().string());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"a.quire", "bad.quire"}));
}

TEST(FulltextIndex, BodiesWithoutTextAreCountedAndStillFoundByTitle) {
  test::TempDir dir;
  std::vector<OwnedArticle> articles = corpus(3);
  OwnedArticle bin = test::make_article("blob.bin", std::string("\x00\x01\xff\xfe binary", 12));
  bin.meta.title = "a binary body";
  articles.push_back(bin);
  OwnedArticle latin = test::make_article("latin1.txt", "caf\xe9 au lait");  // not UTF-8
  articles.push_back(latin);
  test::write_archive(dir.path("a.quire"), articles);
  auto stats = write_indexed_archive(dir.path("a.quire"), dir.path("b.quire"), quiet_options());
  ASSERT_TRUE(stats) << stats.status().to_string();
  EXPECT_EQ(stats->documents, 5u);
  EXPECT_EQ(stats->without_text, 2u);
}

TEST(FulltextIndex, AMissingInputIsAnErrorNamingIt) {
  test::TempDir dir;
  auto stats = write_indexed_archive(dir.path("nope.quire"), dir.path("out.quire"), quiet_options());
  ASSERT_FALSE(stats);
  EXPECT_NE(stats.status().message().find("nope.quire"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir.path("out.quire")));
}

}  // namespace
}  // namespace quire
