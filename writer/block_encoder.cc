#include "writer/block_encoder.h"

#include <capnp/message.h>
#include <fmt/format.h>

#include <cstring>

#include "format/checksum.h"
#include "format/layout.h"
#include "format/message.h"

namespace quire {

CompressionDictionary::CompressionDictionary(uint32_t number, std::string bytes, int level)
    : number_(number), bytes_(std::move(bytes)),
      cdict_(ZSTD_createCDict(bytes_.data(), bytes_.size(), level)) {}

CompressionDictionary::~CompressionDictionary() { ZSTD_freeCDict(cdict_); }

BlockEncoder::BlockEncoder(int level) : level_(level), cctx_(ZSTD_createCCtx()) {}
BlockEncoder::~BlockEncoder() { ZSTD_freeCCtx(cctx_); }

Result<std::string> BlockEncoder::compress(std::string_view raw, const CompressionDictionary* dict) {
  std::string out(ZSTD_compressBound(raw.size()), '\0');
  size_t n = dict ? ZSTD_compress_usingCDict(cctx_, out.data(), out.size(), raw.data(), raw.size(), dict->cdict())
                  : ZSTD_compressCCtx(cctx_, out.data(), out.size(), raw.data(), raw.size(), level_);
  if (ZSTD_isError(n)) return Status::io_error(fmt::format("zstd compression failed: {}", ZSTD_getErrorName(n)));
  out.resize(n);
  return out;
}

namespace {

// A zstd block boundary (a flush) after the first article end at least this
// far past the previous one. Small enough that a lookup decodes on average
// about 5/8 of a 64 KiB block, large enough that the per-block cost stays
// small (SPEC.md 5.4 has both measurements).
constexpr uint64_t kBodyPiece = 16 * 1024;

// Where the zstd blocks of a bodies frame end: article ends, spaced kBodyPiece apart.
std::vector<uint64_t> piece_ends(const PendingBlock& block) {
  std::vector<uint64_t> ends;
  uint64_t last = 0;
  for (const PendingArticle& a : block.articles) {
    if (a.body.block != block.number) continue;  // a body stored in an earlier block
    // (A body stored twice is stored once: its end may lie before `last`.)
    uint64_t end = a.body.offset + a.body.length;
    if (end >= last + kBodyPiece && end < block.bodies.size()) {
      ends.push_back(end);
      last = end;
    }
  }
  ends.push_back(block.bodies.size());
  return ends;
}

}  // namespace

Result<std::string> BlockEncoder::compress_bodies(const PendingBlock& block, const CompressionDictionary* dict) {
  const std::string& raw = block.bodies;
  if (raw.size() <= kBodyPiece) return compress(raw, dict);
  ZSTD_CCtx_reset(cctx_, ZSTD_reset_session_and_parameters);
  size_t rc = dict ? ZSTD_CCtx_refCDict(cctx_, dict->cdict()) : ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level_);
  if (!ZSTD_isError(rc)) rc = ZSTD_CCtx_setPledgedSrcSize(cctx_, raw.size());  // the frame declares its size
  if (ZSTD_isError(rc)) return Status::io_error(fmt::format("zstd set-up failed: {}", ZSTD_getErrorName(rc)));
  std::vector<uint64_t> ends = piece_ends(block);
  std::string out(ZSTD_compressBound(raw.size()) + 16 * ends.size() + 64, '\0');
  ZSTD_outBuffer o{out.data(), out.size(), 0};
  uint64_t from = 0;
  for (uint64_t end : ends) {
    ZSTD_inBuffer in{raw.data() + from, end - from, 0};
    ZSTD_EndDirective mode = end == raw.size() ? ZSTD_e_end : ZSTD_e_flush;
    // The output has room for everything, so each call finishes its piece.
    size_t left = ZSTD_compressStream2(cctx_, &o, &in, mode);
    if (ZSTD_isError(left)) return Status::io_error(fmt::format("zstd compression failed: {}", ZSTD_getErrorName(left)));
    if (left != 0 || in.pos != in.size) return Status::io_error("zstd compression: output buffer too small");
    from = end;
  }
  ZSTD_CCtx_reset(cctx_, ZSTD_reset_session_and_parameters);  // drop the dictionary reference
  out.resize(o.pos);
  return out;
}

std::vector<std::byte> make_section(uint16_t kind, uint64_t sequence, std::span<const std::byte> payload) {
  SectionHeader h;
  h.kind = static_cast<SectionKind>(kind);
  h.sequence = sequence;
  h.payload_length = payload.size();
  h.payload_checksum = xxh3_64(payload);
  std::vector<std::byte> out(h.section_length(), std::byte{0});
  h.encode(std::span<std::byte, SectionHeader::kSize>(out.data(), SectionHeader::kSize));
  std::memcpy(out.data() + SectionHeader::kSize, payload.data(), payload.size());
  return out;
}

static std::string_view as_chars(const std::vector<std::byte>& v) {
  return std::string_view(reinterpret_cast<const char*>(v.data()), v.size());
}

Result<EncodedBlock> BlockEncoder::encode(const PendingBlock& block, const CompressionDictionary* dict) {
  capnp::MallocMessageBuilder catalog_msg;
  auto catalog = catalog_msg.initRoot<schema::BlockCatalog>();
  catalog.setFirstRecord(block.first_record);
  auto list = catalog.initArticles(static_cast<unsigned>(block.articles.size()));
  for (unsigned i = 0; i < block.articles.size(); ++i) {
    const PendingArticle& a = block.articles[i];
    encode_article(list[i], a.meta, a.sha256, a.body, count_spans(a.layers));
  }
  std::vector<std::byte> catalog_raw = message_bytes(catalog_msg);

  std::vector<std::byte> annotations_raw;
  if (block.has_layers) {
    capnp::MallocMessageBuilder ann_msg;
    auto anns = ann_msg.initRoot<schema::BlockAnnotations>().initArticles(
        static_cast<unsigned>(block.articles.size()));
    for (unsigned i = 0; i < block.articles.size(); ++i) encode_layers(anns[i], block.articles[i].layers);
    annotations_raw = message_bytes(ann_msg);
  }
  if (catalog_raw.size() > kMaxMessageBytes || annotations_raw.size() > kMaxMessageBytes) {
    return Status::invalid_argument(fmt::format(
        "block {}: catalog or annotations of {} articles exceed {} bytes", block.number, block.articles.size(),
        kMaxMessageBytes));
  }

  QUIRE_ASSIGN_OR_RETURN(std::string catalog_z, compress(as_chars(catalog_raw), nullptr));
  QUIRE_ASSIGN_OR_RETURN(std::string bodies_z, compress_bodies(block, dict));
  std::string annotations_z;
  if (!annotations_raw.empty()) {
    QUIRE_ASSIGN_OR_RETURN(annotations_z, compress(as_chars(annotations_raw), nullptr));
  }

  BlockPrelude p;
  p.dictionary = dict ? dict->number() : 0;
  p.record_count = static_cast<uint32_t>(block.articles.size());
  p.first_record = block.first_record;
  p.catalog_stored = static_cast<uint32_t>(catalog_z.size());
  p.catalog_raw = static_cast<uint32_t>(catalog_raw.size());
  p.bodies_stored = bodies_z.size();
  p.bodies_raw = block.bodies.size();
  p.annotations_stored = static_cast<uint32_t>(annotations_z.size());
  p.annotations_raw = static_cast<uint32_t>(annotations_raw.size());

  std::vector<std::byte> payload(p.payload_length());
  p.encode(std::span<std::byte, BlockPrelude::kSize>(payload.data(), BlockPrelude::kSize));
  size_t at = BlockPrelude::kSize;
  for (const std::string* part : {&catalog_z, &bodies_z, &annotations_z}) {
    std::memcpy(payload.data() + at, part->data(), part->size());
    at += part->size();
  }
  return EncodedBlock{make_section(static_cast<uint16_t>(SectionKind::kBlock), block.number, payload), p.bodies_stored};
}

}  // namespace quire
