// A small archive for the export tests: multi-byte text with annotations, a
// body that is not UTF-8, unknown and year-only dates, ids that collide as
// paths, and articles carrying the WARC ingest's http.* / warc.* metadata.
#pragma once

#include <string>
#include <vector>

#include "format/base64.h"
#include "reader/archive.h"
#include "test_util.h"

namespace quire::test {

inline OwnedArticle with_extra(OwnedArticle a, std::vector<KeyValue> extra) {
  a.meta.extra = std::move(extra);
  return a;
}

inline std::vector<OwnedArticle> export_corpus() {
  std::vector<OwnedArticle> c;
  // "Hà Nội – 京都 😀 end": "Hà Nội" is bytes [0,9) = code points [0,6), "京都" [14,20) = [9,11).
  auto hanoi = make_article("news/2024/04/26/hanoi", "Hà Nội – 京都 😀 end");
  hanoi.meta.date = *Date::parse("2024-04-26");
  hanoi.meta.lang = "vi";
  hanoi.meta.url = "https://www.Example.com/news/Hanoi/?b=2&a=1";
  hanoi.layers = {{"ner", "tagger 2.1", {{0, 9, "entity", "GPE", {}}, {14, 20, "entity", "GPE", {{"lang", "ja"}}}}}};
  c.push_back(hanoi);
  c.push_back(make_article("a/plain", "no date, plain ASCII\n"));
  auto latin1 = make_article("bin/latin1", "caf\xE9 ol\xE9\n");
  latin1.meta.date = *Date::parse("2023");
  latin1.meta.media_type = "text/plain; charset=iso-8859-1";
  c.push_back(latin1);
  auto chunked = with_extra(make_article("http/chunked", "<html>hi</html>"),
                            {{"warc.type", "response"},
                             {"warc.record_id", "<urn:uuid:12345678-1234-4234-8234-123456789abc>"},
                             {"warc.date", "2024-05-01T10:00:00Z"},
                             {"http.status", "HTTP/1.1 200 OK"},
                             {"http.headers", "Content-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n"
                                              "Content-Length: 999\r\nServer: test\r\n"},
                             {"http.transfer_encoding_removed", "chunked"}});
  chunked.meta.url = "http://example.org/page";
  chunked.meta.media_type = "text/html; charset=utf-8";
  c.push_back(chunked);
  auto missing = with_extra(make_article("http/missing", "not found"),
                            {{"http.status", "HTTP/1.1 404 Not Found"},
                             {"http.headers.b64", base64_encode("X-Bin: \xff\r\nContent-Length: 9\r\n")}});
  missing.meta.url = "http://example.org/missing";
  missing.meta.date = *Date::parse("2024-06-02T08:30:00Z");
  c.push_back(missing);
  auto coded = with_extra(make_article("http/gzip-chunked", "\x1f\x8b not really gzip"),
                          {{"http.status", "HTTP/1.1 200 OK"},
                           {"http.headers", "Transfer-Encoding: gzip,\r\n chunked\r\nContent-Type: application/x-thing\r\n"},
                           {"http.transfer_encoding_removed", "chunked"}});
  coded.meta.url = "http://example.org/coded";
  c.push_back(coded);
  // A revisit whose original was not in the ingested input: no body, its head and captured header only.
  auto revisit = with_extra(make_article("http/revisit", ""),
                            {{"warc.type", "revisit"},
                             {"warc.headers", "WARC-Type: revisit\r\nWARC-Profile: http://netpreserve.org/warc/1.0/revisit/"
                                              "identical-payload-digest\r\nWARC-Refers-To-Target-URI: http://example.org/"
                                              "again\r\nWARC-Payload-Digest: sha1:" + std::string(32, 'A') + "\r\n"},
                             {"http.status", "HTTP/1.1 200 OK"},
                             {"http.headers", "Content-Type: text/html\r\n"},
                             {"warc.revisit", "unresolved: the revisited payload is not in this input"}});
  revisit.meta.url = "http://example.org/again";
  revisit.meta.date = *Date::parse("2024-07-01T00:00:00Z");
  c.push_back(revisit);
  for (const char* id : {"Case", "case", "dir", "dir/child", "京都/Đà Nẵng.txt", "../../escape"}) {
    c.push_back(make_article(id, std::string("body of ") + id));
  }
  return c;
}

}  // namespace quire::test
