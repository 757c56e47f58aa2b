// Annotations with the text they cover: one article's spans placed on its
// body (for `quire show --annotations`), and a query over the whole archive
// (for `quire annotations`). Offsets are the stored UTF-8 byte offsets
// (SPEC.md 2.3) or code point offsets converted by format/utf8_offsets.h.
//
//   AnnotationQuery q;
//   q.spans.type = "entity";
//   q.filter.lang = "vi";
//   Status s = for_each_annotation(archive, q, [](const Article& a, const ArticleAnnotations& ann,
//                                                 const PlacedSpan& p) {
//     puts(annotation_to_json(a, ann, p).c_str());
//     return Status::ok();
//   });
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "format/model.h"
#include "format/status.h"
#include "reader/archive.h"
#include "reader/filter.h"

namespace quire {

enum class OffsetUnit { kBytes, kCodepoints };

const char* offset_unit_name(OffsetUnit unit);  // "bytes", "codepoints"

// One selected span, placed on the body.
struct PlacedSpan {
  size_t layer = 0;             // index into ArticleAnnotations::layers
  size_t span = 0;              // index into that layer's spans
  uint64_t start = 0, end = 0;  // in the requested unit
  std::string_view text;        // the covered bytes, a view into ArticleAnnotations::body
};

// One article's annotations and the body they point into. Owns everything its
// views point into, so it may be moved freely (but `text` views survive only
// while this object or a copy of its `body` lives).
struct ArticleAnnotations {
  std::vector<Layer> layers;      // every layer, as stored
  Body body;                      // read only when at least one span is selected
  std::vector<PlacedSpan> spans;  // the selected spans, layer by layer, each in stored order

  const Layer& layer_of(const PlacedSpan& p) const { return layers[p.layer]; }
  const Span& span_of(const PlacedSpan& p) const { return layers[p.layer].spans[p.span]; }
};

// Reads the article's annotations and places the spans `select` matches.
// With kCodepoints, a body that is not valid UTF-8, or a span offset inside a
// UTF-8 sequence, is InvalidArgument naming the article. Damage is Corruption.
Result<ArticleAnnotations> place_annotations(const Article& article, OffsetUnit unit, const SpanMatch& select = {});

struct AnnotationQuery {
  ArticleFilter filter;  // which articles
  SpanMatch spans;       // which spans of them
  OffsetUnit offsets = OffsetUnit::kBytes;
};

using AnnotationVisitor = std::function<Status(const Article&, const ArticleAnnotations&, const PlacedSpan&)>;

// Calls `visit` for every selected span of every matching article, in archive
// order, and within an article layer by layer in stored order. Articles
// without spans are skipped from their catalog record alone. Stops at the
// first error, from reading or from `visit`, and returns it.
Status for_each_annotation(const Archive& archive, const AnnotationQuery& query, const AnnotationVisitor& visit);

// One span as a JSON object (no newline), keys in this order: "type", "label",
// "id" (when with_id), "layer", "producer", "start", "end", then "text" when the
// covered bytes are valid UTF-8 or "text_b64" (base64) when not, then "attrs"
// when the span has attributes.
std::string annotation_to_json(const Article& article, const ArticleAnnotations& ann, const PlacedSpan& p,
                               bool with_id = true);

}  // namespace quire
