#include "format/utf8_offsets.h"

#include <fmt/format.h>

#include "format/model.h"

namespace quire {
namespace {

// Length of the UTF-8 sequence at body[i], or 1 for a byte that starts none.
size_t sequence_length(std::string_view body, size_t i) {
  size_t len = utf8_sequence_length(body, i);
  return len ? len : 1;
}

}  // namespace

Result<uint64_t> byte_to_codepoint(std::string_view body, uint64_t byte_offset) {
  if (byte_offset > body.size()) {
    return Status::invalid_argument(fmt::format("byte offset {} is past the end ({})", byte_offset, body.size()));
  }
  uint64_t cp = 0;
  size_t i = 0;
  while (i < byte_offset) {
    i += sequence_length(body, i);
    ++cp;
  }
  if (i != byte_offset) {
    return Status::invalid_argument(fmt::format("byte offset {} is inside a UTF-8 sequence", byte_offset));
  }
  return cp;
}

Result<uint64_t> codepoint_to_byte(std::string_view body, uint64_t cp_offset) {
  size_t i = 0;
  for (uint64_t cp = 0; cp < cp_offset; ++cp) {
    if (i >= body.size()) {
      return Status::invalid_argument(fmt::format("code point offset {} is past the end", cp_offset));
    }
    i += sequence_length(body, i);
  }
  return static_cast<uint64_t>(i);
}

}  // namespace quire
