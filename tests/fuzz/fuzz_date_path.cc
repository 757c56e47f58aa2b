// libFuzzer target: dates, ids to paths, UTF-8 offsets, base64 — the small
// parsers every input passes through.
#include <cstdint>
#include <string_view>

#include "format/base64.h"
#include "format/id_path.h"
#include "format/model.h"
#include "format/utf8_offsets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  auto d = quire::Date::parse(s);
  if (d) {
    auto again = quire::Date::parse(d->to_string());
    if (!again || !(*again == *d)) __builtin_trap();  // canonical text must parse back to the same date
  }
  std::string p = quire::id_to_relative_path(s);
  if (p.find("/../") != std::string::npos || p.rfind("../", 0) == 0 || p == "..") __builtin_trap();
  for (uint64_t off : {uint64_t{0}, uint64_t{size / 2}, uint64_t{size}}) {
    auto cp = quire::byte_to_codepoint(s, off);
    if (cp) {
      auto back = quire::codepoint_to_byte(s, *cp);
      if (!back || *back != off) __builtin_trap();
    }
  }
  (void)quire::base64_decode(s);
  return 0;
}
