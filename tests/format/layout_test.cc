#include "format/layout.h"

#include <gtest/gtest.h>

#include "format/checksum.h"
#include "format/endian.h"

namespace quire {
namespace {

template <size_t N>
std::array<std::byte, N> zeros() {
  std::array<std::byte, N> a{};
  return a;
}

// Rewrites the trailing checksum after a test changed a field on purpose.
void fix_footer_checksum(std::array<std::byte, Footer::kSize>& b) {
  store_le<uint32_t>(&b[52], xxh3_low32(std::span<const std::byte>(b).first(52)));
}

TEST(FileHeader, RoundTrips) {
  auto b = zeros<FileHeader::kSize>();
  FileHeader{}.encode(b);
  auto h = FileHeader::decode(b);
  ASSERT_TRUE(h.is_ok()) << h.status().to_string();
  // A header says 1.0 unless the writer sets 2.0 for a file with a full-text index (SPEC.md 9).
  EXPECT_EQ(h->major, kPlainFormatMajor);
  EXPECT_EQ(h->minor, 0);
}

TEST(FileHeader, ReadsEveryMajorUpToItsOwn) {
  for (uint16_t major = 1; major <= kFormatMajor; ++major) {
    auto b = zeros<FileHeader::kSize>();
    FileHeader h;
    h.major = major;
    h.encode(b);
    auto r = FileHeader::decode(b);
    ASSERT_TRUE(r.is_ok()) << major;
    EXPECT_EQ(r->major, major);
  }
  EXPECT_EQ(kFulltextFormatMajor, kFormatMajor);
}

TEST(FileHeader, RejectsBadMagic) {
  auto b = zeros<FileHeader::kSize>();
  FileHeader{}.encode(b);
  b[1] = std::byte{'X'};
  auto h = FileHeader::decode(b);
  ASSERT_FALSE(h.is_ok());
  EXPECT_NE(h.status().message().find("bad magic"), std::string::npos);
}

TEST(FileHeader, RejectsFlippedBit) {
  auto b = zeros<FileHeader::kSize>();
  FileHeader{}.encode(b);
  b[20] ^= std::byte{0x10};
  auto h = FileHeader::decode(b);
  ASSERT_FALSE(h.is_ok());
  EXPECT_EQ(h.status().code(), Code::kCorruption);
}

TEST(FileHeader, RefusesNewerMajorWithClearMessage) {
  auto b = zeros<FileHeader::kSize>();
  FileHeader h;
  h.major = kFormatMajor + 1;
  h.encode(b);
  auto r = FileHeader::decode(b);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kUnsupportedVersion);
  EXPECT_NE(r.status().message().find("newer"), std::string::npos);
}

TEST(FileHeader, AcceptsNewerMinor) {
  auto b = zeros<FileHeader::kSize>();
  FileHeader h;
  h.minor = kFormatMinor + 7;
  h.encode(b);
  auto r = FileHeader::decode(b);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->minor, kFormatMinor + 7);
}

TEST(SectionHeader, RoundTripsAndComputesLength) {
  auto b = zeros<SectionHeader::kSize>();
  SectionHeader h;
  h.kind = SectionKind::kIdIndex;
  h.sequence = 42;
  h.payload_length = 13;
  h.payload_checksum = 0x1234567890abcdefULL;
  h.encode(b);
  auto r = SectionHeader::decode(b);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->kind, SectionKind::kIdIndex);
  EXPECT_EQ(r->sequence, 42u);
  EXPECT_EQ(r->payload_length, 13u);
  EXPECT_EQ(r->payload_checksum, 0x1234567890abcdefULL);
  EXPECT_EQ(r->section_length(), SectionHeader::kSize + 16);
}

TEST(SectionHeader, RejectsUnknownKindAndReservedBytes) {
  auto b = zeros<SectionHeader::kSize>();
  SectionHeader{}.encode(b);
  // Unknown kind with a correct checksum.
  auto c = b;
  store_le<uint16_t>(&c[4], 99);
  store_le<uint32_t>(&c[44], xxh3_low32(std::span<const std::byte>(c).first(44)));
  EXPECT_FALSE(SectionHeader::decode(c).is_ok());
  // Reserved byte set, checksum fixed.
  auto d = b;
  d[40] = std::byte{1};
  store_le<uint32_t>(&d[44], xxh3_low32(std::span<const std::byte>(d).first(44)));
  auto r = SectionHeader::decode(d);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("reserved"), std::string::npos);
}

TEST(SectionHeader, EveryBitFlipIsDetected) {
  auto b = zeros<SectionHeader::kSize>();
  SectionHeader h;
  h.sequence = 7;
  h.payload_length = 100;
  h.encode(b);
  for (size_t i = 0; i < b.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      auto c = b;
      c[i] ^= std::byte(1 << bit);
      EXPECT_FALSE(SectionHeader::decode(c).is_ok()) << "byte " << i << " bit " << bit;
    }
  }
}

TEST(BlockPrelude, RejectsLengthsThatDoNotAddUp) {
  std::array<std::byte, BlockPrelude::kSize> b{};
  BlockPrelude p;
  p.record_count = 2;
  p.catalog_stored = 10;
  p.catalog_raw = 16;
  p.bodies_stored = 20;
  p.bodies_raw = 30;
  p.encode(b);
  EXPECT_TRUE(BlockPrelude::decode(b, p.payload_length()).is_ok());
  EXPECT_FALSE(BlockPrelude::decode(b, p.payload_length() + 1).is_ok());
  EXPECT_FALSE(BlockPrelude::decode(b, p.payload_length() - 1).is_ok());
  p.catalog_raw = 12;  // not a multiple of 8
  p.encode(b);
  EXPECT_FALSE(BlockPrelude::decode(b, p.payload_length()).is_ok());
  p.catalog_raw = 16;
  p.record_count = 0;
  p.encode(b);
  EXPECT_FALSE(BlockPrelude::decode(b, p.payload_length()).is_ok());
}

TEST(BlockPrelude, HugeLengthsDoNotOverflow) {
  std::array<std::byte, BlockPrelude::kSize> b{};
  BlockPrelude p;
  p.record_count = 1;
  p.catalog_stored = 8;
  p.catalog_raw = 8;
  p.bodies_stored = ~uint64_t{0} - 3;
  p.encode(b);
  EXPECT_FALSE(BlockPrelude::decode(b, 100).is_ok());
}

TEST(Footer, RoundTripsAndRejectsDamage) {
  std::array<std::byte, Footer::kSize> b{};
  Footer f;
  f.manifest_offset = 4096;
  f.manifest_length = 512;
  f.article_count = 3;
  f.block_count = 1;
  f.encode(b);
  auto r = Footer::decode(b);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->manifest_offset, 4096u);
  EXPECT_EQ(r->article_count, 3u);
  auto c = b;
  c[63] = std::byte{0};
  EXPECT_NE(Footer::decode(c).status().message().find("end magic"), std::string::npos);
  c = b;
  c[40] = std::byte{1};
  fix_footer_checksum(c);
  EXPECT_NE(Footer::decode(c).status().message().find("reserved"), std::string::npos);
  c = b;
  c[0] ^= std::byte{1};
  EXPECT_NE(Footer::decode(c).status().message().find("checksum"), std::string::npos);
}

TEST(Layout, MagicNumbersAreMirrorImages) {
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(kHeaderMagic[i], kFooterMagic[7 - i]);
}

}  // namespace
}  // namespace quire
