// quire pack: JSONL, a directory, an archive or a WARC in; one archive out.
#include <fmt/format.h>

#include <cstdlib>
#include <ctime>

#include "format/json_writer.h"
#include "reader/archive_set.h"
#include "tools/cli.h"
#include "writer/pack.h"

namespace quire::cli {
namespace {

struct PackArgs {
  std::string input, output, meta, annotations, layer = "annotations", block_size = "64KiB", dict_size = "256KiB";
  std::string title, description, creator, license;
  std::vector<std::string> info;
  std::string format = "auto", offsets = "bytes", on_bad_digest = "warn", max_record = "256MiB";
  std::string shard_size;  // "": one archive; else a set (SPEC.md 15)
  std::string memory;      // "": WriterOptions::memory_budget's default
  int level = 9;
  unsigned threads = 1;
  bool no_dict = false, no_sync = false, codepoints = false, quiet = false, json = false, extract = false,
       fulltext = false, fulltext_compact = false;
  bool detect_lang = false, no_detect_lang = false;
  std::optional<int> year;
};

// The end-of-pack summary for --json: what went in, what came out, what was skipped.
std::string summary_json(const WriterStats& s, const WarcStats* warc, uint64_t warnings, double secs) {
  JsonWriter j;
  j.begin_object()
      .field("articles", s.articles)
      .field("unique_bodies", s.unique_bodies)
      .field("body_bytes", s.body_bytes)
      .field("archive_bytes", s.bytes_written)
      .field("blocks", s.blocks)
      .field("spill_bytes", s.spill_bytes)
      .field("warnings", warnings)
      .field("seconds", secs);
  if (warc) {
    j.key("warc").begin_object()
        .field("records", warc->records)
        .field("articles", warc->articles)
        .field("attached", warc->attached)
        .field("unattached", warc->orphans)
        .field("revisits_shared", warc->revisits_shared)
        .field("revisits_unresolved", warc->revisits_unresolved)
        .field("block_digests_ok", warc->block_digests_ok)
        .field("payload_digests_ok", warc->payload_digests_ok)
        .field("payload_digests_ok_chunked", warc->payload_digests_ok_chunked)
        .field("digests_mismatched", warc->digests_mismatched)
        .field("digests_unchecked", warc->digests_unchecked)
        .field("skipped", warc->skipped)
        .field("damaged", warc->damaged)
        .end_object();
  }
  j.end_object();
  return j.take();
}

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
  if (a.offsets != "bytes" && a.offsets != "codepoints") {
    return fail("pack", Status::invalid_argument(fmt::format("--offsets '{}': expected bytes or codepoints", a.offsets)));
  }
  req.jsonl.codepoint_offsets = a.codepoints || a.offsets == "codepoints";
  auto kind = parse_input_kind(a.format);
  if (!kind) return fail("pack", Status::invalid_argument(fmt::format("--format '{}': expected auto, jsonl, dir, archive or warc", a.format)));
  req.kind = *kind;
  if (a.on_bad_digest == "fail") {
    req.warc.on_bad_digest = OnBadDigest::kFail;
  } else if (a.on_bad_digest == "skip") {
    req.warc.on_bad_digest = OnBadDigest::kSkip;
  } else if (a.on_bad_digest != "warn") {
    return fail("pack", Status::invalid_argument(fmt::format("--on-bad-digest '{}': expected fail, warn or skip", a.on_bad_digest)));
  }
  req.extract = a.extract;
  if (a.detect_lang || a.no_detect_lang) req.detect_lang = a.detect_lang && !a.no_detect_lang;
  req.extract_year = a.year;
  auto max_record = parse_size(a.max_record);
  if (!max_record) return fail("pack", max_record.status().with_context("--max-record"));
  req.warc.reader.max_block_bytes = *max_record;
  WarcStats warc_stats;
  req.warc_stats = &warc_stats;
  uint64_t shards = 0;
  if (!a.shard_size.empty()) {
    auto size = parse_size(a.shard_size);
    if (!size) return fail("pack", size.status().with_context("--shard-size"));
    if (*size == 0) return fail("pack", Status::invalid_argument("--shard-size: must be at least 1 byte"));
    req.shard_size = *size;
    req.shard_body_reader = read_shard_body;
    req.shards_written = &shards;
  }
  auto bs = parse_size(a.block_size);
  if (!bs) return fail("pack", bs.status().with_context("--block-size"));
  auto ds = parse_size(a.dict_size);
  if (!ds) return fail("pack", ds.status().with_context("--dict-size"));
  WriterOptions& w = req.writer;
  if (!a.memory.empty()) {
    auto memory = parse_size(a.memory);
    if (!memory) return fail("pack", memory.status().with_context("--memory"));
    w.memory_budget = *memory;
  }
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
  Progress progress(!a.quiet && !a.json);
  uint64_t warnings = 0;
  auto start = std::chrono::steady_clock::now();
  req.progress = [&](const WriterStats& s) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    progress.update(fmt::format("packed {} articles, {} in, {} out, {:.1f} MB/s", s.articles, human_bytes(s.body_bytes),
                                human_bytes(s.bytes_written), secs > 0 ? s.body_bytes / secs / 1e6 : 0.0));
  };
  req.warning = [&](const std::string& w) {
    ++warnings;
    progress.done();
    fmt::print(stderr, "quire pack: warning: {}\n", w);
  };
  req.on_temp_file = [](const std::string& path) { remove_on_signal(path); };
  IndexStats index_stats;
  if (a.fulltext || a.fulltext_compact) {
    req.fulltext = true;
    req.index = index_options(a.threads, !a.no_sync, progress, "indexed");
    req.index.compact = a.fulltext_compact;
    req.index_stats = &index_stats;
  }
  auto stats = pack(req);
  remove_on_signal("");
  remove_on_signal("", 1);
  remove_dir_on_signal("");
  progress.done();
  if (!stats) return fail("pack", stats.status());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  bool warc = warc_stats.records > 0;
  if (a.json) {
    std::string json = summary_json(*stats, warc ? &warc_stats : nullptr, warnings, secs);
    if (shards) json.insert(json.size() - 1, fmt::format(",\"shards\":{}", shards));
    if (req.fulltext) json.insert(json.size() - 1, ",\"fulltext\":" + index_stats_json(index_stats));
    fmt::print("{}\n", json);
  } else if (!a.quiet) {
    fmt::print(stderr, "quire pack: {} articles ({} unique bodies), {} -> {} ({:.1f}%) in {} blocks, {:.1f}s\n",
               stats->articles, stats->unique_bodies, human_bytes(stats->body_bytes), human_bytes(stats->bytes_written),
               stats->body_bytes ? 100.0 * stats->bytes_written / stats->body_bytes : 0.0, stats->blocks, secs);
    if (warc) {
      const WarcStats& w = warc_stats;
      fmt::print(stderr,
                 "quire pack: WARC: {} records; {} request/metadata records attached, {} unattached (kept as articles); "
                 "{} revisits share a stored payload, {} unresolved; digests ok: {} block, {} payload ({} over the "
                 "chunked body), {} mismatched, {} unchecked; {} records skipped, {} damaged stretches\n",
                 w.records, w.attached, w.orphans, w.revisits_shared, w.revisits_unresolved, w.block_digests_ok,
                 w.payload_digests_ok + w.payload_digests_ok_chunked, w.payload_digests_ok_chunked,
                 w.digests_mismatched, w.digests_unchecked, w.skipped, w.damaged);
    }
    if (stats->spill_bytes) {
      fmt::print(stderr, "quire pack: {} written to an unlinked temporary file (state beyond --memory, merges included)\n",
                 human_bytes(stats->spill_bytes));
    }
    if (req.fulltext) print_index_summary("pack", index_stats);
    if (shards) fmt::print(stderr, "quire pack: a set of {} shards in {}\n", shards, a.output);
    if (warnings) fmt::print(stderr, "quire pack: {} warnings (above)\n", warnings);
  }
  return kExitOk;
}

}  // namespace

void register_pack(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<PackArgs>();
  auto* cmd = app.add_subcommand("pack", "Pack JSONL, a directory, an archive (tar, zip, ...) or a WARC into an archive");
  cmd->footer(
      "Input: a .jsonl file (one article per line, see README \"JSONL schema\"); a directory\n"
      "(id = path relative to it, body = file bytes); any archive libarchive reads (tar,\n"
      "tar.gz/.zst/.xz, zip, 7z, cpio, ...: id = member path, date = member mtime, read once,\n"
      "never unpacked to disk); or a WARC file (.warc, .warc.gz, WARC/0.17..1.1: one article per\n"
      "response/resource/revisit record, id = target URI, HTTP payload as body, digests checked;\n"
      "SPEC.md 14). The kind is detected from the content; --format overrides it. '-' reads\n"
      "stdin: JSONL if it starts with '{', a plain WARC if it starts with 'W', else an archive.\n"
      "The archive appears at OUTPUT only when complete; until then it is written to a\n"
      "temporary file beside it.\n\n"
      "Examples:\n"
      "  quire pack examples/articles.jsonl --annotations examples/annotations.jsonl -o sample.quire\n"
      "  quire pack pages/ --meta meta.jsonl -o pages.quire -j2\n"
      "  quire pack scrape-2024.tar.zst -o scrape-2024.quire\n"
      "  quire pack crawl.warc.gz -o crawl.quire --on-bad-digest=skip --json\n"
      "  quire pack corpus.jsonl --shard-size 512MiB -o corpus/   (a set: part-00000.quire, ...)\n"
      "  zcat crawl.warc.gz | quire pack - --format warc -o crawl.quire\n"
      "  quire pack scraped-pages/ --extract -o pages.quire\n"
      "  cat corpus.jsonl | quire pack - -o - > corpus.quire");
  cmd->add_option("input", args->input, "JSONL file, directory, archive (tar, zip, ...), or '-' (stdin)")->required();
  cmd->add_option("-o,--output", args->output, "archive to write ('-' for stdout); with --shard-size a directory")->required();
  cmd->add_option("--shard-size", args->shard_size,
                  "write an archive set: shards of about this many body bytes (e.g. 512MiB) in the directory OUTPUT, "
                  "with quire-set.json (SPEC.md 15)");
  cmd->add_option("-j,--threads", args->threads, "compression threads (output is identical for any value)")
      ->check(CLI::Range(1u, 256u));
  cmd->add_option("--level", args->level, "zstd level 1..22 (default 9)")->check(CLI::Range(1, 22));
  cmd->add_option("--block-size", args->block_size, "target bytes of bodies per block (default 64KiB)");
  cmd->add_option("--memory", args->memory,
                  "memory for the state that grows with the article count (duplicate-id check, deduplication, "
                  "indexes, block table; default 64MiB, at least 16KiB); beyond it that state spills to an "
                  "unlinked temporary file beside OUTPUT (or in $TMPDIR). Blocks in flight and the dictionary "
                  "sample come on top (README \"Memory while packing\"); the archive is the same for any value");
  cmd->add_flag("--no-dict", args->no_dict, "do not train a zstd dictionary");
  cmd->add_flag("--fulltext", args->fulltext,
                "add a full-text index for `quire search` (Xapian; SPEC.md 17), as `quire index` would");
  cmd->add_flag("--fulltext-compact", args->fulltext_compact,
                "the same with a compact index (`quire index --compact`: stemmed words only, no positions)");
  cmd->add_option("--dict-size", args->dict_size, "largest dictionary to train (default 256KiB)");
  cmd->add_flag("--no-sync", args->no_sync, "skip fsync before the final rename (faster, less safe)");
  cmd->add_option("--meta", args->meta, "directory or archive input: JSONL of metadata by id");
  cmd->add_option("--annotations", args->annotations, "JSONL of annotations by id");
  cmd->add_option("--annotation-layer", args->layer, "layer name for flat \"annotations\" span lists");
  cmd->add_option("--offsets", args->offsets, "span offsets in the input: bytes (UTF-8, default) or codepoints");
  cmd->add_flag("--codepoint-offsets", args->codepoints, "same as --offsets codepoints");
  cmd->add_flag("--extract", args->extract,
                "find title, date, dateline place and agency, language notes, language and boilerplate in each "
                "body (metadata the input gives is kept; README \"Raw pages\")");
  cmd->add_flag("--detect-lang", args->detect_lang,
                "fill an empty lang with CLD2 when reliable, marked lang.detected (default: on with --extract)");
  cmd->add_flag("--no-detect-lang", args->no_detect_lang, "--extract without language detection");
  cmd->add_option("--year", args->year, "--extract: the year of dates written without one (e.g. the crawl year)");
  cmd->add_option("--format", args->format, "input kind: auto (default), jsonl, dir, archive, warc");
  cmd->add_option("--on-bad-digest", args->on_bad_digest,
                  "WARC record whose block or payload digest does not match: fail, warn (default: pack it, "
                  "marked), skip");
  cmd->add_option("--max-record", args->max_record,
                  "WARC records and archive members larger than this are streamed past and skipped, with a "
                  "warning (default 256MiB)");
  cmd->add_option("--title", args->title, "archive title");
  cmd->add_option("--description", args->description, "archive description");
  cmd->add_option("--creator", args->creator, "who made the archive");
  cmd->add_option("--license", args->license, "license of the content");
  cmd->add_option("--info", args->info, "extra archive metadata KEY=VALUE (repeatable)");
  cmd->add_flag("-q,--quiet", args->quiet, "no progress or summary on stderr");
  cmd->add_flag("--json", args->json, "print the summary as JSON on stdout (warnings stay on stderr)");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace quire::cli
