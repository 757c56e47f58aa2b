// WARC digests (SPEC.md 14): the `WARC-Block-Digest` and `WARC-Payload-Digest`
// values "algorithm:value". Tools write SHA-1 in base32 (the de facto form),
// SHA-1 in hex (warcprox) or SHA-256; all are read, and SHA-1 base32 is written.
// Shared by the WARC ingest (which checks them) and the WARC export (which writes them).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace quire {

enum class DigestAlgorithm : uint8_t { kSha1, kSha256 };

struct WarcDigest {
  DigestAlgorithm algorithm = DigestAlgorithm::kSha1;
  std::vector<uint8_t> value;  // 20 or 32 bytes

  // "sha1:BASE32", "sha1:HEX", "sha256:BASE32|HEX" (algorithm name in any case,
  // "sha-1" accepted); nullopt for other algorithms or a value of the wrong size.
  static std::optional<WarcDigest> parse(std::string_view text);
  // "sha1:<base32>" / "sha256:<base32>".
  std::string to_string() const;
  bool operator==(const WarcDigest&) const = default;
};

// Incremental SHA-1 or SHA-256 (OpenSSL EVP).
class DigestStream {
 public:
  explicit DigestStream(DigestAlgorithm algorithm);
  ~DigestStream();
  DigestStream(const DigestStream&) = delete;
  DigestStream& operator=(const DigestStream&) = delete;
  void update(std::string_view bytes);
  WarcDigest finish();

 private:
  DigestAlgorithm algorithm_;
  void* ctx_;  // EVP_MD_CTX*
};

WarcDigest warc_digest_of(DigestAlgorithm algorithm, std::string_view bytes);

}  // namespace quire
