// quire grep: regular expressions over article bodies, printed like ripgrep.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "format/base64.h"
#include "format/json_writer.h"
#include "format/model.h"
#include "reader/archive_set.h"
#include "reader/grep.h"
#include "tools/cli.h"

namespace quire::cli {
namespace {

// grep's and ripgrep's convention: 1 means "searched, nothing matched".
constexpr int kExitNoMatch = 1;

struct GrepArgs {
  std::string pattern;
  std::vector<std::string> archives;
  bool ignore_case = false, word = false, count = false, list = false, json = false, only = false;
  bool fixed = false, text = false;
  std::optional<uint64_t> max_count;
  unsigned threads = 0;
  std::string color = "auto";
  FilterOptions filter;
};

// Output gathered in a buffer and written in large pieces.
class Out {
 public:
  ~Out() { flush(); }
  std::string& buf() { return buf_; }
  void maybe_flush() {
    if (buf_.size() >= (1u << 16)) flush();
  }
  void flush() {
    if (!buf_.empty()) fwrite(buf_.data(), 1, buf_.size(), stdout);
    buf_.clear();
    fflush(stdout);
  }

 private:
  std::string buf_;
};

struct Printer {
  const GrepArgs& args;
  const std::vector<ArchiveSet>& sets;
  bool color = false;
  Out out;

  // "archive:" when several archives are searched, then the id.
  void prefix(const GrepArticle& a) {
    std::string& b = out.buf();
    if (args.archives.size() > 1) b += fmt::format("{}:", args.archives[a.archive]);
    if (color) b += "\x1b[35m";
    b += a.id;
    if (color) b += "\x1b[0m";
  }
  void line_number(const GrepLine& l) {
    out.buf() += color ? fmt::format(":\x1b[32m{}\x1b[0m:", l.number) : fmt::format(":{}:", l.number);
  }
  void text(const GrepLine& l) {
    std::string& b = out.buf();
    if (!color) {
      b += l.text;
    } else {
      uint64_t at = 0;
      for (auto [s, e] : l.matches) {
        b += l.text.substr(at, s - at);
        b += "\x1b[1;31m";
        b += l.text.substr(s, e - s);
        b += "\x1b[0m";
        at = e;
      }
      b += l.text.substr(at);
    }
    b += '\n';
  }
  void json_head(JsonWriter& j, const GrepArticle& a) {
    j.begin_object().field("archive", args.archives[a.archive]).field("id", a.id).field("record", a.record);
  }
  void json_line(const GrepArticle& a, const GrepLine& l) {
    JsonWriter j;
    json_head(j, a);
    j.field("line", l.number).field("byte_offset", l.offset);
    // Offsets count the body's bytes: a line that is not UTF-8 goes as base64.
    if (is_valid_utf8(l.text)) {
      j.field("text", l.text);
    } else {
      j.field("text_b64", base64_encode(l.text));
    }
    j.key("matches").begin_array();
    for (auto [s, e] : l.matches) j.begin_array().value(s).value(e).end_array();
    j.end_array().end_object();
    out.buf() += j.str();
    out.buf() += '\n';
  }
  void article(const GrepArticle& a) {
    if (args.json) {
      json_article(a);
    } else if (args.list) {
      prefix(a);
      out.buf() += '\n';
    } else if (args.count) {
      prefix(a);
      out.buf() += fmt::format(":{}\n", a.count);
    } else if (a.binary) {
      prefix(a);
      out.buf() += ": binary body matches\n";
    } else {
      for (const GrepLine& l : a.lines) plain_line(a, l);
    }
    out.maybe_flush();
  }
  void json_article(const GrepArticle& a) {
    if (args.list || args.count || a.binary) {
      JsonWriter j;
      json_head(j, a);
      if (args.count) j.field("count", a.count);
      if (a.binary && !args.list && !args.count) j.field("binary", true);
      j.end_object();
      out.buf() += j.str();
      out.buf() += '\n';
      return;
    }
    for (const GrepLine& l : a.lines) json_line(a, l);
  }
  void plain_line(const GrepArticle& a, const GrepLine& l) {
    if (!args.only) {
      prefix(a);
      line_number(l);
      text(l);
      return;
    }
    for (auto [s, e] : l.matches) {
      prefix(a);
      line_number(l);
      std::string_view m = l.text.substr(s, e - s);
      out.buf() += color ? fmt::format("\x1b[1;31m{}\x1b[0m\n", m) : fmt::format("{}\n", m);
    }
  }
};

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* term = std::getenv("TERM");
  return isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR") && !(term && std::string(term) == "dumb");
}

Result<GrepOptions> options_of(const GrepArgs& a) {
  GrepOptions o;
  o.pattern = a.pattern;
  o.ignore_case = a.ignore_case;
  o.word = a.word;
  o.fixed_strings = a.fixed;
  o.text = a.text;
  o.max_count = a.max_count.value_or(0);
  o.threads = a.threads;
  o.mode = a.list ? GrepMode::kArticles : a.count ? GrepMode::kCount : GrepMode::kLines;
  QUIRE_ASSIGN_OR_RETURN(o.filter, a.filter.build());
  return o;
}

int run(const GrepArgs& a) {
  auto options = options_of(a);
  if (!options) return fail("grep", options.status());
  auto pattern = GrepPattern::compile(*options);
  if (!pattern) {
    fmt::print(stderr, "quire grep: {}\n", pattern.status().message());
    return kExitBadInput;
  }
  std::vector<ArchiveSet> sets;
  for (const std::string& path : a.archives) {
    auto set = ArchiveSet::open(path);
    if (!set) return fail_open("grep", set.status());
    sets.push_back(std::move(*set));
  }
  if (a.max_count == uint64_t{0}) return kExitNoMatch;  // as grep -m 0: nothing searched
  Printer printer{a, sets, use_color(a.color), {}};
  bool errors = false;
  auto stats = grep(
      sets, *pattern,
      [&](const GrepArticle& art) {
        printer.article(art);
        return Status::ok();
      },
      [&](const Status& error) {
        printer.out.flush();  // the lines before the damage first
        fail("grep", error);
        errors = true;
        return Status::ok();
      });
  printer.out.flush();
  if (!stats) return fail("grep", stats.status());
  if (errors) return kExitUnreadable;
  return stats->articles_matched > 0 ? kExitOk : kExitNoMatch;
}

}  // namespace

void register_grep(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<GrepArgs>();
  auto* cmd = app.add_subcommand("grep", "Search article bodies with a regular expression (PCRE2)");
  cmd->footer(
      "Prints each matching line as ID:LINE:TEXT (line numbers from 1; with several\n"
      "archives, ARCHIVE:ID:LINE:TEXT), in archive order whatever -j is. A line ends at\n"
      "\"\\n\" (a \"\\r\" before it is not part of the text); a match never spans lines.\n"
      "Patterns are PCRE2 syntax over UTF-8; \\w, \\b and -i follow Unicode. A body\n"
      "with a NUL byte is reported once as \"ID: binary body matches\" (-a searches it\n"
      "as text). --json prints one object per matching line:\n"
      "  {\"archive\",\"id\",\"record\",\"line\",\"byte_offset\",\"text\",\"matches\":[[start,end],...]}\n"
      "byte_offset is the line's offset in the body; matches are byte offsets in text;\n"
      "\"text_b64\" (base64) replaces \"text\" for a line that is not valid UTF-8.\n\n"
      "Exit codes: 0 a match, 1 no match, 2 an archive or block could not be read\n"
      "(the search goes on with the next block), 3 a bad pattern or argument.\n\n"
      "Examples:\n"
      "  quire grep 'metro|tram' sample.quire\n"
      "  quire grep -i -w hanoi sample.quire --lang en -c\n"
      "  quire grep '\\b\\w+ing\\b' corpus/ --json | jq -c .matches");
  cmd->add_option("pattern", args->pattern, "PCRE2 regular expression (a literal string with -F)")->required();
  cmd->add_option("archives", args->archives, "archive files or sets (directory or quire-set.json)")->required();
  cmd->add_flag("-i,--ignore-case", args->ignore_case, "case-insensitive (Unicode case folding)");
  cmd->add_flag("-w,--word-regexp", args->word, "only matches with no word character just before or after");
  cmd->add_flag("-F,--fixed-strings", args->fixed, "the pattern is a literal string");
  auto* count = cmd->add_flag("-c,--count", args->count, "print ID:N, the number of matching lines, per matching article");
  cmd->add_flag("-l,--files-with-matches", args->list, "print the ids of matching articles")->excludes(count);
  cmd->add_flag("-o,--only-matching", args->only, "print each match, not the whole line");
  cmd->add_flag("--json", args->json, "one JSON object per matching line (see below)");
  cmd->add_option("-m,--max-count", args->max_count, "stop searching an article after N matching lines");
  cmd->add_flag("-a,--text", args->text, "search bodies holding NUL bytes as text");
  cmd->add_option("-j,--threads", args->threads, "threads decoding and searching blocks (default: all hardware threads)");
  cmd->add_option("--color", args->color, "highlight matches: never, auto (when stdout is a terminal), always")
      ->check(CLI::IsMember({"never", "auto", "always"}));
  args->filter.add_to(*cmd);
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace quire::cli
