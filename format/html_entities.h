// HTML character references for the text view of a page (format/html_text.h):
// numeric ("&#233;", "&#xE9;", with the HTML5 windows-1252 remapping of
// 128..159 and U+FFFD for 0, surrogates and values above U+10FFFF) and the
// common named ones (the 96 Latin-1 names of HTML 4, the markup five, and
// typographic ones such as "&mdash;", "&hellip;", "&euro;"). A reference needs
// its ";"; an unknown or unterminated one is left as written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace quire {

// Decodes the reference starting at s[i] (which must be '&'), appending its
// UTF-8 to `out`. Returns the bytes it spans, or 0 (and appends nothing) when
// there is no known reference there.
size_t decode_entity(std::string_view s, size_t i, std::string& out);

// Appends code point `cp` as UTF-8 (U+FFFD for surrogates and values above U+10FFFF).
void append_utf8(uint32_t cp, std::string& out);

}  // namespace quire
