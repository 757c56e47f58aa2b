// `extract --to warc|warc.gz --cdxj` through the library, checked by a small
// WARC reader, gzip member walker and SHA-1/base32 written here, apart from
// the code under test.
#include "reader/export_warc.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <zlib.h>

#include <algorithm>
#include <map>
#include <regex>

#include "export_fixture.h"
#include "format/checksum.h"
#include "reader/export_warc_record.h"
#include "reader/surt.h"

namespace quire {
namespace {

struct Record {
  uint64_t offset = 0, length = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string block;
  std::string field(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

std::vector<Record> parse_warc(std::string_view bytes) {
  std::vector<Record> out;
  size_t pos = 0;
  while (pos < bytes.size()) {
    Record r;
    r.offset = pos;
    size_t end = bytes.find("\r\n\r\n", pos);
    EXPECT_NE(end, std::string_view::npos);
    if (end == std::string_view::npos) break;
    std::string_view head = bytes.substr(pos, end - pos);
    EXPECT_EQ(head.substr(0, 10), "WARC/1.1\r\n");
    for (size_t line = head.find("\r\n") + 2; line < head.size();) {
      size_t next = std::min(head.find("\r\n", line), head.size());
      std::string_view l = head.substr(line, next - line);
      size_t colon = l.find(": ");
      std::string name(l.substr(0, colon));
      std::transform(name.begin(), name.end(), name.begin(), ::tolower);
      r.headers[name] = std::string(l.substr(colon + 2));
      line = next + 2;
    }
    uint64_t length = std::stoull(r.field("content-length"));
    r.block = std::string(bytes.substr(end + 4, length));
    EXPECT_EQ(r.block.size(), length) << "Content-Length matches the block";
    EXPECT_EQ(bytes.substr(end + 4 + length, 4), "\r\n\r\n");
    pos = end + 4 + length + 4;
    r.length = pos - r.offset;
    out.push_back(std::move(r));
  }
  return out;
}

struct Member {
  uint64_t offset = 0, length = 0;
  std::string data;
};

// Each gzip member of `bytes`, inflated on its own.
std::vector<Member> gzip_members(std::string_view bytes) {
  std::vector<Member> out;
  size_t pos = 0;
  while (pos < bytes.size()) {
    z_stream z{};
    EXPECT_EQ(inflateInit2(&z, 31), Z_OK);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data() + pos));
    z.avail_in = static_cast<uInt>(bytes.size() - pos);
    Member m;
    m.offset = pos;
    int r = Z_OK;
    while (r == Z_OK) {
      char buf[65536];
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof buf;
      r = inflate(&z, Z_NO_FLUSH);
      m.data.append(buf, sizeof buf - z.avail_out);
    }
    EXPECT_EQ(r, Z_STREAM_END);
    m.length = z.total_in;
    inflateEnd(&z);
    if (r != Z_STREAM_END) break;
    pos += m.length;
    out.push_back(std::move(m));
  }
  return out;
}

std::string sha1_base32(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha1(), nullptr);
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  for (unsigned bit = 0; bit < n * 8; bit += 5) {  // 160 bits: exactly 32 characters
    unsigned v = 0;
    for (unsigned b = bit; b < bit + 5; ++b) v = v << 1 | ((md[b / 8] >> (7 - b % 8)) & 1);
    out.push_back(alphabet[v]);
  }
  return "sha1:" + out;
}

struct Exported {
  test::TempDir dir;
  std::vector<test::OwnedArticle> corpus = test::export_corpus();
  Exported() { test::write_archive(dir.path("in.quire"), corpus); }

  // Writes NAME (and NAME.cdxj); returns the WARC's bytes.
  std::string to(const std::string& name, bool gzip, const std::string& filename = "") const {
    auto archive = Archive::open(dir.path("in.quire"));
    auto out = ExportFile::create(dir.path(name));
    auto index = ExportFile::create(dir.path(name + ".cdxj"));
    WarcExportOptions o;
    o.gzip = gzip;
    o.filename = filename;
    auto stats = export_to_warc(*archive, **out, index->get(), {}, o);
    EXPECT_TRUE(stats.is_ok()) << stats.status().to_string();
    EXPECT_TRUE((*out)->commit().is_ok());
    EXPECT_TRUE((*index)->commit().is_ok());
    return test::read_file(dir.path(name));
  }
  const test::OwnedArticle& article(const std::string& id) const {
    return *std::find_if(corpus.begin(), corpus.end(), [&](const auto& a) { return a.meta.id == id; });
  }
};

std::string payload_of(const Record& r) {
  if (r.field("warc-type") != "response" && r.field("warc-type") != "revisit") return r.block;
  return r.block.substr(r.block.find("\r\n\r\n") + 4);
}

TEST(ExportWarc, EveryRecordIsSelfConsistent) {
  Exported x;
  auto records = parse_warc(x.to("a.warc", false));
  ASSERT_EQ(records.size(), x.corpus.size() + 1);
  EXPECT_EQ(records[0].field("warc-type"), "warcinfo");
  EXPECT_EQ(records[0].field("warc-filename"), "a.warc");
  EXPECT_EQ(records[0].field("warc-date"), "2023-11-14T22:13:20Z") << "the archive's creation time";
  EXPECT_NE(records[0].block.find("format: WARC File Format 1.1\r\n"), std::string::npos);
  std::set<std::string> ids;
  for (const Record& r : records) {
    EXPECT_EQ(r.field("warc-block-digest"), sha1_base32(r.block)) << r.field("warc-target-uri");
    EXPECT_TRUE(std::regex_match(r.field("warc-record-id"), std::regex("<urn:uuid:[0-9a-f-]{36}>")));
    EXPECT_TRUE(ids.insert(r.field("warc-record-id")).second) << "record ids are unique";
  }
  for (size_t i = 0; i < x.corpus.size(); ++i) {
    const Record& r = records[i + 1];
    const auto& a = x.corpus[i];
    EXPECT_EQ(payload_of(r), a.body) << a.meta.id;
    if (r.field("warc-type") != "revisit") {
      EXPECT_EQ(r.field("warc-payload-digest"), sha1_base32(a.body)) << a.meta.id;
    }
    std::string uri = a.meta.url.empty() ? a.meta.id : a.meta.url;
    for (size_t at; (at = uri.find(' ')) != std::string::npos;) uri.replace(at, 1, "%20");
    EXPECT_EQ(r.field("warc-target-uri"), uri) << "the url, else the id, with spaces encoded";
    EXPECT_EQ(r.field("warc-warcinfo-id"), records[0].field("warc-record-id"));
  }
}

TEST(ExportWarc, ResponsesAreRebuiltFromTheHttpMetadata) {
  Exported x;
  std::map<std::string, Record> by_uri;
  for (Record& r : parse_warc(x.to("r.warc", false))) by_uri[r.field("warc-target-uri")] = r;
  const Record& chunked = by_uri["http://example.org/page"];
  EXPECT_EQ(chunked.field("warc-type"), "response");
  EXPECT_EQ(chunked.field("content-type"), "application/http;msgtype=response");
  EXPECT_EQ(chunked.field("warc-record-id"), "<urn:uuid:12345678-1234-4234-8234-123456789abc>") << "kept as captured";
  EXPECT_EQ(chunked.field("warc-date"), "2024-05-01T10:00:00Z") << "warc.date as captured";
  EXPECT_EQ(chunked.block,
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nServer: test\r\nContent-Length: 15\r\n\r\n"
            "<html>hi</html>")
      << "chunked was removed: no Transfer-Encoding, Content-Length of the stored body";
  const Record& missing = by_uri["http://example.org/missing"];
  EXPECT_EQ(missing.block, "HTTP/1.1 404 Not Found\r\nX-Bin: \xff\r\nContent-Length: 9\r\n\r\nnot found")
      << "http.headers.b64, as captured";
  EXPECT_EQ(missing.field("warc-date"), "2024-06-02T08:30:00Z") << "from the article's date";
  const Record& coded = by_uri["http://example.org/coded"];
  EXPECT_EQ(coded.block, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Type: application/x-thing\r\n\r\n" +
                             x.article("http/gzip-chunked").body)
      << "only the final chunked coding goes; with gzip left, no Content-Length";
  const Record& revisit = by_uri["http://example.org/again"];
  EXPECT_EQ(revisit.field("warc-type"), "revisit");
  EXPECT_EQ(revisit.block, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n") << "the head alone";
  EXPECT_EQ(revisit.field("warc-profile"), "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest");
  EXPECT_EQ(revisit.field("warc-payload-digest"), "sha1:" + std::string(32, 'A')) << "the revisited payload's";
  EXPECT_EQ(revisit.field("warc-refers-to-target-uri"), "http://example.org/again");
  const Record& latin1 = by_uri["bin/latin1"];
  EXPECT_EQ(latin1.field("warc-type"), "resource");
  EXPECT_EQ(latin1.field("content-type"), "text/plain; charset=iso-8859-1");
  EXPECT_EQ(latin1.field("warc-date"), "2023-01-01T00:00:00Z") << "the start of a year-only date";
  EXPECT_EQ(by_uri["a/plain"].field("content-type"), "application/octet-stream");
  EXPECT_EQ(by_uri["a/plain"].field("warc-date"), "2023-11-14T22:13:20Z") << "unknown date: the archive's";
}

TEST(ExportWarc, RecordIdsAreNameBasedUuids) {
  EXPECT_EQ(warc_uuid_of("http://www.example.com/"), "<urn:uuid:fcde3c85-2270-590f-9e7c-ee003d65e0e2>")
      << "as Python's uuid.uuid5(uuid.NAMESPACE_URL, ...) gives it";
  Exported x;
  std::string first = x.to("1.warc", false, "same.warc"), second = x.to("2.warc", false, "same.warc");
  EXPECT_EQ(first, second) << "the same archive gives the same bytes";
  auto records = parse_warc(first);
  const auto& hanoi = x.article("news/2024/04/26/hanoi");
  EXPECT_EQ(records[1].field("warc-record-id"),
            warc_uuid_of("quire:sha256:" + to_hex(sha256(hanoi.body)) + ":news/2024/04/26/hanoi"));
}

TEST(ExportWarc, GzipIsOneMemberPerRecordAndInflatesToThePlainFile) {
  Exported x;
  std::string plain = x.to("p.warc", false, "crawl.warc.gz"), packed = x.to("p.warc.gz", true, "crawl.warc.gz");
  auto members = gzip_members(packed);
  auto records = parse_warc(plain);
  ASSERT_EQ(members.size(), records.size());
  std::string joined;
  for (size_t i = 0; i < members.size(); ++i) {
    EXPECT_EQ(members[i].data, plain.substr(records[i].offset, records[i].length)) << "member " << i << " is record " << i;
    joined += members[i].data;
  }
  EXPECT_EQ(joined, plain);
  EXPECT_EQ(x.to("q.warc.gz", true, "crawl.warc.gz"), packed);
}

struct CdxjLine {
  std::string key, timestamp, json;
  std::string value(const std::string& name) const {
    std::smatch m;
    std::regex re("\"" + name + "\":\"([^\"]*)\"");
    return std::regex_search(json, m, re) ? m[1].str() : "";
  }
};

std::vector<CdxjLine> read_cdxj(const std::string& text) {
  std::vector<CdxjLine> out;
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl - pos);
    size_t a = line.find(' '), b = line.find(' ', a + 1);
    out.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
    pos = nl + 1;
  }
  return out;
}

TEST(ExportWarc, CdxjLinesAreSortedAndPointAtTheirRecords) {
  Exported x;
  for (bool gzip : {false, true}) {
    std::string name = gzip ? "c.warc.gz" : "c.warc";
    std::string warc = x.to(name, gzip);
    std::string text = test::read_file(x.dir.path(name + ".cdxj"));
    auto lines = read_cdxj(text);
    ASSERT_EQ(lines.size(), x.corpus.size()) << "one line per article record, none for warcinfo";
    std::vector<std::string> raw;
    for (size_t pos = 0; pos < text.size(); pos = text.find('\n', pos) + 1) raw.push_back(text.substr(pos, text.find('\n', pos) - pos));
    EXPECT_TRUE(std::is_sorted(raw.begin(), raw.end())) << text;
    for (const CdxjLine& l : lines) {
      EXPECT_EQ(l.value("filename"), name);
      std::string slice = warc.substr(std::stoull(l.value("offset")), std::stoull(l.value("length")));
      std::string record_bytes = gzip ? gzip_members(slice).at(0).data : slice;
      auto records = parse_warc(record_bytes);
      ASSERT_EQ(records.size(), 1u) << l.json;
      EXPECT_EQ(records[0].field("warc-target-uri"), l.value("url"));
      EXPECT_EQ(records[0].field("warc-payload-digest"), l.value("digest"));
      EXPECT_EQ(l.key, surt_key(l.value("url")));
      EXPECT_EQ(l.timestamp.size(), 14u);
    }
  }
  auto lines = read_cdxj(test::read_file(x.dir.path("c.warc.cdxj")));
  auto find = [&](const std::string& url) {
    return *std::find_if(lines.begin(), lines.end(), [&](const CdxjLine& l) { return l.value("url") == url; });
  };
  CdxjLine hanoi = find("https://www.Example.com/news/Hanoi/?b=2&a=1");
  EXPECT_EQ(hanoi.key, "com,example)/news/hanoi?a=1&b=2");
  EXPECT_EQ(hanoi.timestamp, "20240426000000");
  EXPECT_EQ(hanoi.value("mime"), "application/octet-stream");
  EXPECT_EQ(hanoi.value("status"), "") << "a resource record has no status";
  CdxjLine page = find("http://example.org/page");
  EXPECT_EQ(page.key, "org,example)/page");
  EXPECT_EQ(page.timestamp, "20240501100000");
  EXPECT_EQ(page.value("mime"), "text/html");
  EXPECT_EQ(page.value("status"), "200");
  EXPECT_EQ(find("http://example.org/missing").value("status"), "404");
  EXPECT_EQ(find("http://example.org/again").value("mime"), "warc/revisit");
}

}  // namespace
}  // namespace quire
