// SURT keys (Sort-friendly URI Reordering Transform) for the CDXJ index that
// `extract --to warc --cdxj` writes: the key pywb and the Internet Archive's
// `surt` package look a URL up by, so the index must spell it the same way.
//
//   surt_key("http://www.Example.com:80/a/b/?b=2&a=1#top") == "com,example)/a/b?a=1&b=2"
//
// Implemented (the package's default canonicalisation): scheme, user info,
// fragment and default port (80 for http, 443 for https) dropped; a leading
// "www", "www2", ... label dropped; host labels lower-cased and reversed,
// joined by ','; percent escapes decoded repeatedly, then the bytes <= 0x20,
// >= 0x7F, '#' and '%' escaped again (upper-case hex); "." and ".." path
// segments resolved and "//" collapsed; path and query lower-cased; a trailing
// '/' dropped unless the path is "/"; query arguments sorted by name, then
// value; an empty query dropped. A string without a scheme is read as
// "http://" + string (so a plain id like "news/2024/x" becomes "news)/2024/x").
// "dns:", "mailto:", "urn:", "filedesc", "warcinfo:" and other non-hierarchical
// URIs are returned as given. The empty string is "-".
//
// Not implemented (the keys then differ from the package's): session-id
// removal (jsessionid, PHPSESSID, ...), IDNA (punycode) for non-ASCII hosts,
// and numeric IP address normalisation (http://3279880203/).
#pragma once

#include <string>
#include <string_view>

namespace quire {

std::string surt_key(std::string_view url);

}  // namespace quire
