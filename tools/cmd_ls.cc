// quire ls: the catalog, filtered, as a table or JSON lines.
#include <fmt/format.h>

#include "reader/archive_set.h"
#include "reader/extract.h"
#include "tools/cli.h"

namespace quire::cli {
namespace {

struct LsArgs {
  std::string archive;
  FilterOptions filter;
  bool json = false;
  uint64_t limit = 0;
};

std::string clip(std::string_view s, size_t n) {
  std::string out;
  size_t count = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80 && ++count > n) return out + "…";
    out.push_back(c == '\n' || c == '\t' ? ' ' : static_cast<char>(c));
  }
  return out;
}

int run(const LsArgs& a) {
  auto filter = a.filter.build();
  if (!filter) return fail("ls", filter.status());
  auto archive = ArchiveSet::open(a.archive);
  if (!archive) return fail_open("ls", archive.status());
  uint64_t shown = 0;
  if (!a.json) fmt::print("{:>7}  {:<20} {:<5} {:<16} {:>9}  {}\n", "#", "date", "lang", "source", "bytes", "id  title");
  for (uint64_t r = 0; r < archive->size(); ++r) {
    if (a.limit && shown >= a.limit) break;
    auto art = archive->at(r);
    if (!art) return fail("ls", art.status());
    auto wanted = filter->check(*art);  // reports a damaged annotations frame
    if (!wanted) return fail("ls", wanted.status());
    if (!*wanted) continue;
    ++shown;
    if (a.json) {
      auto line = article_to_json(*art, false);
      if (!line) return fail("ls", line.status());
      fmt::print("{}\n", *line);
    } else {
      fmt::print("{:>7}  {:<20} {:<5} {:<16} {:>9}  {}  {}\n", r, art->date().to_string(), art->lang(),
                 clip(art->source(), 16), art->body_length(), art->id(), clip(art->title(), 60));
    }
  }
  return kExitOk;
}

}  // namespace

void register_ls(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<LsArgs>();
  auto* cmd = app.add_subcommand("ls", "List the articles of an archive");
  cmd->footer(
      "Examples:\n"
      "  quire ls sample.quire\n"
      "  quire ls sample.quire --lang vi --since 2024-01 --json\n"
      "  quire ls sample.quire --has-annotation entity=PERSON --has-annotation dateline");
  cmd->add_option("archive", args->archive, "archive file or set (directory or quire-set.json)")->required();
  cmd->add_flag("--json", args->json, "one JSON object per line (the JSONL schema, without bodies)");
  cmd->add_option("--limit", args->limit, "stop after N articles");
  args->filter.add_to(*cmd);
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace quire::cli
