// The Dolma profile of the JSONL export (`quire extract --to jsonl --profile
// dolma`): one line per article as Dolma and datatrove read documents,
//   {"id","text","source","added","created","metadata":{...}}
// with the body decoded as text. This is a view for data pipelines, not the
// lossless interchange form (which stays the default JSONL, SPEC.md 15.2):
// bodies that are not UTF-8 cannot be text, and `on_non_utf8` decides whether
// that is an error naming the article or the article is skipped (and counted).
#pragma once

#include <optional>
#include <string>

#include "reader/archive.h"

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

// ISO 8601 UTC timestamp with milliseconds, as Dolma writes them.
std::string dolma_timestamp(int64_t unix_seconds);

}  // namespace quire
