// Full and quick verification of an archive (SPEC.md 10.3): every byte of the
// file is accounted for by a checksum, a must-be-zero rule or a consistency
// check, and every damaged item is named with its offset.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "format/checksum.h"
#include "format/status.h"

namespace quire {

struct Damage {
  std::string item;        // "file header", "footer", "manifest", "block 3", "article 'x'", ...
  uint64_t offset = 0;     // byte offset in the file where the damaged item starts
  std::string message;     // what is wrong, with expected and actual values
  std::vector<std::string> articles;  // ids of articles affected (when known)
};

struct VerifyOptions {
  bool quick = false;  // structure and checksums only: no body decompression or SHA-256
  std::optional<Sha256> expected_content_digest;
};

struct VerifyReport {
  bool readable = true;        // false: not a Quire archive or not openable at all
  std::vector<Damage> damage;  // empty: the archive is intact
  uint64_t sections = 0, blocks = 0, articles = 0, bytes_hashed = 0;
  bool content_digest_checked = false;
  Sha256 content_digest{};     // as recomputed (full mode) or stored (quick mode)
  bool ok() const { return readable && damage.empty(); }
};

// I/O errors opening the file come back as a Status; everything about the
// bytes themselves is in the report.
Result<VerifyReport> verify_archive(const std::string& path, const VerifyOptions& options);

}  // namespace quire
