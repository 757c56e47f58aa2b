#include "reader/filter.h"

#include <fmt/format.h>

#include <algorithm>

namespace quire {

bool SpanMatch::matches(const Span& s) const {
  return (!type || s.type == *type) && (!label || s.label == *label);
}

Result<SpanMatch> SpanMatch::parse(std::string_view text) {
  size_t eq = text.find('=');
  SpanMatch m;
  m.type = std::string(text.substr(0, eq));
  if (m.type->empty()) {
    return Status::invalid_argument(fmt::format("'{}': expected TYPE or TYPE=LABEL", text));
  }
  if (eq != std::string_view::npos) m.label = std::string(text.substr(eq + 1));
  return m;
}

bool ArticleFilter::matches_catalog(const Article& a) const {
  if (!ids.empty() && !ids.count(a.id())) return false;
  if (source && a.source() != *source) return false;
  if (lang) {
    std::string_view l = a.lang();
    bool exact = l == *lang;
    bool primary = l.size() > lang->size() && l.substr(0, lang->size()) == *lang && l[lang->size()] == '-';
    if (!exact && !primary) return false;
  }
  if (id_prefix && a.id().substr(0, id_prefix->size()) != *id_prefix) return false;
  if (since || until) {
    Date d = a.date();
    if (!d.known()) return false;
    if (since && d.period_end() <= since->period_start()) return false;
    if (until && d.period_start() >= until->period_end()) return false;
  }
  return true;
}

Result<bool> ArticleFilter::check(const Article& a) const {
  if (!matches_catalog(a)) return false;
  if (has_annotation.empty()) return true;
  if (a.span_count() == 0) return false;  // known from the catalog: no decoding
  QUIRE_ASSIGN_OR_RETURN(auto layers, a.annotations());
  auto has = [&](const SpanMatch& m) {
    return std::any_of(layers.begin(), layers.end(), [&](const Layer& l) {
      return std::any_of(l.spans.begin(), l.spans.end(), [&](const Span& s) { return m.matches(s); });
    });
  };
  return std::all_of(has_annotation.begin(), has_annotation.end(), has);
}

bool ArticleFilter::matches(const Article& a) const {
  auto r = check(a);
  return r.is_ok() && *r;
}

}  // namespace quire
