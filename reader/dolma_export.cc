#include "reader/dolma_export.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "format/checksum.h"
#include "format/json_writer.h"

namespace quire {
namespace {

}  // namespace

std::string dolma_timestamp(int64_t t) {
  Date d = Date::from_unix(t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.000Z", d.year, d.month, d.day, d.hour, d.minute, d.second);
}

Result<std::optional<std::string>> article_to_dolma(const Article& a, const DolmaOptions& options) {
  QUIRE_ASSIGN_OR_RETURN(Body body, a.body());
  if (!is_valid_utf8(body.bytes())) {
    if (options.on_non_utf8 == NonUtf8::kSkip) return std::optional<std::string>();
    return Status::invalid_argument(fmt::format(
        "article '{}': the body is not UTF-8, so it cannot be Dolma text (--on-non-utf8 skip leaves it out)", a.id()));
  }
  Date date = a.date();
  JsonWriter j;
  j.begin_object().field("id", a.id()).field("text", body.bytes());
  j.field("source", a.source().empty() ? std::string_view(options.source) : a.source());
  if (!options.added.empty()) j.field("added", options.added);
  if (date.known()) j.field("created", dolma_timestamp(date.period_start()));
  j.key("metadata").begin_object();
  for (auto [key, value] : {std::pair<const char*, std::string_view>{"title", a.title()}, {"url", a.url()},
                            {"lang", a.lang()}, {"media_type", a.media_type()}}) {
    if (!value.empty()) j.field(key, value);
  }
  if (date.known()) j.field("date", date.to_string()).field("date_precision", precision_name(date.precision));
  auto notes = a.lang_notes();
  if (!notes.empty()) {
    j.key("lang_notes").begin_array();
    for (std::string_view n : notes) j.value(n);
    j.end_array();
  }
  Sha256 sha = a.sha256();
  j.field("sha256", to_hex(sha)).field("length", a.body_length());
  // Free metadata after the fields above; a key that would repeat one of them gets "extra.".
  static const std::string_view kFixed[] = {"title", "url", "lang", "media_type", "date", "date_precision",
                                            "lang_notes", "sha256", "length"};
  for (auto [key, value] : a.extra()) {
    bool clash = std::find(std::begin(kFixed), std::end(kFixed), key) != std::end(kFixed);
    j.field(clash ? "extra." + std::string(key) : std::string(key), value);
  }
  j.end_object().end_object();
  return std::optional<std::string>(j.take());
}

Result<ExtractStats> extract_to_dolma(const ArchiveSet& archive, const ArticleFilter& filter,
                                      const std::function<Status(std::string_view)>& out, DolmaOptions options,
                                      const ExtractProgress& progress, uint64_t& skipped) {
  QUIRE_ASSIGN_OR_RETURN(ManifestSummary summary, archive.first_summary());
  if (options.source.empty()) options.source = summary.info.title.empty() ? "quire" : summary.info.title;
  if (options.added.empty()) options.added = dolma_timestamp(summary.info.created_unix_seconds);
  ExtractStats stats;
  skipped = 0;
  for (uint64_t r = 0; r < archive.size(); ++r) {
    QUIRE_ASSIGN_OR_RETURN(Article a, archive.at(r));
    QUIRE_ASSIGN_OR_RETURN(bool wanted, filter.check(a));
    if (!wanted) continue;
    QUIRE_ASSIGN_OR_RETURN(std::optional<std::string> line, article_to_dolma(a, options));
    if (!line) {
      ++skipped;
      continue;
    }
    line->push_back('\n');
    QUIRE_RETURN_IF_ERROR(out(*line));
    stats.articles++;
    stats.bytes += a.body_length();
    if (progress) progress(stats);
  }
  return stats;
}

}  // namespace quire
