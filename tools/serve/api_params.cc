#include "tools/serve/api_params.h"

#include <fmt/format.h>

#include <charconv>

namespace quire::serve {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode_component(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    int hi = -1, lo = -1;
    if (s[i] == '%' && i + 2 < s.size() && (hi = hex_digit(s[i + 1])) >= 0 && (lo = hex_digit(s[i + 2])) >= 0) {
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

}  // namespace

Query parse_query(std::string_view text) {
  Query query;
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key = decode_component(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : decode_component(pair.substr(eq + 1));
    query.emplace(std::move(key), std::move(value));
  }
  return query;
}

std::optional<std::string> param(const Query& query, const std::string& name) {
  auto [first, last] = query.equal_range(name);
  if (first == last) return std::nullopt;
  return std::prev(last)->second;
}

Result<uint64_t> uint_param(const Query& query, const std::string& name, uint64_t fallback, uint64_t max) {
  auto text = param(query, name);
  if (!text || text->empty()) return fallback;
  uint64_t n = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, n);
  if (ec == std::errc::result_out_of_range || (ec == std::errc() && ptr == end && n > max)) {
    return Status::invalid_argument(fmt::format("{}: {} is above the maximum {}", name, *text, max));
  }
  if (ec != std::errc() || ptr != end) {
    return Status::invalid_argument(fmt::format("{}: '{}' is not a non-negative whole number", name, *text));
  }
  return n;
}

Result<ArticleFilter> filter_params(const Query& query) {
  ArticleFilter f;
  auto text = [&](const char* name, std::optional<std::string>& field) {
    auto v = param(query, name);
    if (v && !v->empty()) field = *v;
  };
  text("source", f.source);
  text("lang", f.lang);
  text("id_prefix", f.id_prefix);
  for (const char* name : {"since", "until"}) {
    auto v = param(query, name);
    if (!v || v->empty()) continue;
    auto d = Date::parse(*v);
    if (!d) return d.status().with_context(name);
    (std::string_view(name) == "since" ? f.since : f.until) = *d;
  }
  auto [first, last] = query.equal_range("has_annotation");
  for (auto it = first; it != last; ++it) {
    if (it->second.empty()) continue;
    auto m = SpanMatch::parse(it->second);
    if (!m) return m.status().with_context("has_annotation");
    f.has_annotation.push_back(std::move(*m));
  }
  return f;
}

Result<OffsetUnit> offsets_param(const Query& query) {
  auto v = param(query, "offsets");
  if (!v || v->empty() || *v == "bytes") return OffsetUnit::kBytes;
  if (*v == "codepoints") return OffsetUnit::kCodepoints;
  return Status::invalid_argument(fmt::format("offsets: '{}' is not bytes or codepoints", *v));
}

}  // namespace quire::serve
