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
// Memory: the budget, plus about 1.4 bytes per spilled key (filter and fences),
// plus fixed merge buffers (KeyRuns::kMergeBufferBytes).
#pragma once

#include <algorithm>
#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <type_traits>
#include <vector>

#include "writer/spill_file.h"

namespace quire {

struct Hash128 {
  uint64_t lo = 0, hi = 0;
  auto operator<=>(const Hash128&) const = default;
};

// The sorted runs of one table in the spill file. A record is the 16-byte key
// (lo, hi, host order) followed by `value_size` bytes.
class KeyRuns {
 public:
  static constexpr size_t kPageBytes = 4096;
  static constexpr size_t kMergeBufferBytes = 64 * 1024;  // per input run and for the output
  KeyRuns(SpillFile& file, size_t value_size);
  ~KeyRuns();
  KeyRuns(const KeyRuns&) = delete;
  KeyRuns& operator=(const KeyRuns&) = delete;

  // Appends `count` records sorted by key as a new run, then merges tiers.
  Status add(std::span<const std::byte> records, size_t count);
  // Copies the value of `key` to `value` (value_size bytes); false if absent.
  Result<bool> find(const Hash128& key, std::byte* value) const;
  size_t runs() const;
  uint64_t merges() const { return merges_; }

 private:
  struct Run;
  Result<Run> write_run(std::span<const std::byte> records, size_t count);
  Status merge_tier(int tier);
  Result<bool> find_in(const Run& run, const Hash128& key, std::byte* value) const;

  SpillFile& file_;
  size_t record_size_, per_page_;
  std::vector<Run> runs_;  // oldest first
  uint64_t merges_ = 0;
};

// The table itself. V is trivially copyable. Keys are unique: callers
// find() before insert().
template <typename V>
class KeyTable {
 public:
  KeyTable(SpillFile& file, uint64_t budget_bytes)
      : max_slots_(std::max<uint64_t>(16, budget_bytes * 2 / (3 * sizeof(Slot)))), runs_(file, sizeof(V)) {}

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
