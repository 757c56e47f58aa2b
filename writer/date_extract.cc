#include "writer/date_extract.h"

#include <array>

#include "writer/extract_util.h"

namespace quire {
namespace {

using extract::iequals;
using extract::is_alnum;
using extract::is_alpha;
using extract::is_digit;
using extract::is_upper;

constexpr std::array<std::string_view, 12> kMonths = {"january", "february", "march",     "april",   "may",      "june",
                                                      "july",    "august",   "september", "october", "november", "december"};
constexpr std::array<std::string_view, 7> kWeekdays = {"monday", "tuesday",  "wednesday", "thursday",
                                                       "friday", "saturday", "sunday"};

// A reader over one candidate match; every step either advances or fails.
struct Cursor {
  std::string_view s;
  size_t i;
  bool at_end() const { return i >= s.size(); }
  char peek(size_t k = 0) const { return i + k < s.size() ? s[i + k] : '\0'; }
  bool boundary() const { return at_end() || !is_alnum(s[i]); }
  size_t skip_blanks() {
    size_t from = i;
    while (peek() == ' ' || peek() == '\t') ++i;
    return i - from;
  }
  std::string_view word() const {
    size_t j = i;
    while (j < s.size() && is_alpha(s[j])) ++j;
    return s.substr(i, j - i);
  }
  // Up to `max` digits (at least 1); -1 when none.
  int number(size_t max, size_t* count = nullptr) {
    size_t j = i;
    int v = 0;
    while (j < s.size() && j - i < max && is_digit(s[j])) v = v * 10 + (s[j++] - '0');
    if (count) *count = j - i;
    if (j == i) return -1;
    i = j;
    return v;
  }
};

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && (year == 0 || leap(year))) return 29;  // year unknown: allow Feb 29
  return kDays[month - 1];
}

// "April", "Apr", "Apr.", "Sept": 1..12 or 0. Must be capitalised (so "may" is not a month).
int month_at(Cursor& c) {
  std::string_view w = c.word();
  if (w.size() < 3 || !is_upper(w[0])) return 0;
  for (size_t m = 0; m < kMonths.size(); ++m) {
    bool full = iequals(w, kMonths[m]);
    bool abbr = w.size() == 3 && iequals(w, kMonths[m].substr(0, 3));
    if (full || abbr || (m == 8 && iequals(w, "sept"))) {
      c.i += w.size();
      if (!full && c.peek() == '.') ++c.i;
      return static_cast<int>(m) + 1;
    }
  }
  return 0;
}

// An optional weekday ("Fri", "Friday,", "Fri.,") followed by white space.
void skip_weekday(Cursor& c) {
  Cursor t = c;
  std::string_view w = t.word();
  if (w.size() < 3 || !is_upper(w[0])) return;
  for (std::string_view d : kWeekdays) {
    if (iequals(w, d) || (w.size() == 3 && iequals(w, d.substr(0, 3)))) {
      t.i += w.size();
      if (t.peek() == '.') ++t.i;
      if (t.peek() == ',') ++t.i;
      if (t.skip_blanks() == 0) return;
      c = t;
      return;
    }
  }
}

// A day of month, 1..31, with an optional ordinal suffix ("26th").
int day_at(Cursor& c) {
  Cursor t = c;
  int d = t.number(2);
  if (d < 1 || d > 31 || is_digit(t.peek())) return 0;
  std::string_view w = t.word();
  if (iequals(w, "st") || iequals(w, "nd") || iequals(w, "rd") || iequals(w, "th")) t.i += 2;
  if (!t.boundary()) return 0;
  c = t;
  return d;
}

// A four-digit year 1800..2199 not followed by another digit or a ':' (a time).
int year_at(Cursor& c) {
  Cursor t = c;
  size_t n = 0;
  int y = t.number(4, &n);
  if (n != 4 || y < 1800 || y > 2199 || !t.boundary() || t.peek() == ':') return 0;
  c = t;
  return y;
}

// "GMT", "UTC", "Z", "+07:00", "+0700", "GMT+7" after a time. After a space a
// numeric offset needs its minutes ("09:43 +0700"), so "9:43 - 12 comments" has none.
void zone_at(Cursor& c, DateMatch& m) {
  Cursor t = c;
  bool spaced = t.skip_blanks() > 0;
  bool named = false;
  for (std::string_view z : {"GMT", "UTC", "Z"}) {
    if (t.s.substr(t.i, z.size()) == z && (t.i + z.size() >= t.s.size() || !is_alpha(t.s[t.i + z.size()]))) {
      t.i += z.size();
      named = true;
      break;
    }
  }
  int sign = t.peek() == '+' ? 1 : t.peek() == '-' && is_digit(t.peek(1)) ? -1 : 0;
  int minutes = 0;
  if (sign != 0) {
    ++t.i;
    size_t digits_at = t.i, n = 0;
    int h = t.number(2, &n);
    int mm = 0;
    if (t.peek() == ':' && is_digit(t.peek(1))) {
      ++t.i;
      mm = t.number(2);
    } else if (n == 2 && is_digit(t.peek())) {
      mm = t.number(2);
    }
    bool has_minutes = t.i - digits_at > n;
    if (h < 0 || h > 23 || mm < 0 || mm > 59 || !t.boundary() || (spaced && !named && !has_minutes)) return;
    minutes = sign * (h * 60 + mm);
  } else if (!named || !t.boundary()) {
    return;
  }
  m.has_offset = true;
  m.offset_minutes = minutes;
  c = t;
}

// "9:43", "09:43:05", "9:43 pm", then an optional zone.
bool time_at(Cursor& c, DateMatch& m) {
  Cursor t = c;
  int h = t.number(2);
  if (h < 0 || t.peek() != ':' || !is_digit(t.peek(1))) return false;
  ++t.i;
  size_t n = 0;
  int mi = t.number(2, &n);
  int se = 0;
  if (n != 2) return false;
  if (t.peek() == ':' && is_digit(t.peek(1))) {
    ++t.i;
    se = t.number(2, &n);
    if (n != 2) return false;
  }
  Cursor ap = t;
  ap.skip_blanks();
  std::string_view w = ap.word();
  bool pm = iequals(w, "pm") || iequals(ap.s.substr(ap.i, 4), "p.m.");
  bool am = iequals(w, "am") || iequals(ap.s.substr(ap.i, 4), "a.m.");
  if ((pm || am) && h >= 1 && h <= 12) {
    ap.i += w.size() == 2 ? 2 : 4;
    h = (h % 12) + (pm ? 12 : 0);
    t = ap;
  }
  if (h > 23 || mi > 59 || se > 60 || !t.boundary()) return false;
  m.has_time = true;
  m.hour = h, m.minute = mi, m.second = se;
  zone_at(t, m);
  c = t;
  return true;
}

// After a date: separators ("," "-" "–" "—" "|" "@" "at") and a time, if any.
void maybe_time(Cursor& c, DateMatch& m) {
  Cursor t = c;
  for (int guard = 0; guard < 4; ++guard) {
    t.skip_blanks();
    std::string_view rest = t.s.substr(t.i);
    if (rest.starts_with(",") || rest.starts_with("-") || rest.starts_with("|") || rest.starts_with("@")) {
      ++t.i;
    } else if (rest.starts_with("\u2013") || rest.starts_with("\u2014")) {
      t.i += 3;
    } else if (rest.starts_with("at ")) {
      t.i += 2;
    } else {
      break;
    }
  }
  if (time_at(t, m)) c = t;
}

std::optional<DateMatch> iso_at(std::string_view s, size_t pos) {
  auto digits = [&](size_t at, size_t n) {
    for (size_t k = at; k < at + n; ++k) {
      if (k >= s.size() || !is_digit(s[k])) return false;
    }
    return true;
  };
  if (!digits(pos, 4) || pos + 10 > s.size() || s[pos + 4] != '-' || !digits(pos + 5, 2) || s[pos + 7] != '-') {
    return std::nullopt;
  }
  // Longest prefix made of the characters ISO forms use, tried from longest down.
  size_t end = pos;
  while (end < s.size() && end - pos < 40 &&
         (is_digit(s[end]) || std::string_view("-:T.,+Zz ").find(s[end]) != std::string_view::npos)) {
    ++end;
  }
  for (size_t e = end; e >= pos + 10; --e) {
    if (e < s.size() && is_alnum(s[e])) continue;
    auto d = Date::parse(s.substr(pos, e - pos));
    if (!d || d->precision < Date::Precision::kDay) continue;
    DateMatch m;
    m.start = pos, m.end = e;
    m.year = d->year, m.month = d->month, m.day = d->day;
    m.has_time = d->precision == Date::Precision::kTimestamp;
    m.hour = d->hour, m.minute = d->minute, m.second = d->second;
    m.has_offset = d->has_utc_offset, m.offset_minutes = d->utc_offset_minutes;
    m.form = "iso";
    return m;
  }
  return std::nullopt;
}

std::optional<DateMatch> dots_at(Cursor c) {
  DateMatch m;
  m.start = c.i;
  m.day = c.number(2);
  if (m.day < 1 || c.peek() != '.') return std::nullopt;
  ++c.i;
  m.month = c.number(2);
  if (m.month < 1 || m.month > 12 || c.peek() != '.') return std::nullopt;
  ++c.i;
  m.year = year_at(c);
  if (m.year == 0 || m.day > days_in(m.year, m.month)) return std::nullopt;
  m.form = "dmy-dots";
  Cursor t = c;
  if (t.skip_blanks() > 0 && time_at(t, m)) c = t;
  m.end = c.i;
  return m;
}

// "Apr 26 2024", "April 26, 2024", "April 2024", "April 26".
std::optional<DateMatch> month_first(Cursor c, DateMatch m) {
  m.month = month_at(c);
  if (m.month == 0 || c.skip_blanks() == 0) return std::nullopt;
  if ((m.year = year_at(c)) != 0) {
    m.form = "month-year";
    m.end = c.i;
    return m;
  }
  if ((m.day = day_at(c)) == 0) return std::nullopt;
  m.form = "month-day";
  Cursor t = c;
  if (t.peek() == ',') ++t.i;
  if (t.skip_blanks() > 0 && (m.year = year_at(t)) != 0) {
    c = t;
    m.form = "month-day-year";
  }
  maybe_time(c, m);
  m.end = c.i;
  return m;
}

// "26 April 2024", "20 Sep 2022 - 9:43", "15 August".
std::optional<DateMatch> day_first(Cursor c, DateMatch m) {
  if ((m.day = day_at(c)) == 0 || c.skip_blanks() == 0) return std::nullopt;
  if ((m.month = month_at(c)) == 0 || !c.boundary()) return std::nullopt;
  m.form = "day-month";
  Cursor t = c;
  if (t.peek() == ',') ++t.i;
  if (t.skip_blanks() > 0 && (m.year = year_at(t)) != 0) {
    c = t;
    m.form = "day-month-year";
  }
  maybe_time(c, m);
  m.end = c.i;
  return m;
}

}  // namespace

Date DateMatch::resolve(std::optional<int> year_hint) const {
  Date d;
  d.year = year != 0 ? year : year_hint.value_or(0);
  if (d.year == 0 || month == 0) return Date{};
  d.month = static_cast<uint8_t>(month);
  d.day = static_cast<uint8_t>(day);
  d.precision = day == 0 ? Date::Precision::kMonth : has_time ? Date::Precision::kTimestamp : Date::Precision::kDay;
  if (has_time) {
    d.hour = static_cast<uint8_t>(hour), d.minute = static_cast<uint8_t>(minute);
    d.second = static_cast<uint8_t>(second);
    d.has_utc_offset = has_offset;
    d.utc_offset_minutes = static_cast<int16_t>(offset_minutes);
  }
  return d.validate() ? d : Date{};
}

std::optional<DateMatch> match_date_at(std::string_view text, size_t pos) {
  if (pos >= text.size() || (pos > 0 && is_alnum(text[pos - 1]))) return std::nullopt;
  if (auto m = iso_at(text, pos)) return m;
  Cursor c{text, pos};
  skip_weekday(c);
  if (auto m = dots_at(c)) {
    m->start = pos;
    return m;
  }
  DateMatch m;
  m.start = pos;
  auto r = is_digit(c.peek()) ? day_first(c, m) : month_first(c, m);
  if (!r || r->month == 0 || (r->day > 0 && r->day > days_in(r->year, r->month))) return std::nullopt;
  return r;
}

std::optional<DateMatch> find_date(std::string_view text, size_t from) {
  for (size_t i = from; i < text.size(); ++i) {
    if ((is_digit(text[i]) || is_upper(text[i])) && (i == 0 || !is_alnum(text[i - 1]))) {
      if (auto m = match_date_at(text, i)) return m;
    }
  }
  return std::nullopt;
}

std::optional<DateMatch> parse_date_line(std::string_view line) {
  static constexpr std::string_view kLabels[] = {"last updated:", "last updated on", "last updated",
                                                 "published:",    "published on",    "published",
                                                 "posted:",       "posted on",       "posted",
                                                 "updated:",      "updated on",      "updated",
                                                 "date:",         "dated"};
  size_t i = extract::skip_space(line, 0);
  for (std::string_view label : kLabels) {
    if (extract::istarts_with(line.substr(i), label)) {
      i = extract::skip_space(line, i + label.size());
      break;
    }
  }
  auto m = match_date_at(line, i);
  if (!m) return std::nullopt;
  std::string_view rest = extract::trim(line.substr(m->end));
  if (!rest.empty() && rest != ".") return std::nullopt;
  return m;
}

std::optional<int> find_year_for(std::string_view text, int month, int day) {
  size_t at = 0;
  while (auto m = find_date(text, at)) {
    if (m->year != 0 && m->month == month && m->day == day) return m->year;
    at = m->end;  // a match is never empty
  }
  return std::nullopt;
}

}  // namespace quire
