// The bytes of an input file that is either plain or gzip, read once from
// the start (so it may be stdin). gzip input may hold many members back to
// back (a per-record .warc.gz) and members may carry FEXTRA/FNAME/FCOMMENT
// fields; the raw offset where each member starts is kept, because a WARC
// record's offset is that of its member.
//
// Damage does not end the stream: a member whose deflate data is bad, or
// bytes between members that are not gzip, give one Corruption error naming
// the raw offset, and the next read resumes at the next gzip member header
// found after it. A member cut off by the end of the input is reported the
// same way. Only an I/O error (a failing read) is final.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "format/status.h"

namespace quire {

class MemberStream {
 public:
  // `path` "-" reads stdin. Fails only if the file cannot be opened.
  static Result<std::unique_ptr<MemberStream>> open(const std::string& path);
  ~MemberStream();
  MemberStream(const MemberStream&) = delete;
  MemberStream& operator=(const MemberStream&) = delete;

  // Up to `n` bytes of the (decompressed) stream; 0 at the end.
  Result<size_t> read(char* out, size_t n);

  bool gzip() const { return gzip_; }
  const std::string& name() const { return name_; }
  // Decompressed bytes delivered so far.
  uint64_t position() const { return delivered_; }
  // The raw offset of the gzip member whose data starts at decompressed
  // position `pos` or later but before `end`, if any (the earliest).
  std::optional<uint64_t> member_between(uint64_t pos, uint64_t end) const;
  // Forgets member starts before `pos` (the caller is past them).
  void forget_before(uint64_t pos);

 private:
  MemberStream() = default;
  Status fill_raw();                 // more raw bytes into raw_ (keeps unread ones)
  Result<size_t> read_plain(char* out, size_t n);
  Result<size_t> read_gzip(char* out, size_t n);
  Result<bool> start_member();       // at a gzip header: begin inflating; false at the end
  Status skip_to_next_member(const std::string& why);

  std::string name_;
  int fd_ = -1;
  FILE* stdin_ = nullptr;            // set for "-"
  bool own_fd_ = false;
  bool gzip_ = false;
  bool eof_ = false;                 // the raw input is exhausted
  std::vector<char> raw_;
  size_t raw_pos_ = 0, raw_end_ = 0;
  uint64_t raw_base_ = 0;            // file offset of raw_[0]
  z_stream z_{};
  bool z_ready_ = false;
  bool in_member_ = false;
  uint64_t member_raw_ = 0;          // raw offset of the current member
  uint64_t delivered_ = 0;
  std::string pending_error_;        // a damaged member, reported after the bytes it gave
  std::deque<std::pair<uint64_t, uint64_t>> members_;  // (decompressed start, raw offset)
};

}  // namespace quire
