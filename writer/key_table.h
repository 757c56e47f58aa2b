// Exact lookup from a 128-bit key (a hash: keys are uniformly spread) to a
// fixed-size value in bounded memory: the writer's duplicate-id check (id hash
// -> record) and deduplication (SHA-256 prefix -> body location).
//
// New keys go to an open-addressing table in memory of at most `budget_bytes`.
// When it is full its records are sorted by key and appended to the spill file
// as a run, with one fence key per 4 KiB page and a Bloom filter (10 bits per
// key) kept in memory. Runs merge when 4 of one tier exist (size-tiered), so
// their number stays logarithmic in the key count. A lookup checks memory,
// then each run, newest first: its filter, a binary search over its fences,
// one pread of one page. The filter makes a miss (the common case: every new
// id and every new body) cost no I/O 99% of the time.
//
// Filters and fences live within `runs_budget_bytes` (7/8 for filters, 1/8
// for fences). A new or merged run that would exceed a share takes the share
// of the largest runs that have one: their filters are folded to half (5 bits
// per key, about 14% false positives, still no false negatives), then dropped,
// and their fences dropped; a run goes without if it is itself the largest.
// A run without a filter costs a fence search and one page read per lookup
// (as a filter hit does); one without fences a binary search by pread over its
// pages (log2(pages) reads of one key each) and one page read. So the memory is bounded whatever the key
// count: budget_bytes + runs_budget_bytes + fixed merge buffers
// (KeyRuns::kMergeBufferBytes per input run and for the output) + a few dozen
// bytes per run (logarithmic in the key count).
#pragma once

#include <algorithm>
#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include <xxhash.h>

#include "writer/spill_file.h"

namespace quire {

struct Hash128 {
  uint64_t lo = 0, hi = 0;
  auto operator<=>(const Hash128&) const = default;
};

// The key of an id in the duplicate-id tables of the writer and the set
// writer: XXH3-128 of its bytes (a collision among 2^32 ids has odds of
// about 2^-64).
inline Hash128 id_hash(std::string_view id) {
  XXH128_hash_t h = XXH3_128bits(id.data(), id.size());
  return {h.low64, h.high64};
}

// The sorted runs of one table in the spill file. A record is the 16-byte key
// (lo, hi, host order) followed by `value_size` bytes.
class KeyRuns {
 public:
  static constexpr size_t kPageBytes = 4096;
  static constexpr size_t kMergeBufferBytes = 64 * 1024;  // per input run and for the output
  // `runs_budget_bytes`: memory for the filters and fences of all runs.
  KeyRuns(SpillFile& file, size_t value_size, uint64_t runs_budget_bytes);
  ~KeyRuns();
  KeyRuns(const KeyRuns&) = delete;
  KeyRuns& operator=(const KeyRuns&) = delete;

  // Appends `count` records sorted by key as a new run, then merges tiers.
  Status add(std::span<const std::byte> records, size_t count);
  // Copies the value of `key` to `value` (value_size bytes); false if absent.
  Result<bool> find(const Hash128& key, std::byte* value) const;
  size_t runs() const;
  uint64_t merges() const { return merges_; }
  // Runs written (or merged) without a filter or whose filter was dropped to
  // stay within the share; the same for fences. Bytes held now by each.
  uint64_t filters_dropped() const { return filters_dropped_; }
  uint64_t filters_folded() const { return filters_folded_; }
  uint64_t fences_dropped() const { return fences_dropped_; }
  uint64_t filter_bytes() const;
  uint64_t fence_bytes() const;

 private:
  struct Run;
  Result<Run> write_run(std::span<const std::byte> records, size_t count);
  Status merge_tier(int tier);
  Result<bool> find_in(const Run& run, const Hash128& key, std::byte* value) const;
  // Whether a new run of `count` keys may have a filter (fences): drops those
  // of the largest other runs, largest first, until it fits in the share.
  bool make_room_for_filter(uint64_t count);
  bool make_room_for_fences(uint64_t count);
  Result<Hash128> key_of_record(const Run& run, uint64_t index) const;

  SpillFile& file_;
  size_t record_size_, per_page_;
  uint64_t filter_share_, fence_share_;
  std::vector<Run> runs_;  // oldest first
  uint64_t merges_ = 0, filters_dropped_ = 0, filters_folded_ = 0, fences_dropped_ = 0;
};

// The table itself. V is trivially copyable. Keys are unique: callers
// find() before insert().
template <typename V>
class KeyTable {
 public:
  // `budget_bytes` for the table in memory, `runs_budget_bytes` for the
  // filters and fences of the spilled runs.
  KeyTable(SpillFile& file, uint64_t budget_bytes, uint64_t runs_budget_bytes)
      : max_slots_(std::max<uint64_t>(16, budget_bytes * 2 / (3 * sizeof(Slot)))),
        runs_(file, sizeof(V), runs_budget_bytes) {}

  Result<std::optional<V>> find(const Hash128& key) const {
    if (key == Hash128{}) return zero_;
    if (!slots_.empty()) {
      for (size_t i = slot_of(key);; i = next(i)) {
        if (slots_[i].key == key) return std::optional<V>(slots_[i].value);
        if (slots_[i].key == Hash128{}) break;
      }
    }
    V value;
    QUIRE_ASSIGN_OR_RETURN(bool found, runs_.find(key, reinterpret_cast<std::byte*>(&value)));
    return found ? std::optional<V>(value) : std::nullopt;
  }

  Status insert(const Hash128& key, const V& value) {
    ++size_;
    if (key == Hash128{}) {  // the empty-slot marker: kept aside, never spilled
      zero_ = value;
      return Status::ok();
    }
    if (4 * (used_ + 1) > 3 * slots_.size()) QUIRE_RETURN_IF_ERROR(make_room());
    size_t i = slot_of(key);
    while (slots_[i].key != Hash128{}) i = next(i);
    slots_[i] = Slot{key, value};
    ++used_;
    return Status::ok();
  }

  uint64_t size() const { return size_; }
  size_t runs() const { return runs_.runs(); }
  uint64_t merges() const { return runs_.merges(); }
  const KeyRuns& spilled() const { return runs_; }

 private:
  struct Slot {
    Hash128 key;
    V value;
  };
  static_assert(std::is_trivially_copyable_v<V> && sizeof(Slot) == sizeof(Hash128) + sizeof(V), "no padding");

  size_t slot_of(const Hash128& key) const {
    return static_cast<size_t>((static_cast<unsigned __int128>(key.lo) * slots_.size()) >> 64);
  }
  size_t next(size_t i) const { return i + 1 == slots_.size() ? 0 : i + 1; }

  // Grows the table up to its share of the budget, then spills it as a run.
  Status make_room() {
    if (slots_.size() < max_slots_) {
      rehash(std::min<uint64_t>(max_slots_, std::max<size_t>(1024, 2 * slots_.size())));
      return Status::ok();
    }
    size_t n = 0;  // compact in place, then sort: no second buffer
    for (const Slot& s : slots_) {
      if (s.key != Hash128{}) slots_[n++] = s;
    }
    std::sort(slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(n),
              [](const Slot& a, const Slot& b) { return a.key < b.key; });
    Status s = runs_.add(std::as_bytes(std::span(slots_.data(), n)), n);
    std::fill(slots_.begin(), slots_.end(), Slot{});
    used_ = 0;
    return s;
  }
  void rehash(size_t capacity) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(capacity, Slot{});
    used_ = 0;
    for (const Slot& s : old) {
      if (s.key == Hash128{}) continue;
      size_t i = slot_of(s.key);
      while (slots_[i].key != Hash128{}) i = next(i);
      slots_[i] = s;
      ++used_;
    }
  }

  // Slots at most: with the old table alive while it grows 2x, 1.5 x this
  // many slots stay within the budget.
  uint64_t max_slots_;
  std::vector<Slot> slots_;
  size_t used_ = 0;
  uint64_t size_ = 0;
  std::optional<V> zero_;
  KeyRuns runs_;
};

}  // namespace quire
