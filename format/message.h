// Cap'n Proto messages stored in a Quire file (SPEC.md 6): how they are
// serialised (the standard flat-array encoding with its segment table,
// unpacked) and the limits a reader sets before trusting them.
#pragma once

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <cstddef>
#include <span>
#include <vector>

namespace quire {

// The flat-array bytes of a message, always in one segment (SPEC.md 6);
// a multiple of 8 bytes.
std::vector<std::byte> message_bytes(capnp::MessageBuilder& builder);

// Options for reading a message of `bytes` bytes from an untrusted file: the
// traversal limit is a small multiple of the message's own size, so a
// message cannot make a reader walk far more than it is (pointer
// amplification), and nesting is capped below Cap'n Proto's default.
inline capnp::ReaderOptions untrusted_reader_options(size_t bytes) {
  capnp::ReaderOptions o;
  o.traversalLimitInWords = 4 * (bytes / sizeof(capnp::word)) + 1024;
  o.nestingLimit = 16;
  return o;
}

// Options for a message that a full walk has already validated under
// untrusted_reader_options: views then read it repeatedly without exhausting a limit.
inline capnp::ReaderOptions validated_reader_options() {
  capnp::ReaderOptions o;
  o.traversalLimitInWords = ~uint64_t{0} >> 4;
  o.nestingLimit = 16;
  return o;
}

// Views 8-aligned bytes as words. Precondition: data is 8-aligned, size % 8 == 0.
inline kj::ArrayPtr<const capnp::word> as_words(std::span<const std::byte> bytes) {
  return kj::ArrayPtr<const capnp::word>(reinterpret_cast<const capnp::word*>(bytes.data()),
                                         bytes.size() / sizeof(capnp::word));
}

}  // namespace quire
