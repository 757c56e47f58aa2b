#include "writer/key_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <optional>

namespace quire {
namespace {

// Runs merge when this many of one tier exist; the merged run is one tier up.
constexpr size_t kMergeWidth = 4;
// Bloom filter: 10 bits and 7 probes per key, all probes of a key in one
// 64-byte block (one cache miss per run per lookup instead of seven): about
// 1% false positives.
constexpr uint64_t kFilterBitsPerKey = 10;
constexpr int kFilterProbes = 7;

Hash128 key_at(const std::byte* record) {
  Hash128 k;
  std::memcpy(&k, record, sizeof k);
  return k;
}

class BloomFilter {
 public:
  explicit BloomFilter(uint64_t keys) : home_blocks_(blocks_for(keys)), blocks_(home_blocks_) {}
  static uint64_t blocks_for(uint64_t keys) { return keys * kFilterBitsPerKey / 512 + 1; }
  static uint64_t bytes_for(uint64_t keys) { return blocks_for(keys) * sizeof(Block); }
  uint64_t bytes() const { return blocks_.size() * sizeof(Block); }
  bool folded() const { return shift_ > 0; }
  void add(const Hash128& k) {
    Block& b = blocks_[index(k)];
    for (int i = 0; i < kFilterProbes; ++i) {
      unsigned bit = probe(k, i);
      b.words[bit / 64] |= uint64_t{1} << (bit % 64);
    }
  }
  bool may_contain(const Hash128& k) const {
    const Block& b = blocks_[index(k)];
    for (int i = 0; i < kFilterProbes; ++i) {
      unsigned bit = probe(k, i);
      if (!(b.words[bit / 64] >> (bit % 64) & 1)) return false;
    }
    return true;
  }
  // Halves the filter by OR-ing each pair of neighbouring blocks: every key's
  // bits stay set (a key of block i now lives in block i / 2), so there are
  // still no false negatives, at 5 bits per key (about 14% false positives
  // against 1%, still far fewer page reads than no filter at all).
  void fold() {
    std::vector<Block> half((blocks_.size() + 1) / 2);
    for (size_t i = 0; i < blocks_.size(); ++i) {
      for (int w = 0; w < 8; ++w) half[i / 2].words[w] |= blocks_[i].words[w];
    }
    blocks_ = std::move(half);
    ++shift_;
  }

 private:
  struct alignas(64) Block {
    uint64_t words[8] = {};
  };
  // The block from the high half, the bits from 9-bit slices of the low half
  // (both halves are uniform, and the table's slot uses lo's top bits). A
  // folded filter keeps the unfolded block number and shifts it.
  size_t index(const Hash128& k) const {
    return static_cast<size_t>((static_cast<unsigned __int128>(k.hi) * home_blocks_) >> 64) >> shift_;
  }
  static unsigned probe(const Hash128& k, int i) { return static_cast<unsigned>(k.lo >> (9 * i)) & 511; }
  uint64_t home_blocks_;
  int shift_ = 0;
  std::vector<Block> blocks_;
};

}  // namespace

struct KeyRuns::Run {
  uint64_t offset = 0, count = 0;
  int tier = 0;
  bool has_fences = false;
  std::vector<Hash128> fences;        // the first key of each page, if has_fences
  std::optional<BloomFilter> filter;  // none: every lookup reads a page
  void drop_filter() { filter.reset(); }
  void drop_fences() {
    has_fences = false;
    std::vector<Hash128>().swap(fences);
  }
};

KeyRuns::KeyRuns(SpillFile& file, size_t value_size, uint64_t runs_budget_bytes)
    : file_(file), record_size_(sizeof(Hash128) + value_size),
      per_page_(std::max<size_t>(1, kPageBytes / record_size_)),
      filter_share_(runs_budget_bytes - runs_budget_bytes / 8), fence_share_(runs_budget_bytes / 8) {
  assert(record_size_ <= kPageBytes);
}
KeyRuns::~KeyRuns() = default;

size_t KeyRuns::runs() const { return runs_.size(); }

uint64_t KeyRuns::filter_bytes() const {
  uint64_t n = 0;
  for (const Run& r : runs_) n += r.filter ? r.filter->bytes() : 0;
  return n;
}
uint64_t KeyRuns::fence_bytes() const {
  uint64_t n = 0;
  for (const Run& r : runs_) n += r.fences.capacity() * sizeof(Hash128);
  return n;
}

bool KeyRuns::make_room_for_filter(uint64_t count) {
  uint64_t need = BloomFilter::bytes_for(count), used = filter_bytes();
  // Runs at least as large as the new one give way, the largest first: every
  // such filter is folded to half before any folded one is dropped.
  auto largest = [&](bool folded) {
    Run* found = nullptr;
    for (Run& r : runs_) {
      if (r.filter && r.filter->folded() == folded && r.count >= count && (!found || r.count > found->count)) found = &r;
    }
    return found;
  };
  while (used + need > filter_share_) {
    if (Run* r = largest(false)) {
      used -= r->filter->bytes();
      r->filter->fold();
      used += r->filter->bytes();
      ++filters_folded_;
    } else if (Run* f = largest(true)) {
      used -= f->filter->bytes();
      f->drop_filter();
      ++filters_dropped_;
    } else {
      break;
    }
  }
  if (used + need <= filter_share_) return true;
  ++filters_dropped_;  // the new run goes without
  return false;
}

bool KeyRuns::make_room_for_fences(uint64_t count) {
  uint64_t need = (count + per_page_ - 1) / per_page_ * sizeof(Hash128), used = fence_bytes();
  while (used + need > fence_share_) {
    Run* largest = nullptr;
    for (Run& r : runs_) {
      if (r.has_fences && r.count >= count && (!largest || r.count > largest->count)) largest = &r;
    }
    if (!largest) break;
    used -= largest->fences.capacity() * sizeof(Hash128);
    largest->drop_fences();
    ++fences_dropped_;
  }
  if (used + need <= fence_share_) return true;
  ++fences_dropped_;
  return false;
}

Result<KeyRuns::Run> KeyRuns::write_run(std::span<const std::byte> records, size_t count) {
  Run run;
  run.count = count;
  if (make_room_for_filter(count)) run.filter.emplace(count);
  if (make_room_for_fences(count)) {
    run.has_fences = true;
    run.fences.reserve((count + per_page_ - 1) / per_page_);
  }
  for (size_t i = 0; i < count; ++i) {
    Hash128 k = key_at(records.data() + i * record_size_);
    if (run.has_fences && i % per_page_ == 0) run.fences.push_back(k);
    if (run.filter) run.filter->add(k);
  }
  QUIRE_ASSIGN_OR_RETURN(run.offset, file_.append(records.first(count * record_size_)));
  return run;
}

Status KeyRuns::add(std::span<const std::byte> records, size_t count) {
  if (count == 0) return Status::ok();
  QUIRE_ASSIGN_OR_RETURN(Run run, write_run(records, count));
  runs_.push_back(std::move(run));
  for (int tier = 0;; ++tier) {
    size_t n = std::count_if(runs_.begin(), runs_.end(), [&](const Run& r) { return r.tier == tier; });
    if (n < kMergeWidth) return Status::ok();
    QUIRE_RETURN_IF_ERROR(merge_tier(tier));
  }
}

namespace {

// Reads one run sequentially through a small buffer.
struct RunCursor {
  uint64_t offset, left;
  std::vector<std::byte> buffer;
  size_t pos = 0, record_size;
  Status fill(SpillFile& file, size_t buffer_records) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(buffer_records, left));
    buffer.resize(n * record_size);
    QUIRE_RETURN_IF_ERROR(file.read(offset, buffer));
    offset += buffer.size();
    left -= n;
    pos = 0;
    return Status::ok();
  }
  bool done() const { return pos == buffer.size() && left == 0; }
  const std::byte* record() const { return buffer.data() + pos; }
};

}  // namespace

// Merges the oldest kMergeWidth runs of `tier` into one run of tier + 1,
// streaming through fixed buffers, and frees their space in the file.
Status KeyRuns::merge_tier(int tier) {
  std::vector<size_t> inputs;
  for (size_t i = 0; i < runs_.size() && inputs.size() < kMergeWidth; ++i) {
    if (runs_[i].tier == tier) inputs.push_back(i);
  }
  size_t buffer_records = std::max<size_t>(1, kMergeBufferBytes / record_size_);
  std::vector<RunCursor> cursors;
  Run out;
  out.tier = tier + 1;
  for (size_t i : inputs) {
    cursors.push_back({runs_[i].offset, runs_[i].count, {}, 0, record_size_});
    QUIRE_RETURN_IF_ERROR(cursors.back().fill(file_, buffer_records));
    out.count += runs_[i].count;
    // No lookups during the merge: the inputs' filters and fences go now, so
    // the output's take their place in the shares (not counted as dropped).
    runs_[i].drop_filter();
    runs_[i].drop_fences();
  }
  if (make_room_for_filter(out.count)) out.filter.emplace(out.count);
  if (make_room_for_fences(out.count)) {
    out.has_fences = true;
    out.fences.reserve((out.count + per_page_ - 1) / per_page_);
  }
  out.offset = file_.size();
  std::vector<std::byte> pending;
  const size_t pending_limit = buffer_records * record_size_;
  pending.reserve(pending_limit);
  for (uint64_t written = 0; written < out.count; ++written) {
    RunCursor* best = nullptr;  // kMergeWidth inputs: a linear scan beats a heap
    for (RunCursor& c : cursors) {
      if (!c.done() && (!best || key_at(c.record()) < key_at(best->record()))) best = &c;
    }
    Hash128 k = key_at(best->record());
    if (out.has_fences && written % per_page_ == 0) out.fences.push_back(k);
    if (out.filter) out.filter->add(k);
    pending.insert(pending.end(), best->record(), best->record() + record_size_);
    best->pos += record_size_;
    if (best->pos == best->buffer.size() && best->left > 0) QUIRE_RETURN_IF_ERROR(best->fill(file_, buffer_records));
    if (pending.size() >= pending_limit || written + 1 == out.count) {
      QUIRE_RETURN_IF_ERROR(file_.append(pending).status());
      pending.clear();
    }
  }
  for (auto i = inputs.rbegin(); i != inputs.rend(); ++i) {
    file_.release(runs_[*i].offset, runs_[*i].count * record_size_);
    runs_.erase(runs_.begin() + static_cast<std::ptrdiff_t>(*i));
  }
  runs_.insert(runs_.begin() + static_cast<std::ptrdiff_t>(inputs.front()), std::move(out));
  ++merges_;
  return Status::ok();
}

Result<bool> KeyRuns::find(const Hash128& key, std::byte* value) const {
  for (auto run = runs_.rbegin(); run != runs_.rend(); ++run) {
    QUIRE_ASSIGN_OR_RETURN(bool found, find_in(*run, key, value));
    if (found) return true;
  }
  return false;
}

Result<Hash128> KeyRuns::key_of_record(const Run& run, uint64_t index) const {
  Hash128 k;
  QUIRE_RETURN_IF_ERROR(file_.read(run.offset + index * record_size_, std::as_writable_bytes(std::span(&k, 1)))
                            .with_context("key table lookup"));
  return k;
}

Result<bool> KeyRuns::find_in(const Run& run, const Hash128& key, std::byte* value) const {
  if (run.filter && !run.filter->may_contain(key)) return false;
  uint64_t pages_at_or_below;  // pages whose first key is not above `key`
  if (run.has_fences) {
    pages_at_or_below = static_cast<uint64_t>(std::upper_bound(run.fences.begin(), run.fences.end(), key) -
                                              run.fences.begin());
  } else {  // the same binary search, reading each page's first key from the file
    uint64_t lo = 0, hi = (run.count + per_page_ - 1) / per_page_;
    while (lo < hi) {
      uint64_t mid = lo + (hi - lo) / 2;
      QUIRE_ASSIGN_OR_RETURN(Hash128 first, key_of_record(run, mid * per_page_));
      if (!(key < first)) lo = mid + 1;
      else hi = mid;
    }
    pages_at_or_below = lo;
  }
  if (pages_at_or_below == 0) return false;
  uint64_t page = pages_at_or_below - 1;
  uint64_t first = page * per_page_;
  size_t n = static_cast<size_t>(std::min<uint64_t>(per_page_, run.count - first));
  std::byte buffer[kPageBytes];
  std::span<std::byte> bytes(buffer, n * record_size_);
  QUIRE_RETURN_IF_ERROR(file_.read(run.offset + first * record_size_, bytes).with_context("key table lookup"));
  size_t lo = 0, hi = n;  // the first record whose key is not below `key`
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (key_at(buffer + mid * record_size_) < key) lo = mid + 1;
    else hi = mid;
  }
  if (lo == n || key_at(buffer + lo * record_size_) != key) return false;
  std::memcpy(value, buffer + lo * record_size_ + sizeof(Hash128), record_size_ - sizeof(Hash128));
  return true;
}

}  // namespace quire
