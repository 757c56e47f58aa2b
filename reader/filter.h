// The catalog filters shared by `ls`, `extract` and the library: exact ids,
// source, language, date range, id prefix and annotation spans. Dates match when the
// article's period overlaps [since, until] (so "2024" matches --since 2024-04).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "format/model.h"
#include "format/status.h"
#include "reader/archive.h"

namespace quire {

// Selects annotation spans by type and label; an absent field selects any.
struct SpanMatch {
  std::optional<std::string> type;
  std::optional<std::string> label;  // "" selects spans without a label

  bool matches(const Span& s) const;
  // "TYPE" or "TYPE=LABEL" (split at the first '='); the type must not be empty.
  static Result<SpanMatch> parse(std::string_view text);
};

struct ArticleFilter {
  std::set<std::string, std::less<>> ids;  // when not empty: only these exact ids
  std::optional<std::string> source;
  std::optional<std::string> lang;   // exact tag, or a primary tag "en" matching "en-GB"
  std::optional<Date> since, until;  // inclusive periods
  std::optional<std::string> id_prefix;
  // Each entry must match at least one span of the article (any layer).
  std::vector<SpanMatch> has_annotation;

  bool empty() const {
    return ids.empty() && !source && !lang && !since && !until && !id_prefix && has_annotation.empty();
  }
  // Whether the article passes. Only has_annotation reads more than the
  // catalog record: it decodes the block's annotations frame (cached per
  // block), and only for an article that passed the other filters and has
  // spans. check() reports a damaged annotations frame; matches() treats it
  // as no match.
  Result<bool> check(const Article& a) const;
  bool matches(const Article& a) const;

 private:
  bool matches_catalog(const Article& a) const;
};

}  // namespace quire
