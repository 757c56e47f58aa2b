// libFuzzer target: `quire grep`'s pattern compiler and body search on any
// bytes. The input is "FLAGS PATTERN \0 BODY": the first byte picks the
// options (case, word, fixed strings, mode, max count, text), the bytes up to
// the first NUL are the pattern, the rest the body. A pattern may fail to
// compile (that is an error value); a search must never crash, and every line
// and match it reports must lie inside the body.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "reader/grep.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  uint8_t flags = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  size_t nul = rest.find('\0');
  std::string_view pattern = rest.substr(0, nul);
  std::string_view body = nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1);
  if (pattern.size() > 256) return 0;  // PCRE2's compile time grows with the pattern, not what we test

  quire::GrepOptions o;
  o.pattern = std::string(pattern);
  o.ignore_case = flags & 1;
  o.word = flags & 2;
  o.fixed_strings = flags & 4;
  o.mode = (flags & 24) == 8 ? quire::GrepMode::kCount : (flags & 24) == 16 ? quire::GrepMode::kArticles : quire::GrepMode::kLines;
  o.max_count = (flags & 32) ? 2 : 0;
  o.text = flags & 64;
  o.unicode_classes = !(flags & 128);
  auto compiled = quire::GrepPattern::compile(o);
  if (!compiled) return 0;
  auto scratch = compiled->scratch();
  quire::GrepBodyResult out;
  quire::Status s = compiled->search(body, scratch, out);
  if (!s.is_ok()) return 0;  // a match limit reached: an error value, not a crash
  for (const quire::GrepLine& l : out.lines) {
    if (l.offset > body.size() || l.text.size() > body.size() - l.offset) abort();
    if (l.text.data() != body.data() + l.offset) abort();
    for (auto [a, b] : l.matches) {
      if (a > b || b > l.text.size()) abort();
    }
  }
  if (o.max_count && out.count > o.max_count) abort();
  return 0;
}
