#include "reader/salvage.h"

#include <capnp/serialize.h>
#include <fmt/format.h>
#include <zstd.h>

#include <map>

#include "format/message.h"
#include "format/quire.capnp.h"
#include "format/record_codec.h"
#include "reader/block_decode.h"
#include "reader/mapped_file.h"
#include "reader/section_scan.h"

namespace quire {
namespace {

struct FoundBlock {
  uint64_t offset = 0;
  std::span<const std::byte> payload;
  bool ok = false;
};

class Salvager {
 public:
  Salvager(const MappedFile& file, SalvageReport& report) : file_(file), report_(report), dctx_(ZSTD_createDCtx()) {}
  ~Salvager() {
    for (auto& [n, d] : ddicts_) ZSTD_freeDDict(d);
    ZSTD_freeDCtx(dctx_);
  }

  void scan();
  Status recover(const std::function<Status(const RecoveredArticle&)>& sink);

 private:
  Result<std::vector<uint64_t>> decode_words(std::span<const std::byte> frame, uint32_t raw, uint32_t dictionary);
  Result<const std::string*> bodies_of(uint64_t block);
  Status recover_block(uint64_t number, const FoundBlock& b, const std::function<Status(const RecoveredArticle&)>& sink);
  void report_damaged_block(uint64_t number, const FoundBlock& b, const std::string& why);

  const MappedFile& file_;
  SalvageReport& report_;
  std::map<uint64_t, std::span<const std::byte>> dictionaries_;  // number -> bytes (first intact copy)
  std::map<uint64_t, ZSTD_DDict*> ddicts_;                       // loaded on first use
  ZSTD_DCtx* dctx_;
  std::map<uint64_t, FoundBlock> blocks_;
  uint64_t cached_block_ = ~uint64_t{0};
  std::string cached_bodies_;
};

void Salvager::scan() {
  auto bytes = file_.bytes();
  uint64_t end = bytes.size();
  if (bytes.size() >= FileHeader::kSize + Footer::kSize) {
    auto footer = Footer::decode(bytes.last(Footer::kSize));
    if (footer) {
      report_.footer_ok = true;
      report_.expected_articles = footer->article_count;
      end = bytes.size() - Footer::kSize;
    }
  }
  scan_sections(bytes, end, [&](const ScannedSection& s) {
    switch (s.header.kind) {
      case SectionKind::kDictionary:
        if (s.payload_ok && !dictionaries_.count(s.header.sequence)) dictionaries_[s.header.sequence] = s.payload;
        break;
      case SectionKind::kBlock: {
        auto& b = blocks_[s.header.sequence];
        if (!b.ok) b = FoundBlock{s.offset, s.payload, s.payload_ok};
        break;
      }
      case SectionKind::kManifest:
        if (s.payload_ok) {
          Status st = with_message(s.payload, "manifest", [&](capnp::MessageReader& r) {
            auto m = r.getRoot<schema::Manifest>();
            report_.info = decode_info(m.getInfo());
            report_.expected_articles = m.getCounts().getArticles();
            return Status::ok();
          });
          report_.manifest_ok = report_.info_known = st.is_ok();
        }
        break;
      default:
        break;  // indexes and the block table are derived data: salvage rebuilds them
    }
  }, [&](const ScanGap& g) {
    report_.lost.push_back(fmt::format("{} bytes at offset {} hold no readable section ({})", g.length, g.offset, g.reason));
  });
  report_.blocks_found = blocks_.size();
}

Result<std::vector<uint64_t>> Salvager::decode_words(std::span<const std::byte> frame, uint32_t raw, uint32_t) {
  std::vector<uint64_t> words(raw / 8);
  QUIRE_RETURN_IF_ERROR(decompress_frame(dctx_, frame, nullptr, reinterpret_cast<char*>(words.data()), raw));
  return words;
}

Result<const std::string*> Salvager::bodies_of(uint64_t block) {
  if (block == cached_block_) return &cached_bodies_;
  auto it = blocks_.find(block);
  if (it == blocks_.end() || !it->second.ok) return Status::corruption(fmt::format("block {} is missing or damaged", block));
  QUIRE_ASSIGN_OR_RETURN(BlockFrames f, split_block(it->second.payload, block));
  ZSTD_DDict* dict = nullptr;
  if (f.prelude.dictionary != 0) {
    auto d = dictionaries_.find(f.prelude.dictionary);
    if (d == dictionaries_.end()) {
      return Status::corruption(fmt::format("dictionary {} is lost (both copies)", f.prelude.dictionary));
    }
    auto& loaded = ddicts_[f.prelude.dictionary];
    if (!loaded) loaded = ZSTD_createDDict(d->second.data(), d->second.size());
    if (!loaded) return Status::corruption(fmt::format("dictionary {}: zstd cannot load it", f.prelude.dictionary));
    dict = loaded;
  }
  if (f.prelude.bodies_raw > kMaxBodyBytes) return Status::corruption("bodies frame larger than 4 GiB");
  std::string bodies(f.prelude.bodies_raw, '\0');
  QUIRE_RETURN_IF_ERROR(decompress_frame(dctx_, f.bodies, dict, bodies.data(), bodies.size()));
  cached_block_ = block;
  cached_bodies_ = std::move(bodies);
  return &cached_bodies_;
}

void Salvager::report_damaged_block(uint64_t number, const FoundBlock& b, const std::string& why) {
  // Name what was lost as precisely as the damaged bytes allow.
  std::string records;
  auto f = split_block(b.payload, number);
  if (f) {
    records = fmt::format(" (records #{}..#{})", f->prelude.first_record,
                          f->prelude.first_record + f->prelude.record_count - 1);
    auto words = decode_words(f->catalog, f->prelude.catalog_raw, 0);
    if (words) {
      (void)with_message(std::as_bytes(std::span(*words)), "catalog", [&](capnp::MessageReader& r) {
        for (auto a : r.getRoot<schema::BlockCatalog>().getArticles()) {
          report_.lost_ids.emplace_back(a.getId().cStr(), a.getId().size());
        }
        return Status::ok();
      });
    }
  }
  report_.lost.push_back(fmt::format("block {} at offset {}{}: {}", number, b.offset, records, why));
}

Status Salvager::recover_block(uint64_t number, const FoundBlock& b,
                               const std::function<Status(const RecoveredArticle&)>& sink) {
  if (!b.ok) {
    report_damaged_block(number, b, "checksum mismatch");
    return Status::ok();
  }
  auto f = split_block(b.payload, number);
  if (!f) {
    report_damaged_block(number, b, f.status().message());
    return Status::ok();
  }
  auto catalog = decode_words(f->catalog, f->prelude.catalog_raw, 0);
  Status valid = catalog ? validate_catalog(std::as_bytes(std::span(*catalog)), number, f->prelude) : catalog.status();
  if (!valid.is_ok()) {
    report_damaged_block(number, b, valid.message());
    return Status::ok();
  }
  std::vector<uint64_t> ann_words;
  if (f->prelude.annotations_raw) {
    auto w = decode_words(f->annotations, f->prelude.annotations_raw, 0);
    if (w) ann_words = std::move(*w);
  }
  capnp::FlatArrayMessageReader cat(as_words(std::as_bytes(std::span(*catalog))), validated_reader_options());
  auto articles = cat.getRoot<schema::BlockCatalog>().getArticles();
  bool any = false;
  for (unsigned slot = 0; slot < articles.size(); ++slot) {
    auto rec = articles[slot];
    RecoveredArticle out;
    out.record = f->prelude.first_record + slot;
    out.meta = *decode_article_meta(rec);  // validated above
    std::copy(rec.getSha256().begin(), rec.getSha256().end(), out.sha256.begin());
    auto lose = [&](const std::string& why) {
      report_.lost.push_back(fmt::format("article '{}' (record #{}, block {}): {}", out.meta.id, out.record, number, why));
      report_.lost_ids.push_back(out.meta.id);
    };
    auto bodies = bodies_of(rec.getBodyBlock());
    if (!bodies) {
      lose(bodies.status().message());
      continue;
    }
    const std::string& all = **bodies;
    if (rec.getBodyOffset() > all.size() || rec.getBodyLength() > all.size() - rec.getBodyOffset()) {
      lose("body lies outside its block");
      continue;
    }
    out.body = std::string_view(all).substr(rec.getBodyOffset(), rec.getBodyLength());
    if (sha256(out.body) != out.sha256) {
      lose("body does not match its SHA-256");
      continue;
    }
    if (f->prelude.annotations_raw) {
      Status s = ann_words.empty() ? Status::corruption("annotations frame unreadable")
                                   : with_message(std::as_bytes(std::span(ann_words)), "annotations",
                                                  [&](capnp::MessageReader& r) -> Status {
                                                    auto list = r.getRoot<schema::BlockAnnotations>().getArticles();
                                                    if (slot >= list.size()) return Status::corruption("too few entries");
                                                    QUIRE_ASSIGN_OR_RETURN(out.layers, decode_layers(list[slot]));
                                                    return validate_layers(out.meta.id, out.layers, out.body.size());
                                                  });
      if (!s.is_ok()) {
        report_.lost.push_back(fmt::format("annotations of '{}' (record #{}): {}; the article is kept without them",
                                           out.meta.id, out.record, s.message()));
        out.layers.clear();
      }
    }
    QUIRE_RETURN_IF_ERROR(sink(out));
    report_.recovered++;
    any = true;
  }
  if (any) report_.blocks_recovered++;
  return Status::ok();
}

Status Salvager::recover(const std::function<Status(const RecoveredArticle&)>& sink) {
  uint64_t expected_block = 0;
  for (auto& [number, b] : blocks_) {
    if (number != expected_block) {
      report_.lost.push_back(fmt::format("blocks {}..{} were not found", expected_block, number - 1));
    }
    expected_block = number + 1;
    QUIRE_RETURN_IF_ERROR(recover_block(number, b, sink));
  }
  if (report_.expected_articles > report_.recovered) {
    report_.lost.push_back(fmt::format("{} of {} articles recovered", report_.recovered, report_.expected_articles));
  }
  return Status::ok();
}

}  // namespace

Result<SalvageReport> salvage_articles(const std::string& path,
                                       const std::function<Status(const SalvageReport&)>& on_scanned,
                                       const std::function<Status(const RecoveredArticle&)>& sink) {
  QUIRE_ASSIGN_OR_RETURN(auto file, MappedFile::open(path));
  auto header = FileHeader::decode(file->bytes().first(std::min<size_t>(file->size(), FileHeader::kSize)));
  SalvageReport report;
  Salvager s(*file, report);
  s.scan();
  if (!header && report.blocks_found == 0) {
    return Status::corruption(fmt::format("'{}': no Quire sections found ({})", path, header.status().message()));
  }
  if (on_scanned) QUIRE_RETURN_IF_ERROR(on_scanned(report));
  QUIRE_RETURN_IF_ERROR(s.recover(sink));
  return report;
}

}  // namespace quire
