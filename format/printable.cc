#include "format/printable.h"

#include <fmt/format.h>

#include "format/model.h"

namespace quire {

std::string printable(std::string_view bytes, size_t max_bytes) {
  std::string out;
  size_t i = 0;
  while (i < bytes.size() && i < max_bytes) {
    size_t n = utf8_sequence_length(bytes, i);
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (n == 0 || (n == 1 && (c < 0x20 || c == 0x7f))) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
    } else {
      out.append(bytes.substr(i, n));
      i += n;
    }
  }
  if (i < bytes.size()) out += "...";
  return out;
}

}  // namespace quire
