// quire show: one article's metadata and annotations, with the text each span covers.
#include <fmt/format.h>

#include "format/checksum.h"
#include "reader/archive.h"
#include "reader/extract.h"
#include "tools/cli.h"

namespace quire::cli {
namespace {

struct ShowArgs {
  std::string archive;
  std::vector<std::string> ids;
  bool json = false;
};

const char* precision_name(Date::Precision p) {
  switch (p) {
    case Date::Precision::kUnknown: return "unknown";
    case Date::Precision::kYear: return "year";
    case Date::Precision::kMonth: return "month";
    case Date::Precision::kDay: return "day";
    case Date::Precision::kTimestamp: return "timestamp";
  }
  return "?";
}

// The covered text, on one line, clipped.
std::string covered(std::string_view body, const Span& s) {
  std::string out;
  std::string_view t = body.substr(s.start, s.end - s.start);
  for (char c : t.substr(0, 120)) out.push_back(c == '\n' ? ' ' : c == '\t' ? ' ' : c);
  if (t.size() > 120) out += "…";
  return out;
}

Status show_one(const Archive& archive, const std::string& ref, bool json) {
  QUIRE_ASSIGN_OR_RETURN(Article a, archive.resolve(ref));
  if (json) {
    QUIRE_ASSIGN_OR_RETURN(std::string line, article_to_json(a, false));
    fmt::print("{}\n", line);
    return Status::ok();
  }
  fmt::print("id:         {}\nrecord:     #{} (block {})\nsha256:     {}\nlength:     {} bytes\n", a.id(), a.record(),
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
  QUIRE_ASSIGN_OR_RETURN(auto layers, a.annotations());
  if (layers.empty()) return Status::ok();
  QUIRE_ASSIGN_OR_RETURN(Body body, a.body());
  for (const Layer& l : layers) {
    fmt::print("layer {} ({}), {} spans:\n", l.name, l.producer.empty() ? "no producer" : l.producer, l.spans.size());
    for (const Span& s : l.spans) {
      fmt::print("  {:<12} [{}, {}){}  \"{}\"\n", s.type, s.start, s.end, s.label.empty() ? "" : " " + s.label,
                 covered(body.bytes(), s));
    }
  }
  return Status::ok();
}

int run(const ShowArgs& a) {
  auto archive = Archive::open(a.archive);
  if (!archive) return fail_open("show", archive.status());
  int code = kExitOk;
  for (size_t i = 0; i < a.ids.size(); ++i) {
    if (i > 0 && !a.json) fmt::print("\n");
    Status s = show_one(*archive, a.ids[i], a.json);
    if (!s.is_ok()) code = std::max(code, fail("show", s));
  }
  return code;
}

}  // namespace

void register_show(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ShowArgs>();
  auto* cmd = app.add_subcommand("show", "Show articles' metadata and annotations");
  cmd->footer(
      "ID is an article id, sha256:HEX (the body's hash) or #N (record number).\n\n"
      "Examples:\n"
      "  quire show sample.quire news/2024/04/26/hanoi-metro-extension\n"
      "  quire show sample.quire '#0' --json");
  cmd->add_option("archive", args->archive, "archive file")->required();
  cmd->add_option("ids", args->ids, "article ids")->required();
  cmd->add_flag("--json", args->json, "JSON output (the JSONL schema, without the body)");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace quire::cli
