// The JSON of articles in the API (README "quire serve"): the short form of
// /api/articles and the full form of /api/article/ID. Every string goes
// through JsonWriter, so ids, titles and labels come out escaped whatever
// they contain.
#pragma once

#include <cstdint>
#include <string>

#include "format/json_writer.h"
#include "format/model.h"
#include "format/status.h"
#include "reader/annotation_query.h"
#include "reader/archive.h"

namespace quire::serve {

// {"record","id","title","date","source","lang","url","media_type",
//  "body_length","spans"}: catalog fields only, no block is decoded.
void write_article_summary(JsonWriter& w, const Article& a, uint64_t record);

struct ArticleJsonOptions {
  OffsetUnit offsets = OffsetUnit::kBytes;
  uint64_t max_text_bytes = uint64_t{8} << 20;  // larger bodies: "text": null, "truncated": true
};

// The full form: metadata, "is_html", the body as "text" (valid UTF-8) or
// "body_b64", and every layer with its spans in the requested offset unit.
// Code point offsets of a body that is not UTF-8 are InvalidArgument;
// damage is Corruption (from the reader).
Result<std::string> article_detail_json(const Article& a, uint64_t record, const ArticleJsonOptions& options);

}  // namespace quire::serve
