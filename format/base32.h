// RFC 4648 base32 (alphabet A-Z 2-7), the encoding WARC tools use for
// `sha1:` digests (SPEC.md 14). A SHA-1 is 20 bytes: 32 characters, no padding.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace quire {

// Upper case, with '=' padding to a multiple of 8 characters (none for 20 bytes).
std::string base32_encode(std::span<const uint8_t> bytes);
// Accepts either case, with or without '=' padding; nullopt on any other
// character or on a length no encoder produces.
std::optional<std::vector<uint8_t>> base32_decode(std::string_view text);

}  // namespace quire
