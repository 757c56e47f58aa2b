// quire grep's patterns (reader/grep.h): compiling with PCRE2 and its JIT,
// the literal every match must contain, and the search of one body.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "reader/grep.h"

#include <fmt/format.h>
#include <pcre2.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace quire {

struct GrepPattern::Compiled {
  GrepOptions options;
  pcre2_code* code = nullptr;
  bool jit = false;
  // A string every match contains (reader/grep.cc required_literal), found
  // with memmem before the regex runs on the lines holding it; "" for none.
  std::string literal;
  ~Compiled() { pcre2_code_free(code); }
};

struct GrepScratch::State {
  pcre2_match_data* data = nullptr;
  pcre2_match_context* context = nullptr;
  pcre2_jit_stack* stack = nullptr;
  ~State() {
    pcre2_match_data_free(data);
    pcre2_match_context_free(context);
    pcre2_jit_stack_free(stack);
  }
};

GrepScratch::GrepScratch(std::unique_ptr<State> state) : state_(std::move(state)) {}
GrepScratch::GrepScratch(GrepScratch&&) noexcept = default;
GrepScratch& GrepScratch::operator=(GrepScratch&&) noexcept = default;
GrepScratch::~GrepScratch() = default;

namespace {

std::string pcre2_message(int code) {
  PCRE2_UCHAR buf[256];
  int n = pcre2_get_error_message(code, buf, sizeof buf);
  return n < 0 ? fmt::format("PCRE2 error {}", code) : std::string(reinterpret_cast<char*>(buf), n);
}

// Every ASCII punctuation byte escaped, so PCRE2 reads the text literally.
std::string escape_literal(std::string_view text) {
  std::string out;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x80 && !std::isalnum(u)) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// Skips a character class starting at p[i] == '['; returns the index after
// its ']' (or the end).
size_t skip_class(std::string_view p, size_t i) {
  ++i;
  if (i < p.size() && p[i] == '^') ++i;
  if (i < p.size() && p[i] == ']') ++i;  // a leading ']' is a member
  while (i < p.size() && p[i] != ']') {
    if (p[i] == '\\') ++i;
    else if (p.compare(i, 2, "[:") == 0) {  // [:alpha:]
      size_t close = p.find(":]", i + 2);
      if (close != std::string_view::npos) i = close + 1;
    }
    ++i;
  }
  return std::min(i + 1, p.size());
}

// Skips a group starting at p[i] == '('; returns the index after its ')'.
size_t skip_group(std::string_view p, size_t i) {
  int depth = 0;
  while (i < p.size()) {
    char c = p[i];
    if (c == '\\') i += 2;
    else if (c == '[') i = skip_class(p, i);
    else {
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      ++i;
      if (depth == 0) return i;
    }
  }
  return i;
}

// The literal runs every match of one alternative must contain, or nullopt
// when the alternative uses syntax this reading does not follow. Groups,
// classes and class escapes break a run; a character made optional by ?, *
// or {..} leaves it.
std::optional<std::vector<std::string>> required_runs(std::string_view p) {
  std::vector<std::string> runs(1);
  auto cut = [&] { if (!runs.back().empty()) runs.emplace_back(); };
  size_t char_start = 0;  // where the last literal character starts in runs.back()
  for (size_t i = 0; i < p.size();) {
    unsigned char c = static_cast<unsigned char>(p[i]);
    if (c == '(') {
      if (p.compare(i, 2, "(?") == 0 || p.compare(i, 2, "(*") == 0) return std::nullopt;  // options, verbs
      cut();
      i = skip_group(p, i);
    } else if (c == '[') {
      cut();
      i = skip_class(p, i);
    } else if (c == '?' || c == '*' || c == '{') {
      if (!runs.back().empty()) runs.back().resize(char_start);  // the last character is optional
      cut();
      i = c == '{' ? std::min(p.find('}', i), p.size()) + 1 : i + 1;
    } else if (c == '+') {
      cut();
      ++i;
    } else if (c == '\\') {
      if (i + 1 >= p.size()) return std::nullopt;
      unsigned char e = static_cast<unsigned char>(p[i + 1]);
      if (std::strchr("wWdDsSbBhHvV", e)) {
        cut();
      } else if (e < 0x80 && !std::isalnum(e) && e != '\n') {  // an escaped punctuation character
        char_start = runs.back().size();
        runs.back().push_back(static_cast<char>(e));
      } else {
        return std::nullopt;  // \Q, \x, \p, back references, ...
      }
      i += 2;
    } else if (std::strchr(".^$)]}|\n", c)) {
      cut();
      ++i;
    } else {
      char_start = runs.back().size();
      size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      runs.back().append(p.substr(i, len));
      i += len;
    }
  }
  return runs;
}

// The top-level alternatives of a pattern.
std::vector<std::string_view> alternatives(std::string_view p) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i < p.size();) {
    if (p[i] == '\\') i += 2;
    else if (p[i] == '(') i = skip_group(p, i);
    else if (p[i] == '[') i = skip_class(p, i);
    else if (p[i] == '|') {
      out.push_back(p.substr(start, i - start));
      start = ++i;
    } else ++i;
  }
  out.push_back(p.substr(std::min(start, p.size())));
  return out;
}

bool contained_in_one(const std::vector<std::string>& runs, std::string_view s) {
  for (const std::string& r : runs) {
    if (r.find(s) != std::string::npos) return true;
  }
  return false;
}

// A string every match of `pattern` contains: the longest one found in a
// required run of every alternative ("Monday|Tuesday" gives "day"). "" when
// there is none of at least 2 bytes, or the pattern is matched without case.
// Conservative: any syntax it does not follow gives "".
std::string required_literal(const GrepOptions& o) {
  if (o.ignore_case) return "";
  if (o.fixed_strings) return o.pattern.find('\n') == std::string::npos ? o.pattern : "";
  if (o.pattern.find_first_of(".^$|()[]{}*+?\\\n") == std::string::npos) return o.pattern;
  std::vector<std::vector<std::string>> branches;
  for (std::string_view alt : alternatives(o.pattern)) {
    auto runs = required_runs(alt);
    if (!runs) return "";
    branches.push_back(std::move(*runs));
  }
  std::string best;
  for (const std::string& run : branches[0]) {  // candidates: substrings of the first branch's runs
    for (size_t i = 0; i < run.size(); ++i) {
      for (size_t len = run.size() - i; len > best.size(); --len) {
        std::string_view cand(run.data() + i, len);
        bool everywhere = true;
        for (size_t b = 1; b < branches.size() && everywhere; ++b) everywhere = contained_in_one(branches[b], cand);
        if (everywhere) {
          best = std::string(cand);
          break;
        }
      }
    }
  }
  return best.size() >= 2 ? best : "";
}

Result<pcre2_code*> compile_one(std::string_view pattern, const GrepOptions& o) {
  uint32_t flags = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_MULTILINE;
  if (o.ignore_case) flags |= PCRE2_CASELESS;
  if (o.unicode_classes) flags |= PCRE2_UCP;
  pcre2_compile_context* context = pcre2_compile_context_create(nullptr);
  // "$" matches before "\r\n" as before "\n", so CRLF lines behave as LF ones.
  pcre2_set_newline(context, PCRE2_NEWLINE_ANYCRLF);
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), flags, &error,
                                   &offset, context);
  pcre2_compile_context_free(context);
  if (!code) return Status::invalid_argument(fmt::format("bad pattern at offset {}: {}", offset, pcre2_message(error)));
  return code;
}

}  // namespace

Result<GrepPattern> GrepPattern::compile(const GrepOptions& options) {
  auto compiled = std::make_shared<Compiled>();
  compiled->options = options;
  std::string pattern = options.fixed_strings ? escape_literal(options.pattern) : options.pattern;
  if (options.word) {
    // Compiled alone first, so an error's offset is into the pattern as given
    // (and a valid pattern's groups are balanced: it cannot escape the wrapper).
    QUIRE_ASSIGN_OR_RETURN(pcre2_code * alone, compile_one(pattern, options));
    pcre2_code_free(alone);
    // Not touching a word character on either side (ripgrep's -w); "\E" closes a trailing "\Q".
    pattern = "(?<!\\w)(?:" + pattern + "\\E)(?!\\w)";
  }
  QUIRE_ASSIGN_OR_RETURN(compiled->code, compile_one(pattern, options));
  compiled->jit = pcre2_jit_compile(compiled->code, PCRE2_JIT_COMPLETE) == 0;
  // A plain literal is found as fast by the JIT's own scan (bench/GREP.md);
  // confirming each hit on its line would only add work.
  std::string literal = required_literal(options);
  bool plain = options.fixed_strings || literal == options.pattern;
  compiled->literal = plain && !options.word ? "" : literal;
  return GrepPattern(std::move(compiled));
}

bool GrepPattern::jit() const { return code_->jit; }
const std::string& GrepPattern::literal() const { return code_->literal; }
const GrepOptions& GrepPattern::options() const { return code_->options; }

GrepScratch GrepPattern::scratch() const {
  auto s = std::make_unique<GrepScratch::State>();
  s->data = pcre2_match_data_create(1, nullptr);
  s->context = pcre2_match_context_create(nullptr);
  // The JIT's default 32 KiB stack is too small for some backtracking
  // patterns on long lines; it grows up to 8 MiB as needed.
  s->stack = pcre2_jit_stack_create(32 * 1024, 8 * 1024 * 1024, nullptr);
  if (!s->data || !s->context || !s->stack) throw std::bad_alloc();
  pcre2_jit_stack_assign(s->context, nullptr, s->stack);
  return GrepScratch(std::move(s));
}

namespace {

// One search for the leftmost match at or after `start` in subject[0, end).
// Returns 1 with [*s, *e), 0 for none, or a PCRE2 error (negative).
struct Matcher {
  const pcre2_code* code;
  bool jit;
  GrepScratch::State& scratch;
  const char* subject;

  int find(size_t end, size_t start, size_t* s, size_t* e) const {
    auto p = reinterpret_cast<PCRE2_SPTR>(subject);
    int rc = jit ? pcre2_jit_match(code, p, end, start, 0, scratch.data, scratch.context)
                 : pcre2_match(code, p, end, start, 0, scratch.data, scratch.context);
    if (rc == PCRE2_ERROR_NOMATCH) return 0;
    if (rc < 0) return rc;
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(scratch.data);
    *s = ov[0];
    *e = ov[1];
    return 1;
  }
};

size_t next_char(std::string_view body, size_t i) {
  ++i;
  while (i < body.size() && (static_cast<unsigned char>(body[i]) & 0xC0) == 0x80) ++i;
  return i;
}

// The first match [s, e) of the line [ls, te) and every later one, except
// empty ones (which only make the line match).
int collect_matches(const Matcher& m, std::string_view body, size_t ls, size_t te, size_t s, size_t e,
                    GrepLine& line) {
  for (;;) {
    if (e > s) line.matches.emplace_back(s - ls, e - ls);
    size_t from = e > s ? e : next_char(body, e);
    if (from > te) return 0;
    int rc = m.find(te, from, &s, &e);
    if (rc <= 0) return rc;
  }
}

}  // namespace

Status GrepPattern::search(std::string_view body, GrepScratch& scratch, GrepBodyResult& out) const {
  const GrepOptions& o = code_->options;
  out = {};
  Matcher m{code_->code, code_->jit, *scratch.state_, body.data()};
  const size_t n = body.size();
  size_t pos = 0;  // always the start of a line not yet searched
  uint64_t line_number = 1;
  size_t counted = 0;  // newlines before `counted` are in line_number
  const std::string& literal = code_->literal;
  while (pos < n) {
    size_t s = 0, e = 0;
    size_t at;  // where the search found something on the line
    int rc = 1;
    if (!literal.empty()) {
      // Only lines holding the literal can match: the regex runs on those alone.
      auto hit = static_cast<const char*>(memmem(body.data() + pos, n - pos, literal.data(), literal.size()));
      if (!hit) break;
      at = hit - body.data();
    } else {
      rc = m.find(n, pos, &s, &e);
      if (rc < 0) return Status::invalid_argument("pattern match failed: " + pcre2_message(rc));
      if (rc == 0) break;
      if (s == n && body[n - 1] == '\n') break;  // an empty match after the last line
      at = s;
    }
    const char* nl = at > pos ? static_cast<const char*>(memrchr(body.data() + pos, '\n', at - pos)) : nullptr;
    size_t ls = nl ? nl - body.data() + 1 : pos;
    nl = static_cast<const char*>(memchr(body.data() + at, '\n', n - at));
    size_t le = nl ? nl - body.data() : n;  // the line's "\n" (or the body's end)
    size_t te = le > ls && le < n && body[le - 1] == '\r' ? le - 1 : le;  // end of the line's text
    if (!literal.empty() || e > te) {
      // A candidate line, or a match running past the line: search the line alone.
      rc = m.find(te, ls, &s, &e);
      if (rc < 0) return Status::invalid_argument("pattern match failed: " + pcre2_message(rc));
      if (rc == 0) {
        pos = le + 1;
        continue;
      }
    }
    ++out.count;
    if (o.mode == GrepMode::kArticles) break;
    if (o.mode == GrepMode::kLines) {
      if (out.count == 1 && !o.text && memchr(body.data(), 0, n)) {
        out.binary = true;
        break;
      }
      line_number += std::count(body.begin() + counted, body.begin() + ls, '\n');
      counted = ls;
      GrepLine& line = out.lines.emplace_back();
      line.number = line_number;
      line.offset = ls;
      line.text = body.substr(ls, te - ls);
      rc = collect_matches(m, body, ls, te, s, e, line);
      if (rc < 0) return Status::invalid_argument("pattern match failed: " + pcre2_message(rc));
    }
    if (o.max_count && out.count >= o.max_count) break;
    pos = le + 1;
  }
  return Status::ok();
}

}  // namespace quire
