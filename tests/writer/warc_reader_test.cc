// The WARC record reader on synthetic files: framing, leniency, gzip
// members, and damage (each damaged stretch reported, the rest still read).
#include "writer/warc_reader.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_util.h"
#include "writer/warc_test_util.h"

namespace quire {
namespace {

using test::gzip_member;
using test::response_record;
using test::warc_record;

struct ReadAll {
  std::vector<WarcRecord> records;
  std::vector<std::string> problems;
};

ReadAll read_all(const std::string& path, WarcReaderOptions options = {}) {
  ReadAll out;
  auto reader = WarcReader::open(path, options);
  EXPECT_TRUE(reader) << reader.status().message();
  if (!reader) return out;
  WarcRecord r;
  for (;;) {
    auto more = (*reader)->next(r, [&](const std::string& p) { out.problems.push_back(p); });
    EXPECT_TRUE(more) << more.status().message();
    if (!more || !*more) break;
    out.records.push_back(r);
  }
  return out;
}

std::string uri_of(const WarcRecord& r) { return std::string(r.field("WARC-Target-URI").value_or("")); }

TEST(WarcReader, ReadsPlainRecordsWithOffsetsAndFields) {
  test::TempDir dir;
  std::string a = response_record("http://a.example/", "alpha", "1");
  std::string b = response_record("http://b.example/", "beta", "2", "2024-04-26T09:43:00Z",
                                  {{"WARC-Concurrent-To", "<urn:uuid:x>"}, {"WARC-Concurrent-To", "<urn:uuid:y>"}});
  test::write_file(dir.path("f.warc"), a + b);
  auto got = read_all(dir.path("f.warc"));
  ASSERT_EQ(got.records.size(), 2u);
  EXPECT_TRUE(got.problems.empty());
  EXPECT_EQ(uri_of(got.records[0]), "http://a.example/");
  EXPECT_EQ(got.records[0].offset, 0u);
  EXPECT_EQ(got.records[1].offset, a.size());
  EXPECT_EQ(got.records[1].version, "WARC/1.0");
  EXPECT_EQ(got.records[1].fields_named("warc-concurrent-to").size(), 2u);
  EXPECT_TRUE(got.records[1].block_held);
  EXPECT_NE(got.records[1].block.find("beta"), std::string::npos);
  EXPECT_EQ(got.records[1].block_digest, warc_digest_of(DigestAlgorithm::kSha1, got.records[1].block));
}

TEST(WarcReader, IsLenientAboutLineEndsBlankLinesAndFolding) {
  test::TempDir dir;
  std::string lf = warc_record({{"WARC-Type", "resource"}, {"WARC-Target-URI", "urn:x:1"}}, "one", "WARC/0.17", "\n");
  std::string folded = "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: urn:x:2\r\nX-Long: a\r\n  b\r\n"
                       "Content-Length: 3\r\n\r\ntwo";  // no CRLF CRLF at the very end
  test::write_file(dir.path("f.warc"), "\r\n" + lf + "\r\n\r\n" + folded);
  auto got = read_all(dir.path("f.warc"));
  ASSERT_EQ(got.records.size(), 2u);
  EXPECT_TRUE(got.problems.empty()) << got.problems[0];
  EXPECT_EQ(got.records[0].version, "WARC/0.17");
  EXPECT_EQ(got.records[0].block, "one");
  EXPECT_EQ(got.records[1].field("X-Long"), "a b");
  EXPECT_EQ(got.records[1].block, "two");
}

TEST(WarcReader, DropsARecordWhoseContentLengthIsWrongAndReadsOn) {
  test::TempDir dir;
  std::string good1 = response_record("http://a/", "alpha", "1");
  std::string too_long = good1;
  std::string cl = "Content-Length: " + std::to_string(test::http_response("Content-Type: text/html\r\n", "alpha").size());
  too_long.replace(too_long.find(cl), cl.size(), "Content-Length: 400");  // swallows the next record
  std::string good2 = response_record("http://b/", "beta", "2");
  std::string too_short = response_record("http://c/", "gamma", "3");
  too_short.replace(too_short.find("Content-Length: "), 18, "Content-Length: 10");
  std::string good3 = response_record("http://d/", "delta", "4");
  test::write_file(dir.path("f.warc"), too_long + good2 + too_short + good3);
  auto got = read_all(dir.path("f.warc"));
  ASSERT_EQ(got.records.size(), 2u);
  EXPECT_EQ(uri_of(got.records[0]), "http://b/");
  EXPECT_EQ(uri_of(got.records[1]), "http://d/");
  ASSERT_EQ(got.problems.size(), 2u);
  EXPECT_NE(got.problems[0].find("record at byte 0"), std::string::npos) << got.problems[0];
  EXPECT_NE(got.problems[1].find("wrong Content-Length"), std::string::npos) << got.problems[1];
}

TEST(WarcReader, ReportsGarbageAndAHeaderWithoutContentLength) {
  test::TempDir dir;
  std::string no_length = "WARC/1.0\r\nWARC-Type: resource\r\n\r\n";
  std::string good = response_record("http://a/", "alpha", "1");
  test::write_file(dir.path("f.warc"), "junk line\r\n" + no_length + good);
  auto got = read_all(dir.path("f.warc"));
  ASSERT_EQ(got.records.size(), 1u);
  EXPECT_EQ(uri_of(got.records[0]), "http://a/");
  ASSERT_EQ(got.problems.size(), 2u);
  EXPECT_NE(got.problems[0].find("expected a 'WARC/1.x' version line, found 'junk line'"), std::string::npos);
  EXPECT_NE(got.problems[1].find("no Content-Length"), std::string::npos);
}

TEST(WarcReader, GivesEachGzipMemberItsRawOffset) {
  test::TempDir dir;
  std::string m1 = gzip_member(response_record("http://a/", "alpha", "1"));
  std::string m2 = gzip_member(response_record("http://b/", "beta", "2"));
  test::write_file(dir.path("f.warc.gz"), m1 + m2);
  auto got = read_all(dir.path("f.warc.gz"));
  ASSERT_EQ(got.records.size(), 2u);
  EXPECT_TRUE(got.records[0].offset_is_member && got.records[1].offset_is_member);
  EXPECT_EQ(got.records[0].offset, 0u);
  EXPECT_EQ(got.records[1].offset, m1.size());
}

TEST(WarcReader, WholeFileGzipGivesDecompressedOffsets) {
  test::TempDir dir;
  std::string a = response_record("http://a/", "alpha", "1"), b = response_record("http://b/", "beta", "2");
  test::write_file(dir.path("f.warc.gz"), gzip_member(a + b));
  auto got = read_all(dir.path("f.warc.gz"));
  ASSERT_EQ(got.records.size(), 2u);
  EXPECT_TRUE(got.records[0].offset_is_member);
  EXPECT_FALSE(got.records[1].offset_is_member);
  EXPECT_EQ(got.records[1].offset, a.size());
}

TEST(WarcReader, SkipsADamagedMemberAndReadsTheNext) {
  test::TempDir dir;
  std::string m1 = gzip_member(response_record("http://a/", std::string(5000, 'a'), "1"));
  std::string m2 = gzip_member(response_record("http://b/", std::string(5000, 'b'), "2"));
  std::string m3 = gzip_member(response_record("http://c/", "gamma", "3"));
  for (size_t i = 20; i < 40; ++i) m2[i] = static_cast<char>(m2[i] ^ 0x55);  // inside the deflate data
  test::write_file(dir.path("f.warc.gz"), m1 + m2 + m3);
  auto got = read_all(dir.path("f.warc.gz"));
  std::vector<std::string> uris;
  for (const auto& r : got.records) uris.push_back(uri_of(r));
  EXPECT_EQ(uris, (std::vector<std::string>{"http://a/", "http://c/"}));
  ASSERT_FALSE(got.problems.empty());
  EXPECT_NE(got.problems[0].find(std::to_string(m1.size())), std::string::npos) << got.problems[0];
}

TEST(WarcReader, ReportsAMemberCutOffByTheEnd) {
  test::TempDir dir;
  std::string m1 = gzip_member(response_record("http://a/", "alpha", "1"));
  std::string m2 = gzip_member(response_record("http://b/", std::string(3000, 'b'), "2"));
  test::write_file(dir.path("f.warc.gz"), m1 + m2.substr(0, m2.size() / 2));
  auto got = read_all(dir.path("f.warc.gz"));
  ASSERT_EQ(got.records.size(), 1u);
  EXPECT_EQ(uri_of(got.records[0]), "http://a/");
  ASSERT_FALSE(got.problems.empty());
  std::string all;
  for (const auto& p : got.problems) all += p + "\n";
  EXPECT_NE(all.find("cut off by the end"), std::string::npos) << all;
}

TEST(WarcReader, ReportsBytesBetweenMembersThatAreNotGzip) {
  test::TempDir dir;
  std::string m1 = gzip_member(response_record("http://a/", "alpha", "1"));
  std::string m2 = gzip_member(response_record("http://b/", "beta", "2"));
  test::write_file(dir.path("f.warc.gz"), m1 + "GARBAGE!" + m2);
  auto got = read_all(dir.path("f.warc.gz"));
  ASSERT_EQ(got.records.size(), 2u);
  ASSERT_EQ(got.problems.size(), 1u);
  EXPECT_NE(got.problems[0].find(fmt::format("bytes {}..{}", m1.size(), m1.size() + 8)), std::string::npos)
      << got.problems[0];
}

TEST(WarcReader, StreamsPastABlockLargerThanTheLimit) {
  test::TempDir dir;
  std::string big(3 << 20, 'x');
  test::write_file(dir.path("f.warc"),
                   warc_record({{"WARC-Type", "resource"}, {"WARC-Target-URI", "urn:big"}}, big) +
                       response_record("http://a/", "alpha", "1"));
  WarcReaderOptions o;
  o.max_block_bytes = 1 << 20;
  auto got = read_all(dir.path("f.warc"), o);
  ASSERT_EQ(got.records.size(), 2u);
  EXPECT_FALSE(got.records[0].block_held);
  EXPECT_TRUE(got.records[0].block.empty());
  EXPECT_EQ(got.records[0].content_length, big.size());
  EXPECT_EQ(got.records[0].block_digest, warc_digest_of(DigestAlgorithm::kSha1, big));
  EXPECT_TRUE(got.records[1].block_held);
}

TEST(WarcReader, ReportsARecordCutShortByTheEnd) {
  test::TempDir dir;
  std::string a = response_record("http://a/", "alpha", "1");
  std::string b = response_record("http://b/", std::string(1000, 'b'), "2");
  test::write_file(dir.path("f.warc"), a + b.substr(0, 500));
  auto got = read_all(dir.path("f.warc"));
  ASSERT_EQ(got.records.size(), 1u);
  ASSERT_EQ(got.problems.size(), 1u);
  EXPECT_NE(got.problems[0].find(fmt::format("record at byte {}", a.size())), std::string::npos);
  EXPECT_NE(got.problems[0].find("the input ends"), std::string::npos) << got.problems[0];
}

}  // namespace
}  // namespace quire
