#include "format/warc_digest.h"

#include <gtest/gtest.h>

#include "format/base32.h"

namespace quire {
namespace {

std::vector<uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

TEST(Base32, EncodesTheRfc4648Vectors) {
  EXPECT_EQ(base32_encode(bytes("")), "");
  EXPECT_EQ(base32_encode(bytes("f")), "MY======");
  EXPECT_EQ(base32_encode(bytes("fo")), "MZXQ====");
  EXPECT_EQ(base32_encode(bytes("foo")), "MZXW6===");
  EXPECT_EQ(base32_encode(bytes("foob")), "MZXW6YQ=");
  EXPECT_EQ(base32_encode(bytes("fooba")), "MZXW6YTB");
  EXPECT_EQ(base32_encode(bytes("foobar")), "MZXW6YTBOI======");
}

TEST(Base32, DecodesWithOrWithoutPaddingInEitherCase) {
  EXPECT_EQ(base32_decode("MZXW6YTBOI======"), bytes("foobar"));
  EXPECT_EQ(base32_decode("MZXW6YTBOI"), bytes("foobar"));
  EXPECT_EQ(base32_decode("mzxw6ytboi"), bytes("foobar"));
}

TEST(Base32, RejectsForeignCharactersAndImpossibleLengths) {
  EXPECT_FALSE(base32_decode("MZXW6YTB1"));   // '1' is not in the alphabet
  EXPECT_FALSE(base32_decode("MZXW6YTBO"));   // 9 characters: a tail of 1
  EXPECT_FALSE(base32_decode("MZXW6YTBOJ"));  // non-zero padding bits
}

TEST(WarcDigest, ReadsBase32AndHexSha1) {
  // SHA-1("abc") = a9993e36...d89d.
  auto hex = WarcDigest::parse("sha1:a9993e364706816aba3e25717850c26c9cd0d89d");
  auto b32 = WarcDigest::parse("sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
  ASSERT_TRUE(hex && b32);
  EXPECT_EQ(*hex, *b32);
  EXPECT_EQ(*hex, warc_digest_of(DigestAlgorithm::kSha1, "abc"));
  EXPECT_EQ(hex->to_string(), "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
  EXPECT_TRUE(WarcDigest::parse("SHA-1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5"));
}

TEST(WarcDigest, ReadsSha256) {
  auto d = WarcDigest::parse("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->algorithm, DigestAlgorithm::kSha256);
  EXPECT_EQ(*d, warc_digest_of(DigestAlgorithm::kSha256, "abc"));
}

TEST(WarcDigest, RejectsUnknownAlgorithmsAndWrongSizes) {
  EXPECT_FALSE(WarcDigest::parse("md5:900150983cd24fb0d6963f7d28e17f72"));
  EXPECT_FALSE(WarcDigest::parse("sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBW"));  // 18 bytes
  EXPECT_FALSE(WarcDigest::parse("sha1"));
  EXPECT_FALSE(WarcDigest::parse(""));
}

TEST(WarcDigest, StreamsLikeOneShot) {
  DigestStream s(DigestAlgorithm::kSha1);
  s.update("a");
  s.update("bc");
  EXPECT_EQ(s.finish(), warc_digest_of(DigestAlgorithm::kSha1, "abc"));
}

}  // namespace
}  // namespace quire
