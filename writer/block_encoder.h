// Turns the articles gathered for one block into the bytes of its block
// section (SPEC.md 5): prelude, catalog frame, bodies frame, annotations frame.
// Pure function of its input and the compression settings, so blocks can be
// encoded on any thread and the archive stays byte-identical whatever -j is.
#pragma once

#include <zstd.h>

#include <memory>
#include <string>
#include <vector>

#include "format/model.h"
#include "format/record_codec.h"

namespace quire {

struct PendingArticle {
  ArticleMeta meta;
  Sha256 sha256{};
  BodyLocation body;
  std::vector<Layer> layers;
};

struct PendingBlock {
  uint64_t number = 0;
  uint64_t first_record = 0;
  std::vector<PendingArticle> articles;
  std::string bodies;  // the block's own bodies, concatenated
  uint64_t span_count = 0;
  bool has_layers = false;  // some article has a layer (possibly with no spans)
};

struct EncodedBlock {
  std::vector<std::byte> section;  // header, payload, padding
  uint64_t bodies_stored = 0;      // compressed bytes of the bodies frame
};

// A zstd dictionary ready for compression, shared read-only by all threads.
class CompressionDictionary {
 public:
  CompressionDictionary(uint32_t number, std::string bytes, int level);
  ~CompressionDictionary();
  uint32_t number() const { return number_; }
  const std::string& bytes() const { return bytes_; }
  const ZSTD_CDict* cdict() const { return cdict_; }

 private:
  uint32_t number_;
  std::string bytes_;
  ZSTD_CDict* cdict_;
};

// One per thread: holds a zstd context.
class BlockEncoder {
 public:
  explicit BlockEncoder(int level);
  ~BlockEncoder();
  BlockEncoder(const BlockEncoder&) = delete;
  BlockEncoder& operator=(const BlockEncoder&) = delete;

  // `dict` may be null. Returns the whole section: header, payload, padding.
  Result<EncodedBlock> encode(const PendingBlock& block, const CompressionDictionary* dict);

 private:
  Result<std::string> compress(std::string_view raw, const CompressionDictionary* dict);
  // The bodies frame: one zstd frame whose zstd blocks end at article ends
  // about every kBodyPiece bytes (SPEC.md 5.2), so a reader stops decoding
  // once the article it wants is out.
  Result<std::string> compress_bodies(const PendingBlock& block, const CompressionDictionary* dict);
  int level_;
  ZSTD_CCtx* cctx_;
};

// Wraps a payload into a section: header, payload, zero padding to 8 bytes.
std::vector<std::byte> make_section(uint16_t kind, uint64_t sequence, std::span<const std::byte> payload);

}  // namespace quire
