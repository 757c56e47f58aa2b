#include "format/id_path.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "format/checksum.h"

namespace quire {
namespace {

constexpr size_t kMaxComponent = 255;
constexpr size_t kShortenedPrefix = 200;

bool unsafe_byte(unsigned char c) {
  return c < 0x20 || c == 0x7f || c == '%' || c == '\\' || c == '<' || c == '>' || c == ':' || c == '"' ||
         c == '|' || c == '?' || c == '*';
}

std::string percent(unsigned char c) { return fmt::format("%{:02X}", c); }

bool reserved_device_name(std::string_view component) {
  // The part before the first dot, case-insensitively (Windows reserves "CON.txt" too).
  std::string stem(component.substr(0, component.find('.')));
  std::transform(stem.begin(), stem.end(), stem.begin(), [](unsigned char c) { return std::toupper(c); });
  static const std::array<const char*, 4> kPlain = {"CON", "PRN", "AUX", "NUL"};
  for (const char* r : kPlain) {
    if (stem == r) return true;
  }
  if (stem.size() == 4 && (stem.rfind("COM", 0) == 0 || stem.rfind("LPT", 0) == 0) && stem[3] >= '0' &&
      stem[3] <= '9') {
    return true;
  }
  return false;
}

// Cuts at most `n` bytes without splitting a UTF-8 sequence or a %XX escape.
std::string_view cut(std::string_view s, size_t n) {
  if (s.size() <= n) return s;
  size_t end = n;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  for (size_t back = 1; back <= 2 && end >= back; ++back) {
    if (s[end - back] == '%') end -= back;
  }
  return s.substr(0, end);
}

std::string encode_component(std::string_view c) {
  if (c.empty()) return "%";
  if (c == ".") return "%2E";
  if (c == "..") return "%2E%2E";
  std::string out;
  for (unsigned char ch : c) {
    if (unsafe_byte(ch)) {
      out += percent(ch);
    } else {
      out.push_back(static_cast<char>(ch));
    }
  }
  // Windows drops trailing dots and spaces: keep them visible.
  size_t keep = out.size();
  while (keep > 0 && (out[keep - 1] == '.' || out[keep - 1] == ' ')) --keep;
  std::string tail;
  for (size_t i = keep; i < out.size(); ++i) tail += percent(static_cast<unsigned char>(out[i]));
  out = out.substr(0, keep) + tail;
  if (reserved_device_name(out)) out = percent(static_cast<unsigned char>(out[0])) + out.substr(1);
  if (out.size() > kMaxComponent) {
    out = std::string(cut(out, kShortenedPrefix)) + fmt::format("~{:016x}", xxh3_64(c));
  }
  return out;
}

}  // namespace

std::string id_to_relative_path(std::string_view id) {
  std::string out;
  size_t start = 0;
  for (;;) {
    size_t slash = id.find('/', start);
    std::string_view comp = id.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (!out.empty() || start > 0) out.push_back('/');
    out += encode_component(comp);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

std::string collision_name(std::string_view name, std::string_view id) {
  std::string suffix = fmt::format("~{:016x}", xxh3_64(id));
  return std::string(cut(name, kMaxComponent - suffix.size())) + suffix;
}

}  // namespace quire
