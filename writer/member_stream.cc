#include "writer/member_stream.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace quire {
namespace {

constexpr size_t kRawBuffer = 1 << 20;

bool gzip_magic_at(const char* p) {
  return static_cast<uint8_t>(p[0]) == 0x1f && static_cast<uint8_t>(p[1]) == 0x8b && p[2] == 8;
}

}  // namespace

Result<std::unique_ptr<MemberStream>> MemberStream::open(const std::string& path) {
  auto s = std::unique_ptr<MemberStream>(new MemberStream());
  s->name_ = path == "-" ? "<stdin>" : path;
  if (path == "-") {
    // Through stdio, not fd 0: input detection may have peeked at stdin, and
    // the peeked bytes sit in stdio's buffer.
    s->stdin_ = stdin;
  } else {
    s->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (s->fd_ < 0) return Status::invalid_argument(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
    s->own_fd_ = true;
  }
  s->raw_.resize(kRawBuffer);
  // Two bytes decide: gzip starts 1f 8b (RFC 1952 2.3.1).
  while (s->raw_end_ < 2 && !s->eof_) QUIRE_RETURN_IF_ERROR(s->fill_raw());
  s->gzip_ = s->raw_end_ >= 2 && static_cast<uint8_t>(s->raw_[0]) == 0x1f && static_cast<uint8_t>(s->raw_[1]) == 0x8b;
  if (s->gzip_) {
    // 15 + 16: a gzip wrapper (header fields such as FEXTRA are parsed and skipped by zlib).
    if (inflateInit2(&s->z_, 15 + 16) != Z_OK) return Status::io_error("zlib initialisation failed");
    s->z_ready_ = true;
  }
  return s;
}

MemberStream::~MemberStream() {
  if (z_ready_) inflateEnd(&z_);
  if (own_fd_) ::close(fd_);
}

Status MemberStream::fill_raw() {
  if (raw_pos_ > 0) {
    std::memmove(raw_.data(), raw_.data() + raw_pos_, raw_end_ - raw_pos_);
    raw_base_ += raw_pos_;
    raw_end_ -= raw_pos_;
    raw_pos_ = 0;
  }
  if (stdin_) {
    size_t n = std::fread(raw_.data() + raw_end_, 1, raw_.size() - raw_end_, stdin_);
    if (n == 0 && std::ferror(stdin_)) return Status::io_error(fmt::format("cannot read '{}': {}", name_, std::strerror(errno)));
    if (n == 0) eof_ = true;
    raw_end_ += n;
    return Status::ok();
  }
  while (raw_end_ < raw_.size()) {
    ssize_t n = ::read(fd_, raw_.data() + raw_end_, raw_.size() - raw_end_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::io_error(fmt::format("cannot read '{}': {}", name_, std::strerror(errno)));
    if (n == 0) eof_ = true;
    raw_end_ += static_cast<size_t>(n);
    break;
  }
  return Status::ok();
}

Result<size_t> MemberStream::read(char* out, size_t n) {
  if (n == 0) return size_t{0};
  return gzip_ ? read_gzip(out, n) : read_plain(out, n);
}

Result<size_t> MemberStream::read_plain(char* out, size_t n) {
  if (raw_pos_ == raw_end_ && !eof_) QUIRE_RETURN_IF_ERROR(fill_raw());
  size_t take = std::min(n, raw_end_ - raw_pos_);
  std::memcpy(out, raw_.data() + raw_pos_, take);
  raw_pos_ += take;
  delivered_ += take;
  return take;
}

// Positions at the next gzip header at or after the current raw position;
// the bytes passed over are reported as one error (unless there are none).
Status MemberStream::skip_to_next_member(const std::string& why) {
  uint64_t from = raw_base_ + raw_pos_;
  for (;;) {
    while (raw_end_ - raw_pos_ >= 3) {
      if (gzip_magic_at(raw_.data() + raw_pos_)) goto found;
      ++raw_pos_;
    }
    if (eof_) {
      raw_pos_ = raw_end_;
      break;
    }
    QUIRE_RETURN_IF_ERROR(fill_raw());
  }
found:
  uint64_t to = raw_base_ + raw_pos_;
  if (to == from && why.empty()) return Status::ok();
  std::string tail = raw_pos_ == raw_end_ ? "up to the end" : fmt::format("up to the next gzip member at byte {}", to);
  return Status::corruption(fmt::format("'{}': {}bytes {}..{} skipped ({})", name_,
                                        why.empty() ? "" : why + "; ", from, to, tail));
}

Result<bool> MemberStream::start_member() {
  while (raw_end_ - raw_pos_ < 3 && !eof_) QUIRE_RETURN_IF_ERROR(fill_raw());
  if (raw_pos_ == raw_end_) return false;
  if (raw_end_ - raw_pos_ < 3 || !gzip_magic_at(raw_.data() + raw_pos_)) {
    // Not a member header: report the stretch up to the next one.
    Status s = skip_to_next_member("data that is not gzip after a member");
    if (!s.is_ok()) return s;
    if (raw_pos_ == raw_end_) return false;
  }
  inflateReset(&z_);
  in_member_ = true;
  member_raw_ = raw_base_ + raw_pos_;
  members_.emplace_back(delivered_, member_raw_);
  return true;
}

Result<size_t> MemberStream::read_gzip(char* out, size_t n) {
  if (!pending_error_.empty()) {
    std::string why = std::move(pending_error_);
    pending_error_.clear();
    return skip_to_next_member(why);
  }
  for (;;) {
    if (!in_member_) {
      QUIRE_ASSIGN_OR_RETURN(bool more, start_member());
      if (!more) return size_t{0};
    }
    if (raw_pos_ == raw_end_) {
      if (eof_) {
        in_member_ = false;
        return Status::corruption(
            fmt::format("'{}': gzip member at byte {} is cut off by the end of the file", name_, member_raw_));
      }
      QUIRE_RETURN_IF_ERROR(fill_raw());
      continue;
    }
    z_.next_in = reinterpret_cast<Bytef*>(raw_.data() + raw_pos_);
    z_.avail_in = static_cast<uInt>(raw_end_ - raw_pos_);
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    int rc = inflate(&z_, Z_NO_FLUSH);
    size_t consumed = (raw_end_ - raw_pos_) - z_.avail_in;
    size_t produced = std::min<size_t>(n, 1u << 30) - z_.avail_out;
    raw_pos_ += consumed;
    delivered_ += produced;
    if (rc == Z_STREAM_END) {
      in_member_ = false;
      if (produced > 0) return produced;
      continue;
    }
    if (rc == Z_OK || rc == Z_BUF_ERROR) {
      if (produced > 0) return produced;
      if (consumed == 0 && z_.avail_in > 0) {
        in_member_ = false;
        return Status::corruption(fmt::format("'{}': gzip member at byte {} makes no progress", name_, member_raw_));
      }
      continue;
    }
    // Z_DATA_ERROR and friends: this member is damaged from here on.
    in_member_ = false;
    std::string why = fmt::format("gzip member at byte {} is damaged ({})", member_raw_, z_.msg ? z_.msg : "zlib error");
    if (produced > 0) {
      // Deliver what came out first; the error surfaces on the next call.
      pending_error_ = why;
      return produced;
    }
    return skip_to_next_member(why);
  }
}

std::optional<uint64_t> MemberStream::member_between(uint64_t pos, uint64_t end) const {
  for (const auto& [start, raw] : members_) {
    if (start >= pos && start < end) return raw;
  }
  return std::nullopt;
}

void MemberStream::forget_before(uint64_t pos) {
  while (!members_.empty() && members_.front().first < pos) members_.pop_front();
}

}  // namespace quire
