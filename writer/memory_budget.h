// How WriterOptions::memory_budget is shared among the state that grows with
// the corpus (README "Memory while packing"). The shares are sized so that
// each structure spills at about the same article count for corpora of small
// articles: a key-table slot costs 1.5 x (16 + value) bytes at most (the table
// grows by doubling), an index entry 8 bytes, a block entry 32 bytes (one per
// block of up to 4096 articles).
#pragma once

#include <algorithm>
#include <cstdint>

namespace quire {

// Budgets below this are raised to it: each share must hold at least a few
// pages' worth of records for the spill structures to make progress.
inline constexpr uint64_t kMinMemoryBudget = 16 * 1024;

struct MemoryShares {
  uint64_t ids;          // id hash -> record (duplicate-id check)
  uint64_t bodies;       // SHA-256 prefix -> body location (deduplication)
  uint64_t id_entries;   // id index entries awaiting the sort
  uint64_t sha_entries;  // SHA-256 index entries awaiting the sort
  uint64_t blocks;       // finished block-table entries
  uint64_t origins;      // pack: where each record came from (input line or file)

  // In 32nds: 10 + 14 + 3 + 2 + 1 + 2 = 32.
  static MemoryShares of(uint64_t budget) {
    uint64_t b = std::max(budget, kMinMemoryBudget) / 32;
    return {10 * b, 14 * b, 3 * b, 2 * b, 1 * b, 2 * b};
  }
};

}  // namespace quire
