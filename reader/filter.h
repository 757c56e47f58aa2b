// The catalog filters shared by `ls`, `extract` and the library: source,
// language, date range and id prefix. Dates match when the article's period
// overlaps [since, until] (so "2024" matches --since 2024-04).
#pragma once

#include <optional>
#include <string>

#include "format/model.h"
#include "reader/archive.h"

namespace quire {

struct ArticleFilter {
  std::optional<std::string> source;
  std::optional<std::string> lang;   // exact tag, or a primary tag "en" matching "en-GB"
  std::optional<Date> since, until;  // inclusive periods
  std::optional<std::string> id_prefix;

  bool empty() const { return !source && !lang && !since && !until && !id_prefix; }
  bool matches(const Article& a) const;
};

}  // namespace quire
