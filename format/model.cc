#include "format/model.h"

#include <fmt/format.h>

#include <charconv>

#include "format/layout.h"

namespace quire {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `width` digits at text[pos].
bool read_digits(std::string_view text, size_t& pos, size_t width, int& out) {
  if (pos + width > text.size()) return false;
  int v = 0;
  for (size_t i = 0; i < width; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  pos += width;
  return true;
}

bool expect(std::string_view text, size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

Status Date::validate() const {
  if (precision == Precision::kUnknown) return Status::ok();
  if (precision > Precision::kTimestamp) return Status::invalid_argument("date: bad precision");
  if (year < 0 || year > 9999) return Status::invalid_argument(fmt::format("date: year {} out of range 0..9999", year));
  if (precision >= Precision::kMonth && (month < 1 || month > 12)) {
    return Status::invalid_argument(fmt::format("date: month {} out of range", month));
  }
  if (precision >= Precision::kDay && (day < 1 || day > days_in_month(year, month))) {
    return Status::invalid_argument(fmt::format("date: day {} out of range for {}-{:02}", day, year, month));
  }
  if (precision == Precision::kTimestamp &&
      (hour > 23 || minute > 59 || second > 60 || nanosecond > 999999999)) {
    return Status::invalid_argument("date: time of day out of range");
  }
  if (has_utc_offset && (utc_offset_minutes < -1439 || utc_offset_minutes > 1439)) {
    return Status::invalid_argument("date: UTC offset out of range");
  }
  return Status::ok();
}

Result<Date> Date::parse(std::string_view text) {
  Date d;
  if (text.empty()) return d;
  auto bad = [&](const char* why) {
    return Status::invalid_argument(fmt::format("bad date '{}': {}", text, why));
  };
  size_t pos = 0;
  int v = 0;
  if (!read_digits(text, pos, 4, v)) return bad("expected a four-digit year");
  d.year = v;
  d.precision = Precision::kYear;
  if (expect(text, pos, '-')) {
    if (!read_digits(text, pos, 2, v)) return bad("expected a two-digit month");
    d.month = static_cast<uint8_t>(v);
    d.precision = Precision::kMonth;
    if (expect(text, pos, '-')) {
      if (!read_digits(text, pos, 2, v)) return bad("expected a two-digit day");
      d.day = static_cast<uint8_t>(v);
      d.precision = Precision::kDay;
      if (expect(text, pos, 'T') || expect(text, pos, ' ')) {
        if (!read_digits(text, pos, 2, v)) return bad("expected a two-digit hour");
        d.hour = static_cast<uint8_t>(v);
        if (!expect(text, pos, ':') || !read_digits(text, pos, 2, v)) return bad("expected minutes");
        d.minute = static_cast<uint8_t>(v);
        d.precision = Precision::kTimestamp;
        if (expect(text, pos, ':')) {
          if (!read_digits(text, pos, 2, v)) return bad("expected seconds");
          d.second = static_cast<uint8_t>(v);
          if (expect(text, pos, '.') || expect(text, pos, ',')) {
            uint32_t ns = 0;
            int digits = 0;
            while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
              if (digits < 9) ns = ns * 10 + static_cast<uint32_t>(text[pos] - '0');
              ++digits;
              ++pos;
            }
            if (digits == 0) return bad("expected digits after the decimal point");
            for (int i = digits; i < 9; ++i) ns *= 10;
            d.nanosecond = ns;
          }
        }
        if (expect(text, pos, 'Z') || expect(text, pos, 'z')) {
          d.has_utc_offset = true;
        } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
          int sign = text[pos++] == '-' ? -1 : 1;
          int oh = 0, om = 0;
          if (!read_digits(text, pos, 2, oh)) return bad("expected a UTC offset like +07:00");
          expect(text, pos, ':');
          if (!read_digits(text, pos, 2, om) || om > 59) return bad("expected a UTC offset like +07:00");
          d.has_utc_offset = true;
          d.utc_offset_minutes = static_cast<int16_t>(sign * (oh * 60 + om));
        }
      }
    }
  }
  if (pos != text.size()) return bad("unexpected text after the date");
  Status s = d.validate();
  if (!s.is_ok()) return bad(s.message().c_str());
  return d;
}

std::string Date::to_string() const {
  std::string out;
  switch (precision) {
    case Precision::kUnknown: return out;
    case Precision::kYear: return fmt::format("{:04}", year);
    case Precision::kMonth: return fmt::format("{:04}-{:02}", year, month);
    case Precision::kDay: return fmt::format("{:04}-{:02}-{:02}", year, month, day);
    case Precision::kTimestamp: break;
  }
  out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", year, month, day, hour, minute, second);
  if (nanosecond != 0) {
    std::string frac = fmt::format("{:09}", nanosecond);
    while (frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  if (has_utc_offset) {
    if (utc_offset_minutes == 0) {
      out += "Z";
    } else {
      int off = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
      out += fmt::format("{}{:02}:{:02}", utc_offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
    }
  }
  return out;
}

const char* precision_name(Date::Precision p) {
  switch (p) {
    case Date::Precision::kYear: return "year";
    case Date::Precision::kMonth: return "month";
    case Date::Precision::kDay: return "day";
    case Date::Precision::kTimestamp: return "timestamp";
    case Date::Precision::kUnknown: break;
  }
  return "unknown";
}

int64_t Date::period_start() const {
  if (!known()) return INT64_MIN;
  unsigned m = precision >= Precision::kMonth ? month : 1;
  unsigned dd = precision >= Precision::kDay ? day : 1;
  int64_t s = days_from_civil(year, m, dd) * 86400;
  if (precision == Precision::kTimestamp) {
    s += hour * 3600 + minute * 60 + second;
    if (has_utc_offset) s -= int64_t{utc_offset_minutes} * 60;
  }
  return s;
}

int64_t Date::period_end() const {
  switch (precision) {
    case Precision::kUnknown: return INT64_MAX;
    case Precision::kYear: return days_from_civil(year + 1, 1, 1) * 86400;
    case Precision::kMonth:
      return month == 12 ? days_from_civil(year + 1, 1, 1) * 86400
                         : days_from_civil(year, month + 1u, 1) * 86400;
    case Precision::kDay: return period_start() + 86400;
    case Precision::kTimestamp: return period_start() + 1;
  }
  return INT64_MAX;
}

size_t utf8_sequence_length(std::string_view s, size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  unsigned char c = p[i];
  if (c < 0x80) return 1;
  size_t len;
  uint32_t cp;
  if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
  else return 0;
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((p[i + k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i + k] & 0x3F);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return len;
}

bool is_valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t len = utf8_sequence_length(s, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

Status validate_id(std::string_view id) {
  if (id.empty()) return Status::invalid_argument("empty article id");
  if (id.size() > kMaxIdLength) {
    return Status::invalid_argument(fmt::format("article id of {} bytes is longer than {}", id.size(), kMaxIdLength));
  }
  if (id.find('\0') != std::string_view::npos) return Status::invalid_argument("article id contains NUL");
  if (!is_valid_utf8(id)) return Status::invalid_argument("article id is not valid UTF-8");
  return Status::ok();
}

Status validate_text(const ArticleMeta& m, const std::vector<Layer>& layers) {
  auto check = [&](std::string_view field, std::string_view value) -> Status {
    if (is_valid_utf8(value)) return Status::ok();
    return Status::invalid_argument(fmt::format("article '{}': {} is not valid UTF-8", m.id, field));
  };
  for (auto [field, value] : {std::pair<const char*, std::string_view>{"source", m.source}, {"title", m.title},
                              {"url", m.url}, {"lang", m.lang}, {"media_type", m.media_type}}) {
    QUIRE_RETURN_IF_ERROR(check(field, value));
  }
  for (const auto& note : m.lang_notes) QUIRE_RETURN_IF_ERROR(check("a language note", note));
  for (const auto& kv : m.extra) {
    QUIRE_RETURN_IF_ERROR(check("a metadata key", kv.key));
    QUIRE_RETURN_IF_ERROR(check("a metadata value", kv.value));
  }
  for (const Layer& l : layers) {
    QUIRE_RETURN_IF_ERROR(check("a layer name", l.name));
    QUIRE_RETURN_IF_ERROR(check("a layer producer", l.producer));
    for (const Span& s : l.spans) {
      QUIRE_RETURN_IF_ERROR(check("a span type", s.type));
      QUIRE_RETURN_IF_ERROR(check("a span label", s.label));
      for (const auto& kv : s.attributes) {
        QUIRE_RETURN_IF_ERROR(check("a span attribute", kv.key));
        QUIRE_RETURN_IF_ERROR(check("a span attribute", kv.value));
      }
    }
  }
  return Status::ok();
}

Status validate_layers(std::string_view id, const std::vector<Layer>& layers, uint64_t body_length) {
  for (size_t l = 0; l < layers.size(); ++l) {
    const Layer& layer = layers[l];
    for (size_t k = 0; k < l; ++k) {
      if (layers[k].name == layer.name) {
        return Status::invalid_argument(fmt::format("article '{}': annotation layer '{}' given twice", id, layer.name));
      }
    }
    for (size_t i = 0; i < layer.spans.size(); ++i) {
      const Span& s = layer.spans[i];
      if (s.start > s.end || s.end > body_length) {
        return Status::invalid_argument(fmt::format(
            "article '{}': layer '{}' span {} ({} [{}, {})) is outside the body of {} bytes or reversed",
            id, layer.name, i, s.type, s.start, s.end, body_length));
      }
    }
  }
  return Status::ok();
}

Date Date::from_unix(int64_t t) {
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  int64_t secs = t - days * 86400;
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = yoe + era * 400 + (m <= 2);
  Date date;
  if (y < 0 || y > 9999) return date;  // outside what a Date holds: unknown
  date.precision = Date::Precision::kTimestamp;
  date.year = static_cast<int32_t>(y);
  date.month = static_cast<uint8_t>(m);
  date.day = static_cast<uint8_t>(d);
  date.hour = static_cast<uint8_t>(secs / 3600);
  date.minute = static_cast<uint8_t>(secs / 60 % 60);
  date.second = static_cast<uint8_t>(secs % 60);
  date.has_utc_offset = true;
  return date;
}

}  // namespace quire
