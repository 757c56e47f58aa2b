#include "reader/export_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <utility>

namespace quire {
namespace {

std::string errno_text() { return std::strerror(errno); }

std::string random_suffix(std::random_device& random) {
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string s(6, ' ');
  for (char& c : s) c = kChars[random() % (sizeof(kChars) - 1)];
  return s;
}

}  // namespace

Result<std::unique_ptr<ExportFile>> ExportFile::create(const std::string& path) {
  if (path == "-") return std::unique_ptr<ExportFile>(new ExportFile(path, "", STDOUT_FILENO));
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (name.empty()) return Status::invalid_argument(fmt::format("'{}' names a directory, not a file", path));
  // O_EXCL with a random suffix, like mkstemp, but with mode 0644 less the
  // umask (what any other created file gets) instead of mkstemp's 0600.
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string temp = dir + "." + name + ".tmp-" + random_suffix(random);
    int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) return std::unique_ptr<ExportFile>(new ExportFile(path, std::move(temp), fd));
    if (errno != EEXIST) break;
  }
  return Status::io_error(fmt::format("cannot create '{}': {}", path, errno_text()));
}

ExportFile::~ExportFile() { abandon(); }

Status ExportFile::write(std::string_view bytes) {
  if (fd_ < 0) return Status::io_error(fmt::format("cannot write '{}': already closed", path_));
  offset_ += bytes.size();
  if (buffer_.size() + bytes.size() < kBufferBytes) {
    buffer_.append(bytes);
    return Status::ok();
  }
  QUIRE_RETURN_IF_ERROR(flush());
  if (bytes.size() < kBufferBytes) {
    buffer_.append(bytes);
    return Status::ok();
  }
  return write_fd(bytes);
}

Status ExportFile::flush() {
  Status s = write_fd(buffer_);
  buffer_.clear();
  return s;
}

Status ExportFile::write_fd(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::io_error(fmt::format("cannot write '{}': {}", temp_.empty() ? path_ : temp_, errno_text()));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::ok();
}

Status ExportFile::commit() {
  if (fd_ < 0) return Status::io_error(fmt::format("cannot write '{}': already closed", path_));
  QUIRE_RETURN_IF_ERROR(flush());
  if (temp_.empty()) {  // standard output: nothing to rename, and it stays open
    fd_ = -1;
    return Status::ok();
  }
  int fd = std::exchange(fd_, -1);
  std::string temp = std::exchange(temp_, "");
  bool synced = fsync(fd) == 0;
  int error = errno;
  bool closed = ::close(fd) == 0;
  if (!closed && synced) error = errno;
  if (!synced || !closed || rename(temp.c_str(), path_.c_str()) != 0) {
    if (synced && closed) error = errno;
    unlink(temp.c_str());
    return Status::io_error(fmt::format("cannot write '{}': {}", path_, std::strerror(error)));
  }
  return Status::ok();
}

void ExportFile::abandon() {
  buffer_.clear();
  if (temp_.empty()) return;  // committed, or standard output
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  unlink(temp_.c_str());
  temp_.clear();
}

}  // namespace quire
