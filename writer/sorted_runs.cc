#include "writer/sorted_runs.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <utility>

namespace quire {
namespace {

// A run is read through a buffer of at least this many values, even when
// the budget divided among very many runs would give less (a short read per
// value would make the merge seek-bound).
constexpr size_t kMinReadValues = 512;

// K-way merge of sorted runs in the spill file, smallest value first.
class MergedRuns final : public SequenceSource<uint64_t> {
 public:
  MergedRuns(SpillFile& file, const std::vector<SortedRuns::Run>& runs, uint64_t total, size_t buffer_values)
      : file_(file), total_(total) {
    for (const SortedRuns::Run& r : runs) cursors_.push_back({r.offset, r.count, std::vector<uint64_t>(), 0});
    for (Cursor& c : cursors_) c.buffer.reserve(std::min<uint64_t>(buffer_values, c.left));
  }
  Status start() {
    for (size_t i = 0; i < cursors_.size(); ++i) QUIRE_RETURN_IF_ERROR(push_next(i));
    return Status::ok();
  }
  uint64_t size() const override { return total_; }
  Result<size_t> read(std::span<uint64_t> out) override {
    size_t n = 0;
    while (n < out.size() && !heap_.empty()) {
      auto [value, run] = heap_.top();
      heap_.pop();
      out[n++] = value;
      QUIRE_RETURN_IF_ERROR(push_next(run));
    }
    return n;
  }

 private:
  struct Cursor {
    uint64_t offset, left;  // still in the file
    std::vector<uint64_t> buffer;
    size_t pos;
  };
  // Puts run `i`'s next value on the heap, refilling its buffer when empty.
  Status push_next(size_t i) {
    Cursor& c = cursors_[i];
    if (c.pos == c.buffer.size()) {
      if (c.left == 0) return Status::ok();
      size_t n = static_cast<size_t>(std::min<uint64_t>(c.buffer.capacity(), c.left));
      c.buffer.resize(n);
      QUIRE_RETURN_IF_ERROR(file_.read(c.offset, std::as_writable_bytes(std::span(c.buffer))));
      c.offset += n * sizeof(uint64_t);
      c.left -= n;
      c.pos = 0;
    }
    heap_.emplace(c.buffer[c.pos++], i);
    return Status::ok();
  }

  SpillFile& file_;
  uint64_t total_;
  std::vector<Cursor> cursors_;
  using Item = std::pair<uint64_t, size_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap_;
};

// The buffer itself, sorted: the case of everything fitting in the budget.
class SortedBuffer final : public SequenceSource<uint64_t> {
 public:
  explicit SortedBuffer(std::vector<uint64_t> values) : values_(std::move(values)), source_(values_) {
    std::sort(values_.begin(), values_.end());
  }
  uint64_t size() const override { return values_.size(); }
  Result<size_t> read(std::span<uint64_t> out) override { return source_.read(out); }

 private:
  std::vector<uint64_t> values_;
  VectorSource<uint64_t> source_;
};

}  // namespace

SortedRuns::SortedRuns(SpillFile& file, uint64_t budget_bytes)
    : file_(file), limit_(std::max<size_t>(kMinReadValues, budget_bytes / sizeof(uint64_t))) {}

Status SortedRuns::make_room() {
  if (buffer_.capacity() < limit_) {
    // Grow by doubling, but never past the limit (a plain vector could overshoot it by half).
    buffer_.reserve(std::min(limit_, std::max<size_t>(1024, 2 * buffer_.capacity())));
    return Status::ok();
  }
  return spill();
}

Status SortedRuns::spill() {
  std::sort(buffer_.begin(), buffer_.end());
  QUIRE_ASSIGN_OR_RETURN(uint64_t offset, file_.append(std::as_bytes(std::span(buffer_))));
  runs_.push_back({offset, buffer_.size()});
  buffer_.clear();
  return Status::ok();
}

Result<std::unique_ptr<SequenceSource<uint64_t>>> SortedRuns::sorted() {
  if (runs_.empty()) return std::unique_ptr<SequenceSource<uint64_t>>(new SortedBuffer(std::move(buffer_)));
  if (!buffer_.empty()) QUIRE_RETURN_IF_ERROR(spill());
  std::vector<uint64_t>().swap(buffer_);  // the merge buffers take its place in the budget
  size_t per_run = std::max(kMinReadValues, limit_ / runs_.size());
  auto merged = std::make_unique<MergedRuns>(file_, runs_, size_, per_run);
  QUIRE_RETURN_IF_ERROR(merged->start());
  return std::unique_ptr<SequenceSource<uint64_t>>(std::move(merged));
}

}  // namespace quire
