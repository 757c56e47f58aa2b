#include "tools/serve/api.h"

#include <fmt/format.h>

#include <filesystem>

#include "format/checksum.h"
#include "format/json_writer.h"
#include "tools/serve/article_json.h"
#include "tools/serve/assets.h"
#include "tools/serve/http_headers.h"

namespace quire::serve {
namespace {

Reply json_reply(std::string body) {
  Reply r;
  r.body = std::move(body);
  return r;
}

Reply status_reply(const Status& s) { return error_reply(http_status_for(s), s.message()); }

// The name shown for an archive: its file name, or a set's directory name.
std::string display_name(const std::string& path) {
  std::filesystem::path p(path);
  while (!p.empty() && p.filename().empty()) p = p.parent_path();  // "corpus/"
  if (p.filename() == "quire-set.json") p = p.parent_path();
  return p.filename().string();
}

Reply static_file(std::string_view path) {
  const Asset* asset = find_asset(path);
  if (!asset) return error_reply(404, fmt::format("no such path: {}", path));
  Reply r;
  r.content_type = std::string(asset->mime_type);
  r.body = std::string(asset->bytes);
  r.headers = {{"Content-Security-Policy", kPageCsp},
               {"Cross-Origin-Opener-Policy", "same-origin"},
               {"Cache-Control", "no-cache"}};
  return r;
}

}  // namespace

Reply error_reply(int status, std::string_view message) {
  JsonWriter w;
  w.begin_object().key("error").begin_object().field("status", status).field("message", message);
  w.end_object().end_object();
  Reply r = json_reply(w.take());
  r.status = status;
  return r;
}

int http_status_for(const Status& status) {
  switch (status.code()) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument: return 400;
    case Code::kNotFound: return 404;
    case Code::kUnsupportedVersion: return 501;
    default: return 500;
  }
}

Api::Api(std::vector<ServedArchive> archives, ApiLimits limits)
    : archives_(std::move(archives)), limits_(limits) {}

Reply Api::get(std::string_view path, const Query& query) const {
  constexpr std::string_view kArticle = "/api/article/", kRaw = "/raw/";
  if (path == "/api/info") return info();
  if (path == "/api/articles") return articles(query);
  if (path == "/api/search") return search(query);
  if (path.starts_with(kArticle) && path.size() > kArticle.size()) return article(path.substr(kArticle.size()), query);
  if (path.starts_with(kRaw) && path.size() > kRaw.size()) return raw(path.substr(kRaw.size()), query);
  if (path.starts_with("/api/")) return error_reply(404, fmt::format("no such API endpoint: {}", path));
  return static_file(path);
}

Result<const ServedArchive*> Api::archive_param(const Query& query) const {
  QUIRE_ASSIGN_OR_RETURN(uint64_t index, uint_param(query, "archive", 0, UINT32_MAX));
  if (index >= archives_.size()) {
    return Status::not_found(fmt::format("archive: no archive {} (serving {}, numbered from 0)", index,
                                         archives_.size()));
  }
  return &archives_[index];
}

Reply Api::info() const {
  JsonWriter w;
  w.begin_object().key("archives").begin_array();
  for (size_t i = 0; i < archives_.size(); ++i) {
    const ServedArchive& a = archives_[i];
    auto summary = a.set.first_summary();
    if (!summary) return status_reply(summary.status().with_context(a.path));
    const ArchiveInfo& info = summary->info;
    w.begin_object().field("index", i).field("path", a.path).field("name", display_name(a.path));
    w.field("is_set", a.set.is_set()).field("shards", a.set.shard_count()).field("articles", a.set.size());
    w.field("format", fmt::format("{}.{}", summary->format_major, summary->format_minor));
    w.field("title", info.title).field("description", info.description).field("creator", info.creator);
    w.field("license", info.license).field("created", Date::from_unix(info.created_unix_seconds).to_string());
    w.field("content_digest", to_hex(a.set.manifest().content_digest));
    w.field("has_fulltext", archive_has_fulltext(a.set)).end_object();
  }
  w.end_array().end_object();
  return json_reply(w.take());
}

// Examines records from `cursor` on, at most limits_.scan_records of them,
// and stops after `limit` matches; next_cursor is where to go on (null at
// the end of the archive).
Reply Api::articles(const Query& query) const {
  auto archive = archive_param(query);
  if (!archive) return status_reply(archive.status());
  const ArchiveSet& set = (*archive)->set;
  auto limit = uint_param(query, "limit", limits_.default_limit, limits_.max_limit);
  if (!limit) return status_reply(limit.status());
  auto cursor = uint_param(query, "cursor", 0, UINT64_MAX);
  if (!cursor) return status_reply(cursor.status());
  auto filter = filter_params(query);
  if (!filter) return status_reply(filter.status());
  JsonWriter w;
  w.begin_object().key("articles").begin_array();
  uint64_t r = *cursor, found = 0;
  uint64_t end = *cursor + std::min(limits_.scan_records, set.size() - std::min(*cursor, set.size()));
  for (; r < end && found < *limit; ++r) {
    auto a = set.at(r);
    if (!a) return status_reply(a.status().with_context(fmt::format("record {}", r)));
    auto wanted = filter->check(*a);  // reports a damaged annotations frame
    if (!wanted) return status_reply(wanted.status().with_context(fmt::format("article '{}'", a->id())));
    if (!*wanted) continue;
    write_article_summary(w, *a, r);
    ++found;
  }
  w.end_array().key("next_cursor");
  if (r < set.size() && *limit > 0) {
    w.value(std::to_string(r));
  } else {
    w.null();
  }
  w.field("examined", r - std::min(r, *cursor)).end_object();
  return json_reply(w.take());
}

Reply Api::article(std::string_view ref, const Query& query) const {
  auto archive = archive_param(query);
  if (!archive) return status_reply(archive.status());
  auto offsets = offsets_param(query);
  if (!offsets) return status_reply(offsets.status());
  auto found = (*archive)->set.locate(ref);
  if (!found) return status_reply(found.status().with_context(fmt::format("article '{}'", ref)));
  ArticleJsonOptions options{*offsets, limits_.max_text_bytes};
  auto json = article_detail_json(found->article, found->record, options);
  if (!json) return status_reply(json.status().with_context(fmt::format("article '{}'", found->article.id())));
  return json_reply(std::move(*json));
}

Reply Api::raw(std::string_view ref, const Query& query) const {
  auto archive = archive_param(query);
  if (!archive) return status_reply(archive.status());
  auto found = (*archive)->set.locate(ref);
  if (!found) return status_reply(found.status().with_context(fmt::format("article '{}'", ref)));
  const Article& a = found->article;
  auto body = a.body();
  if (!body) return status_reply(body.status().with_context(fmt::format("article '{}'", a.id())));
  Reply r;
  r.content_type = is_valid_media_type(a.media_type()) ? std::string(a.media_type()) : "application/octet-stream";
  r.raw = std::move(*body);
  r.headers = {{"Content-Security-Policy", kRawCsp}};
  if (param(query, "download").value_or("") == "1") {
    r.headers.emplace_back("Content-Disposition", attachment_disposition(a.id()));
  }
  return r;
}

Reply Api::search(const Query& query) const {
  auto archive = archive_param(query);
  if (!archive) return status_reply(archive.status());
  return search_reply(**archive, query, limits_);
}

}  // namespace quire::serve
