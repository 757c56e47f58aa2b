// Conversion between the UTF-8 byte offsets stored in annotations (SPEC.md
// 2.3) and Unicode code point offsets, which most NLP tools emit. A byte that
// is not part of a valid UTF-8 sequence counts as one code point, so every
// body converts, valid or not.
#pragma once

#include <cstdint>
#include <string_view>

#include "format/status.h"

namespace quire {

// Code point offset of byte offset `byte_offset` (<= body.size()); fails if it
// falls inside a multi-byte sequence.
Result<uint64_t> byte_to_codepoint(std::string_view body, uint64_t byte_offset);
// Byte offset of code point offset `cp_offset`; fails past the end.
Result<uint64_t> codepoint_to_byte(std::string_view body, uint64_t cp_offset);

}  // namespace quire
