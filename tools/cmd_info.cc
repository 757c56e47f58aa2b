// quire info: header, counts, sizes, dictionary and digests.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <ctime>

#include "format/checksum.h"
#include "format/json_writer.h"
#include "reader/archive.h"
#include "reader/archive_set.h"
#include "reader/mapped_file.h"
#include "tools/cli.h"

namespace quire::cli {
namespace {

struct InfoArgs {
  std::string archive;
  bool json = false, digest = false;
};

std::string iso_time(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<Sha256> file_digest(const std::string& path) {
  QUIRE_ASSIGN_OR_RETURN(auto file, MappedFile::open(path));
  return sha256(file->bytes());
}

// A set: totals over the shards, then one line per shard (SPEC.md 15).
int run_set(const InfoArgs& a) {
  auto set = ArchiveSet::open(a.archive);
  if (!set) return fail_open("info", set.status());
  const SetManifest& sm = set->manifest();
  ArchiveCounts total;
  uint64_t file_bytes = 0;
  std::vector<std::string> digests(set->shard_count());
  for (size_t i = 0; i < set->shard_count(); ++i) {
    auto shard = set->shard(i);
    if (!shard) return fail_open("info", shard.status());
    ArchiveCounts c = shard->manifest().counts;
    total.articles += c.articles, total.blocks += c.blocks, total.unique_bodies += c.unique_bodies;
    total.body_bytes += c.body_bytes, total.stored_body_bytes += c.stored_body_bytes, total.spans += c.spans;
    total.compressed_body_bytes += c.compressed_body_bytes;
    file_bytes += shard->manifest().file_size;
    if (a.digest) {
      auto d = file_digest(set->shard_path(i));
      if (!d) return fail("info", d.status());
      digests[i] = to_hex(*d);
    }
  }
  if (a.json) {
    JsonWriter w;
    w.begin_object().field("format", "quire-set").field("version", kSetManifestVersion);
    w.field("articles", total.articles).field("blocks", total.blocks).field("unique_bodies", total.unique_bodies);
    w.field("body_bytes", total.body_bytes).field("stored_body_bytes", total.stored_body_bytes);
    w.field("compressed_body_bytes", total.compressed_body_bytes).field("spans", total.spans);
    w.field("file_bytes", file_bytes).field("content_digest", to_hex(sm.content_digest));
    w.key("shards").begin_array();
    for (size_t i = 0; i < sm.shards.size(); ++i) {
      const ShardEntry& e = sm.shards[i];
      w.begin_object().field("file", e.file).field("articles", e.articles).field("bytes", e.bytes);
      w.field("first_id", e.first_id).field("last_id", e.last_id).field("content_digest", to_hex(e.content_digest));
      w.field("file_digest", to_hex(e.file_digest));
      if (a.digest) w.field("file_digest_computed", digests[i]);
      w.end_object();
    }
    fmt::print("{}\n", w.end_array().end_object().str());
    return kExitOk;
  }
  fmt::print("format:          Quire set, manifest version {}, {} shards\n", kSetManifestVersion, sm.shards.size());
  fmt::print("articles:        {} ({} unique bodies within shards, {} annotation spans)\n", total.articles,
             total.unique_bodies, total.spans);
  fmt::print("bodies:          {} ({} stored after deduplication)\n", human_bytes(total.body_bytes),
             human_bytes(total.stored_body_bytes));
  fmt::print("files:           {} ({:.2f}% of the bodies) in {} blocks\n", human_bytes(file_bytes),
             total.body_bytes ? 100.0 * file_bytes / total.body_bytes : 0.0, total.blocks);
  fmt::print("content digest:  {}\n", to_hex(sm.content_digest));
  for (size_t i = 0; i < sm.shards.size(); ++i) {
    const ShardEntry& e = sm.shards[i];
    fmt::print("shard {}: {} {} articles, {}, '{}' .. '{}'\n  content digest {}\n  file digest    {}\n", i, e.file,
               e.articles, human_bytes(e.bytes), e.first_id, e.last_id, to_hex(e.content_digest), to_hex(e.file_digest));
    if (a.digest && digests[i] != to_hex(e.file_digest)) fmt::print("  file digest now {} (differs)\n", digests[i]);
  }
  return kExitOk;
}

int run(const InfoArgs& a) {
  if (is_set_path(a.archive)) return run_set(a);
  auto archive = Archive::open(a.archive);
  if (!archive) return fail_open("info", archive.status());
  ManifestSummary m = archive->manifest();
  std::string fdigest;
  if (a.digest) {
    auto d = file_digest(a.archive);
    if (!d) return fail("info", d.status());
    fdigest = to_hex(*d);
  }
  double ratio = m.counts.body_bytes ? 100.0 * m.file_size / m.counts.body_bytes : 0.0;
  if (a.json) {
    JsonWriter w;
    w.begin_object();
    w.field("format", fmt::format("{}.{}", m.format_major, m.format_minor));
    w.field("title", m.info.title).field("description", m.info.description).field("creator", m.info.creator);
    w.field("license", m.info.license).field("tool", m.info.tool).field("tool_version", m.info.tool_version);
    w.field("created", iso_time(m.info.created_unix_seconds));
    w.key("info").begin_object();
    for (const auto& kv : m.info.extra) w.field(kv.key, kv.value);
    w.end_object();
    w.field("articles", m.counts.articles).field("blocks", m.counts.blocks);
    w.field("unique_bodies", m.counts.unique_bodies).field("body_bytes", m.counts.body_bytes);
    w.field("stored_body_bytes", m.counts.stored_body_bytes);
    w.field("compressed_body_bytes", m.counts.compressed_body_bytes).field("spans", m.counts.spans);
    w.field("file_bytes", m.file_size).field("index_bytes", m.index_bytes);
    w.field("percent_of_raw", std::round(ratio * 100) / 100);
    w.field("block_size", m.block_size).field("level", m.compression_level);
    w.key("dictionaries").begin_array();
    for (uint64_t d : m.dictionary_sizes) w.value(d);
    w.end_array();
    if (m.fulltext) {
      const FulltextSummary& f = *m.fulltext;
      w.key("fulltext").begin_object();
      w.field("offset", f.section.offset).field("bytes", f.section.length).field("documents", f.section.count).field("scheme", f.scheme);
      w.field("backend", f.backend).field("xapian_version", f.xapian_version);
      w.field("default_language", f.default_language).field("text_bytes", f.text_bytes);
      w.key("languages").begin_array();
      for (const std::string& l : f.languages) w.value(l);
      w.end_array().end_object();
    }
    w.field("content_digest", to_hex(m.content_digest));
    if (a.digest) w.field("file_digest", fdigest);
    w.end_object();
    fmt::print("{}\n", w.str());
    return kExitOk;
  }
  fmt::print("format:          Quire {}.{}\n", m.format_major, m.format_minor);
  auto line = [](const char* k, const std::string& v) {
    if (!v.empty()) fmt::print("{:<17}{}\n", k, v);
  };
  line("title:", m.info.title);
  line("description:", m.info.description);
  line("creator:", m.info.creator);
  line("license:", m.info.license);
  fmt::print("written by:      {} {} at {}\n", m.info.tool, m.info.tool_version, iso_time(m.info.created_unix_seconds));
  for (const auto& kv : m.info.extra) fmt::print("info:            {} = {}\n", kv.key, kv.value);
  fmt::print("articles:        {} ({} unique bodies, {} annotation spans)\n", m.counts.articles, m.counts.unique_bodies,
             m.counts.spans);
  fmt::print("bodies:          {} ({} stored after deduplication)\n", human_bytes(m.counts.body_bytes),
             human_bytes(m.counts.stored_body_bytes));
  fmt::print("file:            {} ({:.2f}% of the bodies), bodies compressed to {}, indexes {}\n",
             human_bytes(m.file_size), ratio, human_bytes(m.counts.compressed_body_bytes), human_bytes(m.index_bytes));
  fmt::print("blocks:          {} (target {} of bodies, zstd level {})\n", m.counts.blocks, human_bytes(m.block_size),
             m.compression_level);
  if (m.dictionary_sizes.empty()) {
    fmt::print("dictionary:      none\n");
  } else {
    for (size_t i = 0; i < m.dictionary_sizes.size(); ++i) {
      fmt::print("dictionary {}:    {}\n", i + 1, human_bytes(m.dictionary_sizes[i]));
    }
  }
  if (m.fulltext) {
    const FulltextSummary& f = *m.fulltext;
    fmt::print("full-text index: {} ({} documents, {} of text; {}, Xapian {}; stemming {} by default; {})\n",
               human_bytes(f.section.length), f.section.count, human_bytes(f.text_bytes), f.scheme, f.xapian_version,
               f.default_language.empty() ? "none" : f.default_language,
               f.languages.empty() ? std::string("no stemmed languages") : fmt::format("{}", fmt::join(f.languages, " ")));
  } else {
    fmt::print("full-text index: none (quire index adds one)\n");
  }
  fmt::print("content digest:  {}\n", to_hex(m.content_digest));
  if (a.digest) fmt::print("file digest:     {}\n", fdigest);
  return kExitOk;
}

}  // namespace

void register_info(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<InfoArgs>();
  auto* cmd = app.add_subcommand("info", "Describe an archive: counts, sizes, digests");
  cmd->footer(
      "The content digest covers ids, bodies, metadata and annotations (not compression\n"
      "choices): re-packing the same content with other options keeps it. The file digest\n"
      "(--digest) is the SHA-256 of the file's bytes.\n\n"
      "Examples:\n"
      "  quire info sample.quire\n"
      "  quire info sample.quire --digest --json");
  cmd->add_option("archive", args->archive, "archive file or set (directory or quire-set.json)")->required();
  cmd->add_flag("--json", args->json, "one JSON object");
  cmd->add_flag("--digest", args->digest, "also compute the file digest (reads the whole file)");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace quire::cli
