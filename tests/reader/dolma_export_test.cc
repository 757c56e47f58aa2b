#include "reader/dolma_export.h"

#include <gtest/gtest.h>

#include "format/base64.h"
#include "test_util.h"

namespace quire {
namespace {

TEST(DolmaExport, WritesTheDolmaFieldsWithTextAndMetadata) {
  test::TempDir dir;
  OwnedArticle a = test::make_article("news/1", "Xin chào Hà Nội");
  a.meta.source = "372abc9f1a8abce8";
  a.meta.title = "Hanoi";
  a.meta.lang = "vi";
  a.meta.lang_notes = {"originally in Vietnamese"};
  a.meta.date = *Date::parse("2024-04");
  a.meta.extra = {{"section", "metro"}, {"url", "clash"}};
  test::write_archive(dir.path("a.quire"), {a});
  auto archive = Archive::open(dir.path("a.quire"));
  ASSERT_TRUE(archive);
  auto line = article_to_dolma(*archive->at(0), DolmaOptions{NonUtf8::kError, "corpus", "2026-11-23T00:00:00.000Z"});
  ASSERT_TRUE(line && *line) << line.status().message();
  EXPECT_EQ(**line,
            R"({"id":"news/1","text":"Xin chào Hà Nội","source":"372abc9f1a8abce8","added":"2026-11-23T00:00:00.000Z",)"
            R"("created":"2024-04-01T00:00:00.000Z","metadata":{"title":"Hanoi","lang":"vi","date":"2024-04",)"
            R"("date_precision":"month","lang_notes":["originally in Vietnamese"],)"
            R"("sha256":")" + to_hex(sha256(a.body)) + R"(","length":19,"section":"metro","extra.url":"clash"}})");
}

TEST(DolmaExport, ANonUtf8BodyIsAnErrorOrSkipped) {
  test::TempDir dir;
  test::write_archive(dir.path("a.quire"), {test::make_article("latin1", "caf\xe9")});
  auto archive = Archive::open(dir.path("a.quire"));
  ASSERT_TRUE(archive);
  auto error = article_to_dolma(*archive->at(0), DolmaOptions{});
  ASSERT_FALSE(error);
  EXPECT_NE(error.status().message().find("article 'latin1': the body is not UTF-8"), std::string::npos);
  auto skipped = article_to_dolma(*archive->at(0), DolmaOptions{NonUtf8::kSkip, "", ""});
  ASSERT_TRUE(skipped);
  EXPECT_FALSE(*skipped);
}

TEST(DolmaExport, TimestampsAreUtcWithMilliseconds) {
  EXPECT_EQ(dolma_timestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(dolma_timestamp(1714124580), "2024-04-26T09:43:00.000Z");
  EXPECT_EQ(dolma_timestamp(-1), "1969-12-31T23:59:59.000Z");
}

}  // namespace
}  // namespace quire
