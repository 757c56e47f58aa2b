#include "format/warc_digest.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "format/base32.h"

namespace quire {
namespace {

size_t digest_size(DigestAlgorithm a) { return a == DigestAlgorithm::kSha1 ? 20 : 32; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<std::vector<uint8_t>> decode_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<uint8_t> out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<uint8_t>(hi * 16 + lo));
  }
  return out;
}

}  // namespace

std::optional<WarcDigest> WarcDigest::parse(std::string_view text) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string name = lower(text.substr(0, colon));
  std::string_view value = text.substr(colon + 1);
  WarcDigest d;
  if (name == "sha1" || name == "sha-1") {
    d.algorithm = DigestAlgorithm::kSha1;
  } else if (name == "sha256" || name == "sha-256") {
    d.algorithm = DigestAlgorithm::kSha256;
  } else {
    return std::nullopt;
  }
  size_t size = digest_size(d.algorithm);
  // Hex is exactly twice the size; base32 is about 1.6 times: the length tells them apart.
  auto bytes = value.size() == 2 * size ? decode_hex(value) : base32_decode(value);
  if (!bytes || bytes->size() != size) return std::nullopt;
  d.value = std::move(*bytes);
  return d;
}

std::string WarcDigest::to_string() const {
  return (algorithm == DigestAlgorithm::kSha1 ? "sha1:" : "sha256:") + base32_encode(value);
}

DigestStream::DigestStream(DigestAlgorithm algorithm) : algorithm_(algorithm), ctx_(EVP_MD_CTX_new()) {
  const EVP_MD* md = algorithm == DigestAlgorithm::kSha1 ? EVP_sha1() : EVP_sha256();
  if (!ctx_ || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), md, nullptr) != 1) {
    throw std::runtime_error("OpenSSL digest init failed");
  }
}

DigestStream::~DigestStream() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void DigestStream::update(std::string_view bytes) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size());
}

WarcDigest DigestStream::finish() {
  WarcDigest d;
  d.algorithm = algorithm_;
  d.value.resize(digest_size(algorithm_));
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), d.value.data(), &len);
  return d;
}

WarcDigest warc_digest_of(DigestAlgorithm algorithm, std::string_view bytes) {
  DigestStream s(algorithm);
  s.update(bytes);
  return s.finish();
}

}  // namespace quire
