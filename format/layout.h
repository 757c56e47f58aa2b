// The fixed-size structures of a Quire file and their encodings: file header
// (SPEC.md 3), section header (SPEC.md 4), block prelude (SPEC.md 5.1) and
// footer (SPEC.md 8.1). The writer only calls encode(), the reader only
// decode(); neither spells an offset itself.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "format/status.h"

namespace quire {

// Format version (SPEC.md 9): a reader refuses a newer major and reads any minor.
// kFormatMajor.kFormatMinor is the newest version this code reads and writes.
// A writer writes the oldest version that can hold the file: 1.0, unless the
// file has a full-text section (2.0, which added that section kind), so
// archives without one stay readable by 1.0 readers.
inline constexpr uint16_t kFormatMajor = 2;
inline constexpr uint16_t kFormatMinor = 0;
inline constexpr uint16_t kPlainFormatMajor = 1;     // files without a full-text section
inline constexpr uint16_t kFulltextFormatMajor = 2;  // files with one

// Every section starts at a multiple of 8 so Cap'n Proto messages can be read
// in place from the mapping (which is page-aligned).
inline constexpr uint64_t kAlignment = 8;
inline constexpr uint64_t align_up(uint64_t n) { return (n + kAlignment - 1) & ~(kAlignment - 1); }

// PNG-style magic: the high-bit first byte catches 7-bit channels, CR LF
// catches line-ending conversion. The footer ends with the same bytes
// reversed, so a file cut short is recognised from either end.
inline constexpr std::array<uint8_t, 8> kHeaderMagic = {0x89, 'Q', 'U', 'I', 'R', 'E', '\r', '\n'};
inline constexpr std::array<uint8_t, 8> kFooterMagic = {'\n', '\r', 'E', 'R', 'I', 'U', 'Q', 0x89};

// ---------------------------------------------------------------- file header
struct FileHeader {
  static constexpr size_t kSize = 64;
  uint16_t major = kPlainFormatMajor;
  uint16_t minor = 0;

  void encode(std::span<std::byte, kSize> out) const;
  // Checks magic, checksum, reserved bytes and the major version.
  static Result<FileHeader> decode(std::span<const std::byte> in);
};

// ---------------------------------------------------------------- sections
enum class SectionKind : uint16_t {
  kDictionary = 1,  // a zstd dictionary (SPEC.md 5.3)
  kBlock = 2,       // catalog, bodies and annotations of some articles (SPEC.md 5)
  kBlockTable = 3,  // a BlockTablePage message (SPEC.md 7.1)
  kIdIndex = 4,     // an IndexPage keyed by id hash (SPEC.md 7.2)
  kShaIndex = 5,    // an IndexPage keyed by body SHA-256 (SPEC.md 7.3)
  kManifest = 6,    // the Manifest message (SPEC.md 8)
  kFulltext = 7,    // a Xapian database (SPEC.md 17); format 2.0 and later
};
const char* section_kind_name(SectionKind kind);
bool is_known_section_kind(uint16_t kind);

inline constexpr uint32_t kSectionMagic = 0x63655351;  // "QSec" read as little-endian

struct SectionHeader {
  static constexpr size_t kSize = 48;
  SectionKind kind = SectionKind::kBlock;
  uint64_t sequence = 0;          // block number, dictionary number or page number
  uint64_t payload_length = 0;    // payload bytes, not counting the padding after them
  uint64_t payload_checksum = 0;  // XXH3-64 of the payload bytes

  // Total bytes of the section: header, payload and zero padding to 8.
  uint64_t section_length() const { return kSize + align_up(payload_length); }

  void encode(std::span<std::byte, kSize> out) const;
  // Checks magic, header checksum, reserved bytes and the kind. Does not look at the payload.
  static Result<SectionHeader> decode(std::span<const std::byte> in);
};

// Where one section listed by the manifest is: a PageRef of format/quire.capnp
// (SPEC.md 8.2) as a plain value, shared by the writer that fills it and the
// reader that follows it.
struct PageLocation {
  uint64_t offset = 0;        // offset of the section header
  uint64_t length = 0;        // section length: header + payload + padding
  uint64_t first = 0;         // block table: first block number; index: first entry
  uint64_t count = 0;         // entries in the page
  uint64_t first_record = 0;  // block table: firstRecord of the page's first block
};

// ---------------------------------------------------------------- blocks
// The fixed start of a block section's payload, followed by the catalog
// frame, the bodies frame and the annotations frame (each a zstd frame;
// the annotations frame may be absent: length 0).
struct BlockPrelude {
  static constexpr size_t kSize = 48;
  uint32_t dictionary = 0;       // dictionary number of the bodies frame; 0: none
  uint32_t record_count = 0;     // records in the catalog
  uint64_t first_record = 0;     // record number of the first catalog entry
  uint32_t catalog_stored = 0;   // compressed length of the catalog frame
  uint32_t catalog_raw = 0;      // decompressed length of the catalog message (a multiple of 8)
  uint64_t bodies_stored = 0;    // compressed length of the bodies frame
  uint64_t bodies_raw = 0;       // decompressed length: the sum of the block's body lengths
  uint32_t annotations_stored = 0;
  uint32_t annotations_raw = 0;  // a multiple of 8; 0 when the frame is absent

  uint64_t payload_length() const {
    return kSize + catalog_stored + bodies_stored + annotations_stored;
  }
  void encode(std::span<std::byte, kSize> out) const;
  // Checks the lengths against each other and against payload_length.
  static Result<BlockPrelude> decode(std::span<const std::byte> in, uint64_t payload_length);
};

// ---------------------------------------------------------------- footer
struct Footer {
  static constexpr size_t kSize = 64;
  uint64_t manifest_offset = 0;  // offset of the manifest's section header
  uint64_t manifest_length = 0;  // its section length
  uint64_t article_count = 0;
  uint64_t block_count = 0;
  uint16_t major = kPlainFormatMajor;
  uint16_t minor = 0;

  void encode(std::span<std::byte, kSize> out) const;
  // Checks magic, checksum, reserved bytes and the major version.
  static Result<Footer> decode(std::span<const std::byte> in);
};

// Largest values a reader accepts before it allocates anything (SPEC.md 11).
inline constexpr uint64_t kMaxIdLength = 4096;
inline constexpr uint64_t kMaxMessageBytes = 256u << 20;  // decompressed catalog or annotations frame
inline constexpr uint64_t kMaxRecordsPerBlock = 1u << 16;
// Largest body a writer accepts: the reader's default limit on a block's
// decompressed bodies (ReaderOptions::max_block_bytes) is the same.
inline constexpr uint64_t kMaxBodyBytes = uint64_t{4} << 30;

}  // namespace quire
