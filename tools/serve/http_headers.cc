#include "tools/serve/http_headers.h"

#include <fmt/format.h>

#include <cctype>

namespace quire::serve {
namespace {

// RFC 9110 5.6.2 tchar.
bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Consumes a token at s[i..]; false when there is none.
bool token(std::string_view s, size_t& i) {
  size_t start = i;
  while (i < s.size() && is_tchar(s[i])) ++i;
  return i > start;
}

void skip_ows(std::string_view s, size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
}

bool quoted_string(std::string_view s, size_t& i) {
  if (i >= s.size() || s[i] != '"') return false;
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      if (++i >= s.size()) return false;
    } else if (s[i] == '"') {
      ++i;
      return true;
    }
  }
  return false;
}

}  // namespace

bool is_valid_media_type(std::string_view s) {
  if (s.empty() || s.size() > 255) return false;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') return false;
    if (static_cast<unsigned char>(c) >= 0x7F) return false;
  }
  size_t i = 0;
  if (!token(s, i) || i >= s.size() || s[i++] != '/' || !token(s, i)) return false;
  for (;;) {
    skip_ows(s, i);
    if (i == s.size()) return true;
    if (s[i++] != ';') return false;
    skip_ows(s, i);
    if (!token(s, i) || i >= s.size() || s[i++] != '=') return false;
    if (!token(s, i) && !quoted_string(s, i)) return false;
  }
}

std::string attachment_disposition(std::string_view id) {
  std::string_view name = id;
  while (!name.empty() && name.back() == '/') name.remove_suffix(1);
  if (auto slash = name.rfind('/'); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  if (name.empty() || name == "." || name == "..") name = "article";
  std::string ascii;
  bool changed = false;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    bool safe = u >= 0x20 && u < 0x7F && c != '"' && c != '\\' && c != '%' && c != ';';
    ascii.push_back(safe ? c : '_');
    changed |= !safe;
  }
  std::string value = fmt::format("attachment; filename=\"{}\"", ascii);
  if (changed) {
    // RFC 5987 attr-char stays as is; everything else is %XX of its UTF-8 bytes.
    std::string encoded;
    for (char c : name) {
      auto u = static_cast<unsigned char>(c);
      bool attr_char = (u < 0x80 && std::isalnum(u)) || std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
      encoded += attr_char ? std::string(1, c) : fmt::format("%{:02X}", u);
    }
    value += "; filename*=UTF-8''" + encoded;
  }
  return value;
}

}  // namespace quire::serve
