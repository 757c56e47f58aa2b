#include "reader/block_decode.h"

#include <capnp/serialize.h>
#include <fmt/format.h>
#include <kj/exception.h>

#include "format/message.h"
#include "format/quire.capnp.h"
#include "format/record_codec.h"

namespace quire {

Status decompress_frame(ZSTD_DCtx* dctx, std::span<const std::byte> frame, const ZSTD_DDict* dict, char* out,
                        uint64_t size) {
  unsigned long long declared = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (declared != size) {
    return Status::corruption(fmt::format("zstd frame declares {} bytes, block prelude says {}",
                                          declared == ZSTD_CONTENTSIZE_UNKNOWN ? -1LL : static_cast<long long>(declared),
                                          size));
  }
  if (ZSTD_findFrameCompressedSize(frame.data(), frame.size()) != frame.size()) {
    return Status::corruption("bytes after the zstd frame");
  }
  size_t n = dict ? ZSTD_decompress_usingDDict(dctx, out, size, frame.data(), frame.size(), dict)
                  : ZSTD_decompressDCtx(dctx, out, size, frame.data(), frame.size());
  if (ZSTD_isError(n)) return Status::corruption(fmt::format("zstd: {}", ZSTD_getErrorName(n)));
  if (n != size) return Status::corruption(fmt::format("zstd frame gave {} bytes, {} expected", n, size));
  return Status::ok();
}

Result<BlockFrames> split_block(std::span<const std::byte> payload, uint64_t block) {
  auto prelude = BlockPrelude::decode(payload, payload.size());
  if (!prelude) return prelude.status().with_context(fmt::format("block {}", block));
  BlockFrames b{*prelude, {}, {}, {}};
  size_t at = BlockPrelude::kSize;
  b.catalog = payload.subspan(at, prelude->catalog_stored);
  at += prelude->catalog_stored;
  b.bodies = payload.subspan(at, prelude->bodies_stored);
  at += prelude->bodies_stored;
  b.annotations = payload.subspan(at, prelude->annotations_stored);
  return b;
}

Status with_message(std::span<const std::byte> bytes, const MessageName& name,
                    const std::function<Status(capnp::MessageReader&)>& fn) {
  if (bytes.size() % 8 != 0 || reinterpret_cast<uintptr_t>(bytes.data()) % 8 != 0) {
    return Status::corruption(fmt::format("{}: message not aligned to 8 bytes", name()));
  }
  try {
    capnp::FlatArrayMessageReader reader(as_words(bytes), untrusted_reader_options(bytes.size()));
    return fn(reader);
  } catch (const kj::Exception& e) {
    return Status::corruption(fmt::format("{}: malformed message: {}", name(), e.getDescription().cStr()));
  }
}

namespace {

Status check_record(schema::Article::Reader a, uint64_t number, const BlockPrelude& prelude, unsigned slot) {
  // Touch every pointer (Cap'n Proto checks it on access) and check the
  // values, without copying.
  Status s = check_article_record(a);
  if (!s.is_ok()) return s.with_context(fmt::format("block {} record #{}", number, prelude.first_record + slot));
  std::string_view id(a.getId().cStr(), a.getId().size());
  if (a.getSha256().size() != 32) {
    return Status::corruption(fmt::format("article '{}': SHA-256 is not 32 bytes", id));
  }
  if (a.getBodyBlock() > number ||
      (a.getBodyBlock() == number && (a.getBodyOffset() > prelude.bodies_raw ||
                                        a.getBodyLength() > prelude.bodies_raw - a.getBodyOffset()))) {
    return Status::corruption(fmt::format("article '{}': body location (block {}, offset {}, length {}) is invalid",
                                          id, a.getBodyBlock(), a.getBodyOffset(), a.getBodyLength()));
  }
  if (a.getSpanCount() > 0 && prelude.annotations_raw == 0) {
    return Status::corruption(fmt::format("article '{}': has spans but block {} has no annotations", id, number));
  }
  return Status::ok();
}

}  // namespace

Status validate_catalog(std::span<const std::byte> bytes, uint64_t number, const BlockPrelude& prelude,
                        std::optional<uint32_t> only_slot) {
  return with_message(bytes, [&] { return fmt::format("block {} catalog", number); }, [&](capnp::MessageReader& r) -> Status {
    auto cat = r.getRoot<schema::BlockCatalog>();
    auto list = cat.getArticles();
    if (cat.getFirstRecord() != prelude.first_record || list.size() != prelude.record_count) {
      return Status::corruption(fmt::format("block {} catalog: {} records from #{}, prelude says {} from #{}",
                                            number, list.size(), cat.getFirstRecord(), prelude.record_count,
                                            prelude.first_record));
    }
    if (only_slot == kCatalogShapeOnly) return Status::ok();
    if (only_slot) {
      if (*only_slot >= list.size()) return Status::corruption(fmt::format("block {}: no slot {}", number, *only_slot));
      return check_record(list[*only_slot], number, prelude, *only_slot);
    }
    for (unsigned i = 0; i < list.size(); ++i) QUIRE_RETURN_IF_ERROR(check_record(list[i], number, prelude, i));
    return Status::ok();
  });
}

}  // namespace quire
