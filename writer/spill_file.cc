#include "writer/spill_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace quire {
namespace {

std::string temp_directory() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

// mkstemp in `dir`, unlinked at once; -1 with errno on failure.
int unlinked_mkstemp(const std::string& dir) {
  std::string pattern = dir + "/.quire-spill-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd >= 0) ::unlink(name.data());
  return fd;
}

}  // namespace

SpillFile::~SpillFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status SpillFile::create() {
  std::string first_error;
  if (!dir_.empty()) {
    fd_ = ::open(dir_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd_ >= 0) {
      where_ = dir_;
      return Status::ok();
    }
    first_error = fmt::format("O_TMPFILE in '{}': {}; ", dir_, std::strerror(errno));
  }
  std::string tmp = temp_directory();
  fd_ = unlinked_mkstemp(tmp);
  if (fd_ < 0) {
    return Status::io_error(fmt::format("cannot create the spill file for the writer's memory budget ({}mkstemp in '{}': {})",
                                        first_error, tmp, std::strerror(errno)));
  }
  where_ = tmp;
  return Status::ok();
}

Result<uint64_t> SpillFile::append(std::span<const std::byte> bytes) {
  if (fd_ < 0) QUIRE_RETURN_IF_ERROR(create());
  uint64_t start = size_;
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(start + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return Status::io_error(fmt::format("cannot write {} bytes to the spill file in '{}' at offset {}: {}", bytes.size(),
                                          where_, start + done, n < 0 ? std::strerror(errno) : "no progress"));
    }
    done += static_cast<size_t>(n);
  }
  size_ += bytes.size();
  return start;
}

Status SpillFile::read(uint64_t offset, std::span<std::byte> out) const {
  if (fd_ < 0 || offset + out.size() > size_) {
    return Status::io_error(fmt::format("spill file in '{}': read of {} bytes at {} beyond its {} bytes", where_,
                                        out.size(), offset, size_));
  }
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return Status::io_error(fmt::format("cannot read {} bytes of the spill file in '{}' at offset {}: {}", out.size(),
                                          where_, offset + done, n < 0 ? std::strerror(errno) : "end of file"));
    }
    done += static_cast<size_t>(n);
  }
  return Status::ok();
}

void SpillFile::release(uint64_t offset, uint64_t length) {
  if (fd_ < 0 || length == 0) return;
  // Failure only costs disk space until the file is closed.
  (void)::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(offset),
                    static_cast<off_t>(length));
}

}  // namespace quire
