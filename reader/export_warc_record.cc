#include "reader/export_warc_record.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <optional>
#include <vector>

#include "format/base64.h"
#include "format/checksum.h"
#include "format/warc_digest.h"

namespace quire {
namespace {

using Extras = std::vector<std::pair<std::string_view, std::string_view>>;

// The value under `key`, or the base64 value under `key.b64` decoded.
std::optional<std::string> extra_value(const Extras& extras, std::string_view key) {
  for (const auto& [k, v] : extras) {
    if (k == key) return std::string(v);
  }
  std::string b64 = std::string(key) + ".b64";
  for (const auto& [k, v] : extras) {
    if (k == b64) return base64_decode(v);
  }
  return std::nullopt;
}

// A value that can stand in a WARC header line as it is: no control bytes.
std::optional<std::string> header_safe(std::optional<std::string> value) {
  if (!value || value->empty()) return std::nullopt;
  bool ok = std::none_of(value->begin(), value->end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  });
  return ok ? value : std::nullopt;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// One HTTP header field: its lines as captured (with continuation lines and
// line ends), its name and its unfolded value.
struct HeaderField {
  std::string raw, name, value;
};

std::vector<HeaderField> split_fields(std::string_view text) {
  std::vector<HeaderField> fields;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl == std::string_view::npos ? text.size() : nl + 1);
    text.remove_prefix(line.size());
    bool continuation = (line.front() == ' ' || line.front() == '\t') && !fields.empty();
    if (continuation) {
      fields.back().raw.append(line);
      fields.back().value.append(" ").append(trim(line));
      continue;
    }
    size_t colon = line.find(':');
    HeaderField f{std::string(line), lower(trim(line.substr(0, colon))), ""};
    if (colon != std::string_view::npos) f.value = std::string(trim(line.substr(colon + 1)));
    fields.push_back(std::move(f));
  }
  return fields;
}

// The head rewritten for a body whose chunked framing was removed (see the header).
std::string unchunked_headers(std::string_view headers, uint64_t body_size) {
  std::string out;
  bool coded = false;  // a transfer coding other than chunked is left
  for (const HeaderField& f : split_fields(headers)) {
    if (f.name == "content-length") continue;
    if (f.name != "transfer-encoding") {
      out += f.raw;
      continue;
    }
    std::string value = f.value;
    size_t comma = value.rfind(',');
    std::string_view last = trim(std::string_view(value).substr(comma == std::string::npos ? 0 : comma + 1));
    if (lower(last) == "chunked") value = comma == std::string::npos ? "" : std::string(trim(value.substr(0, comma)));
    if (value.empty()) continue;
    out += "Transfer-Encoding: " + value + "\r\n";
    coded = true;
  }
  if (!coded) out += fmt::format("Content-Length: {}\r\n", body_size);
  return out;
}

// "text/html; charset=utf-8" -> "text/html", as CDXJ indexers write it.
std::string mime_of(std::string_view content_type) {
  content_type = trim(content_type);
  return std::string(content_type.substr(0, content_type.find_first_of("; \t")));
}

// bytes <= 0x20 and 0x7F as %XX, so the URI is one token on its header line.
std::string uri_field(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7F) {
      out += fmt::format("%{:02X}", b);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string record_date(const Article& article, const Extras& extras, int64_t fallback) {
  if (auto captured = header_safe(extra_value(extras, "warc.date"))) return *captured;
  Date d = article.date();
  if (d.known() && d.year >= 1 && d.year <= 9999) return warc_date_of(d.period_start());
  return warc_date_of(fallback);
}

void http_parts(WarcRecordParts& p, const Extras& extras, const std::string& status, std::string_view media_type) {
  std::string headers = extra_value(extras, "http.headers").value_or("");
  if (extra_value(extras, "http.transfer_encoding_removed") == "chunked") {
    headers = unchunked_headers(headers, p.body.size());
  }
  p.http_head = status + "\r\n" + headers + "\r\n";
  p.type = "response";
  std::string content_type(media_type);
  for (const HeaderField& f : split_fields(headers)) {
    if (f.name == "content-type") content_type = f.value;
  }
  p.mime = mime_of(content_type);
  size_t space = status.find(' ');
  std::string_view code = space == std::string::npos ? "" : trim(std::string_view(status).substr(space + 1));
  p.status = std::string(code.substr(0, code.find(' ')));
}

// The fields of a revisit record, from the captured record's header:
// WARC-Profile (identical-payload-digest when it had none), WARC-Refers-To*,
// and its WARC-Payload-Digest (the revisited payload's) into `digest`.
std::string revisit_fields(const Extras& extras, std::string& digest) {
  std::string profile = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest", refers;
  digest.clear();
  for (const HeaderField& f : split_fields(extra_value(extras, "warc.headers").value_or(""))) {
    std::optional<std::string> value = header_safe(f.value);
    if (!value) continue;
    if (f.name == "warc-profile") profile = *value;
    if (f.name == "warc-payload-digest") digest = *value;
    if (f.name == "warc-refers-to") refers += "WARC-Refers-To: " + *value + "\r\n";
    if (f.name == "warc-refers-to-target-uri") refers += "WARC-Refers-To-Target-URI: " + *value + "\r\n";
    if (f.name == "warc-refers-to-date") refers += "WARC-Refers-To-Date: " + *value + "\r\n";
  }
  return "WARC-Profile: " + profile + "\r\n" + refers;
}

}  // namespace

std::string warc_uuid_of(std::string_view name) {
  // RFC 4122 4.3: SHA-1 of the namespace id and the name; version and variant bits set.
  static constexpr uint8_t kUrlNamespace[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                                0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  DigestStream sha1(DigestAlgorithm::kSha1);
  sha1.update(std::string_view(reinterpret_cast<const char*>(kUrlNamespace), sizeof kUrlNamespace));
  sha1.update(name);
  std::vector<uint8_t> u = sha1.finish().value;
  u.resize(16);
  u[6] = static_cast<uint8_t>((u[6] & 0x0F) | 0x50);
  u[8] = static_cast<uint8_t>((u[8] & 0x3F) | 0x80);
  std::string hex = to_hex(u);
  return fmt::format("<urn:uuid:{}-{}-{}-{}-{}>", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                     hex.substr(16, 4), hex.substr(20));
}

std::string warc_date_of(int64_t seconds) {
  time_t t = static_cast<time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

Result<WarcRecordParts> build_warc_record(const Article& article, std::string_view body,
                                          const WarcRecordContext& context) {
  Extras extras = article.extra();
  WarcRecordParts p;
  p.body = body;
  std::string content_type, extra_fields;
  if (auto status = header_safe(extra_value(extras, "http.status"))) {
    http_parts(p, extras, *status, article.media_type());
    content_type = "application/http;msgtype=response";
  } else {
    p.type = "resource";
    content_type = header_safe(std::string(article.media_type())).value_or("application/octet-stream");
    p.mime = mime_of(content_type);
  }
  p.payload_digest = warc_digest_of(DigestAlgorithm::kSha1, body).to_string();
  // A revisit whose original payload was not in the ingested input has no
  // body: it goes back out as a revisit record, its block the HTTP head.
  if (p.type == "response" && extra_value(extras, "warc.type") == "revisit" && extra_value(extras, "warc.revisit")) {
    p.type = "revisit";
    p.mime = "warc/revisit";
    p.body = {};
    extra_fields = revisit_fields(extras, p.payload_digest);
  }
  p.target_uri = uri_field(article.url().empty() ? article.id() : article.url());
  p.date = record_date(article, extras, context.fallback_date);
  std::string record_id = header_safe(extra_value(extras, "warc.record_id"))
                              .value_or(warc_uuid_of(fmt::format("quire:sha256:{}:{}", to_hex(article.sha256()), article.id())));
  if (record_id.front() != '<') record_id = "<" + record_id + ">";
  DigestStream block(DigestAlgorithm::kSha1);
  block.update(p.http_head);
  block.update(p.body);
  if (!p.payload_digest.empty()) extra_fields += "WARC-Payload-Digest: " + p.payload_digest + "\r\n";
  p.header = fmt::format(
      "WARC/1.1\r\nWARC-Type: {}\r\nWARC-Record-ID: {}\r\nWARC-Date: {}\r\nWARC-Target-URI: {}\r\n"
      "WARC-Warcinfo-ID: {}\r\nContent-Type: {}\r\n{}WARC-Block-Digest: {}\r\nContent-Length: {}\r\n\r\n",
      p.type, record_id, p.date, p.target_uri, context.warcinfo_id, content_type, extra_fields,
      block.finish().to_string(), p.http_head.size() + p.body.size());
  return p;
}

}  // namespace quire
