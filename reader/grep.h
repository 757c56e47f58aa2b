// Regular-expression search over article bodies (`quire grep`), with PCRE2
// and its JIT. Bodies are decoded block by block on several threads, and the
// results reach the caller in archive order (archives in the order given,
// records in record order), whatever the thread count.
//
//   GrepOptions o;
//   o.pattern = "metro|tram";
//   auto pattern = GrepPattern::compile(o);            // InvalidArgument: bad pattern
//   auto set = ArchiveSet::open("corpus.quire");
//   std::vector<ArchiveSet> sets{std::move(*set)};
//   auto stats = grep(sets, *pattern, [](const GrepArticle& a) {
//     for (const GrepLine& l : a.lines) printf("%s:%llu:%.*s\n", ...);
//     return Status::ok();
//   });
//
// Line semantics, as grep and ripgrep: a body is a sequence of lines ended
// by "\n" (a "\r" before it belongs to the terminator), the last one
// possibly without; a line matches when the pattern matches inside it (a
// match never spans lines). The body is searched as one buffer and line
// boundaries are looked for only around matches. Patterns are UTF-8
// (PCRE2_UTF); a body that is not valid UTF-8 is still searched, its
// invalid bytes matching no pattern item (PCRE2_MATCH_INVALID_UTF).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "format/status.h"
#include "reader/archive.h"
#include "reader/archive_set.h"
#include "reader/filter.h"

namespace quire {

enum class GrepMode {
  kLines,     // every matching line with its match offsets
  kCount,     // the number of matching lines per article
  kArticles,  // whether an article matches (stops at its first matching line)
};

struct GrepOptions {
  std::string pattern;
  bool fixed_strings = false;  // the pattern is a literal string, not a regex
  bool ignore_case = false;    // Unicode case folding (PCRE2_UTF)
  bool word = false;           // a match must not touch a word character on either side
  // \w, \b, \d, \s and [[:alpha:]] follow Unicode properties (PCRE2_UCP)
  // rather than ASCII. On by default, as in ripgrep; see bench/GREP.md.
  bool unicode_classes = true;
  GrepMode mode = GrepMode::kLines;
  uint64_t max_count = 0;  // stop an article after this many matching lines; 0: no limit
  // kLines: a body holding a NUL byte is binary: it is reported once
  // (GrepArticle::binary) instead of line by line, unless `text`.
  bool text = false;
  ArticleFilter filter;  // which articles are searched
  unsigned threads = 0;  // 0: the hardware's thread count
};

// One matching line of a body.
struct GrepLine {
  uint64_t number = 0;    // 1-based line number
  uint64_t offset = 0;    // byte offset of the line's first byte in the body
  std::string_view text;  // the line without its terminator; a view into GrepArticle::body
  // kLines: each non-overlapping, non-empty match, [start, end) byte offsets
  // into text, left to right. Empty when only empty matches made the line
  // match (a pattern such as "x*").
  std::vector<std::pair<uint64_t, uint64_t>> matches;
};

// One article with at least one matching line.
struct GrepArticle {
  size_t archive = 0;  // index into the archives given to grep()
  uint64_t record = 0;  // global record number in that archive or set
  std::string id;
  uint64_t count = 0;  // matching lines (at most max_count; 1 for kArticles)
  bool binary = false;  // kLines: the body holds a NUL byte; `lines` is empty
  std::vector<GrepLine> lines;  // kLines only
  Body body;  // keeps the line views alive
};

// What one body search found; views point into the searched body.
struct GrepBodyResult {
  uint64_t count = 0;
  bool binary = false;
  std::vector<GrepLine> lines;
};

// Per-thread match data and JIT stack, reused for every body a thread
// searches. Made by GrepPattern::scratch(); move-only.
class GrepScratch {
 public:
  GrepScratch(GrepScratch&&) noexcept;
  GrepScratch& operator=(GrepScratch&&) noexcept;
  ~GrepScratch();
  struct State;

 private:
  friend class GrepPattern;
  explicit GrepScratch(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// A compiled pattern (JIT when the platform has it), with the options it was
// compiled from. Immutable; may be shared by any number of threads, each
// searching with its own GrepScratch.
class GrepPattern {
 public:
  // InvalidArgument "bad pattern at offset N: <PCRE2 message>" for a pattern
  // that does not compile (N counts bytes of the pattern as given).
  static Result<GrepPattern> compile(const GrepOptions& options);

  GrepScratch scratch() const;

  // Searches one body with the mode, max_count and text of the options the
  // pattern was compiled from; fills `out` (cleared first). A matching error
  // (PCRE2's match or JIT stack limit) is InvalidArgument.
  Status search(std::string_view body, GrepScratch& scratch, GrepBodyResult& out) const;

  bool jit() const;  // whether the JIT compiled it
  // A string every match contains, looked for (memmem) before the regex runs
  // on the lines holding it; "" when there is none or the pattern is a plain
  // literal, which the JIT's own scan finds as fast.
  const std::string& literal() const;
  const GrepOptions& options() const;

  struct Compiled;

 private:
  explicit GrepPattern(std::shared_ptr<const Compiled> code) : code_(std::move(code)) {}
  std::shared_ptr<const Compiled> code_;
};

// Counts over one grep() call.
struct GrepStats {
  uint64_t articles_searched = 0;
  uint64_t articles_matched = 0;
  uint64_t lines_matched = 0;
  uint64_t bytes_searched = 0;  // body bytes
  uint64_t errors = 0;          // errors passed to on_error
};

// Returning an error stops the search; grep() then returns it.
using GrepVisitor = std::function<Status(const GrepArticle&)>;
using GrepErrorHandler = std::function<Status(const Status&)>;

// Searches every article of `archives` that passes the pattern's filter, calling
// `visit` for each article with a match, in order, on the calling thread.
// A block that cannot be read (damage) is an error naming the archive and
// the block or article. Without `on_error` the first error, in archive
// order, stops the search and is returned; with it, each error is passed to
// it in order and the search goes on with the next block unless it returns
// an error.
Result<GrepStats> grep(std::span<const ArchiveSet> archives, const GrepPattern& pattern, const GrepVisitor& visit,
                       const GrepErrorHandler& on_error = {});

}  // namespace quire
