// Annotations with their covered text (reader/annotation_query.h) and the
// annotation filter of reader/filter.h, on a small archive written here.
#include "reader/annotation_query.h"

#include <gtest/gtest.h>

#include "format/base64.h"
#include "reader/filter.h"
#include "test_util.h"

namespace quire {
namespace {

// Byte and code point offsets of kMulti, counted by hand:
//   H à ␠ N ộ i ␠ – ␠ 京 都 ␠ 😀 ␠ e n d
//   bytes:       0 1 3 4 5 8 9 10 13 14 17 20 21 25 26 27 28 (29 in all)
//   code points: 0 1 2 3 4 5 6 7  8  9  10 11 12 13 14 15 16 (17 in all)
const std::string kMulti = "Hà Nội – 京都 😀 end";
const std::string kLatin1 = "caf\xE9 ol\xE9\n";  // ISO 8859-1, not UTF-8

Span span(uint64_t start, uint64_t end, std::string type, std::string label = "",
          std::vector<KeyValue> attrs = {}) {
  return Span{start, end, std::move(type), std::move(label), std::move(attrs)};
}

class AnnotationQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(kMulti.size(), 29u);
    ASSERT_EQ(kMulti.find("京都"), 14u);
    ASSERT_EQ(kMulti.find("😀"), 21u);
    std::vector<OwnedArticle> articles;
    auto multi = test::make_article("a/multi", kMulti);
    multi.meta.lang = "vi";
    multi.layers = {
        {"ner", "tagger 2.1", {span(0, 9, "entity", "GPE"), span(14, 20, "entity", "GPE", {{"lang", "ja"}})}},
        {"structure", "", {span(21, 25, "emoji"), span(26, 29, "word")}}};
    articles.push_back(multi);
    auto latin1 = test::make_article("b/latin1", kLatin1);
    latin1.layers = {{"ner", "tagger 2.1", {span(0, 5, "entity", "ORG"), span(0, 3, "word")}}};
    articles.push_back(latin1);
    auto plain = test::make_article("c/plain", "no annotations here");
    plain.meta.lang = "en";
    articles.push_back(plain);
    auto cut = test::make_article("d/cut", "京都");
    cut.layers = {{"odd", "", {span(1, 6, "word")}}};  // starts inside 京
    articles.push_back(cut);
    test::write_archive(dir.path("a.quire"), articles);
    auto opened = Archive::open(dir.path("a.quire"));
    ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
    archive.emplace(std::move(*opened));
  }

  Article article(const std::string& id) { return *archive->find(id); }

  // Every JSON line the query gives, or the error.
  std::vector<std::string> query_lines(const AnnotationQuery& q, Status* status = nullptr) {
    std::vector<std::string> lines;
    Status s = for_each_annotation(*archive, q, [&](const Article& a, const ArticleAnnotations& ann,
                                                    const PlacedSpan& p) {
      lines.push_back(annotation_to_json(a, ann, p));
      return Status::ok();
    });
    if (status) *status = s;
    else EXPECT_TRUE(s.is_ok()) << s.to_string();
    return lines;
  }

  test::TempDir dir;
  std::optional<Archive> archive;
};

TEST_F(AnnotationQueryTest, PlacesEverySpanWithByteOffsetsAndCoveredText) {
  auto ann = place_annotations(article("a/multi"), OffsetUnit::kBytes);
  ASSERT_TRUE(ann.is_ok()) << ann.status().to_string();
  ASSERT_EQ(ann->layers.size(), 2u);
  ASSERT_EQ(ann->spans.size(), 4u);
  std::vector<std::string> texts;
  for (const PlacedSpan& p : ann->spans) texts.emplace_back(p.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"Hà Nội", "京都", "😀", "end"}));
  EXPECT_EQ(ann->spans[1].start, 14u);
  EXPECT_EQ(ann->spans[1].end, 20u);
  EXPECT_EQ(ann->layer_of(ann->spans[2]).name, "structure");
  EXPECT_EQ(ann->span_of(ann->spans[1]).attributes, (std::vector<KeyValue>{{"lang", "ja"}}));
}

TEST_F(AnnotationQueryTest, CodePointOffsetsMatchTheHandCount) {
  auto ann = place_annotations(article("a/multi"), OffsetUnit::kCodepoints);
  ASSERT_TRUE(ann.is_ok()) << ann.status().to_string();
  std::vector<std::pair<uint64_t, uint64_t>> got;
  for (const PlacedSpan& p : ann->spans) got.emplace_back(p.start, p.end);
  EXPECT_EQ(got, (std::vector<std::pair<uint64_t, uint64_t>>{{0, 6}, {9, 11}, {12, 13}, {14, 17}}));
  EXPECT_EQ(ann->spans[1].text, "京都");  // the text does not depend on the unit
}

TEST_F(AnnotationQueryTest, CodePointsOfANonUtf8BodyAreAnErrorNamingTheArticle) {
  auto ann = place_annotations(article("b/latin1"), OffsetUnit::kCodepoints);
  ASSERT_FALSE(ann.is_ok());
  EXPECT_EQ(ann.status().code(), Code::kInvalidArgument);
  EXPECT_NE(ann.status().message().find("'b/latin1'"), std::string::npos) << ann.status().to_string();
  EXPECT_NE(ann.status().message().find("not valid UTF-8"), std::string::npos);
}

TEST_F(AnnotationQueryTest, NonUtf8CoveredTextIsBase64AndUtf8CoveredTextIsText) {
  AnnotationQuery q;
  q.filter.id_prefix = "b/";
  EXPECT_EQ(query_lines(q),
            (std::vector<std::string>{
                R"({"type":"entity","label":"ORG","id":"b/latin1","layer":"ner","producer":"tagger 2.1","start":0,"end":5,"text_b64":")" +
                    base64_encode("caf\xE9 ") + R"("})",
                R"({"type":"word","label":"","id":"b/latin1","layer":"ner","producer":"tagger 2.1","start":0,"end":3,"text":"caf"})"}));
}

TEST_F(AnnotationQueryTest, AnOffsetInsideASequenceHasNoCodePoint) {
  auto bytes = place_annotations(article("d/cut"), OffsetUnit::kBytes);
  ASSERT_TRUE(bytes.is_ok());
  EXPECT_EQ(bytes->spans[0].text, std::string("\xBA\xAC") + "都");
  auto cps = place_annotations(article("d/cut"), OffsetUnit::kCodepoints);
  ASSERT_FALSE(cps.is_ok());
  EXPECT_EQ(cps.status().message(), "article 'd/cut': layer 'odd' span #0: byte offset 1 is inside a UTF-8 sequence");
}

TEST_F(AnnotationQueryTest, QueryGivesArchiveOrderAndStoredOrderAsJsonLines) {
  AnnotationQuery q;
  q.offsets = OffsetUnit::kCodepoints;
  q.filter.lang = "vi";
  EXPECT_EQ(query_lines(q),
            (std::vector<std::string>{
                R"({"type":"entity","label":"GPE","id":"a/multi","layer":"ner","producer":"tagger 2.1","start":0,"end":6,"text":"Hà Nội"})",
                R"({"type":"entity","label":"GPE","id":"a/multi","layer":"ner","producer":"tagger 2.1","start":9,"end":11,"text":"京都","attrs":{"lang":"ja"}})",
                R"({"type":"emoji","label":"","id":"a/multi","layer":"structure","producer":"","start":12,"end":13,"text":"😀"})",
                R"({"type":"word","label":"","id":"a/multi","layer":"structure","producer":"","start":14,"end":17,"text":"end"})"}));
}

TEST_F(AnnotationQueryTest, QuerySelectsSpansByTypeAndLabel) {
  AnnotationQuery q;
  q.spans.type = "entity";
  auto entities = query_lines(q);
  ASSERT_EQ(entities.size(), 3u);  // two in a/multi, one in b/latin1
  EXPECT_NE(entities[2].find("\"id\":\"b/latin1\""), std::string::npos);
  q.spans.label = "GPE";
  EXPECT_EQ(query_lines(q).size(), 2u);
  AnnotationQuery words;
  words.spans.type = "word";
  words.spans.label = "";  // spans without a label
  auto w = query_lines(words);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_NE(w[0].find("\"text\":\"end\""), std::string::npos);
}

TEST_F(AnnotationQueryTest, AnEmptyResultIsNotAnError) {
  AnnotationQuery q;
  q.spans.type = "no-such-type";
  EXPECT_TRUE(query_lines(q).empty());
  AnnotationQuery none;
  none.filter.id_prefix = "c/";  // an article without annotations
  EXPECT_TRUE(query_lines(none).empty());
}

TEST_F(AnnotationQueryTest, AVisitorErrorStopsTheQuery) {
  int calls = 0;
  Status s = for_each_annotation(*archive, {}, [&](const Article&, const ArticleAnnotations&, const PlacedSpan&) {
    ++calls;
    return Status::io_error("stdout closed");
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(s.code(), Code::kIoError);
}

TEST_F(AnnotationQueryTest, CodePointQueryStopsAtTheFirstNonUtf8Body) {
  AnnotationQuery q;
  q.offsets = OffsetUnit::kCodepoints;
  Status s;
  auto lines = query_lines(q, &s);
  EXPECT_EQ(lines.size(), 4u);  // a/multi's spans come before the error
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("'b/latin1'"), std::string::npos);
}

TEST(SpanMatch, ParsesTypeAndOptionalLabel) {
  auto t = SpanMatch::parse("entity");
  ASSERT_TRUE(t.is_ok());
  EXPECT_EQ(t->type, "entity");
  EXPECT_FALSE(t->label);
  auto tl = SpanMatch::parse("entity=PERSON=x");
  ASSERT_TRUE(tl.is_ok());
  EXPECT_EQ(tl->type, "entity");
  EXPECT_EQ(tl->label, "PERSON=x");
  auto empty_label = SpanMatch::parse("entity=");
  ASSERT_TRUE(empty_label.is_ok());
  EXPECT_EQ(empty_label->label, "");
  EXPECT_EQ(SpanMatch::parse("=PERSON").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(SpanMatch::parse("").status().code(), Code::kInvalidArgument);
}

TEST_F(AnnotationQueryTest, HasAnnotationFilterNeedsEveryEntryToMatchSomeSpan) {
  auto ids = [&](const ArticleFilter& f) {
    std::vector<std::string> out;
    for (uint64_t r = 0; r < archive->size(); ++r) {
      Article a = *archive->at(r);
      auto m = f.check(a);
      EXPECT_TRUE(m.is_ok()) << m.status().to_string();
      EXPECT_EQ(*m, f.matches(a));
      if (*m) out.emplace_back(a.id());
    }
    return out;
  };
  ArticleFilter f;
  EXPECT_TRUE(f.empty());
  f.has_annotation = {*SpanMatch::parse("entity")};
  EXPECT_FALSE(f.empty());
  EXPECT_EQ(ids(f), (std::vector<std::string>{"a/multi", "b/latin1"}));
  f.has_annotation = {*SpanMatch::parse("entity=GPE")};
  EXPECT_EQ(ids(f), (std::vector<std::string>{"a/multi"}));
  f.has_annotation = {*SpanMatch::parse("entity=ORG"), *SpanMatch::parse("word")};  // two spans of b/latin1
  EXPECT_EQ(ids(f), (std::vector<std::string>{"b/latin1"}));
  f.has_annotation = {*SpanMatch::parse("entity=GPE"), *SpanMatch::parse("entity=ORG")};  // never together
  EXPECT_TRUE(ids(f).empty());
  f.has_annotation = {*SpanMatch::parse("word")};
  f.lang = "vi";  // combined with the catalog filters
  EXPECT_EQ(ids(f), (std::vector<std::string>{"a/multi"}));
}

}  // namespace
}  // namespace quire
