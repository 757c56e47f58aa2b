// quire extract: bodies to a directory (safe paths) or everything to JSONL.
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "reader/extract.h"
#include "tools/cli.h"

namespace quire::cli {
namespace {

struct ExtractArgs {
  std::string archive, dir, jsonl;
  FilterOptions filter;
  bool quiet = false;
};

int run(const ExtractArgs& a) {
  if (a.dir.empty() == a.jsonl.empty()) {
    return fail("extract", Status::invalid_argument("give exactly one of -o DIR or --jsonl FILE"));
  }
  auto filter = a.filter.build();
  if (!filter) return fail("extract", filter.status());
  auto archive = Archive::open(a.archive);
  if (!archive) return fail_open("extract", archive.status());
  Progress progress(!a.quiet);
  auto report = [&](const ExtractStats& s) {
    progress.update(fmt::format("extracted {} of {} articles, {}", s.articles, archive->size(), human_bytes(s.bytes)));
  };
  Result<ExtractStats> stats = Status::invalid_argument("unreachable");
  if (!a.dir.empty()) {
    stats = extract_to_directory(*archive, a.dir, *filter, report);
  } else {
    FILE* out = a.jsonl == "-" ? stdout : std::fopen(a.jsonl.c_str(), "wb");
    if (!out) {
      return fail("extract", Status::io_error(fmt::format("cannot create '{}': {}", a.jsonl, std::strerror(errno))));
    }
    stats = extract_to_jsonl(*archive, *filter, [&](std::string_view line) {
      if (std::fwrite(line.data(), 1, line.size(), out) != line.size()) {
        return Status::io_error(fmt::format("cannot write '{}': {}", a.jsonl, std::strerror(errno)));
      }
      return Status::ok();
    }, report);
    if (std::fflush(out) != 0 || std::ferror(out)) {
      if (stats) stats = Status::io_error(fmt::format("cannot write '{}': {}", a.jsonl, std::strerror(errno)));
    }
    if (out != stdout && std::fclose(out) != 0 && stats) {
      stats = Status::io_error(fmt::format("cannot write '{}': {}", a.jsonl, std::strerror(errno)));
    }
    if (!stats && out != stdout) std::remove(a.jsonl.c_str());  // no half-written JSONL left behind
  }
  progress.done();
  if (!stats) return fail("extract", stats.status());
  if (!a.quiet) {
    fmt::print(stderr, "quire extract: {} articles, {}{}\n", stats->articles, human_bytes(stats->bytes),
               stats->renamed ? fmt::format(", {} at collision paths (see SPEC.md 12)", stats->renamed) : "");
  }
  return kExitOk;
}

}  // namespace

void register_extract(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ExtractArgs>();
  auto* cmd = app.add_subcommand("extract", "Extract bodies to a directory, or everything to JSONL");
  cmd->footer(
      "To a directory, each body is written byte-exact at a path made from its id; ids\n"
      "that are unsafe as paths (.., absolute, control characters, device names, ...)\n"
      "are encoded, never followed outside DIR (SPEC.md 12). To JSONL, each line holds\n"
      "the metadata, annotations and body, and `quire pack` takes it back to the same\n"
      "content digest.\n\n"
      "Examples:\n"
      "  quire extract sample.quire -o sample-files/\n"
      "  quire extract sample.quire --jsonl sample.jsonl --lang vi");
  cmd->add_option("archive", args->archive, "archive file")->required();
  cmd->add_option("-o,--output", args->dir, "directory to write bodies into");
  cmd->add_option("--jsonl", args->jsonl, "JSONL file to write ('-' for stdout)");
  cmd->add_flag("-q,--quiet", args->quiet, "no progress or summary on stderr");
  args->filter.add_to(*cmd);
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace quire::cli
