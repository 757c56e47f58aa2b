// Extraction: every (matching) article to a directory, byte-exact, at the
// safe path of SPEC.md 12, or to the JSONL interchange form that `pack`
// takes back to the same content digest.
#pragma once

#include <functional>
#include <string>

#include "reader/annotation_query.h"
#include "reader/archive.h"
#include "reader/archive_set.h"
#include "reader/filter.h"

namespace quire {

struct ExtractStats {
  uint64_t articles = 0, bytes = 0, renamed = 0;  // renamed: written at a collision path
};

using ExtractProgress = std::function<void(const ExtractStats&)>;

// Creates `dir` if needed. Never follows a symbolic link inside it and never
// writes outside it; an existing file is never overwritten (the article goes
// to its collision path instead).
Result<ExtractStats> extract_to_directory(const Archive& archive, const std::string& dir, const ArticleFilter& filter,
                                          const ExtractProgress& progress = {});
// A set: its articles in global order, one namespace of paths (collisions
// across shards are named as within one archive).
Result<ExtractStats> extract_to_directory(const ArchiveSet& set, const std::string& dir, const ArticleFilter& filter,
                                          const ExtractProgress& progress = {});

// One line per article: metadata, "layers", "sha256" and "text" (valid UTF-8)
// or "body_b64" (anything else). `out` receives each line with its newline.
// With OffsetUnit::kCodepoints every line carries "offsets":"codepoints" and
// span start/end count Unicode code points; an article with spans whose body
// is not valid UTF-8 (or a span edge inside a UTF-8 sequence) is then
// InvalidArgument naming the article. Articles without spans always convert.
Result<ExtractStats> extract_to_jsonl(const Archive& archive, const ArticleFilter& filter,
                                      const std::function<Status(std::string_view)>& out,
                                      const ExtractProgress& progress = {}, OffsetUnit offsets = OffsetUnit::kBytes);
Result<ExtractStats> extract_to_jsonl(const ArchiveSet& set, const ArticleFilter& filter,
                                      const std::function<Status(std::string_view)>& out,
                                      const ExtractProgress& progress = {}, OffsetUnit offsets = OffsetUnit::kBytes);

// The JSONL line of one article (no newline).
Result<std::string> article_to_json(const Article& article, bool with_body, OffsetUnit offsets = OffsetUnit::kBytes);

}  // namespace quire
