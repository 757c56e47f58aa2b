#include "format/html_text.h"

#include <algorithm>

#include "writer/extract_util.h"
#include "format/html_entities.h"

namespace quire {
namespace {

using extract::is_alnum;
using extract::is_alpha;
using extract::is_space;
using List = std::initializer_list<std::string_view>;

constexpr size_t npos = std::string_view::npos;

bool one_of(std::string_view name, List names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Elements whose content is not page text; skipped up to their end tag.
bool raw(std::string_view name) { return one_of(name, {"script", "style", "noscript", "template", "title"}); }
bool paragraph(std::string_view name) {
  return one_of(name, {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote", "pre",
                       "section", "article", "header", "footer", "nav", "aside", "main", "figure", "form", "hr",
                       "address", "fieldset", "details", "body"});
}
bool line(std::string_view name) {
  return one_of(name, {"br", "li", "div", "tr", "td", "th", "dt", "dd", "figcaption", "caption", "option",
                       "summary", "legend", "center"});
}

class Builder {
 public:
  explicit Builder(std::string_view s) : s_(s) {}

  HtmlText run() {
    for (size_t i = 0; i < s_.size();) {
      char c = s_[i];
      if (c == '<') i = markup(i);
      else if (c == '&') i = entity(i);
      else if (is_space(c) && pre_depth_ == 0) i = spaces(i);
      else i = text_run(i);
    }
    return std::move(out_);
  }

 private:
  // Appends a span; an unchanged run right after another unchanged run extends it.
  void emit(uint64_t start, uint64_t end, std::string_view label, bool unchanged) {
    if (label.empty()) return;
    auto& spans = out_.layer.spans;
    if (unchanged && last_unchanged_ && !spans.empty() && spans.back().end == start) {
      spans.back().end = end;
      spans.back().label += label;
    } else {
      spans.push_back(Span{start, end, "text", std::string(label), {}});
      out_.text_starts.push_back(out_.text.size());
    }
    last_unchanged_ = unchanged;
    out_.text += label;
  }

  size_t text_run(size_t i) {
    size_t j = i;
    while (j < s_.size() && s_[j] != '<' && s_[j] != '&' && (pre_depth_ > 0 || !is_space(s_[j]))) ++j;
    emit(i, j, s_.substr(i, j - i), true);
    return j;
  }

  size_t spaces(size_t i) {
    size_t j = i;
    while (j < s_.size() && is_space(s_[j])) ++j;
    const std::string& t = out_.text;
    if (!t.empty() && t.back() != ' ' && t.back() != '\n') emit(i, j, " ", j == i + 1 && s_[i] == ' ');
    return j;
  }

  size_t entity(size_t i) {
    std::string decoded;
    size_t n = decode_entity(s_, i, decoded);
    if (n == 0) {
      emit(i, i + 1, "&", true);
      return i + 1;
    }
    emit(i, i + n, decoded, false);
    return i + n;
  }

  // After the '>' that closes a tag whose name ends at j; the end when none (the tag hides the rest).
  size_t tag_end(size_t j) const {
    while (j < s_.size()) {
      char c = s_[j++];
      if (c == '>') return j;
      if (c != '=') continue;
      j = extract::skip_space(s_, j);
      if (j < s_.size() && (s_[j] == '"' || s_[j] == '\'')) {
        size_t q = s_.find(s_[j], j + 1);
        if (q == npos) return s_.size();
        j = q + 1;
      }
    }
    return s_.size();
  }

  // Where "</name" (any case, then a delimiter) starts, from `from`; the end when none.
  size_t find_close(size_t from, std::string_view name) const {
    for (size_t at = s_.find("</", from); at != npos; at = s_.find("</", at + 2)) {
      size_t e = at + 2 + name.size();
      if (extract::iequals(s_.substr(at + 2, name.size()), name) &&
          (e >= s_.size() || !is_alnum(s_[e]))) {
        return at;
      }
    }
    return s_.size();
  }

  size_t markup(size_t i) {
    std::string_view rest = s_.substr(i);
    if (rest.starts_with("<!--")) {
      size_t e = s_.find("-->", i + 4);
      return e == npos ? s_.size() : e + 3;
    }
    char c = rest.size() > 1 ? rest[1] : '\0';
    if (c == '!' || c == '?') {
      size_t e = s_.find('>', i);
      return e == npos ? s_.size() : e + 1;
    }
    bool closing = c == '/';
    size_t name_at = i + 1 + (closing ? 1 : 0);
    if (name_at >= s_.size() || !is_alpha(s_[name_at])) {
      emit(i, i + 1, "<", true);
      return i + 1;
    }
    size_t j = name_at;
    std::string name;
    while (j < s_.size() && (is_alnum(s_[j]) || s_[j] == '-' || s_[j] == ':')) name += extract::to_lower(s_[j++]);
    size_t end = tag_end(j);
    return tag(name, closing, i, end);
  }

  size_t tag(const std::string& name, bool closing, size_t start, size_t end) {
    if (!closing && raw(name)) {
      size_t close = find_close(end, name);
      if (name == "title" && out_.title.empty()) title(end, close);
      return close >= s_.size() ? close : tag_end(close + 2 + name.size());
    }
    if (name == "pre") pre_depth_ = closing ? std::max(0, pre_depth_ - 1) : pre_depth_ + 1;
    if (name == "h1" && closing && in_h1_) end_h1();
    if (paragraph(name)) block_break(start, end, 2);
    else if (line(name)) block_break(start, end, 1);
    if (name == "h1" && !closing && out_.h1.empty()) {
      in_h1_ = true;
      h1_start_ = out_.text.size();
    }
    return end;
  }

  void block_break(uint64_t start, uint64_t end, int want) {
    const std::string& t = out_.text;
    if (t.empty()) return;
    int have = 0;
    for (size_t k = t.size(); k > 0 && t[k - 1] == '\n' && have < 2; --k) ++have;
    if (want > have) emit(start, end, want - have == 2 ? "\n\n" : "\n", false);
  }

  void end_h1() {
    in_h1_ = false;
    std::string_view h = std::string_view(out_.text).substr(h1_start_);
    std::string_view trimmed = extract::trim(h);
    if (trimmed.empty()) return;
    out_.h1 = std::string(trimmed);
    out_.h1_text_start = h1_start_ + static_cast<size_t>(trimmed.data() - h.data());
    out_.h1_text_end = out_.h1_text_start + trimmed.size();
  }

  // <title> is text with references and no tags: decoded, white space collapsed, trimmed.
  void title(size_t a, size_t b) {
    std::string_view raw_title = extract::trim(s_.substr(a, b - a));
    if (raw_title.empty()) return;
    out_.title_start = static_cast<uint64_t>(raw_title.data() - s_.data());
    out_.title_end = out_.title_start + raw_title.size();
    std::string t;
    for (size_t i = out_.title_start; i < out_.title_end;) {
      size_t n = s_[i] == '&' ? decode_entity(s_, i, t) : 0;
      if (n > 0) {
        i += n;
      } else if (is_space(s_[i])) {
        if (!t.empty() && t.back() != ' ') t += ' ';
        ++i;
      } else {
        t += s_[i++];
      }
    }
    out_.title = t;
  }

  std::string_view s_;
  HtmlText out_;
  bool last_unchanged_ = false;
  int pre_depth_ = 0;
  bool in_h1_ = false;
  size_t h1_start_ = 0;
};

}  // namespace

std::pair<uint64_t, uint64_t> HtmlText::to_original(size_t start, size_t end) const {
  const auto& spans = layer.spans;
  if (spans.empty()) return {0, 0};
  auto at = [&](size_t pos) {  // index of the span holding text[pos]
    size_t k = static_cast<size_t>(std::upper_bound(text_starts.begin(), text_starts.end(), pos) - text_starts.begin());
    return k == 0 ? 0 : k - 1;
  };
  auto one_to_one = [&](size_t k) { return spans[k].label.size() == spans[k].end - spans[k].start; };
  start = std::min(start, text.size());
  end = std::clamp(end, start, text.size());
  if (start == text.size()) return {spans.back().end, spans.back().end};
  size_t a = at(start);
  uint64_t first = one_to_one(a) ? spans[a].start + (start - text_starts[a]) : spans[a].start;
  if (end == start) return {first, first};
  size_t b = at(end - 1);
  uint64_t last = one_to_one(b) ? spans[b].start + (end - text_starts[b]) : spans[b].end;
  return {first, last};
}

HtmlText html_to_text(std::string_view html) {
  HtmlText t = Builder(html).run();
  t.layer.name = "text";
  return t;
}

bool looks_like_html(std::string_view body, std::string_view media_type, std::string_view file_name) {
  if (extract::icontains(media_type, "html")) return true;
  for (std::string_view ext : {".html", ".htm", ".xhtml", ".shtml"}) {
    if (extract::iends_with(file_name, ext)) return true;
  }
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  body.remove_prefix(extract::skip_space(body, 0));
  return extract::istarts_with(body, "<!doctype html") || extract::istarts_with(body, "<html");
}

}  // namespace quire
