// Keys of the lookup indexes (SPEC.md 7.2, 7.3). An index entry is
// (key << 32) | record; entries are sorted as unsigned 64-bit integers.
// Keys are 32 bits, so several records may share one: a lookup confirms each
// candidate against the record itself.
#pragma once

#include <cstdint>
#include <string_view>

#include "format/checksum.h"

namespace quire {

// High 32 bits of XXH3-64 (seed 0) of the id's bytes.
inline uint32_t id_key(std::string_view id) { return static_cast<uint32_t>(xxh3_64(id) >> 32); }

// The first four bytes of the SHA-256, big-endian (the order they print in).
inline uint32_t sha_key(const Sha256& sha) {
  return (uint32_t{sha[0]} << 24) | (uint32_t{sha[1]} << 16) | (uint32_t{sha[2]} << 8) | sha[3];
}

inline uint64_t index_entry(uint32_t key, uint64_t record) { return (uint64_t{key} << 32) | record; }
inline uint32_t entry_key(uint64_t entry) { return static_cast<uint32_t>(entry >> 32); }
inline uint32_t entry_record(uint64_t entry) { return static_cast<uint32_t>(entry); }

// Records are numbered with 32 bits in the indexes: an archive holds fewer
// than 2^32 - 1 articles (archive sets hold more).
inline constexpr uint64_t kMaxArticles = 0xFFFFFFFEu;
// Entries per index page (8 MiB messages) and blocks per block-table page
// (2 MiB): far below Cap'n Proto's 2^29 list limit and its 64 MiB
// default traversal limit.
inline constexpr uint64_t kIndexPageEntries = 1u << 20;
inline constexpr uint64_t kBlockTablePageEntries = 1u << 16;

}  // namespace quire
