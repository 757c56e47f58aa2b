// `quire serve`: the JSON API, the raw bodies and the page, over real HTTP
// on loopback: in process (Server on port 0) and as the `quire serve`
// process a user starts.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <simdjson.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <thread>
#include <tuple>

#include "format/checksum.h"
#include "reader/archive_set.h"
#include "test_util.h"
#include "tools/serve/server.h"

namespace quire {
namespace {

using serve::Server;
using serve::ServerOptions;
using serve::ServedArchive;

const std::string kHostileId = "x/<script>alert(1)</script>\"q";
const std::string kOddId = "dir/sub dir/50% off #1 ünï/é.html";

std::string all_bytes() {
  std::string s;
  for (int round = 0; round < 3; ++round) {
    for (int b = 0; b < 256; ++b) s.push_back(static_cast<char>(b));
  }
  return s;
}

// 120 articles doc/000..doc/119 (lang en for even, vi for odd; dated
// 2020-01-01 + i days; every 7th has an entity=PERSON span), then the odd ones.
std::vector<test::OwnedArticle> corpus() {
  std::vector<test::OwnedArticle> out;
  for (int i = 0; i < 120; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "doc/%03d", i);
    auto a = test::make_article(id, "Body of article " + std::to_string(i) + ": Hanoi metro news.");
    a.meta.title = "Title " + std::to_string(i);
    a.meta.lang = i % 2 ? "vi" : "en";
    a.meta.date = *Date::parse(fmt::format("2020-{:02}-{:02}", 1 + i / 28, 1 + i % 28));
    if (i % 7 == 0) a.layers = {{"ner", "test 1", {{0, 4, "entity", "PERSON", {}}}}};
    out.push_back(std::move(a));
  }
  auto hostile = test::make_article(kHostileId, "<script>alert(1)</script> \"quoted\"");
  hostile.meta.title = "<script>alert(1)</script>\"";
  hostile.layers = {{"l\"<", "p", {{0, 8, "tag", "<script>alert(1)</script>\"", {{"k\"", "<v>"}}}}}};
  out.push_back(std::move(hostile));
  auto odd = test::make_article(kOddId, "<!DOCTYPE html><p>odd</p>");
  odd.meta.media_type = "text/html; charset=utf-8";
  out.push_back(std::move(odd));
  auto bin = test::make_article("bin/all-bytes", all_bytes());
  bin.meta.media_type = "text/html\r\nX-Injected: 1";  // not a valid media type
  out.push_back(std::move(bin));
  // "Đà Nẵng là" : Nẵng is bytes [5, 11), code points [3, 7).
  auto vi = test::make_article("vi/đà-nẵng", "Đà Nẵng là thành phố");
  vi.meta.lang = "vi";
  vi.layers = {{"ner", "test 1", {{5, 11, "entity", "GPE", {}}}}};
  out.push_back(std::move(vi));
  return out;
}

// Percent-encodes everything but unreserved characters and '/'.
std::string encode_path(std::string_view s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || std::string_view("-._~/").find(c) != std::string_view::npos) {
      out.push_back(c);
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

// The response to a GET, every byte as the server sent it.
std::string raw_response(int port, const std::string& path, const std::string& extra_headers = "") {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return "";
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra_headers + "\r\n";
  if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) return "";
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}

simdjson::dom::element parse(simdjson::dom::parser& parser, const std::string& body) {
  auto doc = parser.parse(body);
  EXPECT_FALSE(doc.error()) << body;
  return doc.value_unsafe();
}

std::string str(simdjson::dom::element e) { return std::string(e.get_string().value()); }

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path("c.quire");
    test::write_archive(path_, corpus());
    start({path_});
  }
  void start(const std::vector<std::string>& paths, ServerOptions options = {}) {
    std::vector<ServedArchive> served;
    for (const auto& p : paths) {
      auto set = ArchiveSet::open(p);
      ASSERT_TRUE(set.is_ok()) << set.status().to_string();
      served.push_back({p, std::move(*set)});
    }
    options.port = 0;
    auto server = Server::create(std::move(served), options);
    ASSERT_TRUE(server.is_ok());
    server_ = std::move(*server);
    ASSERT_TRUE(server_->start().is_ok());
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_url_encode(false);  // paths are encoded by the test, exactly as written
    c.set_read_timeout(30);
    return c;
  }
  httplib::Result get(const std::string& path) const { return client().Get(path); }
  void expect_error(const std::string& path, int status, const std::string& needle = "") {
    auto r = get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, status) << path << " " << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json; charset=utf-8");
    simdjson::dom::parser p;
    auto e = parse(p, r->body);
    EXPECT_EQ(int64_t(e["error"]["status"].get_int64().value()), status);
    EXPECT_NE(str(e["error"]["message"]).find(needle), std::string::npos) << r->body;
  }
  // Ids of every page of /api/articles with `query`, following next_cursor.
  std::vector<std::string> all_ids(const std::string& query, int* pages = nullptr) {
    std::vector<std::string> ids;
    std::string cursor;
    int n = 0;
    for (;;) {
      auto r = get("/api/articles?" + query + (cursor.empty() ? "" : "&cursor=" + cursor));
      EXPECT_TRUE(r && r->status == 200) << query;
      if (!r || r->status != 200) break;
      ++n;
      simdjson::dom::parser p;
      auto e = parse(p, r->body);
      for (auto a : e["articles"].get_array()) ids.push_back(str(a["id"]));
      if (e["next_cursor"].is_null()) break;
      cursor = str(e["next_cursor"]);
    }
    if (pages) *pages = n;
    return ids;
  }

  test::TempDir dir_;
  std::string path_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServeTest, InfoDescribesEachArchive) {
  auto r = get("/api/info");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  simdjson::dom::parser p;
  auto a = parse(p, r->body)["archives"].at(0);
  EXPECT_EQ(int64_t(a["index"].get_int64().value()), 0);
  EXPECT_EQ(str(a["path"]), path_);
  EXPECT_EQ(str(a["name"]), "c.quire");
  EXPECT_FALSE(a["is_set"].get_bool().value());
  EXPECT_EQ(uint64_t(a["articles"].get_uint64().value()), 124u);
  EXPECT_EQ(str(a["format"]), "1.0");
  EXPECT_EQ(str(a["created"]), "2023-11-14T22:13:20Z");
  EXPECT_EQ(str(a["content_digest"]).size(), 64u);
  EXPECT_FALSE(a["has_fulltext"].get_bool().value());
  for (const char* k : {"title", "description", "creator", "license"}) EXPECT_TRUE(a[k].is_string()) << k;
}

TEST_F(ServeTest, ArticlesPageWithCursorOverTheWholeArchive) {
  int pages = 0;
  auto ids = all_ids("limit=50", &pages);
  ASSERT_EQ(ids.size(), 124u);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(ids[0], "doc/000");
  EXPECT_EQ(ids[119], "doc/119");
  EXPECT_EQ(ids[123], "vi/đà-nẵng");
  auto r = get("/api/articles?limit=2");
  simdjson::dom::parser p;
  auto e = parse(p, r->body);
  EXPECT_EQ(str(e["next_cursor"]), "2");
  auto first = e["articles"].at(0);
  EXPECT_EQ(uint64_t(first["record"].get_uint64().value()), 0u);
  EXPECT_EQ(str(first["title"]), "Title 0");
  EXPECT_EQ(str(first["date"]), "2020-01-01");
  EXPECT_EQ(str(first["lang"]), "en");
  EXPECT_EQ(uint64_t(first["spans"].get_uint64().value()), 1u);
  EXPECT_EQ(uint64_t(first["body_length"].get_uint64().value()), 36u);
  for (const char* k : {"source", "url", "media_type"}) EXPECT_TRUE(first[k].is_string()) << k;
}

TEST_F(ServeTest, ArticlesFiltersMatchLs) {
  std::vector<std::string> expected;
  for (int i = 0; i < 120; i += 14) expected.push_back(fmt::format("doc/{:03}", i));  // en and i % 7 == 0
  EXPECT_EQ(all_ids("lang=en&has_annotation=entity=PERSON&limit=3"), expected);
  // 2020-02 holds records 28..55; since/until are inclusive periods.
  auto feb = all_ids("since=2020-02&until=2020-02&limit=500");
  ASSERT_EQ(feb.size(), 28u);
  EXPECT_EQ(feb.front(), "doc/028");
  EXPECT_EQ(feb.back(), "doc/055");
  EXPECT_EQ(all_ids("id_prefix=doc/11&lang=vi"),
            (std::vector<std::string>{"doc/111", "doc/113", "doc/115", "doc/117", "doc/119"}));
  EXPECT_EQ(all_ids("has_annotation=entity=GPE"), std::vector<std::string>{"vi/đà-nẵng"});
  EXPECT_EQ(all_ids("has_annotation=tag"), std::vector<std::string>{kHostileId});
}

TEST_F(ServeTest, ArticlesScanIsBoundedPerRequest) {
  ServerOptions o;
  o.limits.scan_records = 10;
  start({path_}, o);
  int pages = 0;
  auto ids = all_ids("has_annotation=entity=GPE", &pages);
  EXPECT_EQ(ids, std::vector<std::string>{"vi/đà-nẵng"});
  EXPECT_EQ(pages, 13) << "124 records, 10 a request";
  auto r = get("/api/articles?has_annotation=entity=GPE");
  simdjson::dom::parser p;
  auto e = parse(p, r->body);
  EXPECT_EQ(e["articles"].get_array().size(), 0u);
  EXPECT_EQ(str(e["next_cursor"]), "10");
}

TEST_F(ServeTest, ArticleByEveryKindOfReference) {
  for (std::string ref : std::vector<std::string>{kOddId, "#121", "sha256:" + to_hex(sha256(std::string_view("<!DOCTYPE html><p>odd</p>")))}) {
    auto r = get("/api/article/" + encode_path(ref));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << ref << " " << r->body;
    simdjson::dom::parser p;
    auto e = parse(p, r->body);
    EXPECT_EQ(str(e["id"]), kOddId);
    EXPECT_EQ(uint64_t(e["record"].get_uint64().value()), 121u);
    EXPECT_TRUE(e["is_html"].get_bool().value());
    EXPECT_EQ(str(e["text"]), "<!DOCTYPE html><p>odd</p>");
    EXPECT_EQ(str(e["media_type"]), "text/html; charset=utf-8");
    EXPECT_EQ(str(e["offsets"]), "bytes");
  }
  auto r = get("/api/article/doc/007");
  simdjson::dom::parser p;
  auto e = parse(p, r->body);
  EXPECT_EQ(str(e["date"]), "2020-01-08");
  EXPECT_EQ(str(e["date_precision"]), "day");
  EXPECT_FALSE(e["is_html"].get_bool().value());
  EXPECT_FALSE(e["truncated"].get_bool().value());
  EXPECT_EQ(e["lang_notes"].get_array().size(), 0u);
  auto span = e["layers"].at(0)["spans"].at(0);
  EXPECT_EQ(str(span["type"]), "entity");
  EXPECT_EQ(str(span["label"]), "PERSON");
  EXPECT_EQ(uint64_t(span["end"].get_uint64().value()), 4u);
}

TEST_F(ServeTest, CodepointOffsetsOnANonAsciiBody) {
  for (auto [unit, start, end] : {std::tuple{"bytes", 5u, 11u}, std::tuple{"codepoints", 3u, 7u}}) {
    auto r = get("/api/article/" + encode_path("vi/đà-nẵng") + "?offsets=" + unit);
    ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "");
    simdjson::dom::parser p;
    auto e = parse(p, r->body);
    EXPECT_EQ(str(e["offsets"]), unit);
    auto span = e["layers"].at(0)["spans"].at(0);
    EXPECT_EQ(uint64_t(span["start"].get_uint64().value()), start) << unit;
    EXPECT_EQ(uint64_t(span["end"].get_uint64().value()), end) << unit;
  }
  expect_error("/api/article/doc/000?offsets=lines", 400, "offsets");
}

TEST_F(ServeTest, HostileTextComesBackAsEscapedJson) {
  auto r = get("/api/article/" + encode_path(kHostileId));
  ASSERT_TRUE(r && r->status == 200);
  EXPECT_EQ(r->body.find("</script>\""), std::string::npos) << "every quote inside a string is escaped";
  simdjson::dom::parser p;
  auto e = parse(p, r->body);
  EXPECT_EQ(str(e["id"]), kHostileId);
  EXPECT_EQ(str(e["title"]), "<script>alert(1)</script>\"");
  EXPECT_EQ(str(e["text"]), "<script>alert(1)</script> \"quoted\"");
  auto layer = e["layers"].at(0);
  EXPECT_EQ(str(layer["name"]), "l\"<");
  EXPECT_EQ(str(layer["spans"].at(0)["label"]), "<script>alert(1)</script>\"");
  EXPECT_EQ(str(layer["spans"].at(0)["attrs"]["k\""]), "<v>");
  auto list = get("/api/articles?id_prefix=x/");
  simdjson::dom::parser p2;
  EXPECT_EQ(str(parse(p2, list->body)["articles"].at(0)["title"]), "<script>alert(1)</script>\"");
}

TEST_F(ServeTest, RawIsByteExactWithSandboxHeaders) {
  auto r = get("/raw/bin/all-bytes");
  ASSERT_TRUE(r && r->status == 200);
  EXPECT_EQ(r->body, all_bytes());
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/octet-stream") << "an invalid media type is not passed on";
  EXPECT_FALSE(r->has_header("X-Injected"));
  EXPECT_EQ(r->get_header_value("Content-Security-Policy"),
            "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(r->has_header("Content-Disposition"));

  auto html = get("/raw/" + encode_path(kOddId) + "?download=1");
  ASSERT_TRUE(html && html->status == 200);
  EXPECT_EQ(html->get_header_value("Content-Type"), "text/html; charset=utf-8");
  // httplib::Client percent-decodes header values: read the bytes as sent.
  std::string sent = raw_response(server_->port(), "/raw/" + encode_path(kOddId) + "?download=1");
  EXPECT_NE(sent.find("\r\nContent-Disposition: attachment; filename=\"__.html\"; filename*=UTF-8''%C3%A9.html\r\n"),
            std::string::npos) << sent;
  auto plain = get("/raw/doc/003?download=1");
  EXPECT_EQ(plain->get_header_value("Content-Disposition"), "attachment; filename=\"003\"");
  EXPECT_EQ(plain->body, "Body of article 3: Hanoi metro news.");
  auto head = client().Head("/raw/bin/all-bytes");
  ASSERT_TRUE(head && head->status == 200);
  EXPECT_EQ(head->get_header_value("Content-Length"), "768");
  EXPECT_TRUE(head->body.empty());
}

// One byte range is a 206 with exactly those bytes; several are refused
// (cpp-httplib would build them all in memory: 2,700 ranges of one body
// made a 1.4 GB answer before this).
TEST_F(ServeTest, OneByteRangeIsPartialContentAndManyAreRefused) {
  auto one = client().Get("/raw/bin/all-bytes", httplib::Headers{{"Range", "bytes=10-19"}});
  ASSERT_TRUE(one);
  EXPECT_EQ(one->status, 206);
  EXPECT_EQ(one->body, all_bytes().substr(10, 10));
  EXPECT_EQ(one->get_header_value("Content-Range"), "bytes 10-19/768");
  std::string ranges = "bytes=0-";
  for (int i = 0; i < 200; ++i) ranges += ",0-";
  auto many = client().Get("/raw/bin/all-bytes", httplib::Headers{{"Range", ranges}});
  ASSERT_TRUE(many);
  EXPECT_EQ(many->status, 416);
  EXPECT_NE(many->body.find("\"status\":416"), std::string::npos) << many->body;
  EXPECT_LT(many->body.size(), 1000u);
}

TEST_F(ServeTest, PageIsServedFromTheEmbeddedFiles) {
  auto r = get("/");
  ASSERT_TRUE(r && r->status == 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->body, test::read_file(std::string(QUIRE_SOURCE_DIR) + "/tools/serve/web/index.html"));
  EXPECT_NE(r->get_header_value("Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(r->get_header_value("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(r->get_header_value("Cross-Origin-Opener-Policy"), "same-origin");
  EXPECT_EQ(get("/index.html")->body, r->body);
}

TEST_F(ServeTest, ErrorsAreJsonWithTheirStatus) {
  expect_error("/api/article/no/such/article", 404, "no/such/article");
  expect_error("/api/nothing", 404, "/api/nothing");
  expect_error("/no/such/file.js", 404);
  expect_error("/api/articles?archive=7", 404, "archive");
  expect_error("/api/article/doc/000?archive=7", 404, "archive");
  expect_error("/api/articles?limit=100000", 400, "limit");
  expect_error("/api/articles?since=2024-13-01", 400, "since");
  expect_error("/api/articles?cursor=abc", 400, "cursor");
  expect_error("/api/articles?has_annotation==X", 400, "has_annotation");
  expect_error("/api/search?q=", 400, "q");
  auto post = client().Post("/api/info", "x=1", "application/x-www-form-urlencoded");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET, HEAD");
  auto del = client().Delete("/api/info");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
  EXPECT_NE(del->body.find("\"status\":405"), std::string::npos);
}

TEST_F(ServeTest, PathTraversalNeverReachesTheFileSystem) {
  for (const char* path : {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/raw/..%2f..%2fetc%2fpasswd",
                           "/..%2f..%2f..%2fetc%2fpasswd", "/api/article/..%2F..%2Fetc%2Fpasswd", "/%2Fetc%2Fpasswd",
                           "//etc/passwd", "/index.html/../../../etc/passwd", "/raw/%2Fetc%2Fpasswd"}) {
    auto r = get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->body.find("root:"), std::string::npos) << path;
    EXPECT_TRUE(r->status == 404 || r->status == 400) << path << " " << r->status;
  }
}

TEST_F(ServeTest, HugeRequestBodyIsRefused) {
  std::string body(4 << 20, 'x');
  auto r = client().Post("/api/info", body, "application/octet-stream");
  if (r) {
    EXPECT_EQ(r->status, 413);
    EXPECT_NE(r->body.find("\"status\":413"), std::string::npos);
  }  // else the server closed the connection while the client wrote: also a refusal
  // A GET carries no body: refused, and the server still serves.
  std::string with_body = raw_response(server_->port(), "/api/info", "Content-Length: 5\r\n");
  EXPECT_EQ(with_body.rfind("HTTP/1.1 400", 0), 0u) << with_body;
  EXPECT_EQ(get("/api/info")->status, 200);
  std::string long_uri = "/api/article/" + std::string(20000, 'a');
  auto l = get(long_uri);
  if (l) {
    EXPECT_GE(l->status, 400);
  }
  EXPECT_EQ(get("/api/info")->status, 200);
}

TEST_F(ServeTest, ConcurrentRequestsAllSucceedAndAgree) {
  std::vector<std::string> expected;
  for (int i = 0; i < 20; ++i) expected.push_back(get(fmt::format("/api/article/doc/{:03}", i * 6))->body);
  std::atomic<int> ok{0}, bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto c = client();
      for (int k = 0; k < 40; ++k) {
        int i = (t * 7 + k) % 20;
        auto r = c.Get(fmt::format("/api/article/doc/{:03}", i * 6));
        auto raw = c.Get("/raw/bin/all-bytes");
        bool same = r && r->status == 200 && r->body == expected[i] && raw && raw->body == all_bytes();
        (same ? ok : bad)++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 320);
  EXPECT_EQ(bad.load(), 0);
}

TEST_F(ServeTest, ServesSeveralArchivesByIndex) {
  std::string second = dir_.path("second.quire");
  test::write_archive(second, {test::make_article("only/one", "the second archive")});
  start({path_, second});
  auto r = get("/api/article/only/one?archive=1");
  ASSERT_TRUE(r && r->status == 200) << r->body;
  EXPECT_EQ(get("/raw/only/one?archive=1")->body, "the second archive");
  expect_error("/api/article/only/one", 404, "only/one");
  simdjson::dom::parser p;
  auto info = parse(p, get("/api/info")->body);
  EXPECT_EQ(info["archives"].get_array().size(), 2u);
  EXPECT_EQ(str(info["archives"].at(1)["name"]), "second.quire");
}

TEST_F(ServeTest, ConnectionsBeyondTheWaitingBoundGet503) {
  ServerOptions o;
  o.threads = 1;
  o.max_waiting = 0;  // every connection is beyond the bound
  start({path_}, o);
  expect_error("/api/info", 503, "busy");
  EXPECT_EQ(get("/api/info")->get_header_value("Retry-After"), "1");
}

// A flipped byte in the block holding doc/150: 500 naming the article, and
// the rest of the archive is still served.
TEST(ServeDamage, DamagedBlockIs500NamingTheArticleAndServingGoesOn) {
  test::TempDir dir;
  std::vector<test::OwnedArticle> articles;
  std::mt19937_64 rng(5);
  for (int i = 0; i < 300; ++i) articles.push_back(test::make_article("doc/" + std::to_string(i), test::random_text(rng, 2000)));
  WriterOptions o;
  o.block_size = 8 * 1024;
  std::string path = dir.path("d.quire");
  test::write_archive(path, articles, o);
  uint64_t block = Archive::open(path)->find("doc/150")->block();
  std::string bytes = test::read_file(path);
  uint64_t target = test::block_tail_offset(bytes, block);
  ASSERT_GT(target, 0u);
  bytes[target] ^= 0x01;
  test::write_file(path, bytes);

  auto set = ArchiveSet::open(path);
  ASSERT_TRUE(set.is_ok());
  ServerOptions options;
  options.port = 0;
  auto server = Server::create({{path, std::move(*set)}}, options);
  ASSERT_TRUE((*server)->start().is_ok());
  httplib::Client c("127.0.0.1", (*server)->port());
  for (const char* p : {"/api/article/doc/150", "/raw/doc/150"}) {
    auto r = c.Get(p);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 500) << p;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json; charset=utf-8");
    EXPECT_NE(r->body.find("doc/150"), std::string::npos) << r->body;
  }
  auto listing = c.Get("/api/articles?limit=500");
  ASSERT_TRUE(listing);
  EXPECT_EQ(listing->status, 500) << "the catalog of that block is damaged too";
  auto good = c.Get("/api/article/doc/0");
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 200);
  EXPECT_EQ(c.Get("/raw/doc/299")->body, articles[299].body);
}

// The process a user starts: one line on stdout with the URL, then serving
// until SIGTERM, then exit 0.
TEST(ServeCommand, ListensPrintsItsUrlAndStopsOnSigterm) {
  test::TempDir dir;
  std::string path = dir.path("c.quire");
  test::write_archive(path, {test::make_article("a/b c", "hello")});
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(out[1], 1);
    close(out[0]);
    execl(QUIRE_BIN, QUIRE_BIN, "serve", path.c_str(), "--port", "0", "--threads", "2", nullptr);
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char ch;
  while (read(out[0], &ch, 1) == 1 && ch != '\n') line.push_back(ch);
  const std::string prefix = "quire serve: listening on http://127.0.0.1:";
  ASSERT_EQ(line.rfind(prefix, 0), 0u) << line;
  ASSERT_EQ(line.back(), '/');
  int port = std::stoi(line.substr(prefix.size()));
  httplib::Client c("127.0.0.1", port);
  c.set_url_encode(false);
  auto r = c.Get("/raw/a/b%20c");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "hello");
  EXPECT_EQ(c.Get("/api/info")->status, 200);
  kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::string rest;
  while (read(out[0], &ch, 1) == 1) rest.push_back(ch);
  EXPECT_EQ(rest, "") << "exactly one line on stdout";
  close(out[0]);
}

// Full-text search through the API (`quire index` adds the index).
TEST(ServeSearch, HitsWithSnippetSegments) {
  test::TempDir dir;
  std::vector<test::OwnedArticle> articles = {
      test::make_article("a", "The Hanoi metro line opens next year."),
      test::make_article("b", "Rice harvest in the Mekong Delta."),
      test::make_article("c", "Hanoi and Saigon: metro plans compared.")};
  for (auto& a : articles) a.meta.lang = "en", a.meta.source = "s1";
  articles[2].meta.source = "s2";
  test::write_archive(dir.path("plain.quire"), articles);
  auto indexed = test::run_quire("index plain.quire -o indexed.quire -q", dir);
  ASSERT_EQ(indexed.code, 0) << indexed.err;
  std::vector<ServedArchive> served;
  for (const char* name : {"plain.quire", "indexed.quire"}) served.push_back({name, *ArchiveSet::open(dir.path(name))});
  ServerOptions options;
  options.port = 0;
  auto server = Server::create(std::move(served), options);
  ASSERT_TRUE((*server)->start().is_ok());
  httplib::Client c("127.0.0.1", (*server)->port());

  auto r = c.Get("/api/search?archive=1&q=metro");
  ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "");
  simdjson::dom::parser p;
  auto e = parse(p, r->body);
  EXPECT_EQ(uint64_t(e["estimated"].get_uint64().value()), 2u);
  EXPECT_TRUE(e["stem_language"].is_string());
  std::set<std::string> ids;
  for (auto hit : e["hits"].get_array()) {
    ids.insert(str(hit["id"]));
    EXPECT_TRUE(hit["weight"].is_number());
    EXPECT_TRUE(hit["percent"].is_int64());
    std::string joined;
    bool matched = false;
    for (auto seg : hit["snippet"].get_array()) {
      joined += str(seg["text"]);
      if (seg["match"].get_bool().value()) {
        matched = true;
        EXPECT_EQ(str(seg["text"]), "metro");
      }
    }
    EXPECT_TRUE(matched) << r->body;
    EXPECT_NE(joined.find("metro"), std::string::npos);
  }
  EXPECT_EQ(ids, (std::set<std::string>{"a", "c"}));

  auto filtered = c.Get("/api/search?archive=1&q=metro&source=s2");
  simdjson::dom::parser p2;
  auto f = parse(p2, filtered->body);
  ASSERT_EQ(f["hits"].get_array().size(), 1u) << filtered->body;
  EXPECT_EQ(str(f["hits"].at(0)["id"]), "c");

  auto none = c.Get("/api/search?archive=0&q=metro");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
  EXPECT_NE(none->body.find("build one with `quire index`"), std::string::npos);
  EXPECT_EQ(c.Get("/api/search?archive=1&q=")->status, 400);
  EXPECT_EQ(c.Get("/api/search?archive=1&q=metro&limit=100000")->status, 400);
  auto info = c.Get("/api/info");
  simdjson::dom::parser p3;
  auto i = parse(p3, info->body);
  EXPECT_FALSE(i["archives"].at(0)["has_fulltext"].get_bool().value());
  EXPECT_TRUE(i["archives"].at(1)["has_fulltext"].get_bool().value());
}

}  // namespace
}  // namespace quire
