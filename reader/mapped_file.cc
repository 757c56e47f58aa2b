#include "reader/mapped_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace quire {

Result<std::unique_ptr<MappedFile>> MappedFile::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    std::string msg = fmt::format("cannot open '{}': {}", path, std::strerror(e));
    return e == ENOENT ? Status::not_found(msg) : Status::io_error(msg);
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    std::string msg = fmt::format("cannot stat '{}': {}", path, std::strerror(errno));
    ::close(fd);
    return Status::io_error(msg);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::invalid_argument(fmt::format("'{}' is not a regular file", path));
  }
  std::unique_ptr<MappedFile> f(new MappedFile());
  f->path_ = path;
  f->size_ = static_cast<size_t>(st.st_size);
  if (f->size_ > 0) {
    void* p = mmap(nullptr, f->size_, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
      std::string msg = fmt::format("cannot map '{}': {}", path, std::strerror(errno));
      ::close(fd);
      return Status::io_error(msg);
    }
    f->data_ = static_cast<const std::byte*>(p);
  }
  ::close(fd);
  return f;
}

MappedFile::~MappedFile() {
  if (data_) munmap(const_cast<std::byte*>(data_), size_);
}

}  // namespace quire
