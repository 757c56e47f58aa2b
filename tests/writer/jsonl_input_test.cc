#include "writer/jsonl_input.h"

#include <gtest/gtest.h>

#include "format/checksum.h"

namespace quire {
namespace {

TEST(JsonlInput, ReadsEveryField) {
  JsonlParser p({});
  auto a = p.article(
      R"({"id":"x","source":"s","title":"T","url":"https://e.org","date":"2024-04","lang":"vi",)"
      R"("lang_notes":["originally in Vietnamese"],"media_type":"text/plain","meta":{"k":"v","n":3},)"
      R"("format":"html","text":"Xin chào","layers":[{"name":"ner","producer":"p 1","spans":)"
      R"([{"type":"entity","start":0,"end":3,"label":"GPE","attrs":{"a":"b"}}]}]})");
  ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  EXPECT_EQ(a->meta.id, "x");
  EXPECT_EQ(a->meta.date.to_string(), "2024-04");
  EXPECT_EQ(a->meta.lang_notes, std::vector<std::string>{"originally in Vietnamese"});
  EXPECT_EQ(a->body, "Xin chào");
  ASSERT_EQ(a->meta.extra.size(), 3u);
  EXPECT_EQ(a->meta.extra[1].value, "3");
  EXPECT_EQ(a->meta.extra[2].key, "format") << "unknown scalar fields are kept as metadata";
  ASSERT_EQ(a->layers.size(), 1u);
  EXPECT_EQ(a->layers[0].spans[0].label, "GPE");
  EXPECT_EQ(a->layers[0].spans[0].attributes[0].value, "b");
}

TEST(JsonlInput, Base64BodiesAndCheckedShaAndLength) {
  JsonlParser p({});
  std::string sha = to_hex(sha256(std::string("\xff\x00", 2)));
  auto a = p.article(R"({"id":"b","body_b64":"/wA=","length":2,"sha256":")" + sha + R"("})");
  ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  EXPECT_EQ(a->body, std::string("\xff\x00", 2));
  EXPECT_TRUE(a->sha256.has_value());
  EXPECT_FALSE(p.article(R"({"id":"b","body_b64":"/wA=","length":3})").is_ok());
  EXPECT_FALSE(p.article(R"({"id":"b","body_b64":"not base64!"})").is_ok());
}

TEST(JsonlInput, FlatAnnotationListsBecomeOneLayer) {
  JsonlParser p({"names", "corpus_build", false});
  auto r = p.annotations(R"({"id":"x","annotations":[{"type":"name","start":1,"end":4}]})");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_EQ(r->layers.size(), 1u);
  EXPECT_EQ(r->layers[0].name, "names");
  EXPECT_EQ(r->layers[0].spans[0].end, 4u);
}

TEST(JsonlInput, CodePointOffsetsAreConverted) {
  JsonlParser p({"a", "", true});
  auto a = p.article(R"({"id":"x","text":"Đà Nẵng","annotations":[{"type":"gpe","start":3,"end":7}]})");
  ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  EXPECT_EQ(a->layers[0].spans[0].start, 5u);  // "Đà " is 3 code points, 5 bytes
  EXPECT_EQ(a->layers[0].spans[0].end, 11u);   // "Nẵng" is 4 code points, 6 bytes
}

TEST(JsonlInput, ErrorsNameTheProblem) {
  JsonlParser p({});
  struct Case { const char* line; const char* expect; };
  for (const Case& c : std::vector<Case>{
           {R"({"text":"no id"})", "missing field 'id'"},
           {R"({"id":"x"})", "missing field 'text' or 'body_b64'"},
           {R"({"id":"x","text":"a","body_b64":"YQ=="})", "both"},
           {R"({"id":"x","text":"a","date":"April 2024"})", "bad date"},
           {R"({"id":"x","text":"a","title":5})", "field 'title' must be a string"},
           {R"({"id":"x","text":"a","extra":{"a":1}})", "unknown field 'extra'"},
           {R"({"id":"x","text":"a","layers":[{"spans":[]}]})", "needs a 'name'"},
           {R"({"id":"x","text":"a","annotations":[{"type":"t","start":-1,"end":2}]})", "non-negative"},
           {R"({"id":"x","text":"a"} {"id":"y"})", "text after"},
           {R"({"id":"x","text":"a")", "invalid JSON"},
           {R"([1,2])", "expected an object"},
           {R"({"id":"x","text":"a","sha256":"abc"})", "64 hex digits"},
       }) {
    auto a = p.article(c.line);
    ASSERT_FALSE(a.is_ok()) << c.line;
    EXPECT_NE(a.status().message().find(c.expect), std::string::npos) << c.line << " -> " << a.status().message();
  }
}

}  // namespace
}  // namespace quire
