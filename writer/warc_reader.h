// Reading WARC records (ISO 28500 WARC/1.0 and 1.1, and the pre-ISO 0.17 and
// 0.18 drafts) from a plain or gzip file, streaming, with bounded memory
// (SPEC.md 14 gives how records become articles).
//
// A record is a version line, header lines, an empty line, a block of
// Content-Length bytes and CRLF CRLF. The reader is lenient where real files
// are (LF line ends, header continuation lines, extra blank lines between
// records, a missing CRLF CRLF before the next record) and strict where a
// mistake would cut records wrongly: a block that does not end where the
// next record or the end of the input begins is reported, dropped, and the
// reader resumes at the next "WARC/" line inside it. Damage is reported
// through `problem` with the byte offset; only an I/O error stops reading.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/status.h"
#include "format/warc_digest.h"
#include "writer/member_stream.h"

namespace quire {

struct WarcReaderOptions {
  // Blocks up to this size are held in memory; larger ones are streamed past
  // (their block digest is still checked) and returned with block_held false.
  uint64_t max_block_bytes = uint64_t{256} << 20;
  size_t max_header_bytes = 1 << 20;  // one record's header lines together
};

struct WarcField {
  std::string name, value;
};

struct WarcRecord {
  std::string version;             // "WARC/1.0"
  std::vector<WarcField> fields;   // in the order written
  std::string header_text;         // the header lines as written, after the version line
  uint64_t content_length = 0;
  std::string block;               // the block, when block_held
  bool block_held = false;
  // The block's digest with the algorithm of its WARC-Block-Digest (SHA-1 when absent).
  WarcDigest block_digest;
  // Where the record starts: the raw offset of its gzip member when it starts
  // one (per-record .warc.gz), otherwise its offset in the (decompressed) stream.
  uint64_t offset = 0;
  bool offset_is_member = false;
  bool offset_decompressed = false;  // inside a gzip member that holds more than this record

  // The first field of that name (case-insensitive), or nullopt.
  std::optional<std::string_view> field(std::string_view name) const;
  // Every field of that name, in order (WARC-Concurrent-To may repeat).
  std::vector<std::string_view> fields_named(std::string_view name) const;
  // "record at byte N of FILE": for messages.
  std::string where(const std::string& file) const;
};

class WarcReader {
 public:
  static Result<std::unique_ptr<WarcReader>> open(const std::string& path, WarcReaderOptions options = {});

  // The next record; false at the end. `problem` receives each damaged
  // stretch (the record is not returned; reading goes on after it).
  Result<bool> next(WarcRecord& out, const std::function<void(const std::string&)>& problem);

  const std::string& name() const { return stream_->name(); }
  bool gzip() const { return stream_->gzip(); }
  uint64_t bytes_read() const { return stream_->position(); }

 private:
  explicit WarcReader(std::unique_ptr<MemberStream> s, WarcReaderOptions o) : stream_(std::move(s)), options_(o) {}
  Status fill();                             // more bytes into buf_; damage is noted in damage_
  Result<bool> ensure(size_t n);             // at least n unread bytes; false if the input ends first
  Result<std::optional<std::string>> read_line(size_t limit);
  Result<bool> read_record(WarcRecord& out, std::string& why);
  Result<bool> read_block(WarcRecord& out, std::string& why);
  Result<bool> at_record_end(std::string& why);
  Status resync();                           // to the next line that starts "WARC/"
  Status rewind_into(const WarcRecord& bad, uint64_t start);
  uint64_t pos() const { return buf_base_ + buf_pos_; }

  std::unique_ptr<MemberStream> stream_;
  WarcReaderOptions options_;
  std::string buf_;
  size_t buf_pos_ = 0;
  uint64_t buf_base_ = 0;   // decompressed position of buf_[0]
  bool end_ = false;        // the stream gave its last byte
  std::string damage_;      // a stream error met while filling, not yet reported
  uint64_t damage_at_ = 0;
  uint64_t block_start_ = 0;  // decompressed position of the last block read  // the decompressed position where bytes are missing
};

}  // namespace quire
