#include "reader/section_scan.h"

#include <algorithm>

#include "format/checksum.h"

namespace quire {

void scan_sections(std::span<const std::byte> file, uint64_t end,
                   const std::function<void(const ScannedSection&)>& on_section,
                   const std::function<void(const ScanGap&)>& on_gap) {
  end = std::min<uint64_t>(end, file.size());
  uint64_t at = FileHeader::kSize;
  uint64_t gap_start = at;
  bool in_gap = false;
  std::string gap_reason;
  auto close_gap = [&](uint64_t until) {
    if (in_gap && until > gap_start) on_gap({gap_start, until - gap_start, gap_reason});
    in_gap = false;
  };
  while (at + SectionHeader::kSize <= end) {
    auto header = SectionHeader::decode(file.subspan(at, SectionHeader::kSize));
    if (header && header->payload_length <= end - at - SectionHeader::kSize) {
      close_gap(at);
      ScannedSection s;
      s.offset = at;
      s.header = *header;
      s.payload = file.subspan(at + SectionHeader::kSize, header->payload_length);
      s.payload_ok = xxh3_64(s.payload) == header->payload_checksum;
      uint64_t pad_end = std::min<uint64_t>(at + header->section_length(), end);
      auto padding = file.subspan(at + SectionHeader::kSize + header->payload_length,
                                  pad_end - (at + SectionHeader::kSize + header->payload_length));
      s.padding_ok = std::all_of(padding.begin(), padding.end(), [](std::byte b) { return b == std::byte{0}; }) &&
                     at + header->section_length() <= end;
      on_section(s);
      at += header->section_length();
      continue;
    }
    if (!in_gap) {
      in_gap = true;
      gap_start = at;
      gap_reason = header ? "section runs past the end of the sections" : header.status().message();
    }
    at += kAlignment;
  }
  if (at < end && !in_gap) {
    in_gap = true;
    gap_start = at;
    gap_reason = "bytes too short for a section";
  }
  close_gap(end);
}

}  // namespace quire
