#include "writer/page_extract.h"

#include <fmt/format.h>

#include <algorithm>

#include "writer/boilerplate_rules.h"
#include "writer/date_extract.h"
#include "writer/dateline.h"
#include "writer/extract_util.h"
#include "format/html_text.h"

namespace quire {
namespace {

constexpr size_t npos = std::string_view::npos;
// Past this a body is left alone: the text view and layers would cost a few
// times its size in memory, and no news page comes near it.
constexpr size_t kMaxBodyBytes = 32 << 20;
constexpr size_t kTitleWindow = 12;     // non-blank lines searched for the title and a date line
constexpr size_t kDatelineWindow = 6;   // content lines after the title searched for a dateline
constexpr size_t kDetectBytes = 64 * 1024;  // text given to CLD2 (it looks at no more)

struct Line {
  size_t start = 0, end = 0;  // trimmed, in the scanned text
  std::string_view text;
  std::string_view label;  // boilerplate rule, "" for content
};

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  for (size_t at = 0;;) {
    size_t nl = text.find('\n', at);
    size_t e = nl == npos ? text.size() : nl;
    std::string_view t = extract::trim(text.substr(at, e - at));
    if (!t.empty()) {
      size_t s = static_cast<size_t>(t.data() - text.data());
      lines.push_back(Line{s, s + t.size(), t, {}});
    }
    if (nl == npos) return lines;
    at = nl + 1;
  }
}

// "# Title", "Post: Title" -> "Title".
std::string_view strip_title_label(std::string_view t) {
  while (t.starts_with("#")) t.remove_prefix(1);
  t = extract::trim(t);
  for (std::string_view label : {"Post:", "Title:", "Headline:"}) {
    if (extract::istarts_with(t, label)) return extract::trim(t.substr(label.size()));
  }
  return t;
}

bool title_like(std::string_view t) {
  return t.size() >= 10 && t.size() <= 300 && extract::word_count(t) >= 3 && !parse_date_line(t);
}

// The headline of a related-article card: short, no closing punctuation.
bool headline_like(std::string_view t) {
  return t.size() <= 200 && extract::word_count(t) >= 3 && std::string_view(".!?:;,").find(t.back()) == npos;
}

void add(std::vector<Span>& spans, size_t start, size_t end, std::string_view type, std::string_view label) {
  spans.push_back(Span{start, end, std::string(type), std::string(label), {}});
}

// The rules over one text (the body, or an HTML page's text view); spans are
// in that text's offsets until layers() maps them.
class Scan {
 public:
  Scan(std::string_view text, const PageHints& hints) : text_(text), hints_(hints), lines_(split_lines(text)) {
    for (Line& l : lines_) l.label = boilerplate_rule(l.text);
  }

  void run(PageExtraction& out, const HtmlText* html) {
    size_t title_line = npos;
    if (html && !html->h1.empty()) {
      out.title = {html->h1, "html-h1"};
      add(structure_, html->h1_text_start, html->h1_text_end, "title", html->h1);
      title_line = line_at(html->h1_text_start);
    } else if (html && !html->title.empty()) {
      out.title = {html->title, "html-title"};  // its span is in original offsets: see layers()
    } else {
      title_line = first_line_title(out);
    }
    context_rules(title_line);
    date_line(out, title_line);
    dateline(out, title_line);
    notes_and_sources(out);
    if (hints_.detect_language) out.language = detect_language(content_text());
    for (const Line& l : lines_) {
      if (!l.label.empty()) add(boilerplate_, l.start, l.end, "boilerplate", l.label);
    }
  }

  // Maps the spans to original offsets through `html` (when given) and appends
  // the "structure" and "boilerplate" layers that have spans.
  void layers(PageExtraction& out, const HtmlText* html) {
    if (html) {
      for (std::vector<Span>* spans : {&structure_, &boilerplate_}) {
        for (Span& s : *spans) std::tie(s.start, s.end) = html->to_original(s.start, s.end);
      }
      if (out.title.rule == "html-title") add(structure_, html->title_start, html->title_end, "title", out.title.value);
    }
    append(out, "structure", structure_);
    append(out, "boilerplate", boilerplate_);
  }

 private:
  static void append(PageExtraction& out, std::string_view name, std::vector<Span>& spans) {
    if (spans.empty()) return;
    std::stable_sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.start < b.start; });
    out.layers.push_back(Layer{std::string(name), std::string(kExtractProducer), std::move(spans)});
  }

  size_t line_at(size_t pos) const {
    for (size_t i = 0; i < lines_.size(); ++i) {
      if (pos < lines_[i].end) return i;
    }
    return npos;
  }

  size_t first_line_title(PageExtraction& out) {
    for (size_t i = 0; i < lines_.size() && i < kTitleWindow; ++i) {
      if (!lines_[i].label.empty()) continue;
      std::string_view t = strip_title_label(lines_[i].text);
      if (!title_like(t)) continue;
      out.title = {std::string(t), "first-line"};
      size_t s = static_cast<size_t>(t.data() - text_.data());
      add(structure_, s, s + t.size(), "title", t);
      return i;
    }
    return npos;
  }

  // Rules that need the title or the previous line (see page_extract.h).
  void context_rules(size_t title_line) {
    if (title_line != npos) {
      for (size_t i = 0; i < title_line; ++i) {
        if (lines_[i].label.empty() && !parse_date_line(lines_[i].text)) lines_[i].label = "before-title";
      }
      for (size_t i = title_line + 1; i < lines_.size(); ++i) {
        if (lines_[i].label.empty() && lines_[i].text == lines_[title_line].text) lines_[i].label = "repeated-title";
      }
    }
    for (size_t i = 0; i + 1 < lines_.size(); ++i) {
      if (lines_[i].label == "image-caption" && lines_[i + 1].label.empty() && headline_like(lines_[i + 1].text)) {
        lines_[i + 1].label = "related-card";
      }
    }
  }

  // A line near the top that is only a date.
  void date_line(PageExtraction& out, size_t title_line) {
    size_t limit = std::max(kTitleWindow, title_line == npos ? 0 : title_line + 4);
    for (size_t i = 0; i < lines_.size() && i < limit; ++i) {
      if (!lines_[i].label.empty()) continue;
      auto m = parse_date_line(lines_[i].text);
      Date d = m ? m->resolve(hints_.year) : Date{};
      if (!d.known()) continue;
      out.date = d;
      out.date_rule = m->year != 0 ? "date-line" : "date-line+year-hint";
      add(structure_, lines_[i].start + m->start, lines_[i].start + m->end, "date", d.to_string());
      return;
    }
  }

  void dateline(PageExtraction& out, size_t title_line) {
    size_t seen = 0;
    for (size_t i = title_line == npos ? 0 : title_line + 1; i < lines_.size() && seen < kDatelineWindow; ++i) {
      if (!lines_[i].label.empty()) continue;
      ++seen;
      if (auto d = match_dateline(lines_[i].text)) {
        record_dateline(out, lines_[i].start, *d);
        return;
      }
    }
  }

  void record_dateline(PageExtraction& out, size_t at, const Dateline& d) {
    Span s{at + d.start, at + d.end, "dateline", "", {}};
    if (!d.place.empty()) {
      out.place = {d.place, "dateline"};
      s.attributes.push_back({"place", d.place});
    }
    if (!d.agency.empty()) {
      out.agency = {d.agency, "dateline"};
      s.attributes.push_back({"agency", d.agency});
    }
    structure_.push_back(std::move(s));
    if (!d.date || out.date.known()) return;
    const DateMatch& m = *d.date;
    auto [date, rule] = complete(m);
    if (date.known()) {
      out.date = date;
      out.date_rule = rule;
    }
    add(structure_, at + m.start, at + m.end, "date",
        date.known() ? date.to_string() : fmt::format("--{:02}-{:02}", m.month, m.day));
  }

  // A dateline date and its rule; a missing year from the page first, then the hint.
  std::pair<Date, std::string> complete(const DateMatch& m) const {
    if (m.year != 0) return {m.resolve(), "dateline"};
    if (m.day > 0) {
      if (auto y = find_year_for(text_, m.month, m.day)) return {m.resolve(*y), "dateline+year-from-page"};
    }
    if (hints_.year) return {m.resolve(hints_.year), "dateline+year-hint"};
    return {Date{}, ""};
  }

  void notes_and_sources(PageExtraction& out) {
    for (const Line& l : lines_) {
      if (l.label == "lang-note") {
        std::string note = language_note(l.text);
        if (std::find(out.lang_notes.begin(), out.lang_notes.end(), note) == out.lang_notes.end()) {
          out.lang_notes.push_back(note);
        }
        add(structure_, l.start, l.end, "lang-note", note);
      } else if (l.label == "source-line" && out.agency.value.empty()) {
        std::string_view k = known_agency(extract::trim(l.text.substr(l.text.find(':') + 1)));
        if (!k.empty()) out.agency = {std::string(k), "source-line"};
      }
    }
  }

  // The content lines (no boilerplate), for language detection.
  std::string content_text() const {
    std::string t;
    for (const Line& l : lines_) {
      if (!l.label.empty()) continue;
      t.append(l.text).push_back('\n');
      if (t.size() >= kDetectBytes) break;
    }
    return t;
  }

  std::string_view text_;
  const PageHints& hints_;
  std::vector<Line> lines_;
  std::vector<Span> structure_, boilerplate_;
};

bool has_key(const std::vector<KeyValue>& extra, std::string_view key) {
  return std::any_of(extra.begin(), extra.end(), [&](const KeyValue& kv) { return kv.key == key; });
}

}  // namespace

PageExtraction extract_page(std::string_view body, const PageHints& hints) {
  PageExtraction out;
  if (body.empty() || body.size() > kMaxBodyBytes || body.find('\0') != npos || !is_valid_utf8(body)) return out;
  if (!looks_like_html(body, hints.media_type, hints.file_name)) {
    Scan scan(body, hints);
    scan.run(out, nullptr);
    scan.layers(out, nullptr);
    return out;
  }
  HtmlText html = html_to_text(body);
  Scan scan(html.text, hints);
  scan.run(out, &html);
  scan.layers(out, &html);  // maps through html.layer: before it is moved
  if (hints.text_layer && !html.layer.spans.empty()) {
    html.layer.producer = std::string(kExtractProducer);
    out.layers.insert(out.layers.begin(), std::move(html.layer));
  }
  return out;
}

void apply_extraction(const PageExtraction& x, ArticleMeta& meta, std::vector<Layer>& layers) {
  auto mark = [&](std::string_view field, std::string_view rule) {
    meta.extra.push_back({fmt::format("extracted.{}", field), fmt::format("{} {}", kExtractProducer, rule)});
  };
  if (meta.title.empty() && !x.title.value.empty()) {
    meta.title = x.title.value;
    mark("title", x.title.rule);
  }
  if (!meta.date.known() && x.date.known()) {
    meta.date = x.date;
    mark("date", x.date_rule);
  }
  if (meta.lang_notes.empty() && !x.lang_notes.empty()) {
    meta.lang_notes = x.lang_notes;
    mark("lang_notes", "lang-note");
  }
  for (const auto& [key, found] : {std::pair{"place", &x.place}, std::pair{"agency", &x.agency}}) {
    if (found->value.empty() || has_key(meta.extra, key)) continue;
    meta.extra.push_back({key, found->value});
    mark(key, found->rule);
  }
  if (meta.lang.empty() && x.language && x.language->reliable) {
    meta.lang = x.language->code;
    meta.extra.push_back({"lang.detected", "cld2"});
    meta.extra.push_back({"lang.confidence", std::to_string(x.language->confidence)});
    mark("lang", "cld2");
  }
  for (const Layer& l : x.layers) {
    bool taken = std::any_of(layers.begin(), layers.end(), [&](const Layer& have) { return have.name == l.name; });
    if (!taken) layers.push_back(l);
  }
}

}  // namespace quire
