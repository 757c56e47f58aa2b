// Bytes made safe to show in a message or a terminal: valid UTF-8 printable
// text is kept, control characters and bytes that are not UTF-8 become \xNN,
// and long values are cut with "...". Messages quote input through this, so
// an error about a binary body is itself valid UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace quire {

std::string printable(std::string_view bytes, size_t max_bytes = 40);

}  // namespace quire
