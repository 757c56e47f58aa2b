// The writer within a small memory budget: state spilled to the temporary
// file gives the same archive, the same duplicate checks and lookups.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "format/checksum.h"
#include "test_util.h"
#include "writer/memory_budget.h"
#include "writer/pack.h"
#include "writer/writer.h"

namespace quire {
namespace {

namespace fs = std::filesystem;

// Small articles, so the per-article state dominates. Every 7th repeats the
// body of one added ~1500 articles earlier (deduplicated across spills),
// every 13th is a shared_body revisit of an older body, every 11th has a layer.
std::vector<test::OwnedArticle> spill_corpus(size_t n) {
  std::mt19937_64 rng(42);
  std::vector<test::OwnedArticle> out;
  for (size_t i = 0; i < n; ++i) {
    std::string id = "news/" + std::to_string(i * 7919 % 100003) + "/" + std::to_string(i);
    if (i > 1500 && i % 13 == 0 && out[i - 1500].body.size() > 0) {
      auto a = test::make_article(id, "");
      a.shared_body = sha256(out[i - 1500].body);
      out.push_back(std::move(a));
      continue;
    }
    std::string body = i > 1500 && i % 7 == 0 && !out[i - 1500].body.empty() ? out[i - 1500].body
                                                                               : test::random_text(rng, 40 + rng() % 200);
    auto a = test::make_article(id, body);
    if (i % 11 == 0) a.layers = {{"ner", "test 1.0", {{0, 5, "entity", "X", {}}}}};
    out.push_back(std::move(a));
  }
  return out;
}

WriterOptions small_blocks(uint64_t budget, unsigned threads) {
  WriterOptions o;
  o.block_size = 1024;
  o.dictionary_sample_bytes = 64 * 1024;
  o.memory_budget = budget;
  o.threads = threads;
  return o;
}

TEST(WriterSpill, ArchiveBytesAreTheSameWhateverTheBudget) {
  test::TempDir dir;
  auto c = spill_corpus(6000);
  test::write_archive(dir.path("default.quire"), c, small_blocks(WriterOptions{}.memory_budget, 1));
  std::string expected = test::read_file(dir.path("default.quire"));
  for (unsigned threads : {1u, 2u}) {
    for (uint64_t budget : {uint64_t{4096}, kMinMemoryBudget, uint64_t{100000}}) {
      std::string name = "b";
      name += std::to_string(budget) + "-j" + std::to_string(threads) + ".quire";
      name = dir.path(name);
      test::write_archive(name, c, small_blocks(budget, threads));
      EXPECT_TRUE(test::read_file(name) == expected) << "budget " << budget << ", threads " << threads;
    }
  }
  // The spill file is unlinked: nothing but the archives is left.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.root()), fs::directory_iterator()), 7);
  auto archive = Archive::open(dir.path("b4096-j2.quire"));
  ASSERT_TRUE(archive.is_ok());
  for (size_t i : {size_t{0}, size_t{1501}, size_t{1547}, size_t{5999}}) {
    auto a = archive->find(c[i].meta.id);
    ASSERT_TRUE(a.is_ok()) << c[i].meta.id;
  }
}

TEST(WriterSpill, SpillsOnlyBeyondTheBudget) {
  test::TempDir dir;
  auto c = spill_corpus(3000);
  for (uint64_t budget : {WriterOptions{}.memory_budget, kMinMemoryBudget}) {
    auto w = Writer::create(dir.path("s.quire"), small_blocks(budget, 1));
    ASSERT_TRUE(w.is_ok());
    for (const auto& a : c) ASSERT_TRUE((*w)->add(a.view()).is_ok());
    EXPECT_EQ((*w)->stats().spill_bytes > 0, budget == kMinMemoryBudget) << budget;
    ASSERT_TRUE((*w)->finish().is_ok());
  }
}

TEST(WriterSpill, DuplicateIdAcrossASpillNamesBothRecordsAndTheArchiveFinishes) {
  test::TempDir dir;
  auto c = spill_corpus(2000);
  auto w = Writer::create(dir.path("d.quire"), small_blocks(kMinMemoryBudget, 2));
  ASSERT_TRUE(w.is_ok());
  for (const auto& a : c) ASSERT_TRUE((*w)->add(a.view()).is_ok());
  ASSERT_GT((*w)->stats().spill_bytes, 0u);
  Status s = (*w)->add(test::make_article(c[5].meta.id, "again").view());
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("article #2000 has the same id as article #5"), std::string::npos) << s.message();
  ASSERT_TRUE((*w)->finish().is_ok());
  auto archive = Archive::open(dir.path("d.quire"));
  ASSERT_TRUE(archive.is_ok());
  EXPECT_EQ(archive->size(), 2000u);
}

TEST(WriterSpill, FindRecordAndHasBodyAfterSpills) {
  test::TempDir dir;
  auto c = spill_corpus(2500);
  auto w = Writer::create(dir.path("f.quire"), small_blocks(kMinMemoryBudget, 1));
  ASSERT_TRUE(w.is_ok());
  for (const auto& a : c) ASSERT_TRUE((*w)->add(a.view()).is_ok());
  ASSERT_GT((*w)->stats().spill_bytes, 0u);
  for (size_t i : {size_t{0}, size_t{3}, size_t{777}, size_t{2499}}) {
    EXPECT_EQ((*w)->find_record(c[i].meta.id), std::optional<uint64_t>(i));
    if (!c[i].body.empty()) {
      EXPECT_TRUE((*w)->has_body(sha256(c[i].body)));
    }
  }
  EXPECT_EQ((*w)->find_record("not/there"), std::nullopt);
  EXPECT_FALSE((*w)->has_body(sha256("a body nobody added")));
  ASSERT_TRUE((*w)->finish().is_ok());
}

TEST(WriterSpill, AnUncreatableSpillFileIsAnErrorNamingItsDirectory) {
  test::TempDir dir;
  auto c = spill_corpus(2000);
  int fd = ::open(dir.path("out.quire").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  const char* old = std::getenv("TMPDIR");
  std::string saved = old ? old : "";
  setenv("TMPDIR", "/nonexistent-quire-spill-dir", 1);  // create_on_fd spills to $TMPDIR
  auto w = Writer::create_on_fd(fd, "out", small_blocks(kMinMemoryBudget, 1));
  ASSERT_TRUE(w.is_ok());
  Status s;
  for (const auto& a : c) {
    s = (*w)->add(a.view());
    if (!s.is_ok()) break;
  }
  if (old) setenv("TMPDIR", saved.c_str(), 1);
  else unsetenv("TMPDIR");
  ::close(fd);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.code(), Code::kIoError);
  EXPECT_NE(s.message().find("'/nonexistent-quire-spill-dir'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("spill file"), std::string::npos) << s.message();
  EXPECT_EQ((*w)->finish().message(), s.message());  // sticky
}

TEST(WriterSpill, PackNamesTheFirstLineOfADuplicateIdAfterSpilling) {
  test::TempDir dir;
  std::string jsonl;
  for (int i = 0; i < 3000; ++i) jsonl += "{\"id\":\"doc/" + std::to_string(i) + "\",\"text\":\"body " + std::to_string(i) + "\"}\n";
  jsonl += "{\"id\":\"doc/4\",\"text\":\"again\"}\n";
  test::write_file(dir.path("in.jsonl"), jsonl);
  PackRequest req;
  req.input = dir.path("in.jsonl");
  req.output = dir.path("out.quire");
  req.writer = small_blocks(kMinMemoryBudget, 1);
  req.writer.sync = false;
  auto stats = pack(req);
  ASSERT_FALSE(stats.is_ok());
  EXPECT_NE(stats.status().message().find(":3001: duplicate id 'doc/4' (first at " + dir.path("in.jsonl") + ":5)"),
            std::string::npos)
      << stats.status().message();
}

}  // namespace
}  // namespace quire
