// One article as one WARC/1.1 record, for `extract --to warc`
// (reader/export_warc.h writes the file). SPEC.md 14 lists the metadata keys
// the WARC ingest stores and this reads back:
//
//  - An article with `http.status` (or `http.status.b64`) becomes a `response`
//    record, Content-Type "application/http;msgtype=response", whose block is
//    the status line, CRLF, `http.headers` (or `http.headers.b64`) as stored,
//    CRLF, and the body. When `http.transfer_encoding_removed` is "chunked"
//    the stored body is the unchunked payload, so the head is rewritten to
//    match it: the final "chunked" coding is taken out of Transfer-Encoding
//    (the line is dropped when nothing is left), every Content-Length line is
//    dropped and, when no transfer coding is left, "Content-Length: <body
//    size>" is appended. A record is thus always self-consistent.
//  - A revisit whose payload was not in the ingested input (`warc.type`
//    "revisit" and `warc.revisit` set; its stored body is empty) becomes a
//    `revisit` record again: the block is the HTTP head alone, WARC-Profile,
//    WARC-Refers-To, WARC-Refers-To-Target-URI, WARC-Refers-To-Date and
//    WARC-Payload-Digest are those of the captured header (`warc.headers`;
//    the profile defaults to identical-payload-digest). A revisit whose
//    payload was found shares that body and is written as a full response.
//  - Any other article becomes a `resource` record whose block is the body,
//    Content-Type the media type (application/octet-stream when empty).
//  - WARC-Record-ID: `warc.record_id` as captured when present; otherwise
//    "<urn:uuid:U>" with U the name-based (version 5, SHA-1) UUID, in the URL
//    namespace of RFC 4122, of the name "quire:sha256:<64 hex of the body's
//    SHA-256>:<id>". The same article always gets the same id.
//  - WARC-Date: `warc.date` as captured when present; otherwise the start of
//    the article's date period, "YYYY-MM-DDThh:mm:ssZ"; otherwise (unknown,
//    or a year outside 1..9999) `fallback_date`, the archive's creation time.
//  - WARC-Target-URI: the url, else the id, with bytes <= 0x20 and 0x7F
//    percent-encoded. WARC-Payload-Digest (the body) and WARC-Block-Digest
//    (the block) are "sha1:" and 32 base32 characters.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "reader/archive.h"

namespace quire {

struct WarcRecordParts {
  std::string header;     // "WARC/1.1\r\n" ... the blank line that ends the header
  std::string http_head;  // response: status line CRLF headers CRLF; else empty
  std::string_view body;  // the article's body (the payload), after http_head; empty for a revisit
  // What a CDXJ line needs:
  std::string type, target_uri, date;
  std::string payload_digest;  // "sha1:BASE32"; a revisit's as captured, or "" when it had none
  std::string mime;    // Content-Type (the HTTP one for a response) up to ';', "warc/revisit"
  std::string status;  // the HTTP status code ("200"); "" for a resource
};

struct WarcRecordContext {
  int64_t fallback_date = 0;  // seconds since 1970: the archive's creation time
  std::string warcinfo_id;    // "<urn:uuid:...>", written as WARC-Warcinfo-ID
};

// The record for `article` with `body` (its body, which the parts point into).
// After `header`, write http_head, body, then "\r\n\r\n".
Result<WarcRecordParts> build_warc_record(const Article& article, std::string_view body,
                                          const WarcRecordContext& context);

// "<urn:uuid:...>": the version 5 UUID of `name` in the RFC 4122 URL namespace.
std::string warc_uuid_of(std::string_view name);

// "YYYY-MM-DDThh:mm:ssZ" for seconds since 1970 (UTC).
std::string warc_date_of(int64_t seconds);

}  // namespace quire
