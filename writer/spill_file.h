// The one unlinked temporary file a writer spills its per-article state to
// when that state outgrows WriterOptions::memory_budget (README "Memory while
// packing"). It has no name from the moment it exists, so nothing is left
// behind however the process ends (even SIGKILL): the kernel frees the space
// when the descriptor closes.
//
// The file is created on the first append, so a corpus that fits in the budget
// never touches the disk. Where: O_TMPFILE in `dir` (the output's directory,
// same filesystem as the archive); when `dir` is "" (the archive goes to a
// descriptor) or O_TMPFILE fails there, mkstemp in $TMPDIR (or /tmp), unlinked
// at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "format/status.h"

namespace quire {

class SpillFile {
 public:
  explicit SpillFile(std::string dir) : dir_(std::move(dir)) {}
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Appends `bytes` at the end and returns their offset.
  Result<uint64_t> append(std::span<const std::byte> bytes);
  // Reads exactly out.size() bytes at `offset` (all within what was appended).
  Status read(uint64_t offset, std::span<std::byte> out) const;
  // Gives the disk space of a range nobody reads any more back (best effort:
  // a hole is punched where the filesystem supports it).
  void release(uint64_t offset, uint64_t length);

  uint64_t size() const { return size_; }
  bool created() const { return fd_ >= 0; }
  // The directory the file lives in ("" before it is created), for messages.
  const std::string& directory() const { return where_; }

 private:
  Status create();

  std::string dir_;    // where to try O_TMPFILE first
  std::string where_;  // where the file was made
  int fd_ = -1;
  uint64_t size_ = 0;
};

}  // namespace quire
