// The set manifest (SPEC.md 15): JSON round trip, one rejection per rule,
// and the Bloom filter's promises (no false negatives, about 1% false positives).
#include "format/set_manifest.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "format/base64.h"

namespace quire {
namespace {

Sha256 digest_of(uint8_t seed) {
  Sha256 d{};
  for (size_t i = 0; i < d.size(); ++i) d[i] = static_cast<uint8_t>(seed + i);
  return d;
}

SetManifest sample() {
  SetManifest m;
  for (uint64_t i = 0; i < 3; ++i) {
    ShardEntry e;
    e.file = shard_file_name(i);
    e.articles = i == 2 ? 0 : 5 + i;
    e.bytes = 1000 + i;
    if (e.articles) e.first_id = fmt::format("a/{}", i), e.last_id = fmt::format("z/{}", i);
    e.content_digest = digest_of(static_cast<uint8_t>(i));
    e.file_digest = digest_of(static_cast<uint8_t>(100 + i));
    e.id_filter = IdFilter(e.articles);
    if (e.articles) e.id_filter.add(e.first_id);
    m.articles += e.articles;
    m.shards.push_back(std::move(e));
  }
  m.content_digest = set_content_digest(m.shards);
  return m;
}

// The sample's JSON with `from` replaced by `to` (once).
std::string altered(std::string_view from, std::string_view to) {
  std::string json = sample().to_json();
  size_t at = json.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return json.replace(at, from.size(), to);
}

void expect_rejected(const std::string& json, std::string_view words) {
  auto m = SetManifest::parse(json, "dir/quire-set.json");
  ASSERT_FALSE(m.is_ok()) << json;
  EXPECT_NE(m.status().message().find("dir/quire-set.json"), std::string::npos) << m.status().to_string();
  EXPECT_NE(m.status().message().find(words), std::string::npos) << m.status().to_string();
}

TEST(SetManifest, ShardNamesAreNumberedFromZero) {
  EXPECT_EQ(shard_file_name(0), "part-00000.quire");
  EXPECT_EQ(shard_file_name(123456), "part-123456.quire");
}

TEST(SetManifest, RoundTripsThroughJson) {
  SetManifest m = sample();
  std::string json = m.to_json();
  EXPECT_EQ(json.rfind("{\"format\":\"quire-set\",\"version\":1,\"articles\":11,", 0), 0u) << json;
  auto back = SetManifest::parse(json, "quire-set.json");
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(back->articles, 11u);
  EXPECT_EQ(back->content_digest, m.content_digest);
  ASSERT_EQ(back->shards.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    const ShardEntry &a = m.shards[i], &b = back->shards[i];
    EXPECT_EQ(a.file, b.file);
    EXPECT_EQ(a.articles, b.articles);
    EXPECT_EQ(a.bytes, b.bytes);
    EXPECT_EQ(a.first_id, b.first_id);
    EXPECT_EQ(a.last_id, b.last_id);
    EXPECT_EQ(a.content_digest, b.content_digest);
    EXPECT_EQ(a.file_digest, b.file_digest);
    EXPECT_EQ(a.id_filter.bytes(), b.id_filter.bytes());
  }
  EXPECT_EQ(back->to_json(), json);
}

TEST(SetManifest, SetDigestIsShaOfTheShardDigestsInOrder) {
  SetManifest m = sample();
  std::string cat;
  for (const auto& e : m.shards) cat.append(reinterpret_cast<const char*>(e.content_digest.data()), 32);
  EXPECT_EQ(m.content_digest, sha256(cat));
}

TEST(SetManifest, RejectsMalformedJson) {
  expect_rejected("{\"format\":", "invalid JSON");
  expect_rejected("[1,2]", "expected a JSON object");
}

TEST(SetManifest, RejectsAnotherFormat) { expect_rejected(altered("\"quire-set\"", "\"zim\""), "field 'format'"); }

TEST(SetManifest, RejectsANewerVersionAsUnsupported) {
  auto m = SetManifest::parse(altered("\"version\":1", "\"version\":2"), "quire-set.json");
  ASSERT_FALSE(m.is_ok());
  EXPECT_EQ(m.status().code(), Code::kUnsupportedVersion);
  expect_rejected(altered("\"version\":1", "\"version\":0"), "field 'version'");
}

TEST(SetManifest, RejectsUnknownMissingAndDuplicateFields) {
  expect_rejected(altered("\"articles\":11,", "\"articles\":11,\"extra\":1,"), "field 'extra': unknown field");
  expect_rejected(altered("\"articles\":11,", ""), "field 'articles': missing");
  expect_rejected(altered("\"articles\":11,", "\"articles\":11,\"articles\":11,"), "appears twice");
  expect_rejected(altered("\"bytes\":1000,", ""), "shards[0]: field 'bytes': missing");
}

TEST(SetManifest, RejectsWrongTypes) {
  expect_rejected(altered("\"articles\":11", "\"articles\":\"11\""), "field 'articles': expected a non-negative integer");
  expect_rejected(altered("\"bytes\":1001", "\"bytes\":-1"), "shards[1]: field 'bytes'");
  expect_rejected(altered("\"file\":\"part-00000.quire\"", "\"file\":7"), "field 'file': expected a string");
}

TEST(SetManifest, RejectsFileNamesOutsideTheDirectory) {
  expect_rejected(altered("part-00001.quire", "../x.quire"), "not a plain file name");
  expect_rejected(altered("part-00001.quire", ".."), "not a plain file name");
  expect_rejected(altered("part-00001.quire", ""), "not a plain file name");
  expect_rejected(altered("part-00001.quire", "part-00000.quire"), "named twice");
}

TEST(SetManifest, RejectsBadDigests) {
  std::string hex = to_hex(digest_of(100));
  expect_rejected(altered(hex, hex.substr(1)), "field 'file_digest': expected 64 hex digits");
  expect_rejected(altered("\"content_digest\":\"", "\"content_digest\":\"00"), "field 'content_digest'");
}

TEST(SetManifest, RejectsTotalsThatDisagreeWithTheShards) {
  expect_rejected(altered("\"articles\":11", "\"articles\":12"), "but the shards hold 11");
  // A shard's content digest changed without the set's: the set digest no longer matches.
  std::string hex = to_hex(digest_of(1));
  expect_rejected(altered(hex, to_hex(digest_of(9))), "field 'content_digest'");
  expect_rejected(altered("\"shards\":[", "\"shards\":[],\"x\":["), "unknown field");
}

TEST(SetManifest, RejectsAnIdFilterOfTheWrongSize) {
  std::string b64 = base64_encode(IdFilter(5).bytes());
  expect_rejected(altered(b64, base64_encode(std::string(16, '\0'))), "field 'id_filter': 16 bytes, expected 8");
  expect_rejected(altered(b64, "***"), "field 'id_filter': not base64");
}

TEST(SetManifest, RejectsFirstIdOnAnEmptyShard) {
  expect_rejected(altered("\"articles\":0,\"bytes\":1002,\"first_id\":\"\"", "\"articles\":0,\"bytes\":1002,\"first_id\":\"q\""),
                  "first_id");
}

TEST(IdFilter, SizeIsTenBitsPerArticleRoundedToBytes) {
  EXPECT_EQ(IdFilter::bits_for(0), 64u);
  EXPECT_EQ(IdFilter::bits_for(6), 64u);
  EXPECT_EQ(IdFilter::bits_for(7), 72u);  // 70 rounded up
  EXPECT_EQ(IdFilter::bits_for(1000), 10000u);
  EXPECT_EQ(IdFilter(1000).bytes().size(), 1250u);
}

TEST(IdFilter, SetsTheBitsTheSpecNames) {
  IdFilter f(0);  // 64 bits
  f.add("news/1");
  uint64_t h = xxh3_64(std::string_view("news/1")), h1 = h & 0xFFFFFFFFu, h2 = (h >> 32) | 1;
  std::string want(8, '\0');
  for (uint64_t i = 0; i < 7; ++i) {
    uint64_t b = (h1 + i * h2) % 64;
    want[b / 8] = static_cast<char>(want[b / 8] | (1 << (b % 8)));
  }
  EXPECT_EQ(f.bytes(), want);
}

TEST(IdFilter, HasNoFalseNegativesAndAboutOnePercentFalsePositives) {
  IdFilter f(10000);
  for (int i = 0; i < 10000; ++i) f.add(fmt::format("news/2024/{}", i));
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(f.may_contain(fmt::format("news/2024/{}", i))) << i;
  int positives = 0, probes = 100000;
  for (int i = 0; i < probes; ++i) positives += f.may_contain(fmt::format("other/{}", i));
  double rate = static_cast<double>(positives) / probes;
  // Theory for m/n = 10, k = 7: (1 - e^(-0.7))^7 = 0.82%.
  EXPECT_GT(rate, 0.004) << rate;
  EXPECT_LT(rate, 0.015) << rate;
  RecordProperty("false_positive_rate", fmt::format("{:.4f}", rate));
}

}  // namespace
}  // namespace quire
