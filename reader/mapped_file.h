// A read-only memory mapping of a whole file: owning and move-only. Every
// view the reader hands out points into it or into decoded buffers.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>

#include "format/status.h"

namespace quire {

class MappedFile {
 public:
  static Result<std::unique_ptr<MappedFile>> open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::span<const std::byte> bytes() const { return {data_, size_}; }
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // A new descriptor on the same file, positioned at 0, owned by the caller
  // (for libraries that read through a descriptor, such as Xapian).
  Result<int> reopen() const;

 private:
  MappedFile() = default;
  const std::byte* data_ = nullptr;
  size_t size_ = 0;
  std::string path_;
  int fd_ = -1;  // kept open for reopen()
};

}  // namespace quire
