// Checksums and digests (SPEC.md 10).
//  - XXH3-64 guards sections and the fixed structures: fast enough to check on
//    every block load (tens of GB/s), and good at catching flipped bits and
//    torn writes. It is not a defence against deliberate tampering: that is
//    what the SHA-256 of every body and the content digest are for.
//  - SHA-256 identifies bodies and the archive's content.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace quire {

using Sha256 = std::array<uint8_t, 32>;

uint64_t xxh3_64(std::span<const std::byte> bytes);
uint64_t xxh3_64(std::string_view bytes);

// Low 32 bits of XXH3-64: the check of the small fixed structures.
inline uint32_t xxh3_low32(std::span<const std::byte> bytes) {
  return static_cast<uint32_t>(xxh3_64(bytes));
}

Sha256 sha256(std::span<const std::byte> bytes);
inline Sha256 sha256(std::string_view s) {
  return sha256(std::span(reinterpret_cast<const std::byte*>(s.data()), s.size()));
}

// Incremental SHA-256 (for the content digest and the file digest).
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void update(std::span<const std::byte> bytes);
  void update(std::string_view s) {
    update(std::span(reinterpret_cast<const std::byte*>(s.data()), s.size()));
  }
  Sha256 finish();

 private:
  void* ctx_;  // EVP_MD_CTX*
};

std::string to_hex(std::span<const uint8_t> bytes);
// Parses 64 hex digits (either case); false on anything else.
bool parse_sha256_hex(std::string_view hex, Sha256& out);

}  // namespace quire
