// quire extract: bodies to a directory (safe paths), to tar or zip, to a WARC
// (with a CDXJ index), or everything to JSONL.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <optional>
#include <string_view>

#include "format/json_writer.h"
#include "reader/archive_set.h"
#include "reader/export_archive.h"
#include "reader/export_warc.h"
#include "reader/extract.h"
#include "reader/export_file.h"
#include "reader/dolma_export.h"
#include "tools/cli.h"

namespace quire::cli {
namespace {

enum class Target { kDir, kJsonl, kTar, kTarGz, kTarZst, kZip, kWarc, kWarcGz };

constexpr std::pair<std::string_view, Target> kNames[] = {
    {"dir", Target::kDir},       {"jsonl", Target::kJsonl}, {"tar", Target::kTar},   {"tar.gz", Target::kTarGz},
    {"tar.zst", Target::kTarZst}, {"zip", Target::kZip},     {"warc", Target::kWarc}, {"warc.gz", Target::kWarcGz}};

// Longest first, so ".tar.gz" wins over a plain ".gz".
constexpr std::pair<std::string_view, Target> kSuffixes[] = {
    {".tar.zst", Target::kTarZst}, {".tzst", Target::kTarZst}, {".tar.gz", Target::kTarGz}, {".tgz", Target::kTarGz},
    {".warc.gz", Target::kWarcGz}, {".tar", Target::kTar},      {".zip", Target::kZip},      {".warc", Target::kWarc},
    {".jsonl", Target::kJsonl}};

// Names that look like a file of a kind extract does not write: more likely
// a mistake than a directory name, so they need --to.
constexpr std::string_view kFileLike[] = {".gz", ".zst", ".xz", ".bz2", ".7z", ".json", ".cdxj", ".txt"};

struct ExtractArgs {
  std::string archive, output, to, jsonl, cdxj;
  FilterOptions filter;
  OffsetUnit offsets = OffsetUnit::kBytes;
  std::string profile = "lossless", on_non_utf8 = "error";
  bool quiet = false, json = false;
};

std::string_view name_of(Target t) {
  for (const auto& [name, target] : kNames) {
    if (target == t) return name;
  }
  return "?";
}

bool ends_with(std::string s, std::string_view suffix) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Result<Target> infer_target(const std::string& out) {
  if (out == "-") return Status::invalid_argument("writing to standard output needs --to FORMAT");
  for (const auto& [suffix, target] : kSuffixes) {
    if (ends_with(out, suffix)) return target;
  }
  for (std::string_view suffix : kFileLike) {
    if (ends_with(out, suffix)) {
      return Status::invalid_argument(
          fmt::format("cannot tell the format of '{}' from its name; give --to (dir, jsonl, tar, tar.gz, tar.zst, zip, "
                      "warc, warc.gz)",
                      out));
    }
  }
  return Target::kDir;
}

// The target and output path from -o, --to and the --jsonl alias.
Result<Target> resolve(const ExtractArgs& a, std::string& out) {
  if (!a.jsonl.empty() && !a.output.empty()) return Status::invalid_argument("give one of -o OUT and --jsonl FILE");
  if (a.jsonl.empty() && a.output.empty()) return Status::invalid_argument("give -o OUT (or --jsonl FILE)");
  out = a.jsonl.empty() ? a.output : a.jsonl;
  Target t = Target::kJsonl;
  if (!a.to.empty()) {
    auto it = std::find_if(std::begin(kNames), std::end(kNames), [&](const auto& n) { return n.first == a.to; });
    if (it == std::end(kNames)) {
      return Status::invalid_argument(fmt::format("--to '{}': expected dir, jsonl, tar, tar.gz, tar.zst, zip, warc or warc.gz", a.to));
    }
    t = it->second;
    if (!a.jsonl.empty() && t != Target::kJsonl) return Status::invalid_argument("--jsonl writes JSONL: drop --to or use -o");
  } else if (a.jsonl.empty()) {
    QUIRE_ASSIGN_OR_RETURN(t, infer_target(out));
  }
  if (t == Target::kDir && out == "-") return Status::invalid_argument("a directory cannot be standard output");
  if (!a.cdxj.empty() && t != Target::kWarc && t != Target::kWarcGz) {
    return Status::invalid_argument("--cdxj indexes a WARC: use it with --to warc or warc.gz");
  }
  if (a.profile != "lossless" && a.profile != "dolma") {
    return Status::invalid_argument(fmt::format("--profile '{}': expected lossless or dolma", a.profile));
  }
  if (a.on_non_utf8 != "error" && a.on_non_utf8 != "skip") {
    return Status::invalid_argument(fmt::format("--on-non-utf8 '{}': expected error or skip", a.on_non_utf8));
  }
  if (a.profile == "dolma" && t != Target::kJsonl) return Status::invalid_argument("--profile dolma writes JSONL only");
  if (a.profile == "dolma" && a.offsets == OffsetUnit::kCodepoints) {
    return Status::invalid_argument("--profile dolma carries no annotations: drop --offsets");
  }
  if (a.offsets == OffsetUnit::kCodepoints && t != Target::kJsonl) {
    return Status::invalid_argument("--offsets applies to JSONL output only");
  }
  if (a.json && out == "-") return Status::invalid_argument("--json prints the summary on stdout: not with -o -");
  return t;
}

struct Outcome {
  ExtractStats stats;
  std::optional<WarcExportStats> warc;
  std::optional<uint64_t> skipped_non_utf8;  // --profile dolma
};

Result<Outcome> write_warc(const ExtractArgs& a, const ArchiveSet& archive, const ArticleFilter& filter, ExportFile& out,
                           bool gzip, const ExtractProgress& report) {
  std::unique_ptr<ExportFile> index;
  if (!a.cdxj.empty()) {
    QUIRE_ASSIGN_OR_RETURN(index, ExportFile::create(a.cdxj));
    remove_on_signal(index->temp_path(), 1);
  }
  WarcExportOptions options;
  options.gzip = gzip;
  options.software = "quire 0.1.0";
  QUIRE_ASSIGN_OR_RETURN(WarcExportStats stats, export_to_warc(archive, out, index.get(), filter, options, report));
  QUIRE_RETURN_IF_ERROR(out.commit());
  if (index) QUIRE_RETURN_IF_ERROR(index->commit());
  return Outcome{stats.articles, stats, std::nullopt};
}

// Every target but a directory: one file, written beside its path and renamed when complete.
Result<Outcome> write_file(const ExtractArgs& a, const ArchiveSet& archive, const ArticleFilter& filter, Target t,
                           const std::string& path, const ExtractProgress& report) {
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<ExportFile> out, ExportFile::create(path));
  remove_on_signal(out->temp_path());
  if (t == Target::kWarc || t == Target::kWarcGz) return write_warc(a, archive, filter, *out, t == Target::kWarcGz, report);
  Result<ExtractStats> stats = Status::invalid_argument("unreachable");
  uint64_t skipped = 0;
  if (t == Target::kJsonl && a.profile == "dolma") {
    DolmaOptions options;
    options.on_non_utf8 = a.on_non_utf8 == "skip" ? NonUtf8::kSkip : NonUtf8::kError;
    stats = extract_to_dolma(archive, filter, [&](std::string_view line) { return out->write(line); }, options, report,
                             skipped);
    if (!stats) return stats.status();
    QUIRE_RETURN_IF_ERROR(out->commit());
    return Outcome{*stats, std::nullopt, skipped};
  }
  if (t == Target::kJsonl) {
    stats = extract_to_jsonl(archive, filter, [&](std::string_view line) { return out->write(line); }, report, a.offsets);
  } else {
    ArchiveKind kind = t == Target::kTar     ? ArchiveKind::kTar
                       : t == Target::kTarGz ? ArchiveKind::kTarGzip
                       : t == Target::kTarZst ? ArchiveKind::kTarZstd
                                              : ArchiveKind::kZip;
    if (kind == ArchiveKind::kZip) {  // zip's DOS times are local time: make them UTC, whatever the machine
      setenv("TZ", "UTC", 1);
      tzset();
    }
    stats = export_to_archive(archive, kind, *out, filter, report);
  }
  if (!stats) return stats.status();
  QUIRE_RETURN_IF_ERROR(out->commit());
  return Outcome{*stats, std::nullopt, std::nullopt};
}

void print_summary(const ExtractArgs& a, Target t, const std::string& out, const Outcome& o) {
  if (a.json) {
    JsonWriter j;
    j.begin_object().field("format", name_of(t)).field("output", out).field("articles", o.stats.articles)
        .field("bytes", o.stats.bytes).field("renamed", o.stats.renamed);
    if (o.warc) {
      j.field("responses", o.warc->responses).field("resources", o.warc->resources).field("revisits", o.warc->revisits)
          .field("warc_bytes", o.warc->warc_bytes);
      if (!a.cdxj.empty()) j.field("cdxj", a.cdxj).field("cdxj_lines", o.warc->cdxj_lines);
    }
    if (o.skipped_non_utf8) j.field("profile", "dolma").field("skipped_non_utf8", *o.skipped_non_utf8);
    fmt::print("{}\n", j.end_object().str());
  }
  if (a.quiet) return;
  std::string detail = o.warc ? fmt::format(": {} response, {} resource, {} revisit records", o.warc->responses,
                                            o.warc->resources, o.warc->revisits)
                       : o.skipped_non_utf8 ? fmt::format(", Dolma profile; {} non-UTF-8 bodies skipped", *o.skipped_non_utf8)
                                            : "";
  fmt::print(stderr, "quire extract: {} articles, {} to {} ({}{}){}\n", o.stats.articles, human_bytes(o.stats.bytes),
             out == "-" ? "stdout" : out, name_of(t), detail,
             o.stats.renamed ? fmt::format(", {} at collision paths (see SPEC.md 12)", o.stats.renamed) : "");
}

int run(const ExtractArgs& a) {
  std::string out;
  auto target = resolve(a, out);
  if (!target) return fail("extract", target.status());
  auto filter = a.filter.build();
  if (!filter) return fail("extract", filter.status());
  auto archive = ArchiveSet::open(a.archive);
  if (!archive) return fail_open("extract", archive.status());
  for (const std::string& id : filter->ids) {  // an --id that names nothing is a mistake worth saying
    if (auto found = archive->find(id); !found) return fail("extract", found.status());
  }
  Progress progress(!a.quiet);
  auto report = [&](const ExtractStats& s) {
    progress.update(fmt::format("extracted {} of {} articles, {}", s.articles, archive->size(), human_bytes(s.bytes)));
  };
  Result<Outcome> outcome = Status::invalid_argument("unreachable");
  if (*target == Target::kDir) {
    auto stats = extract_to_directory(*archive, out, *filter, report);
    outcome = stats ? Result<Outcome>(Outcome{*stats, std::nullopt, std::nullopt}) : Result<Outcome>(stats.status());
  } else {
    outcome = write_file(a, *archive, *filter, *target, out, report);
    remove_on_signal("", 0);
    remove_on_signal("", 1);
  }
  progress.done();
  if (!outcome) return fail("extract", outcome.status());
  print_summary(a, *target, out, *outcome);
  return kExitOk;
}

}  // namespace

void register_extract(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ExtractArgs>();
  auto* cmd = app.add_subcommand("extract", "Extract bodies to a directory, tar, zip or WARC, or everything to JSONL");
  cmd->footer(
      "-o OUT is the output; without --to its name picks the format: .tar, .tar.gz/.tgz,\n"
      ".tar.zst/.tzst, .zip, .warc, .warc.gz, .jsonl, anything else a directory. Files appear\n"
      "only when complete; the same archive always gives the same bytes.\n"
      "  dir      each body byte-exact at a safe path made from its id (SPEC.md 12); never\n"
      "           follows a link or writes outside OUT, never overwrites a file\n"
      "  tar, tar.gz, tar.zst, zip   the same paths as members; mtime = the article's date\n"
      "  warc, warc.gz   WARC/1.1: a response record per article captured over HTTP (its\n"
      "           status line and headers kept), a resource record otherwise; --cdxj FILE\n"
      "           also writes a sorted CDXJ index for pywb\n"
      "  jsonl    metadata, annotations and body per line; `quire pack` takes it back to the\n"
      "           same content digest (--offsets codepoints: span offsets in code points)\n\n"
      "Examples:\n"
      "  quire extract sample.quire -o sample-files/\n"
      "  quire extract sample.quire -o sample.tar.zst --lang vi\n"
      "  quire extract crawl.quire -o crawl.warc.gz --cdxj crawl.cdxj\n"
      "  quire extract sample.quire --to jsonl -o - --offsets codepoints | head -1\n"
      "  quire extract sample.quire --jsonl sample.jsonl --id news/2024/04/26/hanoi-metro-extension\n"
      "  quire extract corpus/ --to jsonl -o corpus.dolma.jsonl --profile dolma --on-non-utf8 skip");
  cmd->add_option("archive", args->archive, "archive file or set (directory or quire-set.json)")->required();
  cmd->add_option("-o,--output", args->output, "output: directory or file ('-' for stdout, with --to)");
  cmd->add_option("--to", args->to, "output format (default: from the name of OUT)")
      ->option_text("dir|jsonl|tar|tar.gz|tar.zst|zip|warc|warc.gz");
  cmd->add_option("--jsonl", args->jsonl, "same as --to jsonl -o FILE ('-' for stdout)");
  cmd->add_option("--cdxj", args->cdxj, "with a WARC: also write its CDXJ index (sorted, for pywb) to this file");
  add_offsets_option(*cmd, args->offsets);
  cmd->add_option("--profile", args->profile,
                  "JSONL flavour: lossless (default; pack takes it back) or dolma ({id,text,source,added,created,"
                  "metadata} for Dolma and datatrove)");
  cmd->add_option("--on-non-utf8", args->on_non_utf8,
                  "--profile dolma: a body that is not UTF-8 is an error (default) or is skipped and counted");
  cmd->add_flag("--json", args->json, "print the summary as one JSON object on stdout");
  cmd->add_flag("-q,--quiet", args->quiet, "no progress or summary on stderr");
  args->filter.add_to(*cmd);
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace quire::cli
