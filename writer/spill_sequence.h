// An append-only sequence of fixed-size values that keeps its newest values in
// memory (at most `budget_bytes`) and the rest in the spill file, in chunks of
// that size: the finished block entries of the block table, and pack's origin
// of each record (its input line or file). While the values fit, nothing is
// written and at() is a vector index.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

#include "writer/sequence_source.h"
#include "writer/spill_file.h"

namespace quire {

template <typename T>
class SpillSequence {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  // `file` must outlive this object and its readers.
  SpillSequence(SpillFile& file, uint64_t budget_bytes)
      : file_(&file), chunk_(static_cast<size_t>(std::max<uint64_t>(64, budget_bytes / sizeof(T)))) {}

  Status push_back(const T& value) {
    if (memory_.size() == chunk_) {
      QUIRE_ASSIGN_OR_RETURN(uint64_t offset, file_->append(std::as_bytes(std::span(memory_))));
      chunks_.push_back(offset);
      memory_.clear();
    }
    if (memory_.size() == memory_.capacity()) memory_.reserve(std::min(chunk_, std::max<size_t>(64, 2 * memory_.size())));
    memory_.push_back(value);
    return Status::ok();
  }
  uint64_t size() const { return chunks_.size() * chunk_ + memory_.size(); }
  bool spilled() const { return !chunks_.empty(); }

  // The value at `index` < size(): from memory, or one small read.
  Result<T> at(uint64_t index) const {
    uint64_t chunk = index / chunk_;
    if (chunk == chunks_.size()) return memory_[index % chunk_];
    T value;
    QUIRE_RETURN_IF_ERROR(file_->read(chunks_[chunk] + index % chunk_ * sizeof(T),
                                      std::as_writable_bytes(std::span(&value, 1))));
    return value;
  }

  // Streams the values from the first; the sequence must not change meanwhile.
  std::unique_ptr<SequenceSource<T>> reader() const { return std::make_unique<Reader>(*this); }

 private:
  class Reader final : public SequenceSource<T> {
   public:
    explicit Reader(const SpillSequence& s) : s_(s) {}
    uint64_t size() const override { return s_.size(); }
    Result<size_t> read(std::span<T> out) override {
      if (next_ == s_.size()) return size_t{0};
      uint64_t chunk = next_ / s_.chunk_, within = next_ % s_.chunk_;
      size_t n;
      if (chunk == s_.chunks_.size()) {
        n = std::min<size_t>(out.size(), s_.memory_.size() - within);
        std::copy_n(s_.memory_.begin() + static_cast<std::ptrdiff_t>(within), n, out.begin());
      } else {
        n = static_cast<size_t>(std::min<uint64_t>(out.size(), s_.chunk_ - within));
        QUIRE_RETURN_IF_ERROR(s_.file_->read(s_.chunks_[chunk] + within * sizeof(T),
                                             std::as_writable_bytes(out.first(n))));
      }
      next_ += n;
      return n;
    }

   private:
    const SpillSequence& s_;
    uint64_t next_ = 0;
  };

  SpillFile* file_;
  size_t chunk_;                  // values per chunk, in memory or in the file
  std::vector<uint64_t> chunks_;  // offsets of full chunks in the file
  std::vector<T> memory_;         // the values after the last full chunk
};

}  // namespace quire
