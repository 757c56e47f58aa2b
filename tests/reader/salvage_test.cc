// Salvage recovers exactly the articles whose blocks survive: after a cut at
// any point, and after a flipped byte in any section.
#include "reader/salvage.h"

#include <gtest/gtest.h>

#include <set>

#include "reader/archive.h"
#include "reader/section_scan.h"
#include "test_util.h"

namespace quire {
namespace {

struct SectionSpan {
  SectionKind kind;
  uint64_t sequence, offset, end;
};

class Salvage : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937_64 rng(21);
    for (int i = 0; i < 400; ++i) {
      auto a = test::make_article("s/" + std::to_string(i), test::random_text(rng, 300 + rng() % 2500));
      if (i % 50 == 49) a.body = corpus_[static_cast<size_t>(i) - 40].body;  // shares an earlier block's body
      a.meta.title = "title " + std::to_string(i);
      a.meta.lang = "vi";
      if (i % 4 == 0) a.layers = {{"l", "p", {{0, 7, "entity", "X", {}}}}};
      corpus_.push_back(std::move(a));
    }
    WriterOptions o;
    o.block_size = 8 * 1024;
    o.dictionary_sample_bytes = 200 * 1024;
    test::write_archive(path_, corpus_, o);
    bytes_ = test::read_file(path_);
    scan_sections(std::as_bytes(std::span(bytes_.data(), bytes_.size())), bytes_.size() - 64,
                  [&](const ScannedSection& s) {
                    // A block survives a cut that keeps its payload (padding may go).
                    sections_.push_back({s.header.kind, s.header.sequence, s.offset,
                                         s.offset + SectionHeader::kSize + s.header.payload_length});
                  }, [](const ScanGap&) {});
    auto archive = Archive::open(path_);
    for (uint64_t r = 0; r < archive->size(); ++r) {
      auto a = archive->at(r);
      block_of_.push_back(a->block());
      body_block_of_.push_back(a->body_block());
    }
    for (const auto& s : sections_) {
      if (s.kind == SectionKind::kBlock) block_end_[s.sequence] = s.end;
    }
    ASSERT_GT(block_end_.size(), 20u);
  }

  // Salvages `damaged` and returns the ids recovered (checking each against the corpus).
  std::set<std::string> salvage(const std::string& damaged) {
    std::string p = dir_.path("damaged.quire");
    test::write_file(p, damaged);
    std::set<std::string> got;
    auto report = salvage_articles(p, {}, [&](const RecoveredArticle& r) {
      EXPECT_LT(r.record, corpus_.size());
      const auto& want = corpus_[r.record];
      EXPECT_EQ(r.meta, want.meta);
      EXPECT_EQ(r.body, want.body);
      EXPECT_EQ(r.layers, want.layers);
      got.insert(r.meta.id);
      return Status::ok();
    });
    EXPECT_TRUE(report.is_ok() || got.empty()) << report.status().to_string();
    return got;
  }

  std::set<std::string> surviving(const std::function<bool(uint64_t block)>& block_ok) {
    std::set<std::string> out;
    for (size_t r = 0; r < corpus_.size(); ++r) {
      if (block_ok(block_of_[r]) && block_ok(body_block_of_[r])) out.insert(corpus_[r].meta.id);
    }
    return out;
  }

  test::TempDir dir_;
  std::string path_ = dir_.path("good.quire");
  std::vector<test::OwnedArticle> corpus_;
  std::string bytes_;
  std::vector<SectionSpan> sections_;
  std::vector<uint64_t> block_of_, body_block_of_;
  std::map<uint64_t, uint64_t> block_end_;
};

TEST_F(Salvage, IntactArchiveComesBackWhole) {
  EXPECT_EQ(salvage(bytes_).size(), corpus_.size());
}

TEST_F(Salvage, CutAtSixtyPointsKeepsEveryCompleteBlock) {
  std::mt19937_64 rng(3);
  std::vector<uint64_t> cuts;
  for (const auto& [block, end] : block_end_) {  // exactly at, just before and just after block ends
    if (block % 7 == 0) cuts.insert(cuts.end(), {end - 1, end, end + 5});
  }
  while (cuts.size() < 60) cuts.push_back(rng() % bytes_.size());
  for (uint64_t cut : cuts) {
    auto got = salvage(bytes_.substr(0, cut));
    auto want = surviving([&](uint64_t b) { return block_end_[b] <= cut; });
    EXPECT_EQ(got, want) << "cut at " << cut << " of " << bytes_.size();
  }
}

TEST_F(Salvage, AFlippedByteInAnySectionLosesOnlyThatBlock) {
  for (const auto& s : sections_) {
    std::string damaged = bytes_;
    uint64_t at = s.offset + 48 + (s.end - s.offset - 48) / 2;
    damaged[at] ^= 0x08;
    auto got = salvage(damaged);
    auto want = s.kind == SectionKind::kBlock ? surviving([&](uint64_t b) { return b != s.sequence; })
                                              : surviving([](uint64_t) { return true; });
    EXPECT_EQ(got, want) << section_kind_name(s.kind) << " " << s.sequence << " flipped at " << at;
  }
}

TEST_F(Salvage, BothEndsGoneStillRecoversTheMiddle) {
  std::string damaged = bytes_;
  for (size_t i = 0; i < 64; ++i) damaged[i] = 0;                  // header wiped
  damaged.resize(damaged.size() - 200);                             // footer and manifest gone
  auto got = salvage(damaged);
  EXPECT_EQ(got, surviving([&](uint64_t b) { return block_end_[b] <= damaged.size(); }));
  EXPECT_GT(got.size(), corpus_.size() / 2);
}

TEST_F(Salvage, NotAnArchiveIsAnError) {
  std::string p = dir_.path("junk");
  test::write_file(p, std::string(10000, 'q'));
  auto r = salvage_articles(p, {}, [](const RecoveredArticle&) { return Status::ok(); });
  EXPECT_FALSE(r.is_ok());
}

}  // namespace
}  // namespace quire
