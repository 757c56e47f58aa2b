// quire index: a copy of an archive with a full-text index (SPEC.md 17),
// blocks copied unchanged. Also the pieces `pack --fulltext` shares.
#include <fmt/format.h>

#include <chrono>

#include "format/json_writer.h"
#include "tools/cli.h"
#include "writer/fulltext_index.h"

namespace quire::cli {

IndexOptions index_options(unsigned threads, bool sync, Progress& progress, const char* verb) {
  IndexOptions o;
  o.threads = threads;
  o.sync = sync;
  o.on_temp_file = [](const std::string& path) { remove_on_signal(path, 1); };
  o.on_temp_dir = [](const std::string& dir) { remove_dir_on_signal(dir); };
  auto start = std::chrono::steady_clock::now();
  o.progress = [&progress, verb, start](uint64_t done, uint64_t total) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    progress.update(fmt::format("{} {} of {} articles ({:.0f}%), {:.0f} articles/s", verb, done, total,
                                total ? 100.0 * done / total : 100.0, secs > 0 ? done / secs : 0.0));
  };
  return o;
}

std::string index_stats_json(const IndexStats& s) {
  JsonWriter w;
  w.begin_object();
  w.field("documents", s.documents);
  w.field("without_text", s.without_text);
  w.field("text_bytes", s.text_bytes);
  w.field("index_bytes", s.index_bytes);
  w.field("default_language", s.default_language);
  w.end_object();
  return w.take();
}

void print_index_summary(const std::string& command, const IndexStats& s) {
  fmt::print(stderr,
             "quire {}: full-text index of {} articles ({} without text), {} of text, index {}; queries stem as "
             "'{}' by default\n",
             command, s.documents, s.without_text, human_bytes(s.text_bytes), human_bytes(s.index_bytes),
             s.default_language.empty() ? "none" : s.default_language);
}

namespace {

struct IndexArgs {
  std::string input, output;
  unsigned threads = 1;
  bool no_sync = false, quiet = false, json = false, compact = false;
};

int run(const IndexArgs& a) {
  Progress progress(!a.quiet && !a.json);
  IndexOptions options = index_options(a.threads, !a.no_sync, progress, "indexed");
  options.compact = a.compact;
  auto start = std::chrono::steady_clock::now();
  Result<IndexStats> stats = Status::ok();
  if (a.output == "-") {
    if (isatty(STDOUT_FILENO)) return fail("index", Status::invalid_argument("refusing to write an archive to a terminal"));
    stats = write_indexed_archive_to_fd(a.input, STDOUT_FILENO, "<stdout>", options);
  } else {
    stats = write_indexed_archive(a.input, a.output, options);
  }
  remove_on_signal("", 1);
  remove_dir_on_signal("");
  progress.done();
  if (!stats) return fail("index", stats.status());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (a.json) {
    std::string json = index_stats_json(*stats);
    json.insert(json.size() - 1, fmt::format(",\"seconds\":{:.3f}", secs));
    fmt::print("{}\n", json);
  } else if (!a.quiet) {
    print_index_summary("index", *stats);
    fmt::print(stderr, "quire index: wrote {} in {:.1f}s\n", a.output, secs);
  }
  return kExitOk;
}

}  // namespace

void register_index(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<IndexArgs>();
  auto* cmd = app.add_subcommand("index", "Add a full-text index to an archive (for quire search)");
  cmd->footer(
      "Writes a copy of IN with a full-text index (Xapian, SPEC.md 17): blocks are copied unchanged,\n"
      "the content digest stays the same, and an index already in IN is replaced. OUT may be IN.\n"
      "The result is format 2.0 (quire 0.1 with format 1.0 only refuses it, with a clear message).\n\n"
      "Examples:\n"
      "  quire index sample.quire -o sample-indexed.quire\n"
      "  quire index corpus.quire -o corpus.quire -j2     (in place)\n"
      "  quire index corpus.quire -o small.quire --compact\n"
      "  quire search sample-indexed.quire metro");
  cmd->add_option("input", args->input, "archive to index")->required();
  cmd->add_option("-o,--output", args->output, "archive to write ('-' for stdout)")->required();
  cmd->add_option("-j,--threads", args->threads, "threads reading articles (output is identical for any value)")
      ->check(CLI::Range(1u, 256u));
  cmd->add_flag("--compact", args->compact,
                "a compact index: stemmed words only, no positions (a sixth of the size on the benchmark corpus; phrases then "
                "match as all their words)");
  cmd->add_flag("--no-sync", args->no_sync, "skip fsync before the final rename");
  cmd->add_flag("-q,--quiet", args->quiet, "no progress or summary on stderr");
  cmd->add_flag("--json", args->json, "print the summary as JSON on stdout");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace quire::cli
