#include "writer/dateline.h"

#include "writer/extract_util.h"

namespace quire {
namespace {

using extract::iequals;
using extract::is_lower;
using extract::is_upper;

// Written form -> canonical name. Whole-name, case-insensitive matches only.
constexpr std::pair<std::string_view, std::string_view> kAgencies[] = {
    {"AFP", "AFP"}, {"Agence France-Presse", "AFP"}, {"Agence France Presse", "AFP"},
    {"AP", "AP"}, {"Associated Press", "AP"}, {"The Associated Press", "AP"},
    {"Reuters", "Reuters"}, {"Thomson Reuters", "Reuters"},
    {"TASS", "TASS"}, {"ITAR-TASS", "TASS"},
    {"RIA Novosti", "RIA Novosti"}, {"RIA", "RIA Novosti"}, {"RIA News", "RIA Novosti"},
    {"Xinhua", "Xinhua"}, {"Xinhua News Agency", "Xinhua"},
    {"Interfax", "Interfax"}, {"Sputnik", "Sputnik"}, {"UPI", "UPI"}, {"Bloomberg", "Bloomberg"},
    {"ANI", "ANI"}, {"PTI", "PTI"}, {"IANS", "IANS"}, {"Kyodo", "Kyodo"}, {"Kyodo News", "Kyodo"},
    {"Jiji Press", "Jiji Press"}, {"Yonhap", "Yonhap"}, {"dpa", "dpa"}, {"EFE", "EFE"}, {"ANSA", "ANSA"},
    {"Anadolu", "Anadolu"}, {"Anadolu Agency", "Anadolu"}, {"Bernama", "Bernama"}, {"Antara", "Antara"},
    {"IRNA", "IRNA"}, {"Tasnim", "Tasnim"}, {"Ukrinform", "Ukrinform"}, {"UNIAN", "UNIAN"},
    {"BelTA", "BelTA"}, {"VNA", "VNA"}, {"Vietnam News Agency", "VNA"}, {"KCNA", "KCNA"},
    {"WAFA", "WAFA"}, {"MENA", "MENA"}, {"KUNA", "KUNA"}, {"WAM", "WAM"}, {"QNA", "QNA"},
    {"Prensa Latina", "Prensa Latina"}, {"Armenpress", "Armenpress"}, {"Kazinform", "Kazinform"},
};

constexpr size_t kMaxPlaceWords = 5;
constexpr size_t kMaxPlaceBytes = 50;

bool starts_dash(std::string_view s) {
  return s.starts_with("-") || s.starts_with("\u2013") || s.starts_with("\u2014");
}
size_t dash_len(std::string_view s) {
  if (s.starts_with("--")) return 2;
  return s.starts_with("-") ? 1 : starts_dash(s) ? 3 : 0;
}
bool word_start(char c) { return is_upper(c) || static_cast<unsigned char>(c) >= 0x80; }
bool word_byte(std::string_view s, size_t i) {
  char c = s[i];
  return !extract::is_space(c) && c != ',' && c != ':' && c != '(' && c != ')' && c != '/' &&
         !starts_dash(s.substr(i)) && c != ';' && c != '"';
}

// Capitalised words separated by single spaces, from i; returns the end or i.
size_t name_run(std::string_view s, size_t i, size_t max_words, size_t max_bytes) {
  size_t end = i, j = i;
  for (size_t words = 0; words < max_words && j < s.size() && word_start(s[j]); ++words) {
    size_t w = j;
    while (j < s.size() && word_byte(s, j)) ++j;
    if (j == w) break;
    end = j;
    if (j + 1 >= s.size() || s[j] != ' ' || !word_start(s[j + 1])) break;
    ++j;
  }
  return end - i <= max_bytes ? end : i;
}

// "(X)" or "/X/" at i with a short capitalised X; returns the end or npos.
size_t bracketed(std::string_view s, size_t i, char open, char close, std::string_view* inner) {
  if (i >= s.size() || s[i] != open) return std::string_view::npos;
  size_t e = name_run(s, i + 1, 3, 30);
  if (e == i + 1 || e >= s.size() || s[e] != close) return std::string_view::npos;
  *inner = s.substr(i + 1, e - i - 1);
  return e + 1;
}

std::string agency_name(std::string_view written) {
  std::string_view k = known_agency(written);
  return std::string(k.empty() ? written : k);
}

// The closing separator: ":" or a dash (or "." when allowed), then a space or the end.
size_t separator(std::string_view s, size_t i, bool dot_ok) {
  size_t j = extract::skip_space(s, i);
  size_t n = j < s.size() && (s[j] == ':' || (dot_ok && s[j] == '.')) ? 1 : dash_len(s.substr(j));
  if (n == 0 || (n == 1 && s[j] == '.' && j != i)) return std::string_view::npos;
  j += n;
  return j == s.size() || s[j] == ' ' || s[j] == '\t' ? j : std::string_view::npos;
}

// "Afghan Voice Agency (AVA):", "Reuters:", "(Reuters) -".
std::optional<Dateline> agency_lead(std::string_view s, size_t i) {
  std::string_view inner;
  if (size_t e = bracketed(s, i, '(', ')', &inner); e != std::string_view::npos) {
    size_t sep = separator(s, e, false);
    if (sep == std::string_view::npos) return std::nullopt;
    return Dateline{i, sep, "", agency_name(inner), std::nullopt};
  }
  size_t e = name_run(s, i, 6, 60);
  if (e == i) return std::nullopt;
  std::string_view name = s.substr(i, e - i);
  std::string agency(known_agency(name));
  size_t after = e;
  if (e + 1 < s.size() && s[e] == ' ') {
    size_t b = bracketed(s, e + 1, '(', ')', &inner);
    if (b != std::string_view::npos) {
      after = b;
      if (agency.empty()) agency = known_agency(inner);
    }
  }
  bool agency_word = name.ends_with(" Agency") || name.ends_with(" Press") || name.ends_with(" News Service");
  if (agency.empty() && !agency_word) return std::nullopt;
  if (after >= s.size() || s[after] != ':') return std::nullopt;
  if (agency.empty()) agency = std::string(s.substr(i, after - i));
  size_t sep = separator(s, after, false);
  if (sep == std::string_view::npos) return std::nullopt;
  return Dateline{i, sep, "", agency, std::nullopt};
}

// After the place: " /Region/" and one ", Country" part (only before an agency in brackets).
size_t place_tail(std::string_view s, size_t p) {
  std::string_view inner;
  if (p + 1 < s.size() && s[p] == ' ' && s[p + 1] == '/') {
    size_t close = s.find('/', p + 2);
    if (close != std::string_view::npos && close - p <= 40 && s.substr(p + 2, close - p - 2).find(' ') != 0) {
      p = close + 1;
    }
  }
  if (s.substr(p).starts_with(", ") && !match_date_at(s, p + 2)) {
    size_t e = name_run(s, p + 2, 3, 30);
    if (e > p + 2 && e + 1 < s.size() && s[e] == ' ' && bracketed(s, e + 1, '(', ')', &inner) != std::string_view::npos) {
      p = e;
    }
  }
  return p;
}

// The agency after place and date: " /TASS/", " (Reuters)", " – RIA Novosti" (known only).
size_t agency_after(std::string_view s, size_t p, std::string* agency, bool* dot_ok) {
  std::string_view inner;
  size_t q = extract::skip_space(s, p);
  size_t e = bracketed(s, q, '/', '/', &inner);
  if (e == std::string_view::npos) e = bracketed(s, q, '(', ')', &inner);
  if (e != std::string_view::npos) {
    *agency = agency_name(inner);
    *dot_ok = s[q] == '/';
    return e;
  }
  if (q == p || dash_len(s.substr(q)) == 0) return p;
  size_t a = extract::skip_space(s, q + dash_len(s.substr(q)));
  size_t stop = s.find_first_of(".:", a);
  if (stop == std::string_view::npos || stop - a > 30) return p;
  std::string_view k = known_agency(extract::trim(s.substr(a, stop - a)));
  if (k.empty()) return p;
  *agency = std::string(k);
  *dot_ok = true;
  return stop;
}

// All-caps labels that open a paragraph like a place would ("UPDATE: ...").
bool label_word(std::string_view place) {
  for (std::string_view w : {"UPDATE", "UPDATED", "BREAKING", "BREAKING NEWS", "WATCH", "VIDEO", "PHOTO", "PHOTOS",
                             "EXCLUSIVE", "OPINION", "ANALYSIS", "EDITORIAL", "LIVE", "NOTE", "CORRECTION", "READ",
                             "LISTEN", "FACT CHECK", "SPONSORED", "ADVERTISEMENT", "EDITOR'S NOTE"}) {
    if (place == w) return true;
  }
  return false;
}

bool all_caps(std::string_view place) {
  size_t upper = 0;
  for (char c : place) {
    if (is_lower(c)) return false;
    upper += is_upper(c);
  }
  return upper >= 2;
}

}  // namespace

std::string_view known_agency(std::string_view name) {
  for (const auto& [written, canonical] : kAgencies) {
    if (iequals(name, written)) return canonical;
  }
  return {};
}

std::optional<Dateline> match_dateline(std::string_view s) {
  size_t i = extract::skip_space(s, 0);
  if (auto d = agency_lead(s, i)) return d;
  size_t first = name_run(s, i, kMaxPlaceWords, kMaxPlaceBytes);
  if (first == i) return std::nullopt;
  Dateline d;
  d.start = i;
  size_t p = place_tail(s, first);
  d.place = std::string(s.substr(i, p - i));
  bool dot_ok = false;
  if (s.substr(p).starts_with(", ")) {
    if (auto m = match_date_at(s, p + 2)) {
      d.date = m;
      p = m->end;
      dot_ok = p < s.size() && s[p] == '.';
      if (p < s.size() && (s[p] == '.' || s[p] == ',')) ++p;
    }
  }
  p = agency_after(s, p, &d.agency, &dot_ok);
  bool caps = all_caps(s.substr(i, first - i));
  if ((!caps || label_word(d.place)) && !d.date && d.agency.empty()) return std::nullopt;
  size_t sep = separator(s, p, dot_ok);
  if (sep == std::string_view::npos && dot_ok && (p == s.size() || s[p] == ' ')) sep = p;  // "August 15. Text"
  if (sep == std::string_view::npos) return std::nullopt;
  d.end = sep;
  return d;
}

}  // namespace quire
