// Header values the server builds from archive content, which is untrusted:
// a media type is passed on only when it is syntactically valid (RFC 9110
// 8.3.1), and a download file name is reduced to safe characters (RFC 6266,
// with filename* for the exact UTF-8 name).
#pragma once

#include <string>
#include <string_view>

namespace quire::serve {

// The CSP of /raw bodies: no script, no plugins, no network; inline styles
// and data: images only, so an HTML body renders as a document, inert.
inline constexpr const char* kRawCsp =
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:";
// The CSP of the page (static files): its own script and styles only.
inline constexpr const char* kPageCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
// The CSP of JSON replies: nothing at all may load from them.
inline constexpr const char* kJsonCsp = "default-src 'none'; frame-ancestors 'none'";

// `type/subtype` with optional `; name=value` parameters (tokens or quoted
// strings), at most 255 bytes, nothing outside printable ASCII.
bool is_valid_media_type(std::string_view media_type);

// The value of `Content-Disposition: attachment` for an article id: its last
// path segment, ASCII-only with anything unsafe as '_' in filename="...",
// plus filename*=UTF-8''... (percent-encoded) when that changed anything.
std::string attachment_disposition(std::string_view id);

}  // namespace quire::serve
