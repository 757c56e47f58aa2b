// `extract --to tar|tar.gz|tar.zst|zip`: every matching article's body as one
// member of a tar or zip file written by libarchive, byte-exact.
//
// The output is a function of the archive and the filter alone, so the same
// archive always gives byte-identical bytes:
//  - members in archive (record) order, regular files only (no directory
//    entries: extractors create them);
//  - member path: the safe relative path of the id (SPEC.md 12), with the same
//    collision names as extracting to a directory (a path that differs from an
//    earlier one only in ASCII case, or a file where an earlier member needs a
//    directory and the reverse, gets collision_name());
//  - mtime: the start of the article's date period in seconds since 1970
//    (local dates without an offset read as UTC); 0 (1970-01-01) when the date
//    is unknown; no atime or ctime;
//  - uid 0, gid 0, uname and gname "root", mode 0644;
//  - tar is POSIX pax (restricted: a pax header only where ustar cannot hold
//    a name or value), gzip without a timestamp in its header, zstd level 3,
//    zip with deflate and UTF-8 names. A zip stores its DOS date-time in the
//    process's local time zone (the zip format has no other): the `quire` CLI
//    sets TZ=UTC for zip so the bytes do not depend on the machine.
// The caller commits `out` (reader/export_file.h) after success; on an error
// it is left uncommitted, and destroying it leaves nothing at its path.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "reader/archive.h"
#include "reader/archive_set.h"
#include "reader/extract.h"
#include "reader/filter.h"
#include "reader/export_file.h"

namespace quire {

enum class ArchiveKind { kTar, kTarGzip, kTarZstd, kZip };

const char* archive_kind_name(ArchiveKind kind);  // "tar", "tar.gz", "tar.zst", "zip"

// Writes the matching articles to `out`, complete (libarchive closed) but
// not committed.
Result<ExtractStats> export_to_archive(const Archive& archive, ArchiveKind kind, ExportFile& out,
                                       const ArticleFilter& filter, const ExtractProgress& progress = {});
// A set: its articles in global order, member paths as one namespace.
Result<ExtractStats> export_to_archive(const ArchiveSet& set, ArchiveKind kind, ExportFile& out,
                                       const ArticleFilter& filter, const ExtractProgress& progress = {});

// Member paths as export_to_archive assigns them: id_to_relative_path, then a
// collision name where a path clashes with one assigned before (see above).
class MemberPaths {
 public:
  // The path for `id`; `renamed` says whether a collision name was used.
  std::string assign(std::string_view id, bool& renamed);

 private:
  std::set<std::string> files_, dirs_;  // ASCII-lower-cased
};

}  // namespace quire
