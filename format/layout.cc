#include "format/layout.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "format/checksum.h"
#include "format/endian.h"

namespace quire {
namespace {

bool all_zero(std::span<const std::byte> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::byte b) { return b == std::byte{0}; });
}

bool magic_matches(std::span<const std::byte> at, const std::array<uint8_t, 8>& magic) {
  return std::memcmp(at.data(), magic.data(), magic.size()) == 0;
}

Status check_version(const char* where, uint16_t major, uint16_t minor) {
  if (major > kFormatMajor) {
    return Status::unsupported(fmt::format(
        "{}: format version {}.{} is newer than this reader ({}.{}); use a newer quire",
        where, major, minor, kFormatMajor, kFormatMinor));
  }
  if (major == 0) return Status::corruption(fmt::format("{}: format major version 0", where));
  return Status::ok();
}

}  // namespace

// Header: magic[8] major:u16 minor:u16 reserved[48] checksum:u32 (XXH3 low 32 of bytes 0..59)
void FileHeader::encode(std::span<std::byte, kSize> out) const {
  std::memset(out.data(), 0, kSize);
  std::memcpy(out.data(), kHeaderMagic.data(), 8);
  store_le<uint16_t>(&out[8], major);
  store_le<uint16_t>(&out[10], minor);
  store_le<uint32_t>(&out[60], xxh3_low32(out.first(60)));
}

Result<FileHeader> FileHeader::decode(std::span<const std::byte> in) {
  if (in.size() < kSize) return Status::corruption("file header: file shorter than 64 bytes");
  if (!magic_matches(in.first(8), kHeaderMagic)) {
    return Status::corruption("file header: bad magic (not a Quire archive)");
  }
  uint32_t stored = load_le<uint32_t>(&in[60]);
  uint32_t actual = xxh3_low32(in.first(60));
  if (stored != actual) {
    return Status::corruption(
        fmt::format("file header: checksum mismatch (stored {:08x}, computed {:08x})", stored, actual));
  }
  FileHeader h;
  h.major = load_le<uint16_t>(&in[8]);
  h.minor = load_le<uint16_t>(&in[10]);
  QUIRE_RETURN_IF_ERROR(check_version("file header", h.major, h.minor));
  if (!all_zero(in.subspan(12, 48))) return Status::corruption("file header: reserved bytes not zero");
  return h;
}

const char* section_kind_name(SectionKind kind) {
  switch (kind) {
    case SectionKind::kDictionary: return "dictionary";
    case SectionKind::kBlock: return "block";
    case SectionKind::kBlockTable: return "block-table";
    case SectionKind::kIdIndex: return "id-index";
    case SectionKind::kShaIndex: return "sha-index";
    case SectionKind::kManifest: return "manifest";
    case SectionKind::kFulltext: return "fulltext";
  }
  return "unknown";
}

bool is_known_section_kind(uint16_t kind) { return kind >= 1 && kind <= 7; }

// Section header: magic:u32 kind:u16 reserved:u16 sequence:u64 payload_length:u64
// payload_checksum:u64 reserved[12] header_checksum:u32 (XXH3 low 32 of bytes 0..43)
void SectionHeader::encode(std::span<std::byte, kSize> out) const {
  std::memset(out.data(), 0, kSize);
  store_le<uint32_t>(&out[0], kSectionMagic);
  store_le<uint16_t>(&out[4], static_cast<uint16_t>(kind));
  store_le<uint64_t>(&out[8], sequence);
  store_le<uint64_t>(&out[16], payload_length);
  store_le<uint64_t>(&out[24], payload_checksum);
  store_le<uint32_t>(&out[44], xxh3_low32(out.first(44)));
}

Result<SectionHeader> SectionHeader::decode(std::span<const std::byte> in) {
  if (in.size() < kSize) return Status::corruption("section header cut short");
  if (load_le<uint32_t>(&in[0]) != kSectionMagic) return Status::corruption("section header: bad magic");
  uint32_t stored = load_le<uint32_t>(&in[44]);
  uint32_t actual = xxh3_low32(in.first(44));
  if (stored != actual) {
    return Status::corruption(fmt::format(
        "section header: checksum mismatch (stored {:08x}, computed {:08x})", stored, actual));
  }
  uint16_t kind = load_le<uint16_t>(&in[4]);
  if (!is_known_section_kind(kind)) {
    return Status::corruption(fmt::format("section header: unknown section kind {}", kind));
  }
  if (!all_zero(in.subspan(6, 2)) || !all_zero(in.subspan(32, 12))) {
    return Status::corruption("section header: reserved bytes not zero");
  }
  SectionHeader h;
  h.kind = static_cast<SectionKind>(kind);
  h.sequence = load_le<uint64_t>(&in[8]);
  h.payload_length = load_le<uint64_t>(&in[16]);
  h.payload_checksum = load_le<uint64_t>(&in[24]);
  if (h.payload_length > (uint64_t{1} << 62)) {
    return Status::corruption(fmt::format("section header: payload length {} is absurd", h.payload_length));
  }
  return h;
}

// Block prelude: dictionary:u32 record_count:u32 first_record:u64 catalog_stored:u32
// catalog_raw:u32 bodies_stored:u64 bodies_raw:u64 annotations_stored:u32 annotations_raw:u32
void BlockPrelude::encode(std::span<std::byte, kSize> out) const {
  store_le<uint32_t>(&out[0], dictionary);
  store_le<uint32_t>(&out[4], record_count);
  store_le<uint64_t>(&out[8], first_record);
  store_le<uint32_t>(&out[16], catalog_stored);
  store_le<uint32_t>(&out[20], catalog_raw);
  store_le<uint64_t>(&out[24], bodies_stored);
  store_le<uint64_t>(&out[32], bodies_raw);
  store_le<uint32_t>(&out[40], annotations_stored);
  store_le<uint32_t>(&out[44], annotations_raw);
}

Result<BlockPrelude> BlockPrelude::decode(std::span<const std::byte> in, uint64_t payload_length) {
  if (in.size() < kSize || payload_length < kSize) return Status::corruption("block prelude cut short");
  BlockPrelude p;
  p.dictionary = load_le<uint32_t>(&in[0]);
  p.record_count = load_le<uint32_t>(&in[4]);
  p.first_record = load_le<uint64_t>(&in[8]);
  p.catalog_stored = load_le<uint32_t>(&in[16]);
  p.catalog_raw = load_le<uint32_t>(&in[20]);
  p.bodies_stored = load_le<uint64_t>(&in[24]);
  p.bodies_raw = load_le<uint64_t>(&in[32]);
  p.annotations_stored = load_le<uint32_t>(&in[40]);
  p.annotations_raw = load_le<uint32_t>(&in[44]);
  // Sum in a way that cannot overflow: each part is checked against what is left.
  uint64_t left = payload_length - kSize;
  if (p.catalog_stored > left || p.bodies_stored > left - p.catalog_stored ||
      p.annotations_stored != left - p.catalog_stored - p.bodies_stored) {
    return Status::corruption(fmt::format(
        "block prelude: frame lengths {}+{}+{} do not add up to the payload ({} bytes after the prelude)",
        p.catalog_stored, p.bodies_stored, p.annotations_stored, left));
  }
  if (p.record_count == 0 || p.record_count > kMaxRecordsPerBlock) {
    return Status::corruption(fmt::format("block prelude: record count {} out of range", p.record_count));
  }
  if (p.catalog_stored == 0 || p.bodies_stored == 0) {
    return Status::corruption("block prelude: catalog or bodies frame missing");
  }
  if (p.catalog_raw % kAlignment != 0 || p.annotations_raw % kAlignment != 0 ||
      p.catalog_raw > kMaxMessageBytes || p.annotations_raw > kMaxMessageBytes) {
    return Status::corruption("block prelude: message length not a multiple of 8 or too large");
  }
  if ((p.annotations_stored == 0) != (p.annotations_raw == 0)) {
    return Status::corruption("block prelude: annotations frame lengths disagree");
  }
  return p;
}

// Footer: manifest_offset:u64 manifest_length:u64 article_count:u64 block_count:u64
// major:u16 minor:u16 reserved[16] checksum:u32 (XXH3 low 32 of bytes 0..51) magic[8]
void Footer::encode(std::span<std::byte, kSize> out) const {
  std::memset(out.data(), 0, kSize);
  store_le<uint64_t>(&out[0], manifest_offset);
  store_le<uint64_t>(&out[8], manifest_length);
  store_le<uint64_t>(&out[16], article_count);
  store_le<uint64_t>(&out[24], block_count);
  store_le<uint16_t>(&out[32], major);
  store_le<uint16_t>(&out[34], minor);
  store_le<uint32_t>(&out[52], xxh3_low32(out.first(52)));
  std::memcpy(&out[56], kFooterMagic.data(), 8);
}

Result<Footer> Footer::decode(std::span<const std::byte> in) {
  if (in.size() < kSize) return Status::corruption("footer: file shorter than the 64-byte footer");
  if (!magic_matches(in.subspan(56, 8), kFooterMagic)) {
    return Status::corruption("footer: bad end magic (file truncated or not a Quire archive)");
  }
  uint32_t stored = load_le<uint32_t>(&in[52]);
  uint32_t actual = xxh3_low32(in.first(52));
  if (stored != actual) {
    return Status::corruption(
        fmt::format("footer: checksum mismatch (stored {:08x}, computed {:08x})", stored, actual));
  }
  Footer f;
  f.manifest_offset = load_le<uint64_t>(&in[0]);
  f.manifest_length = load_le<uint64_t>(&in[8]);
  f.article_count = load_le<uint64_t>(&in[16]);
  f.block_count = load_le<uint64_t>(&in[24]);
  f.major = load_le<uint16_t>(&in[32]);
  f.minor = load_le<uint16_t>(&in[34]);
  QUIRE_RETURN_IF_ERROR(check_version("footer", f.major, f.minor));
  if (!all_zero(in.subspan(36, 16))) return Status::corruption("footer: reserved bytes not zero");
  return f;
}

}  // namespace quire
