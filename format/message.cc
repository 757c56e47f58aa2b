#include "format/message.h"

#include <capnp/any.h>

#include <cstring>

namespace quire {

std::vector<std::byte> message_bytes(capnp::MessageBuilder& builder) {
  kj::Array<capnp::word> words;
  if (builder.getSegmentsForOutput().size() == 1) {
    words = capnp::messageToFlatArray(builder);
  } else {
    // Copy into one segment sized to fit: readers then follow no far
    // pointers (each costs a lock in Cap'n Proto's reader arena), which
    // halves the cost of validating a catalog on every block load.
    auto root = builder.getRoot<capnp::AnyPointer>().asReader();
    capnp::MallocMessageBuilder single(static_cast<unsigned>(root.targetSize().wordCount + 1),
                                       capnp::AllocationStrategy::FIXED_SIZE);
    single.getRoot<capnp::AnyPointer>().set(root);
    words = capnp::messageToFlatArray(single);
  }
  kj::ArrayPtr<const kj::byte> bytes = words.asBytes();
  std::vector<std::byte> out(bytes.size());
  std::memcpy(out.data(), bytes.begin(), bytes.size());
  return out;
}

}  // namespace quire
