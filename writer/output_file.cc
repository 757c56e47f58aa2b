#include "writer/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <fmt/format.h>
#include <pthread.h>

#include <csignal>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace quire {
namespace {

constexpr size_t kBufferSize = 1 << 20;

Status errno_status(const std::string& what, const std::string& path) {
  return Status::io_error(fmt::format("{} '{}': {}", what, path, std::strerror(errno)));
}

}  // namespace

void with_termination_signals_held(const std::function<void()>& create) {
  sigset_t held, old;
  sigemptyset(&held);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&held, sig);
  pthread_sigmask(SIG_BLOCK, &held, &old);
  create();
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

Result<std::unique_ptr<OutputFile>> OutputFile::create_beside(const std::string& target, bool sync,
                                                              const std::function<void(const std::string&)>& on_created) {
  std::filesystem::path t(target);
  std::filesystem::path dir = t.parent_path();
  if (dir.empty()) dir = ".";
  std::string pattern = (dir / ("." + t.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = -1, err = 0;
  with_termination_signals_held([&] {
    fd = mkstemp(name.data());
    err = errno;
    if (fd >= 0 && on_created) on_created(name.data());
  });
  errno = err;
  if (fd < 0) return errno_status("cannot create a temporary file in", dir.string());
  fchmod(fd, 0644);
  std::unique_ptr<OutputFile> out(new OutputFile());
  out->fd_ = fd;
  out->owns_fd_ = true;
  out->sync_ = sync;
  out->target_ = target;
  out->temp_path_ = name.data();
  out->buffer_.reserve(kBufferSize);
  return out;
}

std::unique_ptr<OutputFile> OutputFile::wrap_fd(int fd, std::string name) {
  std::unique_ptr<OutputFile> out(new OutputFile());
  out->fd_ = fd;
  out->target_ = std::move(name);
  out->sync_ = false;
  out->buffer_.reserve(kBufferSize);
  return out;
}

OutputFile::~OutputFile() { abandon(); }

Status OutputFile::flush() {
  const std::byte* p = buffer_.data();
  size_t left = buffer_.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status("cannot write", temp_path_.empty() ? target_ : temp_path_);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  buffer_.clear();
  return Status::ok();
}

Status OutputFile::write(std::span<const std::byte> bytes) {
  if (done_) return Status::invalid_argument("write after commit or abandon");
  offset_ += bytes.size();
  if (buffer_.size() + bytes.size() > kBufferSize) {
    QUIRE_RETURN_IF_ERROR(flush());
    if (bytes.size() >= kBufferSize) {
      buffer_.assign(bytes.begin(), bytes.end());
      return flush();
    }
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  return Status::ok();
}

Status OutputFile::write_zeros(size_t n) {
  static const std::byte kZeros[8] = {};
  while (n > 0) {
    size_t k = n < 8 ? n : 8;
    QUIRE_RETURN_IF_ERROR(write(std::span(kZeros, k)));
    n -= k;
  }
  return Status::ok();
}

Status OutputFile::commit() {
  QUIRE_RETURN_IF_ERROR(flush());
  if (!owns_fd_) {
    done_ = true;
    return Status::ok();
  }
  if (sync_ && ::fsync(fd_) != 0) return errno_status("cannot fsync", temp_path_);
  if (::close(fd_) != 0) {
    fd_ = -1;
    return errno_status("cannot close", temp_path_);
  }
  fd_ = -1;
  if (std::rename(temp_path_.c_str(), target_.c_str()) != 0) {
    return errno_status("cannot rename the finished archive to", target_);
  }
  done_ = true;
  if (sync_) {
    std::filesystem::path dir = std::filesystem::path(target_).parent_path();
    if (dir.empty()) dir = ".";
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
      ::fsync(dfd);  // best effort: some file systems refuse fsync on directories
      ::close(dfd);
    }
  }
  return Status::ok();
}

void OutputFile::abandon() {
  if (done_) return;
  done_ = true;
  if (owns_fd_) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    ::unlink(temp_path_.c_str());
  }
}

}  // namespace quire
