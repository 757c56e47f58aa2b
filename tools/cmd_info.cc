// quire info: header, counts, sizes, dictionary and digests.
#include <fmt/format.h>

#include <ctime>

#include "format/checksum.h"
#include "format/json_writer.h"
#include "reader/archive.h"
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

int run(const InfoArgs& a) {
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
  cmd->add_option("archive", args->archive, "archive file")->required();
  cmd->add_flag("--json", args->json, "one JSON object");
  cmd->add_flag("--digest", args->digest, "also compute the file digest (reads the whole file)");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace quire::cli
