// The text view of an HTML page: used by the page extractor (writer/page_extract.h)
// and by the full-text index (SPEC.md 17), which indexes and quotes this text.
//
// Tags are dropped; script, style, noscript, template and title content is
// dropped; comments are dropped; character references are decoded
// (format/html_entities.h); runs of ASCII white space collapse to one space
// (kept as written inside <pre>); block elements become line breaks ("\n" for
// br, li, div, tr, td, ...; a blank line for p, h1-h6, ul, table, section, ...).
// Like a browser, a tag or comment still open at the end of the input hides
// the rest. One forward pass, linear in the input.
//
// The view is kept as a Layer named "text" whose spans (type "text") cover
// runs of the ORIGINAL bytes, in order, not overlapping; each span's label is
// the text that run stands for (the run itself where nothing changed; "&" for
// "&amp;"; "\n" for a block tag; " " for a collapsed run). Concatenating the
// labels gives `text`. Bytes that stand for nothing are in no span.
// Input is expected to be valid UTF-8 (the labels then are too).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "format/model.h"

namespace quire {

struct HtmlText {
  std::string text;                   // the derived text: all labels in order
  Layer layer;                        // name "text", producer set by the caller
  std::vector<uint64_t> text_starts;  // offset in `text` of each span's label
  std::string title;                  // <title> content, decoded, white space collapsed
  uint64_t title_start = 0, title_end = 0;  // its original bytes (trimmed)
  std::string h1;                     // the first non-empty <h1>'s text
  size_t h1_text_start = 0, h1_text_end = 0;  // its place in `text`

  // Original byte range [first, second) behind text[start, end). Offsets
  // inside a span whose label is as long as its bytes map one to one; others
  // widen to the whole span.
  std::pair<uint64_t, uint64_t> to_original(size_t start, size_t end) const;
};

HtmlText html_to_text(std::string_view html);

// A media type naming HTML ("text/html; charset=utf-8", "application/xhtml+xml"),
// a file name ending in .html/.htm/.xhtml/.shtml, or a body opening (after a
// BOM and white space) with "<!DOCTYPE html" or "<html", any case.
bool looks_like_html(std::string_view body, std::string_view media_type, std::string_view file_name);

}  // namespace quire
