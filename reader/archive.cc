#include "reader/archive.h"

#include <capnp/serialize.h>
#include <fmt/format.h>
#include <kj/exception.h>

#include <algorithm>
#include <charconv>

#include "format/checksum.h"
#include "format/index_key.h"
#include "format/message.h"
#include "format/record_codec.h"
#include "reader/archive_impl.h"
#include "reader/block_decode.h"

namespace quire {
namespace {

std::vector<PageLocation> read_pages(capnp::List<schema::PageRef>::Reader list) {
  std::vector<PageLocation> out;
  out.reserve(list.size());
  for (auto p : list) out.push_back({p.getOffset(), p.getLength(), p.getFirst(), p.getCount(), p.getFirstRecord()});
  return out;
}

}  // namespace

// ------------------------------------------------------------------ open

ArchiveImpl::ArchiveImpl(std::unique_ptr<MappedFile> file, ReaderOptions options)
    : file_(std::move(file)), options_(options), catalogs_(options.cache_catalogs, options.cache_bytes),
      bodies_(options.cache_blocks, options.cache_bytes),
      annotations_(options.cache_blocks, options.cache_bytes) {}

ArchiveImpl::~ArchiveImpl() {
  for (auto& [n, d] : ddicts_) ZSTD_freeDDict(d);
}

Result<std::shared_ptr<ArchiveImpl>> ArchiveImpl::open(const std::string& path, const ReaderOptions& options) {
  QUIRE_ASSIGN_OR_RETURN(auto file, MappedFile::open(path));
  std::shared_ptr<ArchiveImpl> impl(new ArchiveImpl(std::move(file), options));
  auto bytes = impl->file_->bytes();
  if (bytes.size() < FileHeader::kSize + Footer::kSize) {
    return Status::corruption(fmt::format("'{}': {} bytes is too short for a Quire archive", path, bytes.size()));
  }
  auto header = FileHeader::decode(bytes.first(FileHeader::kSize));
  if (!header) return header.status().with_context(path);
  auto footer = Footer::decode(bytes.last(Footer::kSize));
  if (!footer) return footer.status().with_context(path);
  if (header->major != footer->major || header->minor != footer->minor) {
    return Status::corruption(fmt::format("'{}': header says format {}.{}, footer says {}.{}", path, header->major,
                                          header->minor, footer->major, footer->minor));
  }
  impl->footer_ = *footer;
  Status s = impl->load_manifest();
  if (!s.is_ok()) return s.with_context(path);
  return impl;
}

Status ArchiveImpl::load_manifest() {
  QUIRE_ASSIGN_OR_RETURN(auto payload,
                         section(footer_.manifest_offset, footer_.manifest_length, SectionKind::kManifest, 0));
  ManifestSummary& s = summary_;
  QUIRE_RETURN_IF_ERROR(with_message(payload, "manifest", [&](capnp::MessageReader& r) -> Status {
    auto m = r.getRoot<schema::Manifest>();
    s.format_major = m.getFormatMajor();
    s.format_minor = m.getFormatMinor();
    s.info = decode_info(m.getInfo());
    auto c = m.getCounts();
    s.counts = {c.getArticles(), c.getBlocks(), c.getUniqueBodies(), c.getBodyBytes(), c.getStoredBodyBytes(),
                c.getCompressedBodyBytes(), c.getSpans()};
    auto digest = m.getContentDigest();
    if (digest.size() != 32) return Status::corruption("manifest: content digest is not 32 bytes");
    std::copy(digest.begin(), digest.end(), s.content_digest.begin());
    dictionaries_ = read_pages(m.getDictionaries());
    dictionary_copies_ = read_pages(m.getDictionaryCopies());
    block_pages_ = read_pages(m.getBlockTable());
    id_pages_ = read_pages(m.getIdIndex());
    sha_pages_ = read_pages(m.getShaIndex());
    s.block_size = m.getBlockSize();
    s.compression_level = m.getCompressionLevel();
    if (m.hasFulltext()) {
      auto f = m.getFulltext();
      FulltextSummary ft;
      auto ref = f.getSection();
      ft.section.offset = ref.getOffset();
      ft.section.length = ref.getLength();
      ft.section.count = ref.getCount();
      ft.scheme = std::string(f.getScheme().cStr(), f.getScheme().size());
      ft.backend = std::string(f.getBackend().cStr(), f.getBackend().size());
      ft.xapian_version = std::string(f.getXapianVersion().cStr(), f.getXapianVersion().size());
      ft.default_language = std::string(f.getDefaultLanguage().cStr(), f.getDefaultLanguage().size());
      for (auto l : f.getLanguages()) ft.languages.emplace_back(l.cStr(), l.size());
      ft.text_bytes = f.getTextBytes();
      s.fulltext = std::move(ft);
    }
    return Status::ok();
  }));
  if (s.format_major != footer_.major) return Status::corruption("manifest and footer disagree on the format version");
  if (s.counts.articles != footer_.article_count || s.counts.blocks != footer_.block_count) {
    return Status::corruption(fmt::format("manifest counts ({} articles, {} blocks) disagree with the footer ({}, {})",
                                          s.counts.articles, s.counts.blocks, footer_.article_count,
                                          footer_.block_count));
  }
  if (s.counts.articles > kMaxArticles) return Status::corruption("manifest: article count out of range");
  // Pages must cover the counts exactly, in order.
  uint64_t blocks = 0;
  for (const PageLocation& p : block_pages_) {
    // Every page but the last is full: block_info() finds a page by division.
    bool last = &p == &block_pages_.back();
    if (p.first != blocks || p.count == 0 || p.count > kBlockTablePageEntries ||
        (!last && p.count != kBlockTablePageEntries)) {
      return Status::corruption("manifest: block table pages out of order");
    }
    blocks += p.count;
  }
  if (blocks != s.counts.blocks) return Status::corruption("manifest: block table does not cover every block");
  uint64_t ids = 0;
  for (const PageLocation& p : id_pages_) ids += p.count;
  if (ids != s.counts.articles) return Status::corruption("manifest: id index does not cover every article");
  for (const auto* pages : {&id_pages_, &sha_pages_}) {
    for (const PageLocation& p : *pages) {
      if (p.count == 0 || p.count > kIndexPageEntries) return Status::corruption("manifest: bad index page size");
    }
  }
  size_t total = block_pages_.size() + id_pages_.size() + sha_pages_.size();
  page_checked_.reset(new std::atomic<uint8_t>[total]);
  for (size_t i = 0; i < total; ++i) page_checked_[i].store(0);
  id_page_base_ = block_pages_.size();
  sha_page_base_ = id_page_base_ + id_pages_.size();
  for (const PageLocation& d : dictionaries_) {
    auto h = d.offset <= file_->size() && file_->size() - d.offset >= SectionHeader::kSize
                 ? SectionHeader::decode(file_->bytes().subspan(d.offset, SectionHeader::kSize))
                 : Result<SectionHeader>(Status::corruption("dictionary outside the file"));
    s.dictionary_sizes.push_back(h ? h->payload_length : 0);
  }
  s.file_size = file_->size();
  s.index_bytes = footer_.manifest_length;
  for (const auto* pages : {&block_pages_, &id_pages_, &sha_pages_}) {
    for (const PageLocation& p : *pages) s.index_bytes += p.length;
  }
  return Status::ok();
}

// ------------------------------------------------------------------ sections

Result<std::span<const std::byte>> ArchiveImpl::section(uint64_t offset, uint64_t length, SectionKind kind,
                                                        uint64_t sequence, bool check_payload) const {
  auto bytes = file_->bytes();
  const uint64_t begin = FileHeader::kSize, end = bytes.size() - Footer::kSize;
  auto where = [&] { return fmt::format("{} section at offset {}", section_kind_name(kind), offset); };
  if (offset % kAlignment != 0 || offset < begin || offset > end || length > end - offset ||
      length < SectionHeader::kSize) {
    return Status::corruption(fmt::format("{} (length {}): outside the file's sections [{}, {})", where(), length,
                                          begin, end));
  }
  auto header = SectionHeader::decode(bytes.subspan(offset, SectionHeader::kSize));
  if (!header) return header.status().with_context(where());
  if (header->kind != kind) {
    return Status::corruption(fmt::format("{}: found a {} section", where(), section_kind_name(header->kind)));
  }
  if (header->section_length() != length) {
    return Status::corruption(fmt::format("{}: length {} expected, header says {}", where(), length,
                                          header->section_length()));
  }
  if (sequence != ~uint64_t{0} && header->sequence != sequence) {
    return Status::corruption(fmt::format("{}: sequence {} expected, header says {}", where(), sequence,
                                          header->sequence));
  }
  auto payload = bytes.subspan(offset + SectionHeader::kSize, header->payload_length);
  if (!check_payload) return payload;
  uint64_t actual = xxh3_64(payload);
  if (actual != header->payload_checksum) {
    return Status::corruption(fmt::format("{}: payload checksum mismatch (stored {:016x}, computed {:016x})", where(),
                                          header->payload_checksum, actual));
  }
  return payload;
}

Result<std::span<const std::byte>> ArchiveImpl::page_payload(const std::vector<PageLocation>& pages, SectionKind kind,
                                                             size_t page) const {
  size_t base = &pages == &id_pages_ ? id_page_base_ : &pages == &sha_pages_ ? sha_page_base_ : 0;
  const PageLocation& p = pages[page];
  if (page_checked_[base + page].load(std::memory_order_acquire) == 1) {
    // Checked before: only the header (cheap) is decoded again.
    auto header = SectionHeader::decode(file_->bytes().subspan(p.offset, SectionHeader::kSize));
    if (!header) return header.status();
    return file_->bytes().subspan(p.offset + SectionHeader::kSize, header->payload_length);
  }
  QUIRE_ASSIGN_OR_RETURN(auto payload, section(p.offset, p.length, kind, page));
  page_checked_[base + page].store(1, std::memory_order_release);
  return payload;
}

Result<BlockInfo> ArchiveImpl::block_info(uint64_t block) const {
  if (block >= footer_.block_count) {
    return Status::not_found(fmt::format("block {} does not exist ({} blocks)", block, footer_.block_count));
  }
  size_t page = static_cast<size_t>(block / kBlockTablePageEntries);
  if (page >= block_pages_.size()) return Status::corruption("block table: page missing");
  QUIRE_ASSIGN_OR_RETURN(auto payload, page_payload(block_pages_, SectionKind::kBlockTable, page));
  BlockInfo info;
  QUIRE_RETURN_IF_ERROR(with_message(payload, [&] { return fmt::format("block table page {}", page); }, [&](capnp::MessageReader& r) {
    auto list = r.getRoot<schema::BlockTablePage>().getBlocks();
    uint64_t i = block - block_pages_[page].first;
    if (list.size() != block_pages_[page].count || i >= list.size()) {
      return Status::corruption(fmt::format("block table page {}: {} entries, manifest says {}", page, list.size(),
                                            block_pages_[page].count));
    }
    auto b = list[static_cast<unsigned>(i)];
    info = {block, b.getOffset(), b.getLength(), b.getFirstRecord(), b.getRecordCount(), b.getDictionary()};
    return Status::ok();
  }));
  return info;
}

Result<uint64_t> ArchiveImpl::block_of_record(uint64_t record) const {
  if (record >= footer_.article_count) {
    return Status::not_found(fmt::format("record #{} does not exist ({} articles)", record, footer_.article_count));
  }
  // Last page whose first record <= record, then binary search inside it.
  auto it = std::upper_bound(block_pages_.begin(), block_pages_.end(), record,
                             [](uint64_t r, const PageLocation& p) { return r < p.first_record; });
  if (it == block_pages_.begin()) return Status::corruption("block table: first page does not start at record 0");
  size_t page = static_cast<size_t>(it - block_pages_.begin() - 1);
  QUIRE_ASSIGN_OR_RETURN(auto payload, page_payload(block_pages_, SectionKind::kBlockTable, page));
  uint64_t found = 0;
  QUIRE_RETURN_IF_ERROR(with_message(payload, [&] { return fmt::format("block table page {}", page); }, [&](capnp::MessageReader& r) {
    auto list = r.getRoot<schema::BlockTablePage>().getBlocks();
    unsigned lo = 0, hi = list.size();
    while (hi - lo > 1) {  // invariant: list[lo].firstRecord <= record
      unsigned mid = lo + (hi - lo) / 2;
      if (list[mid].getFirstRecord() <= record) lo = mid; else hi = mid;
    }
    if (list.size() == 0 || list[lo].getFirstRecord() > record ||
        record - list[lo].getFirstRecord() >= list[lo].getRecordCount()) {
      return Status::corruption(fmt::format("block table: no block holds record #{}", record));
    }
    found = block_pages_[page].first + lo;
    return Status::ok();
  }));
  return found;
}

// ------------------------------------------------------------------ decoding

Result<const ZSTD_DDict*> ArchiveImpl::ddict(uint32_t number) const {
  std::lock_guard<std::mutex> lock(dict_mu_);
  auto it = ddicts_.find(number);
  if (it != ddicts_.end()) return static_cast<const ZSTD_DDict*>(it->second);
  if (number == 0 || number > dictionaries_.size()) {
    return Status::corruption(fmt::format("dictionary {} does not exist ({} stored)", number, dictionaries_.size()));
  }
  const PageLocation& d = dictionaries_[number - 1];
  auto payload = section(d.offset, d.length, SectionKind::kDictionary, number);
  if (!payload && number <= dictionary_copies_.size()) {
    // The first copy is damaged: use the second, written after the last block.
    const PageLocation& c = dictionary_copies_[number - 1];
    payload = section(c.offset, c.length, SectionKind::kDictionary, number);
  }
  if (!payload) return payload.status().with_context(fmt::format("dictionary {}", number));
  ZSTD_DDict* dd = ZSTD_createDDict(payload->data(), payload->size());
  if (!dd && number <= dictionary_copies_.size()) {
    const PageLocation& c = dictionary_copies_[number - 1];
    auto copy = section(c.offset, c.length, SectionKind::kDictionary, number);
    if (copy) dd = ZSTD_createDDict(copy->data(), copy->size());
  }
  if (!dd) return Status::corruption(fmt::format("dictionary {}: zstd cannot load it", number));
  ddicts_.emplace(number, dd);
  return static_cast<const ZSTD_DDict*>(dd);
}

Status ArchiveImpl::decompress(std::span<const std::byte> frame, uint32_t dictionary, char* out, uint64_t size) const {
  const ZSTD_DDict* dd = nullptr;
  if (dictionary != 0) {
    QUIRE_ASSIGN_OR_RETURN(dd, ddict(dictionary));
  }
  ZSTD_DCtx* dctx = dctx_pool_->take();
  if (!dctx) return Status::io_error("zstd: out of memory");
  Status s = decompress_frame(dctx, frame, dd, out, size);
  dctx_pool_->give(dctx);
  return s;
}

namespace {

// `checked`: this reader has already checked the block's payload checksum
// (its catalog is cached, and loading it checked the whole payload), so a
// lookup does not hash the same block twice, once for the catalog and once
// for the body.
Result<BlockFrames> load_block(const ArchiveImpl& a, uint64_t block, bool checked = false) {
  QUIRE_ASSIGN_OR_RETURN(BlockInfo info, a.block_info(block));
  auto payload = a.section(info.offset, info.length, SectionKind::kBlock, block, !checked);
  if (!payload) return payload.status().with_context(fmt::format("block {}", block));
  auto b = split_block(*payload, block);
  if (!b) return b.status().with_context(fmt::format("offset {}", info.offset));
  if (b->prelude.first_record != info.first_record || b->prelude.record_count != info.record_count ||
      b->prelude.dictionary != info.dictionary) {
    return Status::corruption(fmt::format("block {}: prelude disagrees with the block table", block));
  }
  return b;
}

}  // namespace

Result<std::shared_ptr<const CatalogBlock>> ArchiveImpl::catalog(uint64_t block) const {
  if (auto hit = catalogs_.get(block)) return hit;
  QUIRE_ASSIGN_OR_RETURN(BlockFrames b, load_block(*this, block));
  auto c = std::make_shared<CatalogBlock>();
  c->number = block;
  c->prelude = b.prelude;
  c->words.resize(b.prelude.catalog_raw / 8);
  c->checked.reset(new std::atomic<uint8_t>[b.prelude.record_count]());
  Status s = decompress(b.catalog, 0, reinterpret_cast<char*>(c->words.data()), b.prelude.catalog_raw);
  if (!s.is_ok()) return s.with_context(fmt::format("block {} catalog frame", block));
  // The shape now; each record when a view of it is made (article()).
  QUIRE_RETURN_IF_ERROR(validate_catalog(std::as_bytes(std::span(c->words)), block, c->prelude, kCatalogShapeOnly));
  catalogs_.put(block, c);
  return std::shared_ptr<const CatalogBlock>(c);
}

Result<std::shared_ptr<const BodiesBlock>> ArchiveImpl::bodies(uint64_t block, uint64_t need) const {
  std::shared_ptr<const BodiesBlock> d = bodies_.get(block);
  if (!d) {
    QUIRE_ASSIGN_OR_RETURN(BlockFrames b, load_block(*this, block, catalogs_.get(block) != nullptr));
    if (b.prelude.bodies_raw > options_.max_block_bytes) {
      return Status::corruption(fmt::format("block {}: bodies of {} bytes exceed the reader's limit of {}", block,
                                            b.prelude.bodies_raw, options_.max_block_bytes));
    }
    const ZSTD_DDict* dd = nullptr;
    if (b.prelude.dictionary != 0) {
      QUIRE_ASSIGN_OR_RETURN(dd, ddict(b.prelude.dictionary));
    }
    QUIRE_ASSIGN_OR_RETURN(auto fresh, BodiesBlock::start(block, b.bodies, dd, b.prelude.bodies_raw, dctx_pool_));
    d = fresh;
    bodies_.put(block, d);
  }
  // Only as far as asked: a bodies frame's zstd blocks end at article ends (SPEC.md 5.2).
  QUIRE_RETURN_IF_ERROR(d->ensure(need));
  return d;
}

// The decoded annotations frame of a block, cached like catalogs, so reading
// every article's annotations (show, extract --jsonl, verify) decodes each
// frame once rather than once per article.
Result<std::shared_ptr<const AnnotationsBlock>> ArchiveImpl::annotations_frame(uint64_t block) const {
  if (auto hit = annotations_.get(block)) return hit;
  QUIRE_ASSIGN_OR_RETURN(BlockFrames b, load_block(*this, block, catalogs_.get(block) != nullptr));
  auto a = std::make_shared<AnnotationsBlock>();
  a->record_count = b.prelude.record_count;
  a->words.resize(b.prelude.annotations_raw / 8);
  if (b.prelude.annotations_raw != 0) {
    Status s = decompress(b.annotations, 0, reinterpret_cast<char*>(a->words.data()), b.prelude.annotations_raw);
    if (!s.is_ok()) return s.with_context(fmt::format("block {} annotations frame", block));
  }
  annotations_.put(block, a);
  return std::shared_ptr<const AnnotationsBlock>(a);
}

Result<std::vector<Layer>> ArchiveImpl::annotations(uint64_t block, uint32_t slot) const {
  QUIRE_ASSIGN_OR_RETURN(auto frame, annotations_frame(block));
  if (frame->words.empty()) return std::vector<Layer>{};
  std::vector<Layer> layers;
  QUIRE_RETURN_IF_ERROR(with_message(std::as_bytes(std::span(frame->words)), "annotations",
                                     [&](capnp::MessageReader& r) -> Status {
    auto list = r.getRoot<schema::BlockAnnotations>().getArticles();
    if (list.size() != frame->record_count) {
      return Status::corruption(fmt::format("block {} annotations: {} entries for {} records", block, list.size(),
                                            frame->record_count));
    }
    if (slot >= list.size()) return Status::corruption("annotation slot out of range");
    QUIRE_ASSIGN_OR_RETURN(layers, decode_layers(list[slot]));
    return Status::ok();
  }).with_context(fmt::format("block {}", block)));
  return layers;
}

Result<Article> ArchiveImpl::article(uint64_t record) const {
  QUIRE_ASSIGN_OR_RETURN(uint64_t block, block_of_record(record));
  QUIRE_ASSIGN_OR_RETURN(auto cat, catalog(block));
  uint32_t slot = static_cast<uint32_t>(record - cat->prelude.first_record);
  // Each record is checked the first time a view of it is made, once per
  // cached catalog (two threads may both check it: the result is the same).
  if (cat->checked[slot].load(std::memory_order_acquire) == 0) {
    QUIRE_RETURN_IF_ERROR(validate_catalog(std::as_bytes(std::span(cat->words)), block, cat->prelude, slot));
    cat->checked[slot].store(1, std::memory_order_release);
  }
  Article a;
  a.archive_ = shared_from_this();
  a.block_ = cat;
  a.slot_ = slot;
  a.record_ = record;
  // The record has been checked. Each Article has its own message
  // reader, so views on different threads share no traversal counter.
  a.message_ = std::make_shared<capnp::FlatArrayMessageReader>(
      as_words(std::as_bytes(std::span(cat->words))), validated_reader_options());
  a.record_reader_ = a.message_->getRoot<schema::BlockCatalog>().getArticles()[a.slot_];
  return a;
}

Result<std::vector<uint64_t>> ArchiveImpl::index_page(const std::vector<PageLocation>& pages, SectionKind kind,
                                                      size_t page) const {
  QUIRE_ASSIGN_OR_RETURN(auto payload, page_payload(pages, kind, page));
  std::vector<uint64_t> out;
  QUIRE_RETURN_IF_ERROR(with_message(payload, [&] { return fmt::format("{} page {}", section_kind_name(kind), page); },
                                     [&](capnp::MessageReader& r) -> Status {
    auto list = r.getRoot<schema::IndexPage>().getEntries();
    out.reserve(list.size());
    for (uint64_t e : list) out.push_back(e);
    return Status::ok();
  }));
  return out;
}

Result<std::vector<uint32_t>> ArchiveImpl::candidates(const std::vector<PageLocation>& pages, SectionKind kind,
                                                      uint32_t key) const {
  std::vector<uint32_t> out;
  const uint64_t lo = index_entry(key, 0);
  // Pages are sorted by first entry: start at the last page whose first entry is < lo
  // (the key may begin there) and go on while pages start with this key.
  auto it = std::lower_bound(pages.begin(), pages.end(), lo, [](const PageLocation& p, uint64_t v) { return p.first < v; });
  size_t page = it == pages.begin() ? 0 : static_cast<size_t>(it - pages.begin() - 1);
  for (; page < pages.size(); ++page) {
    if (entry_key(pages[page].first) > key) break;
    QUIRE_ASSIGN_OR_RETURN(auto payload, page_payload(pages, kind, page));
    bool past = false;
    QUIRE_RETURN_IF_ERROR(with_message(payload, [&] { return fmt::format("{} page {}", section_kind_name(kind), page); },
                                       [&](capnp::MessageReader& r) -> Status {
      auto list = r.getRoot<schema::IndexPage>().getEntries();
      unsigned a = 0, b = list.size();
      while (a < b) {
        unsigned mid = a + (b - a) / 2;
        if (list[mid] < lo) a = mid + 1; else b = mid;
      }
      for (; a < list.size(); ++a) {
        uint64_t e = list[a];
        if (entry_key(e) != key) {
          past = true;
          break;
        }
        out.push_back(entry_record(e));
      }
      return Status::ok();
    }));
    if (past) break;
  }
  return out;
}

// ------------------------------------------------------------------ Archive

Result<Archive> Archive::open(const std::string& path, ReaderOptions options) {
  QUIRE_ASSIGN_OR_RETURN(auto impl, ArchiveImpl::open(path, options));
  return Archive(std::move(impl));
}

uint64_t Archive::size() const { return impl_->footer().article_count; }
const std::string& Archive::path() const { return impl_->file().path(); }
ManifestSummary Archive::manifest() const { return impl_->summary(); }
Result<Article> Archive::at(uint64_t record) const { return impl_->article(record); }
uint64_t Archive::block_count() const { return impl_->footer().block_count; }

Result<std::pair<uint64_t, uint64_t>> Archive::block_records(uint64_t block) const {
  QUIRE_ASSIGN_OR_RETURN(BlockInfo info, impl_->block_info(block));
  return std::pair<uint64_t, uint64_t>{info.first_record, info.record_count};
}

Result<Article> Archive::find(std::string_view id) const {
  QUIRE_ASSIGN_OR_RETURN(auto records, impl_->candidates(impl_->id_pages(), SectionKind::kIdIndex, id_key(id)));
  for (uint32_t r : records) {
    QUIRE_ASSIGN_OR_RETURN(Article a, impl_->article(r));
    if (a.id() == id) return a;
  }
  return Status::not_found(fmt::format("no article with id '{}'", id));
}

Result<Article> Archive::find_sha256(const Sha256& sha) const {
  QUIRE_ASSIGN_OR_RETURN(auto records, impl_->candidates(impl_->sha_pages(), SectionKind::kShaIndex, sha_key(sha)));
  for (uint32_t r : records) {
    QUIRE_ASSIGN_OR_RETURN(Article a, impl_->article(r));
    if (a.sha256() == sha) return a;
  }
  return Status::not_found(fmt::format("no article with SHA-256 {}", to_hex(sha)));
}

Result<Article> Archive::resolve(std::string_view ref) const {
  if (ref.rfind("sha256:", 0) == 0) {
    Sha256 sha;
    if (!parse_sha256_hex(ref.substr(7), sha)) {
      return Status::invalid_argument(fmt::format("'{}': expected sha256: and 64 hex digits", ref));
    }
    return find_sha256(sha);
  }
  if (ref.size() > 1 && ref[0] == '#') {
    uint64_t n = 0;
    auto [p, ec] = std::from_chars(ref.data() + 1, ref.data() + ref.size(), n);
    if (ec == std::errc() && p == ref.data() + ref.size()) return at(n);
  }
  return find(ref);
}

}  // namespace quire
