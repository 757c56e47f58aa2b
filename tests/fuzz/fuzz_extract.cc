// libFuzzer target: any bytes as a scraped page, as plain text and as HTML.
// Extraction must not crash, every span must satisfy start <= end <= size,
// and what apply_extraction makes must pass the writer's checks. The parts
// that take any bytes (text view, dates, datelines, line rules) also run on
// the raw input, since extract_page itself stops at bytes that are not UTF-8.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "writer/boilerplate_rules.h"
#include "writer/date_extract.h"
#include "writer/dateline.h"
#include "format/html_text.h"
#include "writer/page_extract.h"

namespace {

void check(const std::vector<quire::Layer>& layers, size_t size) {
  for (const quire::Layer& l : layers) {
    for (const quire::Span& s : l.spans) {
      if (s.start > s.end || s.end > size) abort();
    }
  }
}

void pieces(std::string_view body) {
  quire::HtmlText t = quire::html_to_text(body);
  check({t.layer}, body.size());
  auto [a, b] = t.to_original(0, t.text.size());
  if (a > b || b > body.size()) abort();
  for (size_t at = 0; auto m = quire::find_date(body, at); at = m->end) {
    if (m->start >= m->end || m->end > body.size()) abort();
    (void)m->resolve(2024);
  }
  for (size_t at = 0; at <= body.size();) {
    size_t nl = body.find('\n', at);
    std::string_view line = body.substr(at, nl == std::string_view::npos ? body.size() - at : nl - at);
    (void)quire::boilerplate_rule(line);
    (void)quire::language_note(line);
    if (auto d = quire::match_dateline(line); d && (d->start > d->end || d->end > line.size())) abort();
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  pieces(body);
  for (std::string_view media : {"text/plain", "text/html"}) {
    quire::PageHints hints;
    hints.media_type = media;
    hints.year = 2024;
    quire::PageExtraction x = quire::extract_page(body, hints);
    check(x.layers, size);
    quire::ArticleMeta meta;
    meta.id = "fuzz";
    std::vector<quire::Layer> layers;
    quire::apply_extraction(x, meta, layers);
    check(layers, size);
    if (!quire::validate_text(meta, layers) || !quire::validate_layers(meta.id, layers, size) ||
        !meta.date.validate()) {
      abort();
    }
  }
  return 0;
}
