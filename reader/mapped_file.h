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

 private:
  MappedFile() = default;
  const std::byte* data_ = nullptr;
  size_t size_ = 0;
  std::string path_;
};

}  // namespace quire
