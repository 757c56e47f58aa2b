#include "reader/surt.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

namespace quire {
namespace {

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
  return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && lower(s.substr(0, prefix.size())) == prefix;
}

// Without surrounding white space and without tabs and line breaks anywhere.
std::string clean(std::string_view url) {
  while (!url.empty() && static_cast<unsigned char>(url.front()) <= 0x20) url.remove_prefix(1);
  while (!url.empty() && static_cast<unsigned char>(url.back()) <= 0x20) url.remove_suffix(1);
  std::string out;
  for (char c : url) {
    if (c != '\t' && c != '\r' && c != '\n') out.push_back(c);
  }
  return out;
}

// The scheme (lower case) when `url` starts with one followed by "//"; "" when
// it has none (then it is read as http). nullopt for a non-hierarchical URI
// such as "dns:x" or "mailto:x", which is kept as given. A name with a dot or
// a ':' followed by a digit is a host and port, not a scheme.
std::optional<std::string> scheme_of(std::string_view url, size_t& rest) {
  size_t i = 0;
  while (i < url.size() && (std::isalnum(static_cast<unsigned char>(url[i])) || url[i] == '+' || url[i] == '-')) ++i;
  bool named = i > 0 && i < url.size() && url[i] == ':' && std::isalpha(static_cast<unsigned char>(url[0]));
  if (named && url.substr(i + 1, 2) == "//") {
    rest = i + 3;
    return lower(url.substr(0, i));
  }
  if (named && !(i + 1 < url.size() && std::isdigit(static_cast<unsigned char>(url[i + 1])))) return std::nullopt;
  rest = 0;
  return std::string();
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = ascii_lower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// Decodes %XX escapes until none is left, then escapes again only what must
// be: controls, space, bytes >= 0x7F, '#' and '%'.
std::string normalise_escapes(std::string_view text) {
  std::string s(text);
  for (bool changed = true; changed;) {
    changed = false;
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      int hi = s[i] == '%' && i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
      int lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
      if (lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        changed = true;
      } else {
        out.push_back(s[i]);
      }
    }
    s = std::move(out);
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    unsigned char b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b >= 0x7F || c == '#' || c == '%') {
      out += {'%', kHex[b >> 4], kHex[b & 15]};
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// "." and ".." segments resolved (RFC 3986 5.2.4) and empty segments dropped.
std::string resolve_path(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 1;  // the path starts with '/'
  while (start <= path.size()) {
    size_t slash = std::min(path.find('/', start), path.size());
    std::string_view seg = path.substr(start, slash - start);
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(seg);
    }
    start = slash + 1;
  }
  bool trailing = path.size() > 1 && (path.back() == '/' || path.ends_with("/.") || path.ends_with("/.."));
  std::string out;
  for (auto seg : segments) out.append("/").append(seg);
  if (out.empty() || trailing) out.push_back('/');
  return out;
}

// Arguments sorted by name, then value ("a" before "a=1"), joined by '&'.
std::string sort_query(std::string_view query) {
  using Arg = std::pair<std::string_view, std::optional<std::string_view>>;
  std::vector<Arg> args;
  for (size_t start = 0;;) {
    size_t amp = std::min(query.find('&', start), query.size());
    std::string_view arg = query.substr(start, amp - start);
    size_t eq = arg.find('=');
    if (eq == std::string_view::npos) {
      args.emplace_back(arg, std::nullopt);
    } else {
      args.emplace_back(arg.substr(0, eq), arg.substr(eq + 1));
    }
    if (amp == query.size()) break;
    start = amp + 1;
  }
  std::sort(args.begin(), args.end());
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    const auto& [name, value] = args[i];
    if (i > 0) out.push_back('&');
    out.append(name);
    if (value) out.append("=").append(*value);
  }
  return out;
}

// "www.Example.com.:8080" -> "com,example:8080" (no default port, no "www").
std::string surt_host(std::string_view authority, const std::string& scheme) {
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view port;
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    port = authority.substr(colon + 1);
    authority = authority.substr(0, colon);
  }
  if ((scheme == "http" && port == "80") || (scheme == "https" && port == "443")) port = {};
  std::vector<std::string> labels;
  for (size_t start = 0; start <= authority.size();) {
    size_t dot = std::min(authority.find('.', start), authority.size());
    if (dot > start) labels.push_back(lower(authority.substr(start, dot - start)));
    start = dot + 1;
  }
  auto is_www = [](const std::string& l) {
    return l.rfind("www", 0) == 0 && std::all_of(l.begin() + 3, l.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (labels.size() > 1 && is_www(labels.front())) labels.erase(labels.begin());
  std::string out;
  for (auto it = labels.rbegin(); it != labels.rend(); ++it) out.append(out.empty() ? "" : ",").append(*it);
  if (!port.empty()) out.append(":").append(port);
  return out;
}

}  // namespace

std::string surt_key(std::string_view input) {
  std::string url = clean(input);
  if (url.empty()) return "-";
  if (starts_with_ci(url, "filedesc") || starts_with_ci(url, "warcinfo:")) return url;
  size_t rest = 0;
  std::optional<std::string> scheme = scheme_of(url, rest);
  if (!scheme) return url;
  if (scheme->empty()) scheme = "http";
  std::string_view tail = std::string_view(url).substr(rest);
  while (!tail.empty() && tail.front() == '/') tail.remove_prefix(1);
  tail = tail.substr(0, tail.find('#'));
  size_t end = std::min(tail.find_first_of("/?"), tail.size());
  std::string key = surt_host(tail.substr(0, end), *scheme) + ")";
  tail.remove_prefix(end);
  size_t question = tail.find('?');
  std::string path = lower(resolve_path(normalise_escapes(tail.substr(0, question))));
  if (path.size() > 1 && path.back() == '/') path.pop_back();
  key += path;
  if (question != std::string_view::npos) {
    std::string query = lower(normalise_escapes(tail.substr(question + 1)));
    if (!query.empty()) key.append("?").append(sort_query(query));
  }
  return key;
}

}  // namespace quire
