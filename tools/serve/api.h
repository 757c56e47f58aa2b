// The JSON API of `quire serve` (README "quire serve"), independent of the
// HTTP library: a GET of a path with its query parameters gives a Reply.
//
//   /api/info                    every archive served: metadata and counts
//   /api/articles?...            the catalog, filtered as `ls` does, in pages
//   /api/article/ID              one article: metadata, text, annotations
//   /api/search?q=...            full-text search (archives with an index)
//   /raw/ID                      the body bytes, exactly
//   /, /index.html, ...          the embedded page (tools/serve/assets.h)
//
// Errors are {"error":{"status":N,"message":"..."}} with that status: 400
// for a bad parameter (the message names it), 404 for an unknown path,
// article or archive index, 500 for a damaged archive (the message names
// the article), 501 for an index of a scheme this build does not know.
//
// Thread safety: get() is const and may run on any number of threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "format/status.h"
#include "reader/archive_set.h"
#include "tools/serve/api_params.h"

namespace quire::serve {

inline constexpr const char* kJsonType = "application/json; charset=utf-8";

struct ApiLimits {
  uint64_t default_limit = 50;   // /api/articles page size when not given
  uint64_t max_limit = 500;      // larger `limit` is a 400
  // Records /api/articles examines per request, so that a selective filter
  // on a 100M-article archive answers in bounded time (with next_cursor).
  uint64_t scan_records = 20000;
  uint64_t max_text_bytes = uint64_t{8} << 20;  // /api/article: larger bodies have "text": null
  uint64_t search_default_limit = 20;
  uint64_t search_max_limit = 100;
  uint64_t search_max_offset = 10000;
};

// One archive or set being served; its index in `archives` is its API number.
struct ServedArchive {
  std::string path;  // as given on the command line
  ArchiveSet set;
};

struct Reply {
  int status = 200;
  std::string content_type = kJsonType;
  std::string body;
  std::optional<Body> raw;  // /raw: send these bytes (kept alive here) instead of `body`
  std::vector<std::pair<std::string, std::string>> headers;
};

// {"error":{"status":N,"message":"..."}} with that status.
Reply error_reply(int status, std::string_view message);
// The HTTP status for a library Status: 400, 404, 500 or 501.
int http_status_for(const Status& status);

class Api {
 public:
  Api(std::vector<ServedArchive> archives, ApiLimits limits);

  // `path` is percent-decoded; `query` holds the decoded parameters.
  Reply get(std::string_view path, const Query& query) const;

 private:
  Reply info() const;
  Reply articles(const Query& query) const;
  Reply article(std::string_view ref, const Query& query) const;
  Reply raw(std::string_view ref, const Query& query) const;
  Reply search(const Query& query) const;
  // The archive named by `archive=N` (default 0): 400 or 404 when none.
  Result<const ServedArchive*> archive_param(const Query& query) const;

  std::vector<ServedArchive> archives_;
  ApiLimits limits_;
};

// The parts that need the full-text library (api_search.cc): the search
// endpoint, and whether an archive has a full-text index.
Reply search_reply(const ServedArchive& archive, const Query& query, const ApiLimits& limits);
bool archive_has_fulltext(const ArchiveSet& set);

}  // namespace quire::serve
