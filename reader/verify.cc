#include "reader/verify.h"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <thread>

#include "format/content_digest.h"
#include "format/index_key.h"
#include "format/record_codec.h"
#include "reader/archive_impl.h"
#include "reader/fulltext_search.h"
#include "reader/section_scan.h"

namespace quire {
namespace {

struct SectionSeen {
  SectionKind kind;
  uint64_t sequence, length;
  bool ok;
};

std::string section_name(SectionKind kind, uint64_t sequence) {
  if (kind == SectionKind::kManifest) return "manifest";
  if (kind == SectionKind::kBlock) return fmt::format("block {}", sequence);
  return fmt::format("{} {}", section_kind_name(kind), sequence);
}

struct RecordCheck {
  uint64_t record = 0;
  std::string id;
  Sha256 sha256{};
  uint64_t length = 0, spans = 0;
  ArticleMeta meta;          // full mode: what the content digest needs
  std::vector<Layer> layers;
};

struct BlockCheck {
  uint64_t block = 0;
  std::optional<BlockInfo> info;
  bool catalog_ok = false;
  std::vector<Damage> damage;
  std::vector<RecordCheck> records;
  uint64_t bytes_hashed = 0;
};

class Verifier {
 public:
  Verifier(const MappedFile& file, const VerifyOptions& options, VerifyReport& report)
      : file_(file), options_(options), report_(report) {}

  void run(const std::string& path);

 private:
  void damage(std::string item, uint64_t offset, std::string message, std::vector<std::string> articles = {}) {
    report_.damage.push_back({std::move(item), offset, std::move(message), std::move(articles)});
  }
  bool check_ends(uint64_t& sections_end);
  void scan(uint64_t sections_end);
  void check_referenced(uint64_t offset, uint64_t length, SectionKind kind, const std::string& what);
  void check_blocks(const ArchiveImpl& a);
  BlockCheck check_block(const ArchiveImpl& a, uint64_t block) const;
  void merge(BlockCheck& check, uint64_t& next_record, ContentDigest& digest);
  void check_index(const ArchiveImpl& a, SectionKind kind);

  const MappedFile& file_;
  const VerifyOptions& options_;
  VerifyReport& report_;
  std::map<uint64_t, SectionSeen> sections_;
  std::vector<uint32_t> id_keys_, sha_keys_;  // per record
  std::vector<bool> sha_known_;
  uint64_t body_bytes_ = 0, spans_ = 0;
};

bool Verifier::check_ends(uint64_t& sections_end) {
  auto bytes = file_.bytes();
  if (bytes.size() < FileHeader::kSize + Footer::kSize) {
    report_.readable = false;
    damage("file", 0, fmt::format("{} bytes is too short for a Quire archive", bytes.size()));
    return false;
  }
  auto header = FileHeader::decode(bytes.first(FileHeader::kSize));
  if (!header) {
    if (header.status().message().find("bad magic") != std::string::npos) report_.readable = false;
    if (header.status().code() == Code::kUnsupportedVersion) report_.readable = false;
    damage("file header", 0, header.status().message());
    if (!report_.readable) return false;
  }
  auto footer = Footer::decode(bytes.last(Footer::kSize));
  sections_end = bytes.size();
  if (footer) {
    sections_end = bytes.size() - Footer::kSize;
  } else {
    damage("footer", bytes.size() - Footer::kSize, footer.status().message());
  }
  return true;
}

void Verifier::scan(uint64_t sections_end) {
  scan_sections(
      file_.bytes(), sections_end,
      [&](const ScannedSection& s) {
        report_.sections++;
        std::string name = section_name(s.header.kind, s.header.sequence);
        sections_[s.offset] = {s.header.kind, s.header.sequence, s.header.section_length(), s.payload_ok};
        if (!s.payload_ok) {
          damage(name, s.offset, fmt::format("payload checksum mismatch ({} bytes from offset {})",
                                             s.header.payload_length, s.offset + SectionHeader::kSize));
        }
        if (!s.padding_ok) damage(name, s.offset, "padding after the payload is not zero or runs past the end");
      },
      [&](const ScanGap& g) {
        damage("unreadable bytes", g.offset, fmt::format("{} bytes hold no valid section: {}", g.length, g.reason));
      });
}

void Verifier::check_referenced(uint64_t offset, uint64_t length, SectionKind kind, const std::string& what) {
  auto it = sections_.find(offset);
  if (it == sections_.end() || it->second.kind != kind || it->second.length != length) {
    damage(what, offset, fmt::format("the manifest points at a {} section of {} bytes here, none was found",
                                     section_kind_name(kind), length));
  }
}

// Everything about one block that can be checked on its own, on any thread:
// the block's catalog, every body's SHA-256 and every annotation layer.
BlockCheck Verifier::check_block(const ArchiveImpl& a, uint64_t block) const {
  BlockCheck c;
  c.block = block;
  auto add = [&](std::string item, uint64_t offset, std::string message, std::vector<std::string> ids = {}) {
    c.damage.push_back({std::move(item), offset, std::move(message), std::move(ids)});
  };
  auto info = a.block_info(block);
  if (!info) {
    add(fmt::format("block {}", block), 0, info.status().message());
    return c;
  }
  c.info = *info;
  std::string name = fmt::format("block {}", block);
  auto cat = a.catalog(block);
  if (!cat) {
    // Already reported as a checksum failure when the scan saw it; add the cause otherwise.
    auto it = sections_.find(info->offset);
    if (it == sections_.end() || it->second.ok) add(name, info->offset, cat.status().message());
    return c;
  }
  c.catalog_ok = true;
  for (uint32_t slot = 0; slot < info->record_count; ++slot) {
    uint64_t record = info->first_record + slot;
    auto art = a.article(record);
    if (!art) {
      add(name, info->offset, art.status().message());
      continue;
    }
    RecordCheck r;
    r.record = record;
    r.id = std::string(art->id());
    r.sha256 = art->sha256();
    r.length = art->body_length();
    r.spans = art->span_count();
    if (!options_.quick) {
      auto body = art->body();
      auto layers = art->annotations();
      if (!body) {
        add(fmt::format("article '{}'", r.id), info->offset, body.status().message(), {r.id});
      } else {
        Sha256 actual = quire::sha256(std::as_bytes(std::span(body->bytes().data(), body->size())));
        c.bytes_hashed += body->size();
        if (actual != r.sha256) {
          add(fmt::format("article '{}'", r.id), info->offset,
              fmt::format("body SHA-256 is {}, the catalog says {}", to_hex(actual), to_hex(r.sha256)), {r.id});
        }
      }
      if (!layers) {
        add(fmt::format("article '{}'", r.id), info->offset, layers.status().message(), {r.id});
      } else if (count_spans(*layers) != r.spans) {
        add(fmt::format("article '{}'", r.id), info->offset, "annotation span count disagrees with the catalog", {r.id});
      } else {
        r.meta = art->meta();
        r.layers = std::move(*layers);
      }
    }
    c.records.push_back(std::move(r));
  }
  return c;
}

// Folds one block's findings into the report, in block order.
void Verifier::merge(BlockCheck& c, uint64_t& next_record, ContentDigest& digest) {
  for (Damage& d : c.damage) report_.damage.push_back(std::move(d));
  if (!c.info) return;
  check_referenced(c.info->offset, c.info->length, SectionKind::kBlock, fmt::format("block {}", c.block));
  if (c.info->first_record != next_record) {
    damage("block table", c.info->offset,
           fmt::format("block {} starts at record #{}, #{} expected", c.block, c.info->first_record, next_record));
  }
  next_record = c.info->first_record + c.info->record_count;
  if (c.catalog_ok) report_.blocks++;
  report_.bytes_hashed += c.bytes_hashed;
  for (RecordCheck& r : c.records) {
    report_.articles++;
    if (r.record < id_keys_.size()) {
      id_keys_[r.record] = id_key(r.id);
      sha_keys_[r.record] = sha_key(r.sha256);
      sha_known_[r.record] = true;
    }
    body_bytes_ += r.length;
    spans_ += r.spans;
    if (!options_.quick) digest.add(r.meta, r.sha256, r.layers);
  }
}

void Verifier::check_index(const ArchiveImpl& a, SectionKind kind) {
  const auto& pages = kind == SectionKind::kIdIndex ? a.id_pages() : a.sha_pages();
  const auto& keys = kind == SectionKind::kIdIndex ? id_keys_ : sha_keys_;
  std::vector<bool> seen(keys.size(), false);
  uint64_t previous = 0;
  bool first = true;
  for (size_t p = 0; p < pages.size(); ++p) {
    std::string name = fmt::format("{} page {}", section_kind_name(kind), p);
    check_referenced(pages[p].offset, pages[p].length, kind, name);
    auto entries = a.index_page(pages, kind, p);
    if (!entries) {
      damage(name, pages[p].offset, entries.status().message());
      continue;
    }
    if (entries->size() != pages[p].count || (!entries->empty() && entries->front() != pages[p].first)) {
      damage(name, pages[p].offset, "page does not match its manifest entry");
    }
    for (uint64_t e : *entries) {
      uint32_t r = entry_record(e);
      if ((!first && e <= previous) || r >= keys.size()) {
        damage(name, pages[p].offset, fmt::format("entry {:016x} out of order or names no record", e));
        break;
      }
      first = false;
      previous = e;
      if (sha_known_[r] && keys[r] != entry_key(e)) {
        damage(name, pages[p].offset, fmt::format("entry for record #{} has key {:08x}, the record's is {:08x}", r,
                                                  entry_key(e), keys[r]));
      }
      if (kind == SectionKind::kIdIndex) seen[r] = true;
    }
  }
  if (kind == SectionKind::kIdIndex) {
    for (size_t r = 0; r < seen.size(); ++r) {
      if (!seen[r] && sha_known_[r]) {
        damage("id-index", 0, fmt::format("record #{} is missing from the id index", r));
        break;
      }
    }
  }
}

void Verifier::check_blocks(const ArchiveImpl& a) {
  const Footer& f = a.footer();
  const ManifestSummary& m = a.summary();
  check_referenced(f.manifest_offset, f.manifest_length, SectionKind::kManifest, "manifest");
  for (size_t i = 0; i < a.dictionaries().size(); ++i) {
    check_referenced(a.dictionaries()[i].offset, a.dictionaries()[i].length, SectionKind::kDictionary,
                     fmt::format("dictionary {}", i + 1));
  }
  for (size_t i = 0; i < a.dictionary_copies().size(); ++i) {
    const PageLocation& copy = a.dictionary_copies()[i];
    std::string name = fmt::format("dictionary {} (second copy)", i + 1);
    check_referenced(copy.offset, copy.length, SectionKind::kDictionary, name);
    // The copy must be the same dictionary, or salvage would decode with the wrong one.
    if (i < a.dictionaries().size()) {
      const PageLocation& first = a.dictionaries()[i];
      auto one = a.section(first.offset, first.length, SectionKind::kDictionary, i + 1);
      auto two = a.section(copy.offset, copy.length, SectionKind::kDictionary, i + 1);
      if (one && two && !std::equal(one->begin(), one->end(), two->begin(), two->end())) {
        damage(name, copy.offset, "differs from the first copy");
      }
    }
  }
  if (m.fulltext) {
    check_referenced(m.fulltext->section.offset, m.fulltext->section.length, SectionKind::kFulltext, "fulltext");
    Status s = check_fulltext_index(a);
    if (!s.is_ok()) damage("fulltext", m.fulltext->section.offset, s.message());
  }
  for (size_t p = 0; p < a.block_pages().size(); ++p) {
    check_referenced(a.block_pages()[p].offset, a.block_pages()[p].length, SectionKind::kBlockTable,
                     fmt::format("block-table page {}", p));
  }
  id_keys_.assign(f.article_count, 0);
  sha_keys_.assign(f.article_count, 0);
  sha_known_.assign(f.article_count, false);
  ContentDigest digest;
  uint64_t next_record = 0;
  // Blocks are checked in batches on several threads (decompression and
  // SHA-256 dominate) and folded into the report in order, so the content
  // digest sees the records in archive order.
  const unsigned threads = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  const uint64_t batch = 16 * threads;
  for (uint64_t first = 0; first < f.block_count; first += batch) {
    uint64_t n = std::min(batch, f.block_count - first);
    std::vector<BlockCheck> checks(n);
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (uint64_t i = t; i < n; i += threads) checks[i] = check_block(a, first + i);
      });
    }
    for (auto& w : workers) w.join();
    for (BlockCheck& c : checks) merge(c, next_record, digest);
  }
  if (next_record != f.article_count) {
    damage("block table", 0, fmt::format("blocks hold {} records, the footer says {}", next_record, f.article_count));
  }
  check_index(a, SectionKind::kIdIndex);
  check_index(a, SectionKind::kShaIndex);
  if (report_.damage.empty() && (body_bytes_ != m.counts.body_bytes || spans_ != m.counts.spans)) {
    damage("manifest", f.manifest_offset, "byte or span totals disagree with the catalog");
  }
  report_.content_digest = m.content_digest;
  if (!options_.quick && report_.damage.empty()) {
    report_.content_digest = digest.finish();
    report_.content_digest_checked = true;
    if (report_.content_digest != m.content_digest) {
      damage("manifest", f.manifest_offset,
             fmt::format("content digest is {}, the manifest says {}", to_hex(report_.content_digest),
                         to_hex(m.content_digest)));
    }
  }
  if (options_.expected_content_digest && *options_.expected_content_digest != report_.content_digest) {
    damage("content digest", 0, fmt::format("content digest is {}, {} was expected", to_hex(report_.content_digest),
                                             to_hex(*options_.expected_content_digest)));
  }
}

void Verifier::run(const std::string& path) {
  uint64_t sections_end = 0;
  if (!check_ends(sections_end)) return;
  scan(sections_end);
  if (sections_end == file_.size()) return;  // no footer: nothing more to check against
  ReaderOptions options;  // verify walks blocks in order: a small cache is enough
  options.cache_blocks = 16;
  options.cache_catalogs = 16;
  auto a = ArchiveImpl::open(path, options);
  if (!a) {
    // Header or footer damage is already listed; anything else stops here.
    if (report_.damage.empty()) damage("archive", 0, a.status().message());
    return;
  }
  check_blocks(**a);
}

}  // namespace

Result<VerifyReport> verify_archive(const std::string& path, const VerifyOptions& options) {
  QUIRE_ASSIGN_OR_RETURN(auto file, MappedFile::open(path));
  VerifyReport report;
  Verifier(*file, options, report).run(path);
  return report;
}

}  // namespace quire
