// Writes the tail of an archive after the last block: block table pages,
// id and SHA-256 index pages (SPEC.md 7), the manifest and the footer (SPEC.md 8).
#pragma once

#include <vector>

#include "format/layout.h"
#include "format/model.h"
#include "format/quire.capnp.h"
#include <capnp/message.h>
#include "writer/output_file.h"
#include "writer/sequence_source.h"

namespace quire {

struct BlockEntry {
  uint64_t offset = 0, length = 0, first_record = 0;
  uint32_t record_count = 0, dictionary = 0;
};

struct ArchiveTail {
  ArchiveInfo info;
  std::vector<PageLocation> dictionaries;
  std::vector<PageLocation> dictionary_copies;
  uint64_t articles = 0, unique_bodies = 0, body_bytes = 0, stored_body_bytes = 0;
  uint64_t compressed_body_bytes = 0, spans = 0;
  Sha256 content_digest{};
  uint64_t block_size = 0;
  int level = 0;
};

// Writes a section holding `payload` and returns where it went.
Result<PageLocation> write_section(OutputFile& out, uint16_t kind, uint64_t sequence,
                                   std::span<const std::byte> payload);

// The per-block and per-article parts of the tail, streamed (they may be
// larger than memory): blocks in block order, index entries ascending.
struct TailSources {
  SequenceSource<BlockEntry>& blocks;
  SequenceSource<uint64_t>& id_entries;
  SequenceSource<uint64_t>& sha_entries;
};

// Writes the tail: block table and indexes from `sources`, then the manifest
// from `tail` and the footer.
Status write_tail(OutputFile& out, const ArchiveTail& tail, const TailSources& sources);
// Writes `manifest` (a Manifest root) as the manifest section, then the footer
// with the manifest's counts and format version.
Status write_manifest_and_footer(OutputFile& out, capnp::MallocMessageBuilder& manifest);

}  // namespace quire
