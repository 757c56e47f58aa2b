// The content digest (SPEC.md 10.1): one SHA-256 over every article's id,
// body hash, metadata and annotations, in archive order, in a canonical
// encoding that does not depend on how the archive was compressed or cut
// into blocks. Two archives with the same digest hold the same content (an
// empty scalar field and an absent one count as the same).
#pragma once

#include <vector>

#include "format/checksum.h"
#include "format/model.h"

namespace quire {

class ContentDigest {
 public:
  ContentDigest();
  void add(const ArticleMeta& meta, const Sha256& body_sha256, const std::vector<Layer>& layers);
  Sha256 finish();

 private:
  void field(uint8_t tag, std::string_view value);  // left out when empty
  void item(uint8_t tag, std::string_view value);   // always written
  void number(uint8_t tag, uint64_t value);
  Sha256Stream sha_;
};

}  // namespace quire
