// GET /api/search: quire::search() (reader/fulltext_search.h) as JSON, each
// hit's snippet cut into segments at its highlighted byte ranges.
#include <fmt/format.h>

#include <algorithm>

#include "format/json_writer.h"
#include "reader/fulltext_search.h"
#include "tools/serve/api.h"

namespace quire::serve {
namespace {

// [{"text":"...","match":bool},...] covering the whole snippet in order;
// highlight ranges are sorted, clamped to the snippet and merged first.
void write_snippet(JsonWriter& w, const SearchHit& hit) {
  std::string_view s = hit.snippet;
  auto ranges = hit.highlights;
  std::sort(ranges.begin(), ranges.end());
  w.key("snippet").begin_array();
  size_t at = 0;
  auto segment = [&](size_t from, size_t to, bool match) {
    if (to > from) w.begin_object().field("text", s.substr(from, to - from)).field("match", match).end_object();
  };
  for (auto [first, last] : ranges) {
    size_t b = std::clamp<size_t>(first, at, s.size()), e = std::clamp<size_t>(last, b, s.size());
    segment(at, b, false);
    segment(b, e, true);
    at = std::max(at, e);
  }
  segment(at, s.size(), false);
  w.end_array();
}

}  // namespace

bool archive_has_fulltext(const ArchiveSet& set) {
  auto has = has_fulltext(set);
  return has.is_ok() && *has;
}

Reply search_reply(const ServedArchive& archive, const Query& query, const ApiLimits& limits) {
  SearchRequest req;
  req.query = param(query, "q").value_or("");
  if (req.query.empty()) return error_reply(400, "q: the query is empty");
  auto filter = filter_params(query);
  if (!filter) return error_reply(400, filter.status().message());
  req.filter = std::move(*filter);
  auto offset = uint_param(query, "offset", 0, limits.search_max_offset);
  if (!offset) return error_reply(400, offset.status().message());
  auto limit = uint_param(query, "limit", limits.search_default_limit, limits.search_max_limit);
  if (!limit) return error_reply(400, limit.status().message());
  req.offset = *offset;
  req.limit = *limit;
  req.stem_language = param(query, "stem").value_or("");
  auto has = has_fulltext(archive.set);
  if (!has) return error_reply(http_status_for(has.status()), has.status().message());
  if (!*has) return error_reply(404, "this archive has no full-text index; build one with `quire index`");
  auto result = search(archive.set, req);
  if (!result) {
    const Status& s = result.status();
    return error_reply(http_status_for(s), s.code() == Code::kInvalidArgument ? "q: " + s.message() : s.message());
  }
  JsonWriter w;
  w.begin_object().field("estimated", result->estimated).field("stem_language", result->stem_language);
  w.key("hits").begin_array();
  for (const SearchHit& hit : result->hits) {
    w.begin_object().field("record", hit.record).field("id", hit.id).field("title", hit.title);
    w.field("date", hit.date).field("weight", hit.weight).field("percent", hit.percent);
    write_snippet(w, hit);
    w.end_object();
  }
  w.end_array().end_object();
  Reply r;
  r.body = w.take();
  return r;
}

}  // namespace quire::serve
