#include "writer/index_writer.h"

#include <capnp/message.h>

#include <algorithm>

#include "format/index_key.h"
#include "format/layout.h"
#include "format/message.h"
#include "format/record_codec.h"
#include "writer/block_encoder.h"

namespace quire {
namespace {

uint16_t kind_of(SectionKind k) { return static_cast<uint16_t>(k); }

// Values are read from the sources in slices of this many (a small buffer
// between a spill file and a Cap'n Proto list).
constexpr size_t kReadSlice = 4096;

Result<std::vector<PageLocation>> write_block_table(OutputFile& out, SequenceSource<BlockEntry>& blocks) {
  std::vector<PageLocation> pages;
  std::vector<BlockEntry> slice(kReadSlice);
  for (uint64_t first = 0; first < blocks.size(); first += kBlockTablePageEntries) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kBlockTablePageEntries, blocks.size() - first));
    capnp::MallocMessageBuilder msg;
    auto list = msg.initRoot<schema::BlockTablePage>().initBlocks(static_cast<unsigned>(n));
    PageLocation loc;
    for (size_t i = 0; i < n;) {
      QUIRE_ASSIGN_OR_RETURN(size_t got, blocks.read(std::span(slice).first(std::min(slice.size(), n - i))));
      if (got == 0) return Status::io_error("block table: fewer block entries than counted");
      if (i == 0) loc.first_record = slice[0].first_record;
      for (size_t j = 0; j < got; ++j, ++i) {
        const BlockEntry& b = slice[j];
        auto r = list[static_cast<unsigned>(i)];
        r.setOffset(b.offset);
        r.setLength(b.length);
        r.setFirstRecord(b.first_record);
        r.setRecordCount(b.record_count);
        r.setDictionary(b.dictionary);
      }
    }
    uint64_t first_record = loc.first_record;
    QUIRE_ASSIGN_OR_RETURN(loc, write_section(out, kind_of(SectionKind::kBlockTable), pages.size(), message_bytes(msg)));
    loc.first = first;
    loc.count = n;
    loc.first_record = first_record;
    pages.push_back(loc);
  }
  return pages;
}

// `entries` yields ascending values; pages of kIndexPageEntries each.
Result<std::vector<PageLocation>> write_index(OutputFile& out, SectionKind kind, SequenceSource<uint64_t>& entries) {
  std::vector<PageLocation> pages;
  std::vector<uint64_t> slice(kReadSlice);
  for (uint64_t first = 0; first < entries.size(); first += kIndexPageEntries) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kIndexPageEntries, entries.size() - first));
    capnp::MallocMessageBuilder msg;
    auto list = msg.initRoot<schema::IndexPage>().initEntries(static_cast<unsigned>(n));
    uint64_t first_entry = 0;
    for (size_t i = 0; i < n;) {
      QUIRE_ASSIGN_OR_RETURN(size_t got, entries.read(std::span(slice).first(std::min(slice.size(), n - i))));
      if (got == 0) return Status::io_error("index: fewer entries than counted");
      if (i == 0) first_entry = slice[0];
      for (size_t j = 0; j < got; ++j, ++i) list.set(static_cast<unsigned>(i), slice[j]);
    }
    QUIRE_ASSIGN_OR_RETURN(PageLocation loc, write_section(out, kind_of(kind), pages.size(), message_bytes(msg)));
    loc.first = first_entry;
    loc.count = n;
    pages.push_back(loc);
  }
  return pages;
}

void set_pages(capnp::List<schema::PageRef>::Builder out, const std::vector<PageLocation>& pages) {
  for (unsigned i = 0; i < pages.size(); ++i) {
    out[i].setOffset(pages[i].offset);
    out[i].setLength(pages[i].length);
    out[i].setFirst(pages[i].first);
    out[i].setCount(pages[i].count);
    out[i].setFirstRecord(pages[i].first_record);
  }
}

}  // namespace

Result<PageLocation> write_section(OutputFile& out, uint16_t kind, uint64_t sequence,
                                   std::span<const std::byte> payload) {
  std::vector<std::byte> section = make_section(kind, sequence, payload);
  PageLocation loc;
  loc.offset = out.offset();
  loc.length = section.size();
  QUIRE_RETURN_IF_ERROR(out.write(section));
  return loc;
}

Status write_tail(OutputFile& out, const ArchiveTail& tail, const TailSources& sources) {
  uint64_t block_count = sources.blocks.size();
  QUIRE_ASSIGN_OR_RETURN(auto block_pages, write_block_table(out, sources.blocks));
  QUIRE_ASSIGN_OR_RETURN(auto id_pages, write_index(out, SectionKind::kIdIndex, sources.id_entries));
  QUIRE_ASSIGN_OR_RETURN(auto sha_pages, write_index(out, SectionKind::kShaIndex, sources.sha_entries));

  capnp::MallocMessageBuilder msg;
  auto m = msg.initRoot<schema::Manifest>();
  m.setFormatMajor(kPlainFormatMajor);
  m.setFormatMinor(0);
  encode_info(m.initInfo(), tail.info);
  auto c = m.initCounts();
  c.setArticles(tail.articles);
  c.setBlocks(block_count);
  c.setUniqueBodies(tail.unique_bodies);
  c.setBodyBytes(tail.body_bytes);
  c.setStoredBodyBytes(tail.stored_body_bytes);
  c.setCompressedBodyBytes(tail.compressed_body_bytes);
  c.setSpans(tail.spans);
  m.setContentDigest(capnp::Data::Reader(tail.content_digest.data(), tail.content_digest.size()));
  set_pages(m.initDictionaries(static_cast<unsigned>(tail.dictionaries.size())), tail.dictionaries);
  set_pages(m.initBlockTable(static_cast<unsigned>(block_pages.size())), block_pages);
  set_pages(m.initIdIndex(static_cast<unsigned>(id_pages.size())), id_pages);
  set_pages(m.initShaIndex(static_cast<unsigned>(sha_pages.size())), sha_pages);
  m.setBlockSize(tail.block_size);
  m.setCompressionLevel(tail.level);
  set_pages(m.initDictionaryCopies(static_cast<unsigned>(tail.dictionary_copies.size())), tail.dictionary_copies);
  return write_manifest_and_footer(out, msg);
}

Status write_manifest_and_footer(OutputFile& out, capnp::MallocMessageBuilder& manifest) {
  auto m = manifest.getRoot<schema::Manifest>();
  QUIRE_ASSIGN_OR_RETURN(PageLocation where,
                         write_section(out, kind_of(SectionKind::kManifest), 0, message_bytes(manifest)));
  Footer f;
  f.manifest_offset = where.offset;
  f.manifest_length = where.length;
  f.article_count = m.getCounts().getArticles();
  f.block_count = m.getCounts().getBlocks();
  f.major = m.getFormatMajor();
  f.minor = m.getFormatMinor();
  std::array<std::byte, Footer::kSize> bytes{};
  f.encode(bytes);
  return out.write(bytes);
}

}  // namespace quire
