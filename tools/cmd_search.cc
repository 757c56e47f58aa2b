// quire search: ranked full-text search over the index section (SPEC.md 17).
#include <fmt/format.h>
#include <unistd.h>

#include "format/json_writer.h"
#include "reader/archive_set.h"
#include "reader/fulltext_search.h"
#include "tools/cli.h"

namespace quire::cli {
namespace {

struct SearchArgs {
  std::string archive, query, stem, color = "auto";
  FilterOptions filter;
  uint64_t limit = 10, offset = 0;
  size_t snippet_bytes = 200;
  bool json = false, no_snippets = false;
};

// The snippet with its matches marked: bold on a terminal, **so** elsewhere.
std::string marked_snippet(const SearchHit& hit, bool color) {
  std::string out;
  size_t at = 0;
  for (const auto& [start, end] : hit.highlights) {
    if (start < at || end > hit.snippet.size() || start > end) continue;
    out.append(hit.snippet, at, start - at);
    out += color ? "\033[1;31m" : "**";
    out.append(hit.snippet, start, end - start);
    out += color ? "\033[0m" : "**";
    at = end;
  }
  out.append(hit.snippet, at, std::string::npos);
  for (char& c : out) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  }
  return out;
}

std::string to_json(const SearchArgs& a, const SearchResult& r) {
  JsonWriter w;
  w.begin_object();
  w.field("query", a.query);
  w.field("estimated", r.estimated);
  w.field("offset", a.offset);
  w.field("stem_language", r.stem_language);
  w.field("positions", r.positions);
  w.key("hits").begin_array();
  uint64_t rank = a.offset;
  for (const SearchHit& h : r.hits) {
    w.begin_object();
    w.field("rank", ++rank);
    w.field("record", h.record);
    w.field("id", h.id);
    w.field("title", h.title);
    w.field("date", h.date);
    w.field("weight", h.weight);
    w.field("percent", h.percent);
    if (!a.no_snippets) {
      w.field("snippet", h.snippet);
      w.key("highlights").begin_array();
      for (const auto& [s, e] : h.highlights) w.begin_array().value(uint64_t{s}).value(uint64_t{e}).end_array();
      w.end_array();
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

int run(const SearchArgs& a) {
  auto filter = a.filter.build();
  if (!filter) return fail("search", filter.status());
  auto set = ArchiveSet::open(a.archive);
  if (!set) return fail_open("search", set.status());
  SearchRequest req;
  req.query = a.query;
  req.filter = *filter;
  req.limit = a.limit;
  req.offset = a.offset;
  req.stem_language = a.stem;
  req.snippets = !a.no_snippets;
  req.snippet_bytes = a.snippet_bytes;
  auto result = search(*set, req);
  if (!result) {
    // No index is not damage: the archive cannot be searched as it is.
    if (result.status().code() == Code::kNotFound) {
      fail("search", result.status());
      return kExitUnreadable;
    }
    return fail("search", result.status());
  }
  if (a.json) {
    fmt::print("{}\n", to_json(a, *result));
    return kExitOk;
  }
  bool color = a.color == "always" || (a.color == "auto" && isatty(STDOUT_FILENO));
  uint64_t rank = a.offset;
  for (const SearchHit& h : result->hits) {
    fmt::print("{:>4}. {:>3}%  {}  {}  {}\n", ++rank, h.percent, h.id, h.date.empty() ? "-" : h.date, h.title);
    if (!h.snippet.empty()) fmt::print("      {}\n", marked_snippet(h, color));
  }
  fmt::print(stderr, "quire search: {} of about {} matches (stemming: {}{})\n", result->hits.size(), result->estimated,
             result->stem_language, result->positions ? "" : "; compact index: phrases match as all their words");
  return result->hits.empty() ? kExitDamaged : kExitOk;
}

}  // namespace

void register_search(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SearchArgs>();
  auto* cmd = app.add_subcommand("search", "Ranked full-text search (needs an index: pack --fulltext or quire index)");
  cmd->footer(
      "The query is Xapian's: words (all must match), \"a phrase\", OR, NOT, -word, +word, prefix*,\n"
      "and fields title:WORD, source:ID, lang:TAG, has:TYPE, label:TYPE=LABEL, id:ID.\n"
      "Words are stemmed in the language of --stem, else of --lang, else the archive's most common one.\n"
      "Exit status: 0 hits shown, 1 no hits, 2 unreadable archive, no index or a damaged one, 3 bad arguments.\n\n"
      "Examples:\n"
      "  quire search sample.quire metro\n"
      "  quire search sample.quire '\"metro line\" OR tram' --lang en --since 2024 --limit 20\n"
      "  quire search corpus/ 'title:election NOT poll' --has-annotation entity=PERSON --json");
  cmd->add_option("archive", args->archive, "archive file or set (directory or quire-set.json)")->required();
  cmd->add_option("query", args->query, "the query (quote it for the shell)")->required();
  cmd->add_option("--limit", args->limit, "hits to show (default 10)");
  cmd->add_option("--offset", args->offset, "hits to skip first (paging)");
  cmd->add_option("--stem", args->stem, "stemming language (en, de, fr, ...; 'none' for exact words)");
  cmd->add_option("--snippet-bytes", args->snippet_bytes, "about this many bytes of text per snippet (default 200)");
  cmd->add_flag("--no-snippets", args->no_snippets, "ids and titles only (no body is read)");
  cmd->add_flag("--json", args->json, "one JSON object: estimated, stem_language and hits with snippet and highlights");
  cmd->add_option("--color", args->color, "mark matches with color: auto (on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  args->filter.add_to(*cmd);
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace quire::cli
