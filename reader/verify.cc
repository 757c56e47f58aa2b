#include "reader/verify.h"

#include <fmt/format.h>

#include <map>

#include "format/content_digest.h"
#include "format/index_key.h"
#include "format/record_codec.h"
#include "reader/archive_impl.h"
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
  void check_block(const ArchiveImpl& a, uint64_t block, uint64_t& next_record, ContentDigest& digest);
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

void Verifier::check_block(const ArchiveImpl& a, uint64_t block, uint64_t& next_record, ContentDigest& digest) {
  auto info = a.block_info(block);
  if (!info) {
    damage(fmt::format("block {}", block), 0, info.status().message());
    return;
  }
  std::string name = fmt::format("block {}", block);
  check_referenced(info->offset, info->length, SectionKind::kBlock, name);
  if (info->first_record != next_record) {
    damage("block table", info->offset,
           fmt::format("block {} starts at record #{}, #{} expected", block, info->first_record, next_record));
  }
  next_record = info->first_record + info->record_count;
  auto cat = a.catalog(block);
  if (!cat) {
    // Already reported as a checksum failure when the scan saw it; add the cause otherwise.
    auto it = sections_.find(info->offset);
    if (it == sections_.end() || it->second.ok) damage(name, info->offset, cat.status().message());
    return;
  }
  report_.blocks++;
  for (uint32_t slot = 0; slot < info->record_count; ++slot) {
    uint64_t record = info->first_record + slot;
    auto art = a.article(record);
    if (!art) {
      damage(name, info->offset, art.status().message());
      continue;
    }
    report_.articles++;
    std::string id(art->id());
    if (record < id_keys_.size()) {
      id_keys_[record] = id_key(id);
      sha_keys_[record] = sha_key(art->sha256());
      sha_known_[record] = true;
    }
    body_bytes_ += art->body_length();
    spans_ += art->span_count();
    if (options_.quick) continue;
    auto body = art->body();
    if (!body) {
      damage(fmt::format("article '{}'", id), info->offset, body.status().message(), {id});
      continue;
    }
    Sha256 actual = quire::sha256(std::as_bytes(std::span(body->bytes().data(), body->size())));
    report_.bytes_hashed += body->size();
    if (actual != art->sha256()) {
      damage(fmt::format("article '{}'", id), info->offset,
             fmt::format("body SHA-256 is {}, the catalog says {}", to_hex(actual), to_hex(art->sha256())), {id});
    }
    auto layers = art->annotations();
    if (!layers) {
      damage(fmt::format("article '{}'", id), info->offset, layers.status().message(), {id});
      continue;
    }
    if (count_spans(*layers) != art->span_count()) {
      damage(fmt::format("article '{}'", id), info->offset, "annotation span count disagrees with the catalog", {id});
    }
    digest.add(art->meta(), art->sha256(), *layers);
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
    check_referenced(a.dictionary_copies()[i].offset, a.dictionary_copies()[i].length, SectionKind::kDictionary,
                     fmt::format("dictionary {} (second copy)", i + 1));
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
  for (uint64_t b = 0; b < f.block_count; ++b) check_block(a, b, next_record, digest);
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
  options.cache_blocks = 4;
  options.cache_catalogs = 4;
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
