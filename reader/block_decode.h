// Decoding one block section's payload (SPEC.md 5) on its own: shared by the
// archive reader, verify and salvage, which may have no manifest to go by.
#pragma once

#include <capnp/message.h>

#include <functional>
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

// Reads a message from untrusted bytes and walks it with `fn`, turning Cap'n
// Proto's exceptions into a Corruption status that names `what`.
Status with_message(std::span<const std::byte> bytes, const std::string& what,
                    const std::function<Status(capnp::MessageReader&)>& fn);

// Checks every record of a decoded catalog once, so views can read it freely:
// ids, dates, SHA-256 sizes, body locations within this block (or naming an
// earlier one), counts against the prelude.
Status validate_catalog(std::span<const std::byte> message, uint64_t block, const BlockPrelude& prelude);

}  // namespace quire
