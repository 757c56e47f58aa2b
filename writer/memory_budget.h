// How WriterOptions::memory_budget is shared among the state that grows with
// the corpus (README "Memory while packing"). A key-table slot costs
// 1.5 x (16 + value) bytes at most (the table grows by doubling), a spilled
// key about 1.4 bytes of Bloom filter and page fence, an index entry 8 bytes,
// a block entry 32 bytes (one per block of up to 4096 articles). The filters
// and fences of the key tables' spilled runs have shares of their own
// (writer/key_table.h): when they are full the largest runs go without, so
// nothing grows with the article count beyond the budget.
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
  uint64_t id_runs;      // filters and fences of the spilled runs of `ids`
  uint64_t body_runs;    // the same for `bodies`
  uint64_t id_entries;   // id index entries awaiting the sort
  uint64_t sha_entries;  // SHA-256 index entries awaiting the sort
  uint64_t blocks;       // finished block-table entries
  uint64_t origins;      // pack: where each record came from (input line or file)

  // In 64ths: 8 + 12 + 16 + 16 + 4 + 3 + 1 + 4 = 64. A key kept in memory
  // costs up to 1.5 x (16 + value) bytes, a spilled one about 1.4 bytes of
  // filter and fence, so most of the budget goes to the spilled runs'
  // filters: at the default budget each table holds about 230,000 keys in
  // memory and filters about 12 million spilled ones, so a lookup of a new id
  // or body reads nothing from disk up to about 12 million articles (packing
  // 5,000,000 tiny articles with 3/64 for filters took 3.3x as long).
  static MemoryShares of(uint64_t budget) {
    uint64_t b = std::max(budget, kMinMemoryBudget) / 64;
    return {8 * b, 12 * b, 16 * b, 16 * b, 4 * b, 3 * b, 1 * b, 4 * b};
  }
};

}  // namespace quire
