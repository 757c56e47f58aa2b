#include "writer/warc_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "format/printable.h"

namespace quire {
namespace {

constexpr size_t kFillBytes = 256 * 1024;
constexpr size_t kMaxLine = 64 * 1024;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// "WARC/1.0", "WARC/0.17", ...: digits, a dot, digits.
bool is_version_line(std::string_view line) {
  if (line.substr(0, 5) != "WARC/") return false;
  std::string_view v = trim(line.substr(5));
  size_t dot = v.find('.');
  if (dot == 0 || dot == std::string_view::npos || dot + 1 == v.size()) return false;
  return std::all_of(v.begin(), v.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; }) &&
         std::count(v.begin(), v.end(), '.') == 1;
}

}  // namespace

std::optional<std::string_view> WarcRecord::field(std::string_view name) const {
  for (const WarcField& f : fields) {
    if (iequals(f.name, name)) return std::string_view(f.value);
  }
  return std::nullopt;
}

std::vector<std::string_view> WarcRecord::fields_named(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const WarcField& f : fields) {
    if (iequals(f.name, name)) out.emplace_back(f.value);
  }
  return out;
}

std::string WarcRecord::where(const std::string& file) const {
  return fmt::format("{}: record at byte {}{}", file, offset, offset_decompressed ? " (decompressed)" : "");
}

Result<std::unique_ptr<WarcReader>> WarcReader::open(const std::string& path, WarcReaderOptions options) {
  QUIRE_ASSIGN_OR_RETURN(auto stream, MemberStream::open(path));
  return std::unique_ptr<WarcReader>(new WarcReader(std::move(stream), options));
}

Status WarcReader::fill() {
  if (end_) return Status::ok();
  if (buf_pos_ > 0 && buf_pos_ >= buf_.size() / 2) {
    buf_.erase(0, buf_pos_);
    buf_base_ += buf_pos_;
    buf_pos_ = 0;
  }
  size_t old = buf_.size();
  buf_.resize(old + kFillBytes);
  auto n = stream_->read(buf_.data() + old, kFillBytes);
  if (!n) {
    buf_.resize(old);
    if (n.status().code() != Code::kCorruption) return n.status();
    // Bytes are missing here: whatever record spans this point is damaged.
    if (damage_.empty()) {
      damage_ = n.status().message();
      damage_at_ = buf_base_ + buf_.size();
    }
    return Status::ok();
  }
  buf_.resize(old + *n);
  if (*n == 0) end_ = true;
  return Status::ok();
}

Result<bool> WarcReader::ensure(size_t n) {
  while (buf_.size() - buf_pos_ < n) {
    if (end_) return false;
    QUIRE_RETURN_IF_ERROR(fill());
  }
  return true;
}

// A line without its CR LF (or LF); nullopt at the end of the input. A line
// longer than `limit` is an error: nothing in a WARC header is that long.
Result<std::optional<std::string>> WarcReader::read_line(size_t limit) {
  size_t scanned = 0;
  for (;;) {
    size_t nl = buf_.find('\n', buf_pos_ + scanned);
    if (nl != std::string::npos) {
      std::string line = buf_.substr(buf_pos_, nl - buf_pos_);
      buf_pos_ = nl + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return std::optional<std::string>(std::move(line));
    }
    scanned = buf_.size() - buf_pos_;
    if (scanned > limit) return Status::corruption(fmt::format("a header line longer than {} bytes", limit));
    if (end_) {
      if (scanned == 0) return std::optional<std::string>();
      std::string line = buf_.substr(buf_pos_);
      buf_pos_ = buf_.size();
      return std::optional<std::string>(std::move(line));
    }
    QUIRE_RETURN_IF_ERROR(fill());
  }
}

// The version line, fields and block of one record. false with `why` for a
// record that cannot be read as written.
Result<bool> WarcReader::read_record(WarcRecord& out, std::string& why) {
  auto line = read_line(kMaxLine);
  if (!line) {
    if (line.status().code() != Code::kCorruption) return line.status();  // I/O: final
    why = std::string(line.status().message());
    return false;
  }
  const auto& version = *line;
  if (!version || !is_version_line(*version)) {
    why = fmt::format("expected a 'WARC/1.x' version line, found '{}'", printable(version.value_or("")));
    return false;
  }
  out.version = std::string(trim(*version));
  size_t header_bytes = 0;
  for (;;) {
    line = read_line(kMaxLine);
    if (!line) {
      if (line.status().code() != Code::kCorruption) return line.status();
      why = std::string(line.status().message());
      return false;
    }
    if (!*line) {
      why = "the input ends inside the record's header";
      return false;
    }
    if (line->value().empty()) break;
    header_bytes += line->value().size() + 2;
    if (header_bytes > options_.max_header_bytes) {
      why = fmt::format("the header is longer than {} bytes", options_.max_header_bytes);
      return false;
    }
    const std::string& l = line->value();
    out.header_text += l;
    out.header_text += "\r\n";
    if ((l[0] == ' ' || l[0] == '\t') && !out.fields.empty()) {  // a continuation line
      out.fields.back().value += ' ';
      out.fields.back().value += trim(l);
      continue;
    }
    size_t colon = l.find(':');
    if (colon == std::string::npos) {
      why = fmt::format("header line '{}' has no ':'", printable(l));
      return false;
    }
    out.fields.push_back({std::string(trim(std::string_view(l).substr(0, colon))),
                          std::string(trim(std::string_view(l).substr(colon + 1)))});
  }
  auto length = out.field("Content-Length");
  if (!length) {
    why = "the record has no Content-Length";
    return false;
  }
  auto [end, ec] = std::from_chars(length->data(), length->data() + length->size(), out.content_length);
  if (ec != std::errc() || end != length->data() + length->size() || length->empty()) {
    why = fmt::format("Content-Length '{}' is not a number", printable(*length));
    return false;
  }
  return read_block(out, why);
}

Result<bool> WarcReader::read_block(WarcRecord& out, std::string& why) {
  DigestAlgorithm algorithm = DigestAlgorithm::kSha1;
  if (auto declared = out.field("WARC-Block-Digest")) {
    if (auto d = WarcDigest::parse(*declared)) algorithm = d->algorithm;
  }
  DigestStream digest(algorithm);
  out.block_held = out.content_length <= options_.max_block_bytes;
  // Reserve no more than is plausible: the length is only a claim.
  if (out.block_held) out.block.reserve(std::min<uint64_t>(out.content_length, 64 << 20));
  uint64_t remaining = out.content_length;
  block_start_ = pos();
  while (remaining > 0) {
    if (buf_pos_ == buf_.size()) {
      if (end_) {
        why = fmt::format("the input ends {} bytes into a block of Content-Length {}", out.content_length - remaining,
                          out.content_length);
        return false;
      }
      QUIRE_RETURN_IF_ERROR(fill());
      continue;
    }
    size_t take = static_cast<size_t>(std::min<uint64_t>(remaining, buf_.size() - buf_pos_));
    std::string_view piece(buf_.data() + buf_pos_, take);
    digest.update(piece);
    if (out.block_held) out.block.append(piece);
    buf_pos_ += take;
    remaining -= take;
  }
  out.block_digest = digest.finish();
  return at_record_end(why);
}

// After the block: CR LF CR LF, then the next record or the end. Blank lines
// are accepted in any number and form; anything else means the
// Content-Length does not fit the record.
Result<bool> WarcReader::at_record_end(std::string& why) {
  for (;;) {
    QUIRE_ASSIGN_OR_RETURN(bool more, ensure(1));
    if (!more) return true;
    char c = buf_[buf_pos_];
    if (c != '\r' && c != '\n') break;
    ++buf_pos_;
  }
  QUIRE_ASSIGN_OR_RETURN(bool more, ensure(5));
  std::string_view next(buf_.data() + buf_pos_, std::min<size_t>(buf_.size() - buf_pos_, 40));
  if (more && next.substr(0, 5) == "WARC/") return true;
  why = fmt::format("the block does not end where the record does (wrong Content-Length?): it is followed by '{}'",
                    printable(next));
  return false;
}

// Moves to the next line that starts "WARC/" and a digit, at or after the
// current position.
Status WarcReader::resync() {
  for (;;) {
    size_t at = buf_pos_;
    for (;;) {
      at = buf_.find("WARC/", at);
      if (at == std::string::npos || at + 5 >= buf_.size()) break;
      bool line_start = at == buf_pos_ || buf_[at - 1] == '\n';
      if (line_start && buf_[at + 5] >= '0' && buf_[at + 5] <= '9') {
        buf_pos_ = at;
        return Status::ok();
      }
      ++at;
    }
    if (end_) {
      buf_pos_ = buf_.size();
      return Status::ok();
    }
    // Keep the last few bytes: a "WARC/" may straddle the refill.
    buf_pos_ = std::max(buf_pos_, buf_.size() > 6 ? buf_.size() - 6 : buf_pos_);
    QUIRE_RETURN_IF_ERROR(fill());
  }
}

Result<bool> WarcReader::next(WarcRecord& out, const std::function<void(const std::string&)>& problem) {
  for (;;) {
    uint64_t gap_start = pos();
    // Records may be separated by any number of blank lines.
    for (;;) {
      QUIRE_ASSIGN_OR_RETURN(bool more, ensure(1));
      if (!more || (buf_[buf_pos_] != '\r' && buf_[buf_pos_] != '\n')) break;
      ++buf_pos_;
    }
    if (!damage_.empty() && damage_at_ <= pos()) {  // lost bytes between records
      problem(damage_);
      damage_.clear();
    }
    QUIRE_ASSIGN_OR_RETURN(bool any, ensure(1));
    if (!any) return false;
    uint64_t start = pos();
    out = WarcRecord{};
    auto member = stream_->member_between(gap_start, start + 1);
    out.offset_is_member = member.has_value();
    out.offset = member.value_or(start);
    out.offset_decompressed = stream_->gzip() && !member;
    stream_->forget_before(start + 1);
    std::string why;
    QUIRE_ASSIGN_OR_RETURN(bool ok, read_record(out, why));
    std::string where = out.where(name());
    if (!damage_.empty() && damage_at_ > start && damage_at_ < pos()) {
      problem(fmt::format("{}: dropped, its bytes are damaged: {}", where, damage_));
      damage_.clear();
      // Resume where the good bytes start again, if they are still buffered.
      if (damage_at_ >= buf_base_ && damage_at_ - buf_base_ <= buf_.size()) buf_pos_ = damage_at_ - buf_base_;
      QUIRE_RETURN_IF_ERROR(resync());
      continue;
    }
    if (ok) return true;
    problem(fmt::format("{}: dropped: {}", where, why));
    QUIRE_RETURN_IF_ERROR(rewind_into(out, start));
    QUIRE_RETURN_IF_ERROR(resync());
  }
}

// After a bad record: its block may hold the next records (a Content-Length
// too long), so reading resumes just after the record's first byte, with
// the block's bytes put back in front when they were consumed.
Status WarcReader::rewind_into(const WarcRecord& bad, uint64_t start) {
  if (start >= buf_base_ && start + 1 <= buf_base_ + buf_.size()) {
    buf_pos_ = static_cast<size_t>(start + 1 - buf_base_);
    return Status::ok();
  }
  if (bad.block_held && !bad.block.empty()) {
    // The header is gone from the buffer but the block is here: put it back.
    if (block_start_ > start && block_start_ + bad.block.size() <= pos()) {
      // Everything from the block's end to here was newlines, or is still in buf_.
      uint64_t after = block_start_ + bad.block.size();
      std::string rest = after >= buf_base_ ? buf_.substr(static_cast<size_t>(after - buf_base_)) : buf_.substr(buf_pos_);
      buf_ = bad.block + rest;
      buf_base_ = block_start_;
      buf_pos_ = 0;
    }
  }
  return Status::ok();
}

}  // namespace quire
