// Little-endian loads and stores for the fixed-size structures of SPEC.md 3-5.
// Every integer in a Quire file is little-endian, whatever the host is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace quire {

template <typename T>
inline T load_le(const std::byte* p) {
  T v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    v |= static_cast<T>(static_cast<T>(std::to_integer<uint8_t>(p[i])) << (8 * i));
  }
  return v;
}

template <typename T>
inline void store_le(std::byte* p, T v) {
  for (size_t i = 0; i < sizeof(T); ++i) {
    p[i] = static_cast<std::byte>(static_cast<uint64_t>(v) >> (8 * i));
  }
}

}  // namespace quire
