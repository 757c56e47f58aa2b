// Decoding one block section's payload (SPEC.md 5) on its own: shared by the
// archive reader, verify and salvage, which may have no manifest to go by.
#pragma once

#include <capnp/message.h>
#include <zstd.h>

#include <functional>
#include <optional>
#include <span>
#include <string>

#include "format/layout.h"
#include "format/status.h"

namespace quire {

struct BlockFrames {
  BlockPrelude prelude;
  std::span<const std::byte> catalog, bodies, annotations;  // compressed frames
};

// Splits a block payload into prelude and frames, checking the lengths.
Result<BlockFrames> split_block(std::span<const std::byte> payload, uint64_t block);

// Decompresses one frame of a block into out[0, size): the frame must declare
// exactly `size` bytes, fill its slot exactly (no bytes after it) and give
// exactly `size` bytes. `dict` may be null. Shared by the reader and salvage.
Status decompress_frame(ZSTD_DCtx* dctx, std::span<const std::byte> frame, const ZSTD_DDict* dict, char* out,
                        uint64_t size);

// Reads a message from untrusted bytes and walks it with `fn`, turning Cap'n
// Proto's exceptions into a Corruption status that names the message. The
// name is built only on failure (this runs on every lookup).
using MessageName = std::function<std::string()>;
Status with_message(std::span<const std::byte> bytes, const MessageName& name,
                    const std::function<Status(capnp::MessageReader&)>& fn);
inline Status with_message(std::span<const std::byte> bytes, const char* name,
                           const std::function<Status(capnp::MessageReader&)>& fn) {
  return with_message(bytes, MessageName([name] { return std::string(name); }), fn);
}

// Checks a decoded catalog so views can read it freely: its shape (record
// count and first record against the prelude) and either every record or
// only `only_slot` (ids, dates, SHA-256 sizes, body locations within this
// block or naming an earlier one). The reader checks each record when a
// view of it is made (bytes are checked where they are used); verify and
// salvage check them all.
inline constexpr uint32_t kCatalogShapeOnly = UINT32_MAX;  // only_slot: check no record
Status validate_catalog(std::span<const std::byte> message, uint64_t block, const BlockPrelude& prelude,
                        std::optional<uint32_t> only_slot = std::nullopt);

}  // namespace quire
