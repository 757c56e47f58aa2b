// Reading the members of any archive libarchive understands (tar and its
// gzip/zstd/xz/bzip2 forms, zip, 7z, cpio, ar, ...) as articles, streaming:
// the input is read once and never unpacked to disk, so it may be stdin.
#pragma once

#include <archive.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "format/status.h"

namespace quire {

struct ArchiveMember {
  std::string path;               // the member's path, without a leading "./"
  std::string body;               // its bytes
  std::optional<int64_t> mtime;   // seconds since the epoch, when the archive records one
  uint64_t index = 0;             // position among the regular-file members (0, 1, ...)
};

class ArchiveInput {
 public:
  // `path` "-" reads stdin. Members larger than `max_member_bytes` (a zip
  // bomb, a stray disk image) are skipped with a warning, never held.
  static Result<std::unique_ptr<ArchiveInput>> open(const std::string& path, uint64_t max_member_bytes);
  ~ArchiveInput();
  ArchiveInput(const ArchiveInput&) = delete;
  ArchiveInput& operator=(const ArchiveInput&) = delete;

  // The next regular-file member; false at the end. Directories are passed
  // over; links, special files and members over the size limit are passed
  // over and reported to `skipped`, and so are (but kept) paths that are
  // absolute or climb out with "..": the path stays the id as written, and
  // extraction maps ids to safe paths (SPEC.md 12).
  Result<bool> next(ArchiveMember& out, const std::function<void(const std::string&)>& skipped);

 private:
  ArchiveInput() = default;
  Status error(const std::string& what) const;
  struct archive* a_ = nullptr;
  std::string name_;
  uint64_t members_ = 0;
  uint64_t max_member_bytes_ = 0;
  Result<bool> read_body(struct archive_entry* entry, ArchiveMember& out, const std::function<void(const std::string&)>& skipped);
};

}  // namespace quire
