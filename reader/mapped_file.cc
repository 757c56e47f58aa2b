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
  f->fd_ = fd;
  return f;
}

MappedFile::~MappedFile() {
  if (data_) munmap(const_cast<std::byte*>(data_), size_);
  if (fd_ >= 0) ::close(fd_);
}

Result<int> MappedFile::reopen() const {
  // A new open file description of the same file (its own offset), even if
  // the path has since been replaced or removed.
  std::string self = fmt::format("/proc/self/fd/{}", fd_);
  int fd = ::open(self.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::io_error(fmt::format("cannot open '{}' again: {}", path_, std::strerror(errno)));
  struct stat a, b;
  if (fstat(fd, &a) != 0 || fstat(fd_, &b) != 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
    ::close(fd);
    return Status::io_error(fmt::format("'{}' was replaced while open", path_));
  }
  return fd;
}

}  // namespace quire
