// WARC records to articles: ids, provenance, pairing of request/metadata
// records, revisits, digest policies; then the real WARC files of
// ../shared/corpora/warc packed end to end, with the counts, URLs, dates and
// digest outcomes that SOURCES.md lists for them.
#include "writer/warc_input.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "format/base32.h"
#include "reader/archive.h"
#include "reader/verify.h"
#include "test_util.h"
#include "writer/pack.h"
#include "writer/warc_test_util.h"

namespace quire {
namespace {

using test::gzip_member;
using test::response_record;
using test::warc_record;

struct Packed {
  std::vector<WarcArticle> articles;
  std::vector<std::string> warnings;
  WarcStats stats;
  std::vector<KeyValue> info;
};

// Reads every article, telling the input each body's SHA-256 as a writer would.
Result<Packed> read_articles(const std::string& path, WarcInputOptions options = {}) {
  QUIRE_ASSIGN_OR_RETURN(auto input, WarcInput::open(path, options));
  Packed out;
  WarcArticle a;
  for (;;) {
    QUIRE_ASSIGN_OR_RETURN(bool more, input->next(a, [&](const std::string& w) { out.warnings.push_back(w); }));
    if (!more) break;
    input->stored(a, a.shared_body ? *a.shared_body : sha256(a.body));
    out.articles.push_back(a);
  }
  out.stats = input->stats();
  out.info = input->archive_metadata();
  return out;
}

std::string extra(const ArticleMeta& m, const std::string& key) {
  for (const KeyValue& kv : m.extra) {
    if (kv.key == key) return kv.value;
  }
  return "<absent>";
}

std::string sha1_b32(std::string_view s) { return warc_digest_of(DigestAlgorithm::kSha1, s).to_string(); }

TEST(WarcInput, MakesAnArticleFromAResponse) {
  test::TempDir dir;
  std::string body = "<p>Hello</p>";
  test::write_file(dir.path("f.warc"),
                   warc_record({{"WARC-Type", "warcinfo"}, {"WARC-Record-ID", "<urn:uuid:0>"}}, "software: test\r\n") +
                       response_record("<http://a.example/x>", body, "1", "2024-04-26T09:43:00Z",
                                       {{"WARC-Payload-Digest", sha1_b32(body)}}));
  auto got = read_articles(dir.path("f.warc"));
  ASSERT_TRUE(got) << got.status().message();
  ASSERT_EQ(got->articles.size(), 1u);
  const ArticleMeta& m = got->articles[0].meta;
  EXPECT_EQ(m.id, "http://a.example/x");  // angle brackets removed
  EXPECT_EQ(m.url, "http://a.example/x");
  EXPECT_EQ(m.date.to_string(), "2024-04-26T09:43:00Z");
  EXPECT_EQ(m.media_type, "text/html");
  EXPECT_EQ(got->articles[0].body, body);
  EXPECT_EQ(extra(m, "warc.type"), "response");
  EXPECT_EQ(extra(m, "warc.record_id"), "<urn:uuid:1>");
  EXPECT_EQ(extra(m, "warc.source"), "f.warc");
  EXPECT_EQ(extra(m, "http.status"), "HTTP/1.1 200 OK");
  EXPECT_EQ(extra(m, "http.headers"), "Content-Type: text/html\r\n");
  EXPECT_EQ(extra(m, "warc.payload_digest_check"), "ok");
  ASSERT_EQ(got->info.size(), 1u);
  EXPECT_EQ(got->info[0].key, "warcinfo f.warc@0");
  EXPECT_EQ(got->info[0].value, "software: test\r\n");
}

TEST(WarcInput, RemovesChunkingAndAcceptsAPayloadDigestOverEitherForm) {
  test::TempDir dir;
  std::string chunked = "5\r\nHello\r\n6\r\n World\r\n0\r\n\r\n";
  std::string block = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n" + chunked;
  auto record = [&](const std::string& id, const std::string& digest) {
    return warc_record({{"WARC-Type", "response"},
                        {"WARC-Target-URI", "http://c/" + id},
                        {"WARC-Date", "2024-01-01T00:00:00Z"},
                        {"WARC-Record-ID", "<urn:uuid:" + id + ">"},
                        {"WARC-Payload-Digest", digest},
                        {"Content-Type", "application/http; msgtype=response"}},
                       block);
  };
  test::write_file(dir.path("f.warc"), record("1", sha1_b32("Hello World")) + record("2", sha1_b32(chunked)));
  auto got = read_articles(dir.path("f.warc"));
  ASSERT_TRUE(got);
  ASSERT_EQ(got->articles.size(), 2u);
  for (const auto& a : got->articles) {
    EXPECT_EQ(a.body, "Hello World");
    EXPECT_EQ(extra(a.meta, "http.transfer_encoding_removed"), "chunked");
    EXPECT_EQ(extra(a.meta, "http.content_encoding"), "gzip");
  }
  EXPECT_EQ(extra(got->articles[0].meta, "warc.payload_digest_check"), "ok");
  EXPECT_EQ(extra(got->articles[1].meta, "warc.payload_digest_check"), "ok over the chunked body");
  EXPECT_EQ(got->stats.payload_digests_ok, 1u);
  EXPECT_EQ(got->stats.payload_digests_ok_chunked, 1u);
}

TEST(WarcInput, AttachesRequestsAndMetadataInEitherOrder) {
  test::TempDir dir;
  auto aux = [](const std::string& type, const std::string& id, const std::string& to, const std::string& block) {
    return warc_record({{"WARC-Type", type}, {"WARC-Record-ID", "<urn:uuid:" + id + ">"}, {"WARC-Concurrent-To", to}},
                       block);
  };
  // wget: the request first, the response names it; Heritrix: response first, then request and metadata name it.
  std::string wget = aux("request", "r1", "<urn:uuid:nobody>", "GET /1 HTTP/1.1\r\n\r\n") +
                     response_record("http://a/1", "one", "p1", "2024-01-01T00:00:00Z",
                                     {{"WARC-Concurrent-To", "<urn:uuid:r1>"}});
  std::string heritrix = response_record("http://a/2", "two", "p2") +
                         aux("request", "r2", "<urn:uuid:p2>", "GET /2 HTTP/1.1\r\n\r\n") +
                         aux("metadata", "m2", "<urn:uuid:p2>", "outlinks: x\r\n") +
                         aux("metadata", "m3", "<urn:uuid:p2>", "hops: 1\r\n");
  std::string orphan = aux("metadata", "m9", "<urn:uuid:gone>", "lonely\r\n");
  test::write_file(dir.path("f.warc"), wget + heritrix + orphan);
  auto got = read_articles(dir.path("f.warc"));
  ASSERT_TRUE(got);
  ASSERT_EQ(got->articles.size(), 3u);
  EXPECT_EQ(extra(got->articles[0].meta, "warc.request"), "GET /1 HTTP/1.1\r\n\r\n");
  EXPECT_EQ(extra(got->articles[1].meta, "warc.request"), "GET /2 HTTP/1.1\r\n\r\n");
  EXPECT_EQ(extra(got->articles[1].meta, "warc.metadata"), "outlinks: x\r\n");
  EXPECT_EQ(extra(got->articles[1].meta, "warc.metadata.2"), "hops: 1\r\n");
  EXPECT_NE(extra(got->articles[1].meta, "warc.metadata.headers").find("WARC-Record-ID: <urn:uuid:m2>"),
            std::string::npos);
  // The orphan is kept whole, as an article of its own named by its record id.
  EXPECT_EQ(got->articles[2].meta.id, "urn:uuid:m9");
  EXPECT_EQ(got->articles[2].body, "lonely\r\n");
  EXPECT_EQ(got->stats.attached, 4u);
  EXPECT_EQ(got->stats.orphans, 1u);
}

TEST(WarcInput, RevisitsShareTheStoredPayloadOrSayTheyCannot) {
  test::TempDir dir;
  std::string body = "same page";
  std::string revisit_head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n";
  auto revisit = [&](const std::string& id, const std::string& digest) {
    return warc_record({{"WARC-Type", "revisit"},
                        {"WARC-Target-URI", "http://a/"},
                        {"WARC-Date", "2024-02-0" + id + "T00:00:00Z"},
                        {"WARC-Record-ID", "<urn:uuid:v" + id + ">"},
                        {"WARC-Payload-Digest", digest},
                        {"Content-Type", "application/http; msgtype=response"}},
                       revisit_head);
  };
  test::write_file(dir.path("f.warc"), response_record("http://a/", body, "orig") + revisit("1", sha1_b32(body)) +
                                           revisit("2", sha1_b32("never stored")));
  auto got = read_articles(dir.path("f.warc"));
  ASSERT_TRUE(got);
  ASSERT_EQ(got->articles.size(), 3u);
  EXPECT_EQ(got->articles[1].meta.id, "http://a/ 2024-02-01T00:00:00Z");  // a URI seen before gets its date
  ASSERT_TRUE(got->articles[1].shared_body);
  EXPECT_EQ(*got->articles[1].shared_body, sha256(body));
  EXPECT_EQ(extra(got->articles[1].meta, "http.status"), "HTTP/1.1 200 OK");
  EXPECT_FALSE(got->articles[2].shared_body);
  EXPECT_EQ(extra(got->articles[2].meta, "warc.revisit"), "unresolved: the revisited payload is not in this input");
  EXPECT_EQ(got->stats.revisits_shared, 1u);
  EXPECT_EQ(got->stats.revisits_unresolved, 1u);
}

TEST(WarcInput, GivesEveryCaptureOfAUriItsOwnId) {
  test::TempDir dir;
  test::write_file(dir.path("f.warc"), response_record("http://a/", "1", "1") + response_record("http://a/", "2", "2") +
                                           response_record("http://a/", "3", "3"));
  auto got = read_articles(dir.path("f.warc"));
  ASSERT_TRUE(got);
  ASSERT_EQ(got->articles.size(), 3u);
  EXPECT_EQ(got->articles[0].meta.id, "http://a/");
  EXPECT_EQ(got->articles[1].meta.id, "http://a/ 2024-04-26T09:43:00Z");
  EXPECT_EQ(got->articles[2].meta.id, "http://a/ 2024-04-26T09:43:00Z #2");
}

TEST(WarcInput, PercentEncodesAUriThatIsNotUtf8) {
  test::TempDir dir;
  test::write_file(dir.path("f.warc"), response_record("http://a/caf\xe9", "x", "1"));
  auto got = read_articles(dir.path("f.warc"));
  ASSERT_TRUE(got);
  ASSERT_EQ(got->articles.size(), 1u);
  EXPECT_EQ(got->articles[0].meta.id, "http://a/caf%E9");
}

// Regressions from fuzz_warc (2026-11-23): warnings quoted a WARC-Type that
// was not UTF-8, and a repeated URI's id took a WARC-Date that was not.
TEST(WarcInput, FuzzFoundBytesThatAreNotUtf8StayOutOfMessagesAndIds) {
  test::TempDir dir;
  test::write_file(dir.path("f.warc"),
                   warc_record({{"WARC-Type", "resp\xffnse"}, {"WARC-Target-URI", "http://a/"}}, "x") +
                       response_record("http://a/", "1", "1") +
                       response_record("http://a/", "2", "2", "2024\xe9-01-01T00:00:00Z"));
  auto got = read_articles(dir.path("f.warc"));
  ASSERT_TRUE(got);
  ASSERT_EQ(got->warnings.size(), 2u);  // the unknown type, and the date that is not ISO 8601
  for (const std::string& w : got->warnings) EXPECT_TRUE(is_valid_utf8(w)) << w;
  EXPECT_NE(got->warnings[0].find("WARC-Type 'resp\\xffnse' is not packed"), std::string::npos) << got->warnings[0];
  ASSERT_EQ(got->articles.size(), 2u);
  EXPECT_EQ(got->articles[1].meta.id, "http://a/ 2024%E9-01-01T00:00:00Z");
  EXPECT_TRUE(validate_id(got->articles[1].meta.id).is_ok());
}

TEST(WarcInput, AppliesTheBadDigestPolicy) {
  test::TempDir dir;
  std::string bad = response_record("http://bad/", "body", "1", "2024-01-01T00:00:00Z",
                                    {{"WARC-Block-Digest", sha1_b32("something else")}});
  std::string good = response_record("http://good/", "body2", "2");
  test::write_file(dir.path("f.warc"), bad + good);
  WarcInputOptions o;
  o.on_bad_digest = OnBadDigest::kFail;
  auto failed = read_articles(dir.path("f.warc"), o);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.status().message().find("f.warc: record at byte 0 (http://bad/): WARC-Block-Digest does not match"),
            std::string::npos)
      << failed.status().message();
  o.on_bad_digest = OnBadDigest::kWarn;
  auto warned = read_articles(dir.path("f.warc"), o);
  ASSERT_TRUE(warned);
  ASSERT_EQ(warned->articles.size(), 2u);
  EXPECT_EQ(extra(warned->articles[0].meta, "warc.block_digest_check").substr(0, 9), "mismatch:");
  ASSERT_EQ(warned->warnings.size(), 1u);
  o.on_bad_digest = OnBadDigest::kSkip;
  auto skipped = read_articles(dir.path("f.warc"), o);
  ASSERT_TRUE(skipped);
  ASSERT_EQ(skipped->articles.size(), 1u);
  EXPECT_EQ(skipped->articles[0].meta.id, "http://good/");
  EXPECT_EQ(skipped->stats.skipped, 1u);
}

// ------------------------------------------------------------ real files

std::string corpus(const std::string& name) {
  return std::string(QUIRE_SOURCE_DIR) + "/../shared/corpora/warc/" + name;
}

struct Expected {
  std::string file;
  uint64_t records, articles, block_ok, payload_ok;  // payload_ok counts both forms
  std::string first_id, first_date;
};

// Figures from ../shared/corpora/warc/SOURCES.md (records, digests) and the files themselves.
const Expected kFiles[] = {
    {"example.warc.gz", 6, 2, 4, 3, "http://example.com/", "2017-03-06T04:02:06Z"},
    {"example-iana.org-chunked.warc", 3, 1, 2, 1, "http://www.iana.org/", "2017-03-06T16:54:09Z"},
    {"example-wget-bad-target-uri.warc.gz", 6, 3, 6, 1, "http://example.com/", "2018-02-09T15:12:11Z"},
    {"cc.warc.gz", 1, 1, 1, 1, "http://commoncrawl.org/", "2019-12-10T10:00:01Z"},
    {"gzip_extra_sl.warc.gz", 1, 0, 1, 0, "", ""},
    {"iana.warc.gz", 343, 171, 0, 48, "http://www.iana.org/", "2014-01-26T20:06:24Z"},
    {"example-wpull.warc.gz", 4, 2, 4, 2, "http://example.com/", "2015-03-30T23:50:46Z"},
    {"IAH-20080430204825-00000-blackbook-truncated.warc", 23, 8, 0, 7, "dns:www.archive.org", "2008-04-30T20:48:25Z"},
    {"BL-20140325121225068-00000-32090~opera~8443.warc.gz", 190, 65, 0, 62, "", ""},
    {"at.warc", 8, 5, 8, 2, "http://www.archiveteam.org/", "2013-04-09T00:03:47Z"},
};

TEST(WarcCorpus, EveryFileGivesTheRecordsAndDigestsItHolds) {
  if (!std::filesystem::exists(corpus("SOURCES.md"))) GTEST_SKIP() << "../shared/corpora/warc not present";
  for (const Expected& e : kFiles) {
    SCOPED_TRACE(e.file);
    auto got = read_articles(corpus(e.file));
    ASSERT_TRUE(got) << got.status().message();
    EXPECT_EQ(got->stats.records, e.records);
    EXPECT_EQ(got->articles.size(), e.articles);
    EXPECT_EQ(got->stats.block_digests_ok, e.block_ok);
    EXPECT_EQ(got->stats.payload_digests_ok + got->stats.payload_digests_ok_chunked, e.payload_ok);
    EXPECT_EQ(got->stats.digests_mismatched, 0u);
    EXPECT_EQ(got->stats.damaged, 0u);
    EXPECT_TRUE(got->warnings.empty()) << got->warnings[0];
    if (!e.first_id.empty()) {
      EXPECT_EQ(got->articles[0].meta.id, e.first_id);
      EXPECT_EQ(got->articles[0].meta.date.to_string(), e.first_date);
    }
  }
}

TEST(WarcCorpus, QuirksAreReadAsTheToolsMeantThem) {
  if (!std::filesystem::exists(corpus("SOURCES.md"))) GTEST_SKIP() << "../shared/corpora/warc not present";
  auto wpull = read_articles(corpus("example-wpull.warc.gz"));
  ASSERT_TRUE(wpull);
  EXPECT_EQ(wpull->articles[1].meta.id, "urn:X-wpull:log");  // a non-HTTP URI
  auto chunked = read_articles(corpus("example-iana.org-chunked.warc"));
  ASSERT_TRUE(chunked);
  EXPECT_EQ(extra(chunked->articles[0].meta, "warc.payload_digest_check"), "ok over the chunked body");
  EXPECT_EQ(extra(chunked->articles[0].meta, "http.transfer_encoding_removed"), "chunked");
  auto iah = read_articles(corpus("IAH-20080430204825-00000-blackbook-truncated.warc"));
  ASSERT_TRUE(iah);
  EXPECT_EQ(extra(iah->articles[1].meta, "warc.version"), "WARC/0.17");
  EXPECT_EQ(iah->articles[1].meta.url, "http://www.archive.org/robots.txt");
  // iana.warc.gz: 123 revisits, all of payloads stored earlier in the file; 31 distinct bodies.
  auto iana = read_articles(corpus("iana.warc.gz"));
  ASSERT_TRUE(iana);
  EXPECT_EQ(iana->stats.revisits_shared, 123u);
  EXPECT_EQ(iana->stats.revisits_unresolved, 0u);
  // BL: 62 requests and 62 metadata records each joined to its response (3 responses have no request).
  auto bl = read_articles(corpus("BL-20140325121225068-00000-32090~opera~8443.warc.gz"));
  ASSERT_TRUE(bl);
  EXPECT_EQ(bl->stats.attached, 124u);
  EXPECT_EQ(bl->stats.orphans, 0u);
  // wget's FEXTRA members and angle-bracket URIs.
  auto wget = read_articles(corpus("example-wget-bad-target-uri.warc.gz"));
  ASSERT_TRUE(wget);
  EXPECT_EQ(wget->articles[0].meta.url, "http://example.com/");
  EXPECT_EQ(extra(wget->articles[0].meta, "warc.block_digest_check"), "ok");
}

TEST(WarcCorpus, LibarchivesOwnWarcReadsToo) {
  std::string uu = corpus("test_read_format_warc.warc.uu");
  if (!std::filesystem::exists(uu)) GTEST_SKIP() << "../shared/corpora/warc not present";
  // uudecode: each line starts with its length character; 4 characters carry 3 bytes.
  std::string text = test::read_file(uu), bytes;
  size_t at = text.find('\n', text.find("begin ")) + 1;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    std::string line = text.substr(at, nl - at);
    at = nl == std::string::npos ? text.size() : nl + 1;
    if (line.empty() || line == "end" || line[0] == '`') continue;
    size_t n = (line[0] - 32) & 63;
    std::string out;
    for (size_t i = 1; i + 3 < line.size() + 1 && out.size() < n; i += 4) {
      auto v = [&](size_t k) { return k < line.size() ? (line[k] - 32) & 63 : 0; };
      out.push_back(static_cast<char>(v(i) << 2 | v(i + 1) >> 4));
      out.push_back(static_cast<char>((v(i + 1) & 15) << 4 | v(i + 2) >> 2));
      out.push_back(static_cast<char>((v(i + 2) & 3) << 6 | v(i + 3)));
    }
    bytes += out.substr(0, n);
  }
  ASSERT_EQ(bytes.size(), 891u);
  test::TempDir dir;
  test::write_file(dir.path("libarchive.warc"), bytes);
  auto got = read_articles(dir.path("libarchive.warc"));
  ASSERT_TRUE(got);
  ASSERT_EQ(got->articles.size(), 2u);
  EXPECT_EQ(got->articles[0].meta.id, "file://sometest.txt");
  EXPECT_EQ(got->articles[1].meta.id, "file://moretest.txt");
}

TEST(WarcCorpus, PacksToAnArchiveThatVerifiesAndSharesRevisitBodies) {
  if (!std::filesystem::exists(corpus("SOURCES.md"))) GTEST_SKIP() << "../shared/corpora/warc not present";
  test::TempDir dir;
  PackRequest req;
  req.input = corpus("iana.warc.gz");
  req.output = dir.path("iana.quire");
  req.writer.sync = false;
  auto stats = pack(req);
  ASSERT_TRUE(stats) << stats.status().message();
  EXPECT_EQ(stats->articles, 171u);
  EXPECT_EQ(stats->unique_bodies, 31u);
  auto archive = Archive::open(dir.path("iana.quire"));
  ASSERT_TRUE(archive);
  auto home = archive->find("http://www.iana.org/");
  ASSERT_TRUE(home);
  auto body = home->body();
  ASSERT_TRUE(body);
  EXPECT_NE(body->bytes().find("<!doctype html>"), std::string_view::npos);
  EXPECT_EQ(home->media_type().substr(0, 9), "text/html");
  auto report = verify_archive(dir.path("iana.quire"), VerifyOptions{});
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok());
}

}  // namespace
}  // namespace quire
