// A forward walk over every section of a file, without the manifest
// (SPEC.md 4.2): what verify and salvage use to account for every byte and to
// find blocks in a file whose tail or index is gone. After damage the walk
// resynchronises on the next 8-aligned offset that holds a section header
// whose own checksum is good.
#pragma once

#include <functional>
#include <span>
#include <string>

#include "format/layout.h"

namespace quire {

struct ScannedSection {
  uint64_t offset = 0;
  SectionHeader header;
  std::span<const std::byte> payload;  // whole payload, within the file
  bool payload_ok = false;             // payload checksum matches
  bool padding_ok = false;             // padding bytes are zero
};

struct ScanGap {
  uint64_t offset = 0, length = 0;  // bytes that hold no readable section
  std::string reason;
};

// Walks [64, end) of `file`. `end` is where the footer starts (or the file
// size when there is no footer). Calls on_section for each section found and
// on_gap for each stretch of bytes that could not be read as one.
void scan_sections(std::span<const std::byte> file, uint64_t end,
                   const std::function<void(const ScannedSection&)>& on_section,
                   const std::function<void(const ScanGap&)>& on_gap);

}  // namespace quire
