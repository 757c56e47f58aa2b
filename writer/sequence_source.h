// A stream of fixed-size values read a slice at a time: how the tail writer
// receives index entries (in ascending order) and block entries (in block
// order) that may live partly in a spill file.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "format/status.h"

namespace quire {

template <typename T>
class SequenceSource {
 public:
  virtual ~SequenceSource() = default;
  // Values in total, read or not.
  virtual uint64_t size() const = 0;
  // Fills the front of `out` with the next values; returns how many (0 only at the end).
  virtual Result<size_t> read(std::span<T> out) = 0;
};

// A source over a vector the caller keeps alive.
template <typename T>
class VectorSource final : public SequenceSource<T> {
 public:
  explicit VectorSource(const std::vector<T>& values) : values_(values) {}
  uint64_t size() const override { return values_.size(); }
  Result<size_t> read(std::span<T> out) override {
    size_t n = std::min(out.size(), values_.size() - next_);
    std::copy_n(values_.begin() + static_cast<std::ptrdiff_t>(next_), n, out.begin());
    next_ += n;
    return n;
  }

 private:
  const std::vector<T>& values_;
  size_t next_ = 0;
};

}  // namespace quire
