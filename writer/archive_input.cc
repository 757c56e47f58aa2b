#include "writer/archive_input.h"

#include <archive_entry.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "format/layout.h"

namespace quire {

Result<std::unique_ptr<ArchiveInput>> ArchiveInput::open(const std::string& path, uint64_t max_member_bytes) {
  std::unique_ptr<ArchiveInput> in(new ArchiveInput());
  in->max_member_bytes_ = std::min<uint64_t>(max_member_bytes, kMaxBodyBytes);
  in->name_ = path == "-" ? "<stdin>" : path;
  in->a_ = archive_read_new();
  if (!in->a_) return Status::io_error("libarchive: out of memory");
  archive_read_support_filter_all(in->a_);
  archive_read_support_format_all(in->a_);
  constexpr size_t kBlock = 1 << 16;
  int r = path == "-" ? archive_read_open_FILE(in->a_, stdin) : archive_read_open_filename(in->a_, path.c_str(), kBlock);
  if (r != ARCHIVE_OK) return in->error("cannot read as an archive");
  return in;
}

ArchiveInput::~ArchiveInput() {
  if (a_) archive_read_free(a_);
}

Status ArchiveInput::error(const std::string& what) const {
  const char* why = archive_error_string(a_);
  return Status::invalid_argument(fmt::format("{}: {}: {}", name_, what, why ? why : "unknown libarchive error"));
}

Result<bool> ArchiveInput::next(ArchiveMember& out, const std::function<void(const std::string&)>& skipped) {
  for (;;) {
    struct archive_entry* entry = nullptr;
    int r = archive_read_next_header(a_, &entry);
    if (r == ARCHIVE_EOF) return false;
    if (r == ARCHIVE_WARN && skipped) skipped(fmt::format("{}: {}", name_, archive_error_string(a_)));
    if (r < ARCHIVE_WARN) return error(fmt::format("after member #{}", members_));
    const char* raw_path = archive_entry_pathname(entry);
    std::string path = raw_path ? raw_path : "";
    while (path.rfind("./", 0) == 0) path.erase(0, 2);
    mode_t type = archive_entry_filetype(entry);
    if (type == AE_IFDIR || path.empty()) continue;
    if (type != AE_IFREG || archive_entry_hardlink(entry)) {
      if (skipped) {
        const char* target = archive_entry_symlink(entry);
        if (!target) target = archive_entry_hardlink(entry);
        skipped(fmt::format("{}: member '{}' is a link or special file{}{}, not stored", name_, path,
                            target ? " to " : "", target ? target : ""));
      }
      continue;
    }
    if (skipped && (path[0] == '/' || path == ".." || path.rfind("../", 0) == 0 ||
                    path.find("/../") != std::string::npos || path.ends_with("/.."))) {
      skipped(fmt::format("{}: member '{}' has a path outside the archive's root: kept as its id (extraction maps "
                          "ids to safe paths)", name_, path));
    }
    out.path = std::move(path);
    QUIRE_ASSIGN_OR_RETURN(bool kept, read_body(entry, out, skipped));
    if (!kept) continue;
    out.mtime.reset();
    if (archive_entry_mtime_is_set(entry)) out.mtime = archive_entry_mtime(entry);
    out.index = members_++;
    return true;
  }
}

// The member's bytes, or false (after a warning) when it is over the limit:
// the rest of it is skipped unread where the format allows.
Result<bool> ArchiveInput::read_body(struct archive_entry* entry, ArchiveMember& out,
                                     const std::function<void(const std::string&)>& skipped) {
  out.body.clear();
  auto too_large = [&](const std::string& how) -> Result<bool> {
    if (skipped) {
      skipped(fmt::format("{}: member '{}' {} more than the limit of {} bytes (--max-record); skipped", name_, out.path,
                          how, max_member_bytes_));
    }
    out.body.clear();
    out.body.shrink_to_fit();
    if (archive_read_data_skip(a_) < ARCHIVE_WARN) return error(fmt::format("cannot skip member '{}'", out.path));
    return false;
  };
  if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > 0) {
    uint64_t declared = static_cast<uint64_t>(archive_entry_size(entry));
    if (declared > max_member_bytes_) return too_large(fmt::format("declares {} bytes,", declared));
    out.body.reserve(static_cast<size_t>(std::min<uint64_t>(declared, 64u << 20)));
  }
  char buf[1 << 16];
  for (;;) {
    la_ssize_t n = archive_read_data(a_, buf, sizeof buf);
    if (n < 0) return error(fmt::format("cannot read member '{}'", out.path));
    if (n == 0) return true;
    // Checked as it grows: a member may lie about its size (a zip bomb does).
    if (out.body.size() + static_cast<size_t>(n) > max_member_bytes_) return too_large("inflates to");
    out.body.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace quire
