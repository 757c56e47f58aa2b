// Datelines and news agencies (part of the page extractor, writer/page_extract.h).
// A dateline opens the first paragraphs of a wire story; forms recognised:
//   "MOSCOW: ..."                                       all-caps place, ":" or a dash
//   "NEW DELHI, April 28 – RIA Novosti. ..."            place, date, dash, known agency, "."
//   "PATRIOT PARK /Moscow Region/, August 15. /TASS/. ..."   TASS: region and agency in slashes
//   "WASHINGTON, April 26 (Reuters) - ...", "BEIJING, April 26 (Xinhua) -- ..."
//   "KYIV, Ukraine (AP) — ...", "Paris (AFP) - ..."     a mixed-case place needs a date or an agency
//   "Afghan Voice Agency (AVA): ...", "(Reuters) - ..."  an agency alone
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "writer/date_extract.h"

namespace quire {

struct Dateline {
  size_t start = 0;  // byte offsets in the line given, end exclusive; the
  size_t end = 0;    // span ends after the closing ":", "-", "." etc.
  std::string place;   // as written, with a "/Region/" or ", Country" part: "PATRIOT PARK /Moscow Region/"
  std::string agency;  // canonical for a known agency ("REUTERS" -> "Reuters"), else as written
  std::optional<DateMatch> date;  // offsets relative to the line; may lack a year
};

// The dateline that opens `line` (leading white space allowed), or nullopt.
std::optional<Dateline> match_dateline(std::string_view line);

// The canonical name of a known news agency written as `name` (whole string,
// case-insensitive, aliases such as "Associated Press" -> "AP", "Ria" ->
// "RIA Novosti"), or "".
std::string_view known_agency(std::string_view name);

}  // namespace quire
