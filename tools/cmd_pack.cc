// quire pack: JSONL or a directory in, one archive out.
#include <fmt/format.h>

#include <cstdlib>
#include <ctime>

#include "tools/cli.h"
#include "writer/pack.h"

namespace quire::cli {
namespace {

struct PackArgs {
  std::string input, output, meta, annotations, layer = "annotations", block_size = "64KiB", dict_size = "110KiB";
  std::string title, description, creator, license;
  std::vector<std::string> info;
  int level = 9;
  unsigned threads = 1;
  bool no_dict = false, no_sync = false, codepoints = false, quiet = false;
};

int64_t creation_time() {
  // SOURCE_DATE_EPOCH makes archives reproducible (reproducible-builds.org).
  if (const char* e = std::getenv("SOURCE_DATE_EPOCH"); e && *e) {
    char* end = nullptr;
    long long v = std::strtoll(e, &end, 10);
    if (end && *end == '\0') return v;
  }
  return static_cast<int64_t>(std::time(nullptr));
}

int run(const PackArgs& a) {
  PackRequest req;
  req.input = a.input;
  req.output = a.output;
  req.meta_path = a.meta;
  req.annotations_path = a.annotations;
  req.jsonl.default_layer = a.layer;
  req.jsonl.codepoint_offsets = a.codepoints;
  auto bs = parse_size(a.block_size);
  if (!bs) return fail("pack", bs.status().with_context("--block-size"));
  auto ds = parse_size(a.dict_size);
  if (!ds) return fail("pack", ds.status().with_context("--dict-size"));
  WriterOptions& w = req.writer;
  w.level = a.level;
  w.block_size = *bs;
  w.dictionary = !a.no_dict;
  w.dictionary_size = *ds;
  w.threads = a.threads;
  w.sync = !a.no_sync;
  w.info.title = a.title;
  w.info.description = a.description;
  w.info.creator = a.creator;
  w.info.license = a.license;
  w.info.tool = "quire";
  w.info.tool_version = "0.1.0";
  w.info.created_unix_seconds = creation_time();
  for (const std::string& kv : a.info) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos) return fail("pack", Status::invalid_argument(fmt::format("--info '{}': expected KEY=VALUE", kv)));
    w.info.extra.push_back({kv.substr(0, eq), kv.substr(eq + 1)});
  }
  Progress progress(!a.quiet);
  auto start = std::chrono::steady_clock::now();
  req.progress = [&](const WriterStats& s) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    progress.update(fmt::format("packed {} articles, {} in, {} out, {:.1f} MB/s", s.articles, human_bytes(s.body_bytes),
                                human_bytes(s.bytes_written), secs > 0 ? s.body_bytes / secs / 1e6 : 0.0));
  };
  req.warning = [&](const std::string& w) {
    progress.done();
    fmt::print(stderr, "quire pack: warning: {}\n", w);
  };
  req.on_temp_file = [](const std::string& path) { remove_on_signal(path); };
  auto stats = pack(req);
  remove_on_signal("");
  progress.done();
  if (!stats) return fail("pack", stats.status());
  if (!a.quiet) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print(stderr, "quire pack: {} articles ({} unique bodies), {} -> {} ({:.1f}%) in {} blocks, {:.1f}s\n",
               stats->articles, stats->unique_bodies, human_bytes(stats->body_bytes), human_bytes(stats->bytes_written),
               stats->body_bytes ? 100.0 * stats->bytes_written / stats->body_bytes : 0.0, stats->blocks, secs);
  }
  return kExitOk;
}

}  // namespace

void register_pack(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<PackArgs>();
  auto* cmd = app.add_subcommand("pack", "Pack a JSONL file or a directory into an archive");
  cmd->footer(
      "Input: a .jsonl file (one article per line, see README \"JSONL schema\"); a directory\n"
      "(id = path relative to it, body = file bytes); or any archive libarchive reads (tar,\n"
      "tar.gz/.zst/.xz, zip, 7z, cpio, ...: id = member path, date = member mtime, read once,\n"
      "never unpacked to disk). '-' reads stdin: JSONL if it starts with '{', else an archive.\n"
      "The archive appears at OUTPUT only when complete; until then it is written to a\n"
      "temporary file beside it.\n\n"
      "Examples:\n"
      "  quire pack examples/articles.jsonl --annotations examples/annotations.jsonl -o sample.quire\n"
      "  quire pack pages/ --meta meta.jsonl -o pages.quire -j2\n"
      "  quire pack scrape-2024.tar.zst -o scrape-2024.quire\n"
      "  cat corpus.jsonl | quire pack - -o - > corpus.quire");
  cmd->add_option("input", args->input, "JSONL file, directory, archive (tar, zip, ...), or '-' (stdin)")->required();
  cmd->add_option("-o,--output", args->output, "archive to write ('-' for stdout)")->required();
  cmd->add_option("-j,--threads", args->threads, "compression threads (output is identical for any value)")
      ->check(CLI::Range(1u, 256u));
  cmd->add_option("--level", args->level, "zstd level 1..22 (default 9)")->check(CLI::Range(1, 22));
  cmd->add_option("--block-size", args->block_size, "target bytes of bodies per block (default 64KiB)");
  cmd->add_flag("--no-dict", args->no_dict, "do not train a zstd dictionary");
  cmd->add_option("--dict-size", args->dict_size, "largest dictionary to train (default 110KiB)");
  cmd->add_flag("--no-sync", args->no_sync, "skip fsync before the final rename (faster, less safe)");
  cmd->add_option("--meta", args->meta, "directory or archive input: JSONL of metadata by id");
  cmd->add_option("--annotations", args->annotations, "JSONL of annotations by id");
  cmd->add_option("--annotation-layer", args->layer, "layer name for flat \"annotations\" span lists");
  cmd->add_flag("--codepoint-offsets", args->codepoints, "span offsets in the input count code points, not bytes");
  cmd->add_option("--title", args->title, "archive title");
  cmd->add_option("--description", args->description, "archive description");
  cmd->add_option("--creator", args->creator, "who made the archive");
  cmd->add_option("--license", args->license, "license of the content");
  cmd->add_option("--info", args->info, "extra archive metadata KEY=VALUE (repeatable)");
  cmd->add_flag("-q,--quiet", args->quiet, "no progress or summary on stderr");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace quire::cli
