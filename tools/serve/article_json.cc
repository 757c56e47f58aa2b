#include "tools/serve/article_json.h"

#include "format/base64.h"
#include "format/checksum.h"
#include "format/html_text.h"

namespace quire::serve {
namespace {

// Layers as {"name","producer","spans":[{"type","start","end","label","attrs":{}}]},
// offsets as placed (bytes or code points).
void write_layers(JsonWriter& w, const ArticleAnnotations& ann) {
  w.key("layers").begin_array();
  auto p = ann.spans.begin();
  for (size_t l = 0; l < ann.layers.size(); ++l) {
    const Layer& layer = ann.layers[l];
    w.begin_object().field("name", layer.name).field("producer", layer.producer);
    w.key("spans").begin_array();
    for (; p != ann.spans.end() && p->layer == l; ++p) {
      const Span& s = ann.span_of(*p);
      w.begin_object().field("type", s.type).field("start", p->start).field("end", p->end);
      w.field("label", s.label).key("attrs").begin_object();
      for (const KeyValue& kv : s.attributes) w.field(kv.key, kv.value);
      w.end_object().end_object();
    }
    w.end_array().end_object();
  }
  w.end_array();
}

void write_metadata(JsonWriter& w, const Article& a, uint64_t record) {
  w.field("record", record).field("id", a.id()).field("title", a.title());
  w.field("date", a.date().to_string()).field("date_precision", precision_name(a.date().precision));
  w.field("source", a.source()).field("lang", a.lang());
  w.key("lang_notes").begin_array();
  for (auto n : a.lang_notes()) w.value(n);
  w.end_array();
  w.field("url", a.url()).field("media_type", a.media_type());
  w.field("sha256", to_hex(a.sha256())).field("body_length", a.body_length());
  w.key("extra").begin_object();
  for (auto& [k, v] : a.extra()) w.field(k, v);
  w.end_object();
}

}  // namespace

void write_article_summary(JsonWriter& w, const Article& a, uint64_t record) {
  w.begin_object().field("record", record).field("id", a.id()).field("title", a.title());
  w.field("date", a.date().to_string()).field("source", a.source()).field("lang", a.lang());
  w.field("url", a.url()).field("media_type", a.media_type());
  w.field("body_length", a.body_length()).field("spans", a.span_count()).end_object();
}

Result<std::string> article_detail_json(const Article& a, uint64_t record, const ArticleJsonOptions& options) {
  QUIRE_ASSIGN_OR_RETURN(Body body, a.body());
  // Places every span (reads the annotations frame; the body is read above).
  QUIRE_ASSIGN_OR_RETURN(ArticleAnnotations ann, place_annotations(a, options.offsets));
  std::string_view bytes = body.bytes();
  JsonWriter w;
  w.begin_object();
  write_metadata(w, a, record);
  w.field("is_html", looks_like_html(bytes, a.media_type(), a.id()));
  bool truncated = bytes.size() > options.max_text_bytes;
  if (truncated) {
    w.key("text").null();
  } else if (is_valid_utf8(bytes)) {
    w.field("text", bytes);
  } else {
    w.key("text").null().field("body_b64", base64_encode(bytes));
  }
  w.field("truncated", truncated);
  write_layers(w, ann);
  w.field("offsets", offset_unit_name(options.offsets));
  w.end_object();
  return w.take();
}

}  // namespace quire::serve
