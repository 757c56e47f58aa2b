// Round trips through the `quire` binary, each asserting every body byte and
// every metadata field that the forms share: dir -> quire -> dir;
// tar.zst -> quire -> tar -> quire (same content digest); JSONL with code
// point offsets -> quire -> JSONL -> quire (same content digest);
// WARC -> quire -> WARC -> quire (same payloads, URLs and dates).
#include <gtest/gtest.h>

#include <simdjson.h>

#include <filesystem>
#include <map>

#include "test_util.h"
#include "writer/warc_test_util.h"

namespace quire {
namespace {

namespace fs = std::filesystem;

std::string content_digest(const std::string& archive, const test::TempDir& dir) {
  auto r = test::run_quire("info --json " + archive, dir);
  EXPECT_EQ(r.code, 0) << r.err;
  size_t at = r.out.find("\"content_digest\":\"");
  return at == std::string::npos ? "" : r.out.substr(at + 18, 64);
}

struct Listed {
  std::string sha256, url, date;
  bool operator==(const Listed&) const = default;
};

// `quire ls --json`: id -> (sha256, url, date).
std::map<std::string, Listed> listing(const std::string& archive, const test::TempDir& dir) {
  auto r = test::run_quire("ls --json " + archive, dir);
  EXPECT_EQ(r.code, 0) << r.err;
  std::map<std::string, Listed> out;
  simdjson::ondemand::parser parser;
  size_t at = 0;
  while (at < r.out.size()) {
    size_t nl = r.out.find('\n', at);
    simdjson::padded_string line(r.out.substr(at, nl - at));
    at = nl == std::string::npos ? r.out.size() : nl + 1;
    auto doc = parser.iterate(line);
    auto text = [&](const char* key) {
      std::string_view v;
      return doc[key].get_string().get(v) ? std::string() : std::string(v);
    };
    std::string id = text("id");
    out[id] = Listed{text("sha256"), text("url"), text("date")};
  }
  return out;
}

TEST(RoundTrip, DirectoryToQuireToDirectoryIsByteExact) {
  test::TempDir dir;
  fs::create_directories(dir.root() / "in/a/b");
  test::write_file(dir.path("in/a/b/page.html"), "<p>Xin chào</p>\n");
  test::write_file(dir.path("in/bin"), std::string("\x00\xff\x7f\x80", 4));
  test::write_file(dir.path("in/empty"), "");
  ASSERT_EQ(test::run_quire("pack -q in -o d.quire --no-sync", dir).code, 0);
  ASSERT_EQ(test::run_quire("extract -q d.quire -o out", dir).code, 0);
  EXPECT_EQ(test::run_shell("diff -r '" + dir.path("in") + "' '" + dir.path("out") + "' && echo same").out, "same\n");
}

TEST(RoundTrip, TarZstToQuireToTarToQuireKeepsTheContentDigest) {
  test::TempDir dir;
  fs::create_directories(dir.root() / "tree/news");
  test::write_file(dir.path("tree/news/a.txt"), "Hà Nội, April 26\n");
  test::write_file(dir.path("tree/news/b.txt"), std::string(70000, 'b'));  // more than a block
  test::write_file(dir.path("tree/c.bin"), std::string("\x01\x02\x00", 3));
  ASSERT_EQ(system(("cd '" + dir.path("tree") + "' && touch -d '2024-04-26 09:43:00Z' news/a.txt && "
                    "touch -d '2001-02-03 04:05:06Z' news/b.txt c.bin && tar --zstd -cf ../in.tar.zst .")
                       .c_str()),
            0);
  ASSERT_EQ(test::run_quire("pack -q in.tar.zst -o one.quire --no-sync", dir).code, 0);
  auto tar = test::run_quire("extract -q one.quire -o mid.tar", dir);
  ASSERT_EQ(tar.code, 0) << tar.err;
  ASSERT_EQ(test::run_quire("pack -q mid.tar -o two.quire --no-sync", dir).code, 0);
  EXPECT_EQ(content_digest("one.quire", dir), content_digest("two.quire", dir));
  auto one = listing("one.quire", dir);
  EXPECT_EQ(one.size(), 3u);
  EXPECT_EQ(one["news/a.txt"].date, "2024-04-26T09:43:00Z");
  EXPECT_EQ(one, listing("two.quire", dir));
}

TEST(RoundTrip, JsonlWithCodepointOffsetsKeepsTheContentDigest) {
  test::TempDir dir;
  test::write_file(dir.path("in.jsonl"),
                   R"({"id":"v","lang":"vi","text":"Hà Nội – 京都 end","layers":[{"name":"ner","producer":"t 1",)"
                   R"("spans":[{"type":"GPE","start":0,"end":9},{"type":"GPE","start":14,"end":20,"label":"Kyoto"}]}]})"
                   "\n");
  ASSERT_EQ(test::run_quire("pack -q in.jsonl -o one.quire --no-sync", dir).code, 0);
  auto jsonl = test::run_quire("extract -q one.quire --to jsonl -o cp.jsonl --offsets codepoints", dir);
  ASSERT_EQ(jsonl.code, 0) << jsonl.err;
  std::string line = test::read_file(dir.path("cp.jsonl"));
  EXPECT_NE(line.find(R"("start":9,"end":11)"), std::string::npos) << line;
  auto back = test::run_quire("pack -q cp.jsonl -o two.quire --no-sync", dir);  // the line says its offsets
  ASSERT_EQ(back.code, 0) << back.err;
  EXPECT_EQ(content_digest("one.quire", dir), content_digest("two.quire", dir));
}

// A WARC whose response needs the HTTP head kept and chunking removed, plus a resource.
std::string small_warc() {
  std::string chunked = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "5\r\nHello\r\n6\r\n World\r\n0\r\n\r\n";
  return test::warc_record({{"WARC-Type", "response"},
                            {"WARC-Target-URI", "http://a.example/"},
                            {"WARC-Date", "2024-04-26T09:43:00Z"},
                            {"WARC-Record-ID", "<urn:uuid:1>"},
                            {"Content-Type", "application/http; msgtype=response"}},
                           chunked) +
         test::response_record("http://a.example/", "again", "2", "2024-04-27T00:00:00Z") +
         test::warc_record({{"WARC-Type", "resource"},
                            {"WARC-Target-URI", "urn:x:notes"},
                            {"WARC-Date", "2024-04-28T00:00:00Z"},
                            {"WARC-Record-ID", "<urn:uuid:3>"},
                            {"Content-Type", "text/plain"}},
                           "plain notes");
}

void expect_warc_round_trip(const std::string& input, const test::TempDir& dir) {
  auto one = test::run_quire("pack -q " + input + " -o one.quire --no-sync", dir);
  ASSERT_EQ(one.code, 0) << one.err;
  auto warc = test::run_quire("extract -q one.quire -o mid.warc.gz --cdxj mid.cdxj", dir);
  ASSERT_EQ(warc.code, 0) << warc.err;
  auto two = test::run_quire("pack mid.warc.gz -o two.quire --no-sync --json --on-bad-digest=fail", dir);
  ASSERT_EQ(two.code, 0) << two.err;
  EXPECT_NE(two.out.find(R"("digests_mismatched":0)"), std::string::npos) << two.out;
  auto a = listing("one.quire", dir), b = listing("two.quire", dir);
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, b);  // every id with the same payload SHA-256, URL and date
}

TEST(RoundTrip, WarcToQuireToWarcToQuireKeepsPayloadsUrlsAndDates) {
  test::TempDir dir;
  test::write_file(dir.path("small.warc"), small_warc());
  expect_warc_round_trip("small.warc", dir);
  EXPECT_EQ(test::run_quire("cat two.quire http://a.example/", dir).out, "Hello World");
}

TEST(RoundTrip, TheRealIanaCrawlSurvivesWarcToQuireToWarcToQuire) {
  std::string iana = QUIRE_SOURCE_DIR "/../shared/corpora/warc/iana.warc.gz";
  if (!fs::exists(iana)) GTEST_SKIP() << "../shared/corpora/warc not present";
  test::TempDir dir;
  expect_warc_round_trip("'" + iana + "'", dir);
}

}  // namespace
}  // namespace quire
