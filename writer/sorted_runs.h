// External sort of 64-bit values (the id and SHA-256 index entries, SPEC.md
// 7): values collect in memory up to `budget_bytes`; each time the buffer is
// full it is sorted and appended to the spill file as a run. sorted() then
// yields every value in ascending order by a k-way merge of the runs. While
// nothing was spilled, sorted() sorts the buffer in place: the same cost as a
// plain std::sort of a vector.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "writer/sequence_source.h"
#include "writer/spill_file.h"

namespace quire {

class SortedRuns {
 public:
  struct Run {  // a sorted run in the spill file
    uint64_t offset, count;
  };

  // `file` must outlive this object and every source it returns.
  SortedRuns(SpillFile& file, uint64_t budget_bytes);

  Status add(uint64_t value) {
    if (buffer_.size() == buffer_.capacity()) QUIRE_RETURN_IF_ERROR(make_room());
    buffer_.push_back(value);
    ++size_;
    return Status::ok();
  }
  uint64_t size() const { return size_; }
  size_t runs() const { return runs_.size(); }
  // All values added, ascending. Call once, after the last add(); the source
  // reads at most about `budget_bytes` of buffers at a time.
  Result<std::unique_ptr<SequenceSource<uint64_t>>> sorted();

 private:
  Status make_room();
  Status spill();

  SpillFile& file_;
  size_t limit_;  // values in memory at most
  std::vector<uint64_t> buffer_;
  std::vector<Run> runs_;
  uint64_t size_ = 0;
};

}  // namespace quire
