#include "writer/http_message.h"

#include <fmt/format.h>

#include <algorithm>

#include "format/printable.h"

namespace quire {
namespace {

constexpr size_t kMaxHead = 1 << 20;

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// "HTTP/1.1 200 OK" (reason optional) -> 200; 0 when not a status line.
int parse_status(std::string_view line) {
  if (line.substr(0, 5) != "HTTP/") return 0;
  size_t sp = line.find(' ');
  if (sp == std::string_view::npos || sp + 4 > line.size()) return 0;
  std::string_view code = line.substr(sp + 1, 3);
  if (!std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) return 0;
  if (sp + 4 < line.size() && line[sp + 4] != ' ') return 0;
  return (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
}

}  // namespace

std::optional<std::string_view> HttpHead::header(std::string_view name) const {
  for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
    if (iequals(it->first, name)) return std::string_view(it->second);
  }
  return std::nullopt;
}

// "GET /path HTTP/1.1": a token, a target, a version.
static bool is_request_line(std::string_view line) {
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(' ');
  if (sp1 == 0 || sp1 == std::string_view::npos || sp2 == sp1) return false;
  return line.substr(sp2 + 1, 5) == "HTTP/" &&
         std::all_of(line.begin(), line.begin() + static_cast<long>(sp1), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::optional<HttpHead> parse_http_message(std::string_view block) {
  HttpHead head;
  std::string_view rest = block.substr(0, std::min(block.size(), kMaxHead));
  size_t nl = rest.find('\n');
  if (nl == std::string_view::npos) return std::nullopt;
  std::string_view status = rest.substr(0, nl);
  if (!status.empty() && status.back() == '\r') status.remove_suffix(1);
  head.status = parse_status(status);
  if (head.status == 0 && !is_request_line(status)) return std::nullopt;
  head.status_line = std::string(status);
  size_t at = nl + 1;
  for (;;) {
    nl = rest.find('\n', at);
    if (nl == std::string_view::npos) return std::nullopt;  // no end of head within the limit
    std::string_view line = rest.substr(at, nl - at);
    std::string_view bare = line;
    if (!bare.empty() && bare.back() == '\r') bare.remove_suffix(1);
    if (bare.empty()) {
      head.body_offset = nl + 1;
      return head;
    }
    head.header_text.append(rest.substr(at, nl + 1 - at));
    at = nl + 1;
    if ((bare[0] == ' ' || bare[0] == '\t') && !head.headers.empty()) {  // obsolete line folding
      head.headers.back().second += ' ';
      head.headers.back().second += trim(bare);
      continue;
    }
    size_t colon = bare.find(':');
    if (colon == std::string_view::npos) continue;  // kept in header_text, not a field
    head.headers.emplace_back(std::string(trim(bare.substr(0, colon))), std::string(trim(bare.substr(colon + 1))));
  }
}

bool is_chunked(const HttpHead& head) {
  auto te = head.header("Transfer-Encoding");
  if (!te) return false;
  std::string_view v = *te;
  size_t comma = v.rfind(',');
  if (comma != std::string_view::npos) v = v.substr(comma + 1);
  return iequals(trim(v), "chunked");
}

bool starts_like_chunked(std::string_view body) {
  size_t i = 0;
  auto hex = [](char c) { return (c >= '0' && c <= '9') || (lower(c) >= 'a' && lower(c) <= 'f'); };
  while (i < body.size() && i < 16 && hex(body[i])) ++i;
  if (i == 0 || i >= body.size()) return false;
  return body[i] == '\r' || body[i] == '\n' || body[i] == ';' || body[i] == ' ';
}

Result<std::string> remove_chunking(std::string_view body) {
  std::string out;
  size_t at = 0;
  for (;;) {
    size_t nl = body.find('\n', at);
    if (nl == std::string_view::npos) {
      return Status::corruption(fmt::format("chunk size line at body byte {} has no line end", at));
    }
    std::string_view line = body.substr(at, nl - at);
    size_t semi = line.find(';');  // chunk extensions
    std::string_view hex = trim(line.substr(0, semi));
    if (hex.empty() || hex.size() > 15) {
      return Status::corruption(fmt::format("bad chunk size '{}' at body byte {}", printable(hex, 20), at));
    }
    uint64_t size = 0;
    for (char c : hex) {
      int v = c >= '0' && c <= '9' ? c - '0' : lower(c) >= 'a' && lower(c) <= 'f' ? lower(c) - 'a' + 10 : -1;
      if (v < 0) return Status::corruption(fmt::format("bad chunk size '{}' at body byte {}", printable(hex, 20), at));
      size = size * 16 + static_cast<uint64_t>(v);
    }
    at = nl + 1;
    if (size == 0) return out;  // the last chunk; trailers follow and are dropped
    if (size > body.size() - at) {
      return Status::corruption(
          fmt::format("chunk of {} bytes at body byte {} runs past the end ({} bytes left)", size, at, body.size() - at));
    }
    out.append(body.substr(at, size));
    at += size;
    // CRLF (or LF) after the chunk data.
    if (at < body.size() && body[at] == '\r') ++at;
    if (at < body.size() && body[at] == '\n') {
      ++at;
    } else {
      return Status::corruption(fmt::format("chunk data at body byte {} is not followed by a line end", at));
    }
  }
}

}  // namespace quire
