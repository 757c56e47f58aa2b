#include "format/model.h"

#include <gtest/gtest.h>

#include "format/utf8_offsets.h"

namespace quire {
namespace {

TEST(Date, ParsesEachPrecisionAndPrintsItBack) {
  for (const char* text : {"2024", "2024-04", "2024-04-26", "2024-04-26T09:43:00Z", "2024-04-26T09:43:00+07:00",
                           "2024-04-26T09:43:00.5-03:30", "2024-04-26T09:43:00"}) {
    auto d = Date::parse(text);
    ASSERT_TRUE(d.is_ok()) << text << ": " << d.status().to_string();
    EXPECT_EQ(d->to_string(), text);
  }
}

TEST(Date, NormalisesEquivalentForms) {
  EXPECT_EQ(Date::parse("2024-04-26 09:43")->to_string(), "2024-04-26T09:43:00");
  EXPECT_EQ(Date::parse("2024-04-26T09:43:00.120000Z")->to_string(), "2024-04-26T09:43:00.12Z");
  EXPECT_EQ(Date::parse("2024-04-26T09:43:00+0700")->to_string(), "2024-04-26T09:43:00+07:00");
}

TEST(Date, EmptyIsUnknown) {
  auto d = Date::parse("");
  ASSERT_TRUE(d.is_ok());
  EXPECT_FALSE(d->known());
  EXPECT_EQ(d->to_string(), "");
}

TEST(Date, RejectsBadDatesNamingThem) {
  for (const char* text : {"24-04-26", "2024-13", "2023-02-29", "2024-04-31", "2024-04-26T25:00",
                           "April 26, 2024", "2024-04-26T09:43:00Zjunk", "2024-04-26T09:43:00+24:00",
                           "2024-04-26T09:43:00+05:75", "-0005"}) {
    auto d = Date::parse(text);
    ASSERT_FALSE(d.is_ok()) << text;
    EXPECT_NE(d.status().message().find(text), std::string::npos) << d.status().message();
  }
  EXPECT_TRUE(Date::parse("2024-02-29").is_ok());  // leap year
}

TEST(Date, PeriodsCoverTheirPrecision) {
  Date year = *Date::parse("2024");
  Date april = *Date::parse("2024-04");
  Date day = *Date::parse("2024-04-26");
  EXPECT_EQ(year.period_start(), 1704067200);  // 2024-01-01T00:00:00Z
  EXPECT_EQ(year.period_end(), 1735689600);    // 2025-01-01
  EXPECT_EQ(april.period_end() - april.period_start(), 30 * 86400);
  EXPECT_EQ(day.period_end() - day.period_start(), 86400);
  Date ts = *Date::parse("2024-04-26T09:43:00+07:00");
  EXPECT_EQ(ts.period_start(), Date::parse("2024-04-26T02:43:00Z")->period_start());
  EXPECT_EQ(Date::parse("2024-12")->period_end(), Date::parse("2025")->period_start());
}

TEST(Id, ValidatesLengthEncodingAndNul) {
  EXPECT_TRUE(validate_id("news/2024/x").is_ok());
  EXPECT_FALSE(validate_id("").is_ok());
  EXPECT_FALSE(validate_id(std::string(4097, 'a')).is_ok());
  EXPECT_TRUE(validate_id(std::string(4096, 'a')).is_ok());
  EXPECT_FALSE(validate_id(std::string("a\0b", 3)).is_ok());
  EXPECT_FALSE(validate_id("\xff\xfe").is_ok());
}

TEST(Layers, SpansMustLieInsideTheBody) {
  std::vector<Layer> layers = {{"ner", "t 1", {{0, 5, "entity", "", {}}, {5, 10, "entity", "", {}}}}};
  EXPECT_TRUE(validate_layers("a", layers, 10).is_ok());
  auto s = validate_layers("a", layers, 9);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("article 'a'"), std::string::npos);
  EXPECT_NE(s.message().find("span 1"), std::string::npos);
  layers[0].spans[0] = {6, 5, "entity", "", {}};
  EXPECT_FALSE(validate_layers("a", layers, 10).is_ok());
  layers = {{"x", "", {}}, {"x", "", {}}};
  EXPECT_FALSE(validate_layers("a", layers, 10).is_ok());
}

TEST(Utf8Offsets, ConvertBothWays) {
  std::string body = "Đà Nẵng 🥧!";  // 2-, 3- and 4-byte sequences
  auto cp = byte_to_codepoint(body, body.size());
  ASSERT_TRUE(cp.is_ok());
  EXPECT_EQ(*cp, 10u);
  for (uint64_t c = 0; c <= 10; ++c) {
    auto b = codepoint_to_byte(body, c);
    ASSERT_TRUE(b.is_ok());
    EXPECT_EQ(*byte_to_codepoint(body, *b), c);
  }
  EXPECT_FALSE(byte_to_codepoint(body, 1).is_ok());  // inside "Đ"
  EXPECT_FALSE(codepoint_to_byte(body, 11).is_ok());
}

TEST(Utf8Offsets, InvalidBytesCountAsOneCodePoint) {
  std::string body = "a\xff\xfe" "b";
  EXPECT_EQ(*byte_to_codepoint(body, 4), 4u);
  EXPECT_EQ(*codepoint_to_byte(body, 3), 3u);
}

}  // namespace
}  // namespace quire
