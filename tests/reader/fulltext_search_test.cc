// Full-text search (reader/fulltext_search.h) over archives indexed by
// writer/fulltext_index.h: what matches, what filters keep, what snippets
// mark, sets, damage and concurrent use.
#include "reader/fulltext_search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <thread>

#include "format/checksum.h"
#include "format/layout.h"
#include "reader/archive_impl.h"
#include "reader/verify.h"
#include "test_util.h"
#include "writer/fulltext_index.h"
#include "writer/set_writer.h"

namespace quire {
namespace {

OwnedArticle article(std::string id, std::string body, std::string lang = "en", std::string title = "") {
  OwnedArticle a = test::make_article(std::move(id), std::move(body));
  a.meta.lang = std::move(lang);
  a.meta.title = std::move(title);
  return a;
}

std::string indexed(const test::TempDir& dir, const std::vector<OwnedArticle>& articles, const std::string& name = "a",
                    WriterOptions wo = {}) {
  std::string plain = dir.path(name + ".plain.quire"), out = dir.path(name + ".quire");
  test::write_archive(plain, articles, wo);
  IndexOptions o;
  o.sync = false;
  auto s = write_indexed_archive(plain, out, o);
  EXPECT_TRUE(s) << s.status().to_string();
  return out;
}

std::vector<std::string> ids_of(const Result<SearchResult>& r) {
  std::vector<std::string> out;
  if (!r) return {"error: " + r.status().to_string()};
  for (const SearchHit& h : r->hits) out.push_back(h.id);
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

Result<SearchResult> find(const ArchiveSet& set, const std::string& query, uint64_t limit = 100) {
  SearchRequest req;
  req.query = query;
  req.limit = limit;
  return search(set, req);
}

TEST(FulltextSearch, StemsPhrasesAndBooleans) {
  test::TempDir dir;
  std::string path = indexed(dir, {article("run", "She runs to the station every morning."),
                                   article("walk", "He walked slowly along the quick brown river."),
                                   article("fox", "The quick brown fox jumps over the lazy dog."),
                                   article("de", "Die Häuser der Stadt sind alt.", "de")});
  auto set = ArchiveSet::open(path);
  ASSERT_TRUE(set);
  EXPECT_EQ(ids_of(find(*set, "running")), std::vector<std::string>{"run"});  // English stemmer: run
  EXPECT_EQ(sorted(ids_of(find(*set, "quick brown"))), (std::vector<std::string>{"fox", "walk"}));
  EXPECT_EQ(ids_of(find(*set, "\"quick brown fox\"")), std::vector<std::string>{"fox"});
  EXPECT_EQ(ids_of(find(*set, "quick NOT fox")), std::vector<std::string>{"walk"});
  EXPECT_EQ(sorted(ids_of(find(*set, "station OR dog"))), (std::vector<std::string>{"fox", "run"}));
  EXPECT_EQ(ids_of(find(*set, "stat*")), std::vector<std::string>{"run"});
  EXPECT_TRUE(ids_of(find(*set, "elephant")).empty());
  // German needs the German stemmer: asked for, or chosen by --lang.
  // (Capitalised query words are matched exactly, as Xapian's QueryParser
  // does: lower case asks for every form.)
  SearchRequest req;
  req.query = "Haus";
  EXPECT_TRUE(ids_of(search(*set, req)).empty());
  req.query = "haus";
  req.stem_language = "de";
  EXPECT_EQ(ids_of(search(*set, req)), std::vector<std::string>{"de"});
  req.stem_language = "";
  req.filter.lang = "de";
  auto r = search(*set, req);
  EXPECT_EQ(ids_of(r), std::vector<std::string>{"de"});
  EXPECT_EQ(r->stem_language, "de");
  req.stem_language = "none";  // exact words only: "haus" is not in the text
  EXPECT_TRUE(ids_of(search(*set, req)).empty());
}

// A filter on a language Xapian cannot stem must not stem the query with
// another language's stemmer: its articles were indexed unstemmed
// (bench/fulltext found `libreoffice` with lang=ko giving nothing).
TEST(FulltextSearch, AFilterLanguageWithoutAStemmerSearchesWordsAsTheyAre) {
  test::TempDir dir;
  std::string path = indexed(dir, {article("ko", "LibreOffice 설치 안내", "ko-KR"), article("en1", "the office suite"),
                                   article("en2", "more office news"), article("en3", "office hours")});
  auto set = ArchiveSet::open(path);
  ASSERT_TRUE(set);
  SearchRequest req;
  req.query = "libreoffice";
  req.filter.lang = "ko";
  auto r = search(*set, req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->stem_language, "none");
  EXPECT_EQ(ids_of(r), std::vector<std::string>{"ko"});
}

TEST(FulltextSearch, ACompactIndexIsSmallerStemsEveryWordAndMatchesPhrasesAsWords) {
  test::TempDir dir;
  std::mt19937_64 rng(21);
  std::vector<OwnedArticle> articles = {article("run", "She runs to the station every morning."),
                                        article("fox", "The quick brown fox jumps over the lazy dog."),
                                        article("walk", "He walked along the brown and quick river."),
                                        article("vi", "Hà Nội mở rộng tuyến metro.", "vi")};
  for (int i = 0; i < 200; ++i) articles.push_back(article("filler/" + std::to_string(i), test::random_text(rng, 2000)));
  test::write_archive(dir.path("plain.quire"), articles);
  IndexOptions full, compact;
  full.sync = compact.sync = false;
  compact.compact = true;
  auto fs = write_indexed_archive(dir.path("plain.quire"), dir.path("full.quire"), full);
  auto cs = write_indexed_archive(dir.path("plain.quire"), dir.path("compact.quire"), compact);
  ASSERT_TRUE(fs && cs);
  EXPECT_LT(cs->index_bytes * 2, fs->index_bytes) << cs->index_bytes << " vs " << fs->index_bytes;
  auto c = ArchiveSet::open(dir.path("compact.quire"));
  auto f = ArchiveSet::open(dir.path("full.quire"));
  ASSERT_TRUE(c && f);
  EXPECT_EQ(c->shard(0)->manifest().fulltext->scheme, "quire-fulltext-compact/1");
  EXPECT_EQ(ids_of(find(*c, "running")), std::vector<std::string>{"run"});
  EXPECT_EQ(ids_of(find(*c, "Running")), std::vector<std::string>{"run"}) << "every word is stemmed";
  EXPECT_TRUE(ids_of(find(*f, "Running")).empty()) << "full: a capitalised word is matched as written";
  // No positions: a phrase matches as all its words.
  EXPECT_EQ(sorted(ids_of(find(*c, "\"quick brown\""))), (std::vector<std::string>{"fox", "walk"}));
  EXPECT_EQ(ids_of(find(*f, "\"quick brown\"")), std::vector<std::string>{"fox"});
  auto r = find(*c, "tuyến");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->positions);
  EXPECT_EQ(ids_of(r), std::vector<std::string>{"vi"});
  EXPECT_TRUE(find(*f, "tuyến")->positions);
  // Both answer the filters the same way.
  SearchRequest req;
  req.query = "the";
  req.filter.lang = "en";
  req.limit = 500;
  EXPECT_EQ(sorted(ids_of(search(*c, req))), sorted(ids_of(search(*f, req))));
}

TEST(FulltextSearch, HtmlIsSearchedByItsTextNotItsMarkup) {
  test::TempDir dir;
  OwnedArticle page = article("page.html",
                              "<!DOCTYPE html><html><head><title>Harbour news</title><script>var secretword = 1;"
                              "</script></head><body><p class=\"lede\">Fish &amp; chips by the harbour.</p></body></html>");
  page.meta.media_type = "text/html";
  std::string path = indexed(dir, {page, article("other", "Nothing here about markup.")});
  auto set = ArchiveSet::open(path);
  ASSERT_TRUE(set);
  EXPECT_EQ(ids_of(find(*set, "chips")), std::vector<std::string>{"page.html"});
  EXPECT_TRUE(ids_of(find(*set, "secretword")).empty()) << "script content is not text";
  EXPECT_TRUE(ids_of(find(*set, "lede")).empty()) << "attribute values are not text";
  EXPECT_TRUE(ids_of(find(*set, "amp")).empty()) << "entities are decoded";
}

TEST(FulltextSearch, SnippetsAreTextWithTheMatchesMarked) {
  test::TempDir dir;
  std::string body = "Budget talks. The council met on Monday & agreed <nothing>. Councils elsewhere waited. "
                     "Later the council adjourned.";
  std::string path = indexed(dir, {article("c", body)});
  auto set = ArchiveSet::open(path);
  ASSERT_TRUE(set);
  auto r = find(*set, "council");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->hits.size(), 1u);
  const SearchHit& h = r->hits[0];
  EXPECT_NE(h.snippet.find("& agreed <nothing>"), std::string::npos) << "plain text, not HTML: " << h.snippet;
  ASSERT_GE(h.highlights.size(), 2u) << h.snippet;
  for (auto [s, e] : h.highlights) {
    ASSERT_LE(e, h.snippet.size());
    std::string word = h.snippet.substr(s, e - s);
    std::transform(word.begin(), word.end(), word.begin(), ::tolower);
    EXPECT_TRUE(word == "council" || word == "councils") << word;  // stemmed: councils -> council
  }
}

// Every filter keeps exactly the articles ArticleFilter (ls) keeps.
TEST(FulltextSearch, FiltersKeepWhatTheCatalogFiltersKeep) {
  test::TempDir dir;
  std::mt19937_64 rng(11);
  std::vector<OwnedArticle> articles;
  const char* langs[] = {"en", "en-GB", "de", "vi", ""};
  const char* dates[] = {"2021", "2022-03", "2022-03-15", "2023-11-02T10:00:00Z", "", "2024-02-29"};
  for (int i = 0; i < 120; ++i) {
    OwnedArticle a = article("id/" + std::to_string(i), "common words " + test::random_text(rng, 300), langs[i % 5]);
    a.meta.source = "src" + std::to_string(i % 3);
    auto d = Date::parse(dates[i % 6]);
    ASSERT_TRUE(d);
    a.meta.date = *d;
    if (i % 4 == 0) {
      Layer l{"ner", "test 1", {}};
      l.spans.push_back(Span{0, 6, "entity", i % 8 == 0 ? "PERSON" : "ORG", {}});
      if (i % 3 == 0) l.spans.push_back(Span{7, 12, "dateline", "", {}});
      a.layers.push_back(l);
    }
    articles.push_back(std::move(a));
  }
  WriterOptions wo;
  wo.block_size = 4096;
  std::string path = indexed(dir, articles, "a", wo);
  auto set = ArchiveSet::open(path);
  ASSERT_TRUE(set);

  auto check = [&](const ArticleFilter& filter, const std::string& what) {
    std::vector<std::string> expected;
    for (uint64_t r = 0; r < set->size(); ++r) {
      auto a = set->at(r);
      ASSERT_TRUE(a);
      if (filter.matches(*a)) expected.push_back(std::string(a->id()));
    }
    SearchRequest req;
    req.query = "common";
    req.filter = filter;
    req.limit = 1000;
    EXPECT_EQ(sorted(ids_of(search(*set, req))), sorted(expected)) << what;
    EXPECT_FALSE(expected.empty()) << what << ": a filter that keeps nothing tests little";
  };
  ArticleFilter f;
  f.source = "src1";
  check(f, "source");
  f = {};
  f.lang = "en";
  check(f, "lang en (with en-GB)");
  f.lang = "en-GB";
  check(f, "lang en-GB");
  f = {};
  f.since = *Date::parse("2022-03-10");
  check(f, "since a day inside a month");
  f = {};
  f.until = *Date::parse("2022");
  check(f, "until a year");
  f = {};
  f.since = *Date::parse("2022-03-15");
  f.until = *Date::parse("2023-11");
  check(f, "since and until");
  f = {};
  f.has_annotation.push_back(*SpanMatch::parse("entity"));
  check(f, "has entity");
  f.has_annotation = {*SpanMatch::parse("entity=PERSON")};
  check(f, "has entity=PERSON");
  f.has_annotation = {*SpanMatch::parse("dateline=")};
  check(f, "has dateline without label");
  f = {};
  f.id_prefix = "id/1";
  check(f, "id prefix");
  f = {};
  f.ids = {"id/5", "id/77"};
  check(f, "ids");
  f = {};
  f.lang = "de";
  f.source = "src2";
  f.has_annotation = {*SpanMatch::parse("entity")};
  check(f, "three at once");

  // A filter alone (no words) lists its articles.
  SearchRequest only;
  only.filter.source = "src0";
  only.limit = 1000;
  EXPECT_EQ(ids_of(search(*set, only)).size(), 40u);
}

TEST(FulltextSearch, ASetRanksItsShardsTogether) {
  test::TempDir dir;
  std::mt19937_64 rng(3);
  std::vector<OwnedArticle> articles;
  for (int i = 0; i < 60; ++i) {
    std::string body = test::random_text(rng, 400);
    if (i % 7 == 0) body += " zebra";
    if (i % 14 == 0) body += " zebra zebra";
    articles.push_back(article("n" + std::to_string(i), body));
  }
  std::string single = indexed(dir, articles, "single");
  // The same articles as a set of shards, each indexed as pack --fulltext does.
  WriterOptions wo;
  wo.sync = false;
  wo.info.created_unix_seconds = 1700000000;
  auto w = SetWriter::create(dir.path("set"), wo, 5000);
  ASSERT_TRUE(w);
  (*w)->after_shard([](const std::string& p) {
    IndexOptions o;
    o.sync = false;
    auto s = write_indexed_archive(p, p, o);
    return s ? Status::ok() : s.status();
  });
  for (const auto& a : articles) ASSERT_TRUE((*w)->add(a.view()).is_ok());
  ASSERT_TRUE((*w)->finish().is_ok());
  auto set = ArchiveSet::open(dir.path("set"));
  auto one = ArchiveSet::open(single);
  ASSERT_TRUE(set && one);
  ASSERT_GT(set->shard_count(), 2u);
  auto a = find(*set, "zebra");
  auto b = find(*one, "zebra");
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->hits.size(), 9u);
  ASSERT_EQ(a->hits.size(), b->hits.size());
  // Same statistics, so the same weights: the shards rank as one archive.
  std::map<std::string, double> wa, wb;
  for (auto& h : a->hits) wa[h.id] = h.weight;
  for (auto& h : b->hits) wb[h.id] = h.weight;
  ASSERT_EQ(wa.size(), wb.size());
  for (auto& [id, weight] : wa) EXPECT_NEAR(weight, wb[id], 1e-9) << id;
  // Global record numbers lead back to the article.
  for (auto& h : a->hits) {
    auto art = set->at(h.record);
    ASSERT_TRUE(art);
    EXPECT_EQ(art->id(), h.id);
  }
  auto has = has_fulltext(*set);
  ASSERT_TRUE(has);
  EXPECT_TRUE(*has);
}

TEST(FulltextSearch, PagingWalksTheSameRanking) {
  test::TempDir dir;
  std::vector<OwnedArticle> articles;
  for (int i = 0; i < 30; ++i) {
    std::string body = "report";
    for (int k = 0; k < i % 6; ++k) body += " report";
    body += " filler " + std::to_string(i);
    articles.push_back(article("p" + std::to_string(i), body));
  }
  auto set = ArchiveSet::open(indexed(dir, articles));
  ASSERT_TRUE(set);
  auto all = find(*set, "report", 30);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->hits.size(), 30u);
  std::vector<std::string> paged;
  for (uint64_t off = 0; off < 30; off += 7) {
    SearchRequest req;
    req.query = "report";
    req.offset = off;
    req.limit = 7;
    auto page = search(*set, req);
    ASSERT_TRUE(page);
    for (auto& h : page->hits) paged.push_back(h.id);
  }
  EXPECT_EQ(paged, ids_of(all));
}

TEST(FulltextSearch, NoIndexAndDamagedIndexAreErrorsNotCrashes) {
  test::TempDir dir;
  test::write_archive(dir.path("plain.quire"), {article("x", "some words")});
  auto plain = ArchiveSet::open(dir.path("plain.quire"));
  ASSERT_TRUE(plain);
  auto r = find(*plain, "words");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_NE(r.status().message().find("quire index"), std::string::npos);

  std::string path = indexed(dir, {article("x", "some words"), article("y", "other words")});
  auto a = Archive::open(path);
  ASSERT_TRUE(a);
  const FulltextSummary f = *a->manifest().fulltext;
  std::string bytes = test::read_file(path);
  // Flip bytes across the whole index section: every flip is caught by its checksum.
  for (uint64_t at = f.section.offset + 48; at < f.section.offset + f.section.length; at += f.section.length / 7) {
    std::string damaged = bytes;
    damaged[at] ^= 0x10;
    test::write_file(dir.path("bad.quire"), damaged);
    auto set = ArchiveSet::open(dir.path("bad.quire"));
    ASSERT_TRUE(set);
    auto res = find(*set, "words");
    ASSERT_FALSE(res) << "flip at " << at;
    EXPECT_EQ(res.status().code(), Code::kCorruption);
    EXPECT_NE(res.status().message().find("fulltext"), std::string::npos) << res.status().message();
    // Everything else still reads.
    auto x = set->find("y");
    ASSERT_TRUE(x);
    EXPECT_EQ(x->body()->bytes(), "other words");
  }
  auto empty = find(*ArchiveSet::open(path), "");
  EXPECT_FALSE(empty);
}

// Bytes that pass the section checksum but are not a sound Xapian database
// (a buggy or hostile writer): search and verify report them, never crash.
TEST(FulltextSearch, ForgedIndexBytesWithAValidChecksumGiveErrorsNotCrashes) {
  test::TempDir dir;
  std::mt19937_64 rng(9);
  std::vector<OwnedArticle> articles;
  for (int i = 0; i < 40; ++i) articles.push_back(article("f" + std::to_string(i), test::random_text(rng, 600)));
  std::string path = indexed(dir, articles);
  auto a = Archive::open(path);
  ASSERT_TRUE(a);
  const PageLocation where = a->manifest().fulltext->section;
  const std::string original = test::read_file(path);
  int errors = 0;
  for (int round = 0; round < 120; ++round) {
    std::string bytes = original;
    uint64_t payload = where.offset + SectionHeader::kSize;
    uint64_t length = where.length - SectionHeader::kSize;
    for (int k = 0; k < 1 + round % 4; ++k) bytes[payload + rng() % length] ^= static_cast<char>(1 + rng() % 255);
    // Re-seal the section so that only Xapian can notice.
    auto header = SectionHeader::decode(std::as_bytes(std::span(bytes.data() + where.offset, SectionHeader::kSize)));
    ASSERT_TRUE(header);
    header->payload_checksum = xxh3_64(std::as_bytes(std::span(bytes.data() + payload, header->payload_length)));
    std::array<std::byte, SectionHeader::kSize> sealed{};
    header->encode(sealed);
    std::memcpy(bytes.data() + where.offset, sealed.data(), sealed.size());
    test::write_file(dir.path("forged.quire"), bytes);
    auto set = ArchiveSet::open(dir.path("forged.quire"));
    ASSERT_TRUE(set);
    auto r = find(*set, "metro OR rice", 5);
    auto report = verify_archive(dir.path("forged.quire"), VerifyOptions{});
    ASSERT_TRUE(report);
    if (!r || !report->ok()) ++errors;
  }
  EXPECT_GT(errors, 0) << "no change to the database bytes was noticed at all";
}

TEST(FulltextSearch, ConcurrentSearchesAgree) {
  test::TempDir dir;
  std::mt19937_64 rng(5);
  std::vector<OwnedArticle> articles;
  for (int i = 0; i < 200; ++i) articles.push_back(article("c" + std::to_string(i), test::random_text(rng, 800)));
  auto set = ArchiveSet::open(indexed(dir, articles));
  ASSERT_TRUE(set);
  const std::vector<std::string> queries = {"metro", "rice harvest", "\"the news\"", "minister NOT Tuesday", "open*"};
  std::vector<std::vector<std::string>> expected;
  for (const auto& q : queries) expected.push_back(ids_of(find(*set, q, 20)));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        size_t q = (t + i) % queries.size();
        if (ids_of(find(*set, queries[q], 20)) != expected[q]) ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_FALSE(expected[0].empty());
}

}  // namespace
}  // namespace quire
