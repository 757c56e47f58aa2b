// The HTTP/1.x message inside a WARC response or revisit block (RFC 9112):
// the status line, the header lines as captured, and where the body starts;
// and removing chunked transfer coding from a body. Lenient as real captures
// need (LF line ends, obsolete line folding, a space before the colon),
// bounded (1 MiB of head), and never reading past the block.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "format/status.h"

namespace quire {

struct HttpHead {
  std::string status_line;   // "HTTP/1.1 200 OK" or "GET / HTTP/1.1", without its line end
  int status = 0;            // 200; 0 for a request
  std::string header_text;   // the header lines exactly as captured, each with its line end
  std::vector<std::pair<std::string, std::string>> headers;  // name, trimmed value
  size_t body_offset = 0;    // where the body starts in the block

  // The last header of that name (case-insensitive), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const;
};

// nullopt when the block does not start with an HTTP status line (or, for a
// request, a request line "METHOD TARGET HTTP/x") or its head does not end
// within the block and 1 MiB.
std::optional<HttpHead> parse_http_message(std::string_view block);

// True when the Transfer-Encoding header's last coding is "chunked".
bool is_chunked(const HttpHead& head);

// Whether the body starts like chunked framing (a hex size line). Some
// recorders (pywb's) store bodies already unchunked under a "chunked" header.
bool starts_like_chunked(std::string_view body);

// The body without chunked framing (chunk extensions and trailers dropped).
// An error says what is wrong and where, e.g. a chunk cut short.
Result<std::string> remove_chunking(std::string_view body);

}  // namespace quire
