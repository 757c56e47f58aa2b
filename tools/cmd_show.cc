// quire show: one article's metadata and annotations, with the text each span covers.
#include <fmt/format.h>

#include <cassert>
#include <cstdint>

#include "format/checksum.h"
#include "format/model.h"
#include "reader/annotation_query.h"
#include "reader/archive_set.h"
#include "reader/extract.h"
#include "tools/cli.h"

namespace quire::cli {
namespace {

struct ShowArgs {
  std::string archive;
  std::vector<std::string> ids;
  bool json = false;
  bool annotations = false;  // the full form: attributes and --offsets
  OffsetUnit offsets = OffsetUnit::kBytes;
};

// The character of `t` at byte i (a UTF-8 sequence, or one byte that starts
// none) as shown between quotes; `len` receives the bytes it takes. Quotes,
// backslashes and control characters are escaped (\n, \t, \r, \x07, \u0085),
// and so is a byte that is not part of valid UTF-8 (\xE9).
std::string shown_char(std::string_view t, size_t i, size_t& len) {
  auto c = static_cast<unsigned char>(t[i]);
  len = utf8_sequence_length(t, i);
  switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\n': return "\\n";
    case '\t': return "\\t";
    case '\r': return "\\r";
  }
  if (len == 0 || c < 0x20 || c == 0x7F) {
    len = 1;
    return fmt::format("\\x{:02X}", c);
  }
  auto next = len == 2 ? static_cast<unsigned char>(t[i + 1]) : 0;
  if (c == 0xC2 && next < 0xA0) return fmt::format("\\u{:04X}", next);  // C1 control, U+0080..U+009F
  return std::string(t.substr(i, len));
}

// `t` quoted on one line. After `max_chars` characters the rest is left out
// and an ellipsis follows the closing quote.
std::string quote_text(std::string_view t, size_t max_chars = SIZE_MAX) {
  std::string out = "\"";
  size_t i = 0;
  for (size_t chars = 0; i < t.size() && chars < max_chars; ++chars) {
    size_t len = 0;
    out += shown_char(t, i, len);
    i += len;
  }
  out += "\"";
  if (i < t.size()) out += "…";
  return out;
}

// Layers and spans after the metadata. The short form (the default) gives
// each span's type, offsets, label and covered text; the full form
// (--annotations) adds its attributes and names the offset unit.
void print_annotations(const ArticleAnnotations& ann, bool full, OffsetUnit unit) {
  auto p = ann.spans.begin();
  for (size_t l = 0; l < ann.layers.size(); ++l) {
    const Layer& layer = ann.layers[l];
    fmt::print("layer {} ({}), {} spans{}:\n", layer.name, layer.producer.empty() ? "no producer" : layer.producer,
               layer.spans.size(),
               full ? (unit == OffsetUnit::kBytes ? ", byte offsets" : ", code point offsets") : "");
    for (; p != ann.spans.end() && p->layer == l; ++p) {
      const Span& s = ann.span_of(*p);
      std::string line = fmt::format("  {:<12} [{}, {}){}  {}", s.type, p->start, p->end,
                                     s.label.empty() ? "" : " " + s.label, quote_text(p->text, 80));
      if (full) {
        for (const KeyValue& kv : s.attributes) line += fmt::format("  {}={}", kv.key, quote_text(kv.value));
      }
      fmt::print("{}\n", line);
    }
  }
}

// The --json --annotations line: the JSONL form of the article (without
// the body) plus "offsets" and "annotations", one object per span with the
// text it covers (the objects of `quire annotations`, without "id").
std::string json_with_annotations(const Article& a, std::string metadata, const ArticleAnnotations& ann,
                                  OffsetUnit unit) {
  assert(!metadata.empty() && metadata.back() == '}');
  metadata.pop_back();
  metadata += fmt::format(",\"offsets\":\"{}\",\"annotations\":[", offset_unit_name(unit));
  for (size_t i = 0; i < ann.spans.size(); ++i) {
    if (i > 0) metadata += ',';
    metadata += annotation_to_json(a, ann, ann.spans[i], false);
  }
  return metadata + "]}";
}

// `record` is the global record number (a set's shards number on from each other).
void print_metadata(const Article& a, uint64_t record) {
  fmt::print("id:         {}\nrecord:     #{} (block {})\nsha256:     {}\nlength:     {} bytes\n", a.id(), record,
             a.block(), to_hex(a.sha256()), a.body_length());
  auto line = [](const char* k, std::string_view v) {
    if (!v.empty()) fmt::print("{:<12}{}\n", k, v);
  };
  line("source:", a.source());
  line("title:", a.title());
  line("url:", a.url());
  if (a.date().known()) fmt::print("date:       {} ({})\n", a.date().to_string(), precision_name(a.date().precision));
  line("lang:", a.lang());
  for (auto n : a.lang_notes()) line("lang note:", n);
  line("media type:", a.media_type());
  for (auto& [k, v] : a.extra()) fmt::print("meta:       {} = {}\n", k, v);
}

Status show_one(const ArchiveSet& archive, const std::string& ref, const ShowArgs& args) {
  QUIRE_ASSIGN_OR_RETURN(ArchiveSet::Located found, archive.locate(ref));
  const Article& a = found.article;
  if (args.json && !args.annotations) {
    QUIRE_ASSIGN_OR_RETURN(std::string line, article_to_json(a, false));
    fmt::print("{}\n", line);
    return Status::ok();
  }
  // Placed before anything is printed, so an error leaves no half an article.
  QUIRE_ASSIGN_OR_RETURN(ArticleAnnotations ann, place_annotations(a, args.offsets));
  if (args.json) {
    QUIRE_ASSIGN_OR_RETURN(std::string line, article_to_json(a, false));
    fmt::print("{}\n", json_with_annotations(a, std::move(line), ann, args.offsets));
    return Status::ok();
  }
  print_metadata(a, found.record);
  print_annotations(ann, args.annotations, args.offsets);
  return Status::ok();
}

int run(const ShowArgs& a) {
  auto archive = ArchiveSet::open(a.archive);
  if (!archive) return fail_open("show", archive.status());
  int code = kExitOk;
  for (size_t i = 0; i < a.ids.size(); ++i) {
    if (i > 0 && !a.json) fmt::print("\n");
    Status s = show_one(*archive, a.ids[i], a);
    if (!s.is_ok()) code = std::max(code, fail("show", s));
  }
  return code;
}

}  // namespace

void register_show(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ShowArgs>();
  auto* cmd = app.add_subcommand("show", "Show articles' metadata and annotations");
  cmd->footer(
      "ID is an article id, sha256:HEX (the body's hash) or #N (record number).\n"
      "After the metadata come the annotation layers, each span with its type,\n"
      "offsets [start, end), label and the text it covers (quoted, control\n"
      "characters and bytes that are not UTF-8 escaped, cut after 80 characters).\n"
      "--annotations adds each span's attributes and takes --offsets; with --json\n"
      "it adds \"offsets\" and \"annotations\" (every span with its full text, as\n"
      "`quire annotations` prints them) to the article's JSON. Code point offsets\n"
      "of a body that is not UTF-8 are an error naming the article (exit code 3).\n\n"
      "Examples:\n"
      "  quire show sample.quire news/2024/04/26/hanoi-metro-extension\n"
      "  quire show sample.quire '#0' --json\n"
      "  quire show sample.quire '#0' --annotations --offsets codepoints\n"
      "  quire show sample.quire '#0' --annotations --json");
  cmd->add_option("archive", args->archive, "archive file or set (directory or quire-set.json)")->required();
  cmd->add_option("ids", args->ids, "article ids")->required();
  cmd->add_flag("--json", args->json, "JSON output (the JSONL schema, without the body)");
  cmd->add_flag("--annotations", args->annotations, "every span in full: attributes, offsets in the --offsets unit");
  add_offsets_option(*cmd, args->offsets)->needs("--annotations");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace quire::cli
