#include "reader/filter.h"

namespace quire {

bool ArticleFilter::matches(const Article& a) const {
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

}  // namespace quire
