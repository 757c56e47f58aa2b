// Damaged archives: a flipped byte in every section and truncation at many
// points give clean errors (never a crash), and verify names the damage.
#include <gtest/gtest.h>

#include "reader/archive.h"
#include "reader/section_scan.h"
#include "reader/verify.h"
#include "test_util.h"

namespace quire {
namespace {

struct Fixture {
  test::TempDir dir;
  std::string path = dir.path("good.quire");
  std::vector<test::OwnedArticle> corpus;
  std::string bytes;
  Fixture() {
    std::mt19937_64 rng(11);
    for (int i = 0; i < 300; ++i) {
      auto a = test::make_article("doc/" + std::to_string(i), test::random_text(rng, 200 + rng() % 3000));
      a.meta.title = "t" + std::to_string(i);
      if (i % 3 == 0) a.layers = {{"l", "p", {{0, 10, "entity", "X", {}}}}};
      corpus.push_back(std::move(a));
    }
    WriterOptions o;
    o.block_size = 8 * 1024;
    o.dictionary_sample_bytes = 128 * 1024;
    test::write_archive(path, corpus, o);
    bytes = test::read_file(path);
  }
};

// Reads everything it can; returns how many articles came back intact. Must never crash.
size_t read_all(const std::string& path, const std::vector<test::OwnedArticle>& corpus) {
  auto archive = Archive::open(path);
  if (!archive) return 0;
  size_t good = 0;
  for (uint64_t r = 0; r < archive->size() + 2; ++r) {
    auto a = archive->at(r);
    if (!a) continue;
    auto body = a->body();
    auto layers = a->annotations();
    (void)layers;
    if (body && r < corpus.size() && body->bytes() == corpus[r].body) ++good;
  }
  for (const auto& c : corpus) {
    auto a = archive->find(c.meta.id);
    if (a) (void)a->body();
  }
  return good;
}

TEST(Corruption, IntactArchiveVerifies) {
  Fixture f;
  auto r = verify_archive(f.path, {});
  ASSERT_TRUE(r.is_ok());
  EXPECT_TRUE(r->ok());
  EXPECT_EQ(read_all(f.path, f.corpus), f.corpus.size());
}

TEST(Corruption, AFlippedByteInEverySectionIsReportedWithItsOffset) {
  Fixture f;
  // One position inside each section's header and payload, plus header and footer.
  std::vector<std::pair<uint64_t, std::string>> targets = {{3, "file header"}, {f.bytes.size() - 20, "footer"}};
  scan_sections(std::as_bytes(std::span(f.bytes.data(), f.bytes.size())), f.bytes.size() - 64,
                [&](const ScannedSection& s) {
                  targets.push_back({s.offset + 9, "section header"});
                  if (s.header.payload_length > 0) {
                    targets.push_back({s.offset + 48 + s.header.payload_length / 2, "payload"});
                  }
                }, [](const ScanGap&) { FAIL() << "the intact file has a gap"; });
  ASSERT_GT(targets.size(), 20u);
  for (const auto& [offset, what] : targets) {
    std::string damaged = f.bytes;
    damaged[offset] ^= 0x20;
    std::string p = f.dir.path("damaged.quire");
    test::write_file(p, damaged);
    read_all(p, f.corpus);  // must not crash (ASan/UBSan builds check the reads)
    auto r = verify_archive(p, {});
    ASSERT_TRUE(r.is_ok());
    EXPECT_FALSE(r->ok()) << "flip at " << offset << " (" << what << ") not detected";
    ASSERT_FALSE(r->damage.empty());
    bool located = false;
    for (const Damage& d : r->damage) located |= d.offset <= offset;
    EXPECT_TRUE(located) << "no damage at or before offset " << offset;
  }
}

TEST(Corruption, DamagedBlockNamesItsArticles) {
  Fixture f;
  auto archive = Archive::open(f.path);
  auto a = archive->find("doc/150");
  uint64_t block = a->block();
  // Find that block's section and flip a byte in its bodies frame (end of the payload).
  uint64_t target = 0;
  scan_sections(std::as_bytes(std::span(f.bytes.data(), f.bytes.size())), f.bytes.size() - 64,
                [&](const ScannedSection& s) {
                  if (s.header.kind == SectionKind::kBlock && s.header.sequence == block) {
                    target = s.offset + 48 + s.header.payload_length - 3;
                  }
                }, [](const ScanGap&) {});
  ASSERT_GT(target, 0u);
  std::string damaged = f.bytes;
  damaged[target] ^= 0x01;
  test::write_file(f.dir.path("d.quire"), damaged);
  auto r = verify_archive(f.dir.path("d.quire"), {});
  ASSERT_TRUE(r.is_ok());
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->damage[0].item, "block " + std::to_string(block));
  auto d = Archive::open(f.dir.path("d.quire"));
  ASSERT_TRUE(d.is_ok()) << "open checks only header, footer and manifest";
  auto broken = d->find("doc/150");
  EXPECT_FALSE(broken.is_ok());
  EXPECT_EQ(broken.status().code(), Code::kCorruption);
  EXPECT_NE(broken.status().message().find("checksum"), std::string::npos) << broken.status().message();
  EXPECT_TRUE(d->find("doc/0").is_ok()) << "other blocks still read";
  EXPECT_TRUE(d->find("doc/0")->verify().is_ok()) << "one article verifies on its own";
}

TEST(Corruption, TruncationAtManyPointsNeverCrashes) {
  Fixture f;
  std::mt19937_64 rng(5);
  std::vector<size_t> cuts = {0, 1, 7, 63, 64, 65, 111, 112, f.bytes.size() - 1, f.bytes.size() - 64};
  for (int i = 0; i < 60; ++i) cuts.push_back(rng() % f.bytes.size());
  for (size_t cut : cuts) {
    std::string p = f.dir.path("cut.quire");
    test::write_file(p, std::string_view(f.bytes).substr(0, cut));
    auto archive = Archive::open(p);
    EXPECT_FALSE(archive.is_ok()) << "cut at " << cut << " opened";
    EXPECT_EQ(archive.status().code(), Code::kCorruption) << archive.status().to_string();
    auto r = verify_archive(p, {});
    ASSERT_TRUE(r.is_ok());
    EXPECT_FALSE(r->ok()) << "cut at " << cut;
  }
}

TEST(Corruption, GarbageIsNotAnArchive) {
  test::TempDir dir;
  test::write_file(dir.path("g"), std::string(4096, 'x'));
  auto a = Archive::open(dir.path("g"));
  ASSERT_FALSE(a.is_ok());
  EXPECT_NE(a.status().message().find("not a Quire archive"), std::string::npos);
  auto r = verify_archive(dir.path("g"), {});
  ASSERT_TRUE(r.is_ok());
  EXPECT_FALSE(r->readable);
  EXPECT_EQ(Archive::open(dir.path("missing")).status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace quire
