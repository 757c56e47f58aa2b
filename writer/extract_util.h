// Small ASCII text helpers shared by the page extractors (writer/page_extract.h).
// They look at ASCII only: bytes >= 0x80 are never letters, digits or spaces
// here, so UTF-8 sequences pass through untouched and offsets stay byte offsets.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace quire::extract {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
inline bool is_alpha(char c) { return is_upper(c) || is_lower(c); }
inline bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
inline char to_lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return to_lower(x) == to_lower(y); });
}
inline bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}
inline bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}
inline bool icontains(std::string_view s, std::string_view needle) {
  if (needle.empty()) return true;
  for (size_t i = 0; i + needle.size() <= s.size(); ++i) {
    if (iequals(s.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

// Leading/trailing ASCII white space and U+00A0 (no-break space, C2 A0).
inline size_t skip_space(std::string_view s, size_t i) {
  for (;;) {
    if (i < s.size() && is_space(s[i])) {
      ++i;
    } else if (i + 1 < s.size() && s[i] == '\xC2' && s[i + 1] == '\xA0') {
      i += 2;
    } else {
      return i;
    }
  }
}
inline std::string_view trim(std::string_view s) {
  s.remove_prefix(skip_space(s, 0));
  for (;;) {
    if (!s.empty() && is_space(s.back())) {
      s.remove_suffix(1);
    } else if (s.size() >= 2 && s[s.size() - 2] == '\xC2' && s.back() == '\xA0') {
      s.remove_suffix(2);
    } else {
      return s;
    }
  }
}

// Words separated by white space (a rough count, for "is this line substantial").
inline size_t word_count(std::string_view s) {
  size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    if (is_space(c)) {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      ++n;
    }
  }
  return n;
}

}  // namespace quire::extract
