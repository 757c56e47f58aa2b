// The Dolma profile of the JSONL export (`quire extract --to jsonl --profile
// dolma`): one line per article as Dolma and datatrove read documents,
//   {"id","text","source","added","created","metadata":{...}}
// with the body decoded as text. This is a view for data pipelines, not the
// lossless interchange form (which stays the default JSONL, SPEC.md 14.2):
// bodies that are not UTF-8 cannot be text, and `on_non_utf8` decides whether
// that is an error naming the article or the article is skipped (and counted).
#pragma once

#include <optional>
#include <string>

#include "reader/archive.h"
#include "reader/archive_set.h"
#include "reader/extract.h"

namespace quire {

enum class NonUtf8 { kError, kSkip };

struct DolmaOptions {
  NonUtf8 on_non_utf8 = NonUtf8::kError;
  std::string source;   // the "source" of articles without one (e.g. the archive title)
  std::string added;    // "added": when the document entered the dataset (ISO 8601)
};

// The line (no newline), or nullopt for a skipped non-UTF-8 body.
// "created" is the start of the article's date period as YYYY-MM-DDThh:mm:ss.000Z
// (absent when unknown; the date as stored, with its precision, is in metadata).
Result<std::optional<std::string>> article_to_dolma(const Article& article, const DolmaOptions& options);

// Every matching article of an archive or set as Dolma lines (each with its
// newline) to `out`; `source` and `added` default to the archive's title (or
// "quire") and creation time. `skipped` counts non-UTF-8 bodies left out.
Result<ExtractStats> extract_to_dolma(const ArchiveSet& archive, const ArticleFilter& filter,
                                      const std::function<Status(std::string_view)>& out, DolmaOptions options,
                                      const ExtractProgress& progress, uint64_t& skipped);

// ISO 8601 UTC timestamp with milliseconds, as Dolma writes them.
std::string dolma_timestamp(int64_t unix_seconds);

}  // namespace quire
