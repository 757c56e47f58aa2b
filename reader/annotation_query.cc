#include "reader/annotation_query.h"

#include <fmt/format.h>

#include <algorithm>

#include "format/base64.h"
#include "format/json_writer.h"
#include "format/utf8_offsets.h"

namespace quire {
namespace {

// The code point offset of each byte offset in `sorted` (ascending, unique),
// in one pass over the body: each step converts only the bytes since the
// previous offset, which the walk from byte 0 reached exactly, so the result
// is what byte_to_codepoint gives for the whole body.
Result<std::vector<uint64_t>> to_codepoints(std::string_view body, const std::vector<uint64_t>& sorted) {
  std::vector<uint64_t> out;
  out.reserve(sorted.size());
  uint64_t byte = 0, cp = 0;
  for (uint64_t offset : sorted) {
    QUIRE_ASSIGN_OR_RETURN(uint64_t step, byte_to_codepoint(body.substr(byte), offset - byte));
    cp += step;
    byte = offset;
    out.push_back(cp);
  }
  return out;
}

// Rewrites the byte offsets of `spans` as code point offsets.
Status convert_to_codepoints(const Article& article, const ArticleAnnotations& ann, std::vector<PlacedSpan>& spans) {
  std::string_view body = ann.body.bytes();
  if (!is_valid_utf8(body)) {
    return Status::invalid_argument(
        fmt::format("article '{}': the body is not valid UTF-8, so it has no code point offsets", article.id()));
  }
  std::vector<uint64_t> offsets;
  for (const PlacedSpan& p : spans) {
    offsets.push_back(p.start);
    offsets.push_back(p.end);
  }
  std::sort(offsets.begin(), offsets.end());
  offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());
  auto cps = to_codepoints(body, offsets);
  if (!cps) {
    for (const PlacedSpan& p : spans) {  // name the first span that cannot convert
      for (uint64_t off : {p.start, p.end}) {
        if (!byte_to_codepoint(body, off)) {
          return Status::invalid_argument(fmt::format("article '{}': layer '{}' span #{}: byte offset {} is inside a UTF-8 sequence",
                                                      article.id(), ann.layer_of(p).name, p.span, off));
        }
      }
    }
    return cps.status().with_context(fmt::format("article '{}'", article.id()));
  }
  auto cp_of = [&](uint64_t off) {
    return (*cps)[std::lower_bound(offsets.begin(), offsets.end(), off) - offsets.begin()];
  };
  for (PlacedSpan& p : spans) {
    p.start = cp_of(p.start);
    p.end = cp_of(p.end);
  }
  return Status::ok();
}

}  // namespace

const char* offset_unit_name(OffsetUnit unit) {
  return unit == OffsetUnit::kCodepoints ? "codepoints" : "bytes";
}

Result<ArticleAnnotations> place_annotations(const Article& article, OffsetUnit unit, const SpanMatch& select) {
  ArticleAnnotations ann;
  QUIRE_ASSIGN_OR_RETURN(ann.layers, article.annotations());
  std::vector<PlacedSpan> spans;
  for (size_t l = 0; l < ann.layers.size(); ++l) {
    const auto& layer_spans = ann.layers[l].spans;
    for (size_t s = 0; s < layer_spans.size(); ++s) {
      if (select.matches(layer_spans[s])) spans.push_back({l, s, layer_spans[s].start, layer_spans[s].end, {}});
    }
  }
  if (spans.empty()) return ann;
  QUIRE_ASSIGN_OR_RETURN(ann.body, article.body());
  // annotations() checked start <= end <= body length.
  for (PlacedSpan& p : spans) p.text = ann.body.bytes().substr(p.start, p.end - p.start);
  if (unit == OffsetUnit::kCodepoints) QUIRE_RETURN_IF_ERROR(convert_to_codepoints(article, ann, spans));
  ann.spans = std::move(spans);
  return ann;
}

Status for_each_annotation(const Archive& archive, const AnnotationQuery& query, const AnnotationVisitor& visit) {
  for (uint64_t r = 0; r < archive.size(); ++r) {
    QUIRE_ASSIGN_OR_RETURN(Article a, archive.at(r));
    if (a.span_count() == 0) continue;
    QUIRE_ASSIGN_OR_RETURN(bool wanted, query.filter.check(a));
    if (!wanted) continue;
    QUIRE_ASSIGN_OR_RETURN(ArticleAnnotations ann, place_annotations(a, query.offsets, query.spans));
    for (const PlacedSpan& p : ann.spans) QUIRE_RETURN_IF_ERROR(visit(a, ann, p));
  }
  return Status::ok();
}

std::string annotation_to_json(const Article& article, const ArticleAnnotations& ann, const PlacedSpan& p,
                               bool with_id) {
  const Layer& layer = ann.layer_of(p);
  const Span& span = ann.span_of(p);
  JsonWriter w;
  w.begin_object().field("type", span.type).field("label", span.label);
  if (with_id) w.field("id", article.id());
  w.field("layer", layer.name).field("producer", layer.producer).field("start", p.start).field("end", p.end);
  if (is_valid_utf8(p.text)) {
    w.field("text", p.text);
  } else {
    w.field("text_b64", base64_encode(p.text));
  }
  if (!span.attributes.empty()) {
    w.key("attrs").begin_object();
    for (const KeyValue& kv : span.attributes) w.field(kv.key, kv.value);
    w.end_object();
  }
  return w.end_object().take();
}

}  // namespace quire
