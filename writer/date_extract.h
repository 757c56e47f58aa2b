// Dates as news pages write them, found in free text (part of the page
// extractor, writer/page_extract.h). English month and weekday names only.
//
// Forms (each may start with a weekday, "Fri" or "Friday,"):
//   "2024-04-26", "2024-04-26T09:43:00+07:00"   form "iso"       (Date::parse)
//   "Apr 26 2024", "April 26, 2024"              form "month-day-year"
//   "26 April 2024", "20 Sep 2022 - 9:43"        form "day-month-year"
//   "28.04.2023", "28.04.2023 09:43"             form "dmy-dots"
//   "April 2024"                                 form "month-year" (month precision)
//   "April 26", "15 August"                      form "month-day" / "day-month": no year
// A time may follow a date after white space and ",", "-", "–", "—", "|", "@" or
// "at": "9:43", "09:43:05", "9:43 pm", with "GMT", "UTC", "Z", "+07:00" or
// "+0700" (a zone makes it a timestamp with an offset; otherwise local time).
// A year-less date has no Date on its own: the model cannot say "day known,
// year not" (SPEC.md 2.2), so `resolve` needs a year from the caller.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "format/model.h"

namespace quire {

struct DateMatch {
  size_t start = 0;  // byte offsets of the whole match in the text searched
  size_t end = 0;    // exclusive
  int year = 0;      // 0: the text gives no year
  int month = 0;     // 1..12
  int day = 0;       // 0 for "April 2024"
  bool has_time = false;
  int hour = 0, minute = 0, second = 0;
  bool has_offset = false;
  int offset_minutes = 0;
  std::string form;  // see the table above

  // As a Date: timestamp when a time was written, else day (month for
  // "April 2024"). A year-less match takes `year_hint`; without one, or when
  // the result fails Date::validate, the Date is unknown.
  Date resolve(std::optional<int> year_hint = std::nullopt) const;
};

// A date starting exactly at text[pos] and ending at a word boundary.
std::optional<DateMatch> match_date_at(std::string_view text, size_t pos);

// The first date starting at a word boundary at or after `from`.
std::optional<DateMatch> find_date(std::string_view text, size_t from = 0);

// A line that is only a date: optional label ("Published:", "Updated on",
// "Date:"), the date, optional final "." ; offsets are relative to `line`.
std::optional<DateMatch> parse_date_line(std::string_view line);

// The year of the first full date in `text` on this month and day (used to
// complete a year-less dateline: "April 28" and a "28.04.2023" caption on the
// same page), or nullopt.
std::optional<int> find_year_for(std::string_view text, int month, int day);

}  // namespace quire
