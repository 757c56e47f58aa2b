// The set writer (SPEC.md 15): where shards are cut, that a set holds what a
// single archive of the same input holds, shared bodies across a cut, and
// that nothing is left behind on failure.
#include "writer/set_writer.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>

#include "reader/archive_set.h"
#include "test_util.h"

namespace quire {
namespace {

namespace fs = std::filesystem;

std::vector<OwnedArticle> corpus(size_t n, uint64_t seed = 7) {
  std::mt19937_64 rng(seed);
  std::vector<OwnedArticle> out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(test::make_article(fmt::format("news/{:04}", i), test::random_text(rng, 200 + rng() % 3000)));
    out.back().meta.lang = i % 2 ? "vi" : "en";
  }
  return out;
}

WriterOptions options(unsigned threads = 1) {
  WriterOptions o;
  o.sync = false;
  o.threads = threads;
  o.block_size = 4096;
  o.info.created_unix_seconds = 1700000000;
  return o;
}

SetManifest write_set(const std::string& dir, const std::vector<OwnedArticle>& articles, uint64_t shard_size,
                      unsigned threads = 1) {
  auto w = SetWriter::create(dir, options(threads), shard_size, read_shard_body);
  EXPECT_TRUE(w.is_ok()) << w.status().to_string();
  if (!w) return {};
  for (const auto& a : articles) {
    Status s = (*w)->add(a.view());
    EXPECT_TRUE(s.is_ok()) << s.to_string();
  }
  Status s = (*w)->finish();
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  return (*w)->manifest();
}

TEST(SetWriter, CutsBeforeAnArticleThatWouldPassTheShardSize) {
  test::TempDir dir;
  auto articles = corpus(120);
  const uint64_t size = 20000;
  SetManifest m = write_set(dir.path("set"), articles, size);
  ASSERT_GT(m.shards.size(), 3u);
  size_t next = 0;
  for (size_t i = 0; i < m.shards.size(); ++i) {
    uint64_t bytes = 0;
    for (uint64_t k = 0; k < m.shards[i].articles; ++k) bytes += articles[next + k].body.size();
    EXPECT_EQ(m.shards[i].first_id, articles[next].meta.id);
    next += m.shards[i].articles;
    EXPECT_EQ(m.shards[i].last_id, articles[next - 1].meta.id);
    EXPECT_TRUE(bytes <= size || m.shards[i].articles == 1) << i;
    if (i + 1 < m.shards.size()) {
      EXPECT_GT(bytes + articles[next].body.size(), size) << i;
    }
  }
  EXPECT_EQ(next, articles.size());
  EXPECT_TRUE(fs::exists(dir.path("set/quire-set.json")));
}

TEST(SetWriter, ShardsAreTheSameForAnyThreadCount) {
  test::TempDir dir;
  auto articles = corpus(150);
  SetManifest one = write_set(dir.path("one"), articles, 30000, 1);
  SetManifest four = write_set(dir.path("four"), articles, 30000, 4);
  EXPECT_EQ(one.to_json(), four.to_json());  // same cuts, same bytes (file digests)
  EXPECT_EQ(test::read_file(dir.path("one/quire-set.json")), test::read_file(dir.path("four/quire-set.json")));
}

TEST(SetWriter, ASetHoldsTheArticlesOfASingleArchiveInOrder) {
  test::TempDir dir;
  auto articles = corpus(100);
  write_set(dir.path("set"), articles, 25000);
  test::write_archive(dir.path("single.quire"), articles, options());
  auto set = ArchiveSet::open(dir.path("set"));
  ASSERT_TRUE(set.is_ok()) << set.status().to_string();
  auto single = Archive::open(dir.path("single.quire"));
  ASSERT_TRUE(single.is_ok());
  ASSERT_GT(set->shard_count(), 1u);
  ASSERT_EQ(set->size(), single->size());
  for (uint64_t r = 0; r < set->size(); ++r) {
    auto a = set->at(r);
    auto b = single->at(r);
    ASSERT_TRUE(a.is_ok() && b.is_ok()) << r;
    EXPECT_EQ(a->id(), b->id());
    EXPECT_EQ(a->sha256(), b->sha256());
    EXPECT_EQ(a->lang(), b->lang());
    EXPECT_EQ(a->body()->bytes(), b->body()->bytes());
    auto found = set->locate(b->id());
    ASSERT_TRUE(found.is_ok()) << found.status().to_string();
    EXPECT_EQ(found->record, r);
  }
  EXPECT_EQ(set->find("nope").status().code(), Code::kNotFound);
  EXPECT_EQ(set->at(set->size()).status().code(), Code::kNotFound);
  EXPECT_EQ(set->resolve("#3")->id(), "news/0003");
}

TEST(SetWriter, SharedBodiesCrossShardBoundaries) {
  test::TempDir dir;
  std::mt19937_64 rng(3);
  std::string original = test::random_text(rng, 5000);
  std::vector<OwnedArticle> articles;
  articles.push_back(test::make_article("orig", original));
  for (int i = 0; i < 6; ++i) articles.push_back(test::make_article(fmt::format("filler/{}", i), test::random_text(rng, 4000)));
  for (int i = 0; i < 2; ++i) {  // both land in a later shard; the second shares the first's copy there
    OwnedArticle revisit;
    revisit.meta.id = fmt::format("revisit/{}", i);
    revisit.shared_body = sha256(original);
    articles.push_back(std::move(revisit));
  }
  SetManifest m = write_set(dir.path("set"), articles, 9000);
  ASSERT_GT(m.shards.size(), 2u);
  auto set = ArchiveSet::open(dir.path("set"));
  ASSERT_TRUE(set.is_ok()) << set.status().to_string();
  for (const char* id : {"revisit/0", "revisit/1"}) {
    auto a = set->find(id);
    ASSERT_TRUE(a.is_ok()) << a.status().to_string();
    EXPECT_EQ(a->body()->bytes(), original);
  }
  auto report = verify_set(dir.path("set"), {});
  ASSERT_TRUE(report.is_ok());
  EXPECT_TRUE(report->ok()) << (report->damage.empty() ? "" : report->damage[0].message);

  // Without a way to read a finished shard, the article is refused by name.
  auto w = SetWriter::create(dir.path("no-reader"), options(), 9000);
  ASSERT_TRUE(w.is_ok());
  Status s;
  for (const auto& a : articles) {
    s = (*w)->add(a.view());
    if (!s.is_ok()) break;
  }
  EXPECT_NE(s.message().find("revisit/0"), std::string::npos) << s.to_string();
}

TEST(SetWriter, RefusesDuplicateIdsAcrossShards) {
  test::TempDir dir;
  auto w = SetWriter::create(dir.path("set"), options(), 100);
  ASSERT_TRUE(w.is_ok());
  ASSERT_TRUE((*w)->add(test::make_article("a", std::string(200, 'x')).view()).is_ok());
  ASSERT_TRUE((*w)->add(test::make_article("b", std::string(200, 'y')).view()).is_ok());
  Status s = (*w)->add(test::make_article("a", "again").view());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("duplicate id 'a'"), std::string::npos) << s.to_string();
  EXPECT_EQ((*w)->find_record("b"), 1u);
}

// The set's id table within a tiny budget: it spills, a duplicate across
// shards is still found (naming the first record), and the set's bytes are
// those written with the default budget.
TEST(SetWriter, DuplicateIdsAcrossShardsAfterTheIdTableSpilledAndTheSameBytes) {
  test::TempDir dir;
  std::mt19937_64 rng(21);
  std::vector<OwnedArticle> articles;
  for (size_t i = 0; i < 3000; ++i) {
    articles.push_back(test::make_article(fmt::format("tiny/{:05}", i), test::random_text(rng, 20 + rng() % 40)));
  }
  auto write = [&](const std::string& path, uint64_t budget, size_t& runs, uint64_t& spill_bytes) {
    WriterOptions o = options();
    o.memory_budget = budget;
    auto w = SetWriter::create(path, o, 16000, read_shard_body);
    ASSERT_TRUE(w.is_ok()) << w.status().to_string();
    for (const auto& a : articles) ASSERT_TRUE((*w)->add(a.view()).is_ok());
    Status dup = (*w)->add(test::make_article("tiny/00007", "again").view());
    EXPECT_EQ(dup.code(), Code::kInvalidArgument);
    EXPECT_NE(dup.message().find("duplicate id 'tiny/00007': article #3000 has the same id as article #7"),
              std::string::npos) << dup.to_string();
    EXPECT_EQ((*w)->find_record("tiny/02999"), 2999u);
    EXPECT_EQ((*w)->find_record("tiny/03000"), std::nullopt);
    runs = (*w)->id_runs();
    spill_bytes = (*w)->stats().spill_bytes;
    ASSERT_TRUE((*w)->finish().is_ok());
    EXPECT_GT((*w)->manifest().shards.size(), 3u);
  };
  size_t tiny_runs = 0, default_runs = 0;
  uint64_t tiny_spill = 0, default_spill = 0;
  write(dir.path("tiny"), 16 * 1024, tiny_runs, tiny_spill);
  write(dir.path("default"), WriterOptions{}.memory_budget, default_runs, default_spill);
  EXPECT_GT(tiny_runs, 0u);
  EXPECT_GT(tiny_spill, 0u);
  EXPECT_EQ(default_runs, 0u);
  EXPECT_EQ(default_spill, 0u);
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir.path("default"))) {
    std::string name = e.path().filename().string();
    EXPECT_EQ(test::read_file(e.path().string()), test::read_file(dir.path("tiny/" + name))) << name;
    ++files;
  }
  EXPECT_GT(files, 4u);
}

TEST(SetWriter, AbandonRemovesEverythingWritten) {
  test::TempDir dir;
  {
    auto w = SetWriter::create(dir.path("set"), options(), 1000);
    ASSERT_TRUE(w.is_ok());
    for (const auto& a : corpus(10)) ASSERT_TRUE((*w)->add(a.view()).is_ok());
    EXPECT_TRUE(fs::exists(dir.path("set/part-00001.quire")));  // finished shards exist meanwhile
    EXPECT_FALSE(fs::exists(dir.path("set/quire-set.json")));   // but no manifest until the end
    (*w)->abandon();
  }
  EXPECT_FALSE(fs::exists(dir.path("set")));
  fs::create_directory(dir.path("kept"));
  {
    auto w = SetWriter::create(dir.path("kept"), options(), 1000);
    ASSERT_TRUE(w.is_ok());
    ASSERT_TRUE((*w)->add(test::make_article("a", "x").view()).is_ok());
  }  // destroyed unfinished
  EXPECT_TRUE(fs::exists(dir.path("kept")));  // the caller's directory stays, empty
  EXPECT_TRUE(fs::is_empty(dir.path("kept")));
}

TEST(SetWriter, RefusesADirectoryThatIsNotEmpty) {
  test::TempDir dir;
  fs::create_directory(dir.path("full"));
  test::write_file(dir.path("full/x"), "x");
  auto w = SetWriter::create(dir.path("full"), options(), 1000);
  ASSERT_FALSE(w.is_ok());
  EXPECT_NE(w.status().message().find("not empty"), std::string::npos);
}

TEST(SetWriter, AnEmptyInputIsOneEmptyShard) {
  test::TempDir dir;
  SetManifest m = write_set(dir.path("set"), {}, 1000);
  ASSERT_EQ(m.shards.size(), 1u);
  auto set = ArchiveSet::open(dir.path("set/quire-set.json"));
  ASSERT_TRUE(set.is_ok()) << set.status().to_string();
  EXPECT_EQ(set->size(), 0u);
}

}  // namespace
}  // namespace quire
