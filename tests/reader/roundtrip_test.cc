// Model-based round trips: a random corpus is written, then read back through
// every access path and compared with a plain std::map.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "format/checksum.h"
#include "reader/archive.h"
#include "reader/verify.h"
#include "test_util.h"

namespace quire {
namespace {

using test::OwnedArticle;

std::vector<OwnedArticle> random_corpus(uint64_t seed, size_t n) {
  std::mt19937_64 rng(seed);
  std::vector<OwnedArticle> out;
  for (size_t i = 0; i < n; ++i) {
    OwnedArticle a;
    a.meta.id = "src" + std::to_string(rng() % 5) + "/" + std::to_string(i) + (i % 7 == 0 ? "/Đà Nẵng" : "");
    switch (rng() % 6) {
      case 0: a.body = ""; break;                                        // empty body
      case 1: {                                                          // binary, not UTF-8
        a.body.resize(rng() % 3000);
        for (char& c : a.body) c = static_cast<char>(rng());
        break;
      }
      case 2: a.body = out.empty() ? "dup" : out[rng() % out.size()].body; break;  // a duplicate body
      default: a.body = test::random_text(rng, rng() % 20000); break;
    }
    a.meta.source = "source-" + std::to_string(rng() % 4);
    a.meta.lang = std::vector<std::string>{"en", "vi", "ru", "en-GB"}[rng() % 4];
    if (rng() % 3) a.meta.date = *Date::parse("2024-0" + std::to_string(1 + rng() % 9) + "-1" + std::to_string(rng() % 10));
    a.meta.title = "Title " + std::to_string(i);
    if (rng() % 2) a.meta.lang_notes = {"originally in Vietnamese"};
    if (rng() % 2) a.meta.extra = {{"k" + std::to_string(i % 3), "v"}, {"author", "A. N. Other"}};
    if (rng() % 2 && !a.body.empty()) {
      Layer l{"ner", "test 1.0", {}};
      for (int s = 0; s < 5; ++s) {
        uint64_t x = rng() % (a.body.size() + 1), y = rng() % (a.body.size() + 1);
        l.spans.push_back({std::min(x, y), std::max(x, y), s % 2 ? "entity" : "boilerplate", s % 3 ? "PERSON" : "", {}});
      }
      a.layers.push_back(l);
    }
    out.push_back(std::move(a));
  }
  return out;
}

void expect_same(const Article& got, const OwnedArticle& want) {
  EXPECT_EQ(got.id(), want.meta.id);
  EXPECT_EQ(got.meta(), want.meta) << want.meta.id;
  auto body = got.body();
  ASSERT_TRUE(body.is_ok()) << body.status().to_string();
  EXPECT_EQ(body->bytes(), want.body) << want.meta.id;
  EXPECT_EQ(got.sha256(), sha256(want.body));
  auto layers = got.annotations();
  ASSERT_TRUE(layers.is_ok()) << layers.status().to_string();
  EXPECT_EQ(*layers, want.layers) << want.meta.id;
}

void check_every_access_path(const std::string& path, const std::vector<OwnedArticle>& corpus) {
  std::map<std::string, const OwnedArticle*> model;
  for (const auto& a : corpus) model[a.meta.id] = &a;
  auto archive = Archive::open(path);
  ASSERT_TRUE(archive.is_ok()) << archive.status().to_string();
  ASSERT_EQ(archive->size(), corpus.size());
  // Iteration in archive order.
  for (uint64_t r = 0; r < archive->size(); ++r) {
    auto a = archive->at(r);
    ASSERT_TRUE(a.is_ok()) << a.status().to_string();
    EXPECT_EQ(a->record(), r);
    expect_same(*a, corpus[r]);
  }
  // Lookup by id, in a shuffled order.
  std::vector<std::string> ids;
  for (auto& [id, a] : model) ids.push_back(id);
  std::shuffle(ids.begin(), ids.end(), std::mt19937_64(7));
  for (const auto& id : ids) {
    auto a = archive->find(id);
    ASSERT_TRUE(a.is_ok()) << id << ": " << a.status().to_string();
    expect_same(*a, *model[id]);
  }
  // Lookup by SHA-256: the first article with that body.
  std::set<Sha256> seen;
  for (uint64_t r = 0; r < corpus.size(); ++r) {
    Sha256 sha = sha256(corpus[r].body);
    if (!seen.insert(sha).second) continue;
    auto a = archive->find_sha256(sha);
    ASSERT_TRUE(a.is_ok());
    EXPECT_EQ(a->record(), r);
  }
  // Absent things are NotFound, not errors of another kind.
  EXPECT_EQ(archive->find("no/such/id").status().code(), Code::kNotFound);
  EXPECT_EQ(archive->at(corpus.size()).status().code(), Code::kNotFound);
  EXPECT_EQ(archive->find_sha256(sha256(std::string("never stored"))).status().code(), Code::kNotFound);
  // resolve() forms.
  EXPECT_EQ(archive->resolve("#0")->id(), corpus[0].meta.id);
  EXPECT_EQ(archive->resolve("sha256:" + to_hex(sha256(corpus[1].body)))->sha256(), sha256(corpus[1].body));
  auto report = verify_archive(path, {});
  ASSERT_TRUE(report.is_ok());
  EXPECT_TRUE(report->ok()) << (report->damage.empty() ? "" : report->damage[0].message);
}

TEST(RoundTrip, RandomCorpusThroughEveryAccessPath) {
  test::TempDir dir;
  auto corpus = random_corpus(1, 600);
  WriterOptions o;
  o.block_size = 16 * 1024;
  o.dictionary_sample_bytes = 1 << 20;
  test::write_archive(dir.path("a.quire"), corpus, o);
  check_every_access_path(dir.path("a.quire"), corpus);
  auto archive = Archive::open(dir.path("a.quire"));
  EXPECT_EQ(archive->manifest().dictionary_sizes.size(), 1u) << "the corpus is big enough for a dictionary";
  EXPECT_LT(archive->manifest().counts.unique_bodies, corpus.size()) << "duplicates are stored once";
}

TEST(RoundTrip, WithoutDictionaryAndWithBigBlocks) {
  test::TempDir dir;
  auto corpus = random_corpus(2, 200);
  WriterOptions o;
  o.dictionary = false;
  o.block_size = 1 << 20;
  o.level = 3;
  test::write_archive(dir.path("a.quire"), corpus, o);
  check_every_access_path(dir.path("a.quire"), corpus);
}

TEST(RoundTrip, EmptyArchive) {
  test::TempDir dir;
  test::write_archive(dir.path("e.quire"), {});
  auto archive = Archive::open(dir.path("e.quire"));
  ASSERT_TRUE(archive.is_ok()) << archive.status().to_string();
  EXPECT_EQ(archive->size(), 0u);
  EXPECT_EQ(archive->find("x").status().code(), Code::kNotFound);
  auto report = verify_archive(dir.path("e.quire"), {});
  ASSERT_TRUE(report.is_ok());
  EXPECT_TRUE(report->ok());
}

TEST(RoundTrip, HundredThousandTinyArticles) {
  test::TempDir dir;
  std::vector<OwnedArticle> corpus;
  for (int i = 0; i < 100000; ++i) corpus.push_back(test::make_article("t/" + std::to_string(i), "body " + std::to_string(i * 7919)));
  WriterOptions o;
  o.level = 3;
  test::write_archive(dir.path("t.quire"), corpus, o);
  auto archive = Archive::open(dir.path("t.quire"));
  ASSERT_TRUE(archive.is_ok());
  ASSERT_EQ(archive->size(), 100000u);
  std::mt19937_64 rng(3);
  for (int k = 0; k < 5000; ++k) {
    int i = static_cast<int>(rng() % 100000);
    auto a = archive->find("t/" + std::to_string(i));
    ASSERT_TRUE(a.is_ok());
    EXPECT_EQ(a->body()->bytes(), "body " + std::to_string(i * 7919));
  }
  for (uint64_t r = 0; r < archive->size(); r += 997) EXPECT_EQ(archive->at(r)->id(), "t/" + std::to_string(r));
}

TEST(RoundTrip, HundredMegabyteBody) {
  test::TempDir dir;
  std::mt19937_64 rng(4);
  std::vector<OwnedArticle> corpus;
  corpus.push_back(test::make_article("small-before", "x"));
  corpus.push_back(test::make_article("huge", test::random_text(rng, 100u << 20)));
  corpus.push_back(test::make_article("small-after", "y"));
  WriterOptions o;
  o.level = 1;
  test::write_archive(dir.path("h.quire"), corpus, o);
  auto archive = Archive::open(dir.path("h.quire"));
  ASSERT_TRUE(archive.is_ok());
  auto a = archive->find("huge");
  ASSERT_TRUE(a.is_ok());
  auto body = a->body();
  ASSERT_TRUE(body.is_ok());
  EXPECT_EQ(body->size(), corpus[1].body.size());
  EXPECT_GE(body->size(), (100u << 20) - 3);
  EXPECT_TRUE(body->bytes() == corpus[1].body);
  EXPECT_EQ(archive->find("small-after")->body()->bytes(), "y");
}

TEST(RoundTrip, BodyOutlivesTheArchiveHandle) {
  test::TempDir dir;
  test::write_archive(dir.path("a.quire"), {test::make_article("a", "kept alive")});
  Body body;
  {
    auto archive = Archive::open(dir.path("a.quire"));
    body = *archive->find("a")->body();
  }
  EXPECT_EQ(body.bytes(), "kept alive");
}

}  // namespace
}  // namespace quire
