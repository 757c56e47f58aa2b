#include "reader/fulltext_scheme.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "format/html_text.h"

namespace quire::fulltext {
namespace {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_textual_media_type(std::string_view media_type) {
  std::string m = lower_ascii(media_type.substr(0, media_type.find(';')));
  while (!m.empty() && m.back() == ' ') m.pop_back();
  if (m.empty() || m.starts_with("text/")) return true;
  return m == "application/json" || m == "application/xml" || m.ends_with("+xml") || m.ends_with("+json");
}

// The longest prefix of `s` of at most `n` bytes that does not cut a UTF-8 sequence.
std::string_view cut_utf8(std::string_view s, size_t n) {
  if (s.size() <= n) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

void add_boolean(Xapian::Document& doc, std::string_view prefix, std::string_view value) {
  if (value.empty() || prefix.size() + value.size() > kMaxTermBytes) return;
  std::string term(prefix);
  term += value;
  doc.add_boolean_term(term);
}

// Articles in a language without a Xapian stemmer (or none) still get
// Z-prefixed terms: their words as they are. A stemmed query then finds
// them when the query word's stem is the word itself, as it is for most
// words of languages that do not inflect (Vietnamese, Chinese, Japanese).
class IdentityStem : public Xapian::StemImplementation {
 public:
  std::string operator()(const std::string& word) override { return word; }
  std::string get_description() const override { return "identity"; }
};

}  // namespace

std::optional<std::string> article_text(std::string_view body, std::string_view media_type, std::string_view id) {
  if (looks_like_html(body, media_type, id)) {
    if (!is_valid_utf8(body)) return std::nullopt;
    std::string text = html_to_text(body).text;
    if (text.size() > kMaxTextBytes) text.resize(cut_utf8(text, kMaxTextBytes).size());
    return text;
  }
  if (!is_textual_media_type(media_type)) return std::nullopt;
  if (body.find('\0') != std::string_view::npos || !is_valid_utf8(body)) return std::nullopt;
  return std::string(cut_utf8(body, kMaxTextBytes));
}

std::string stem_language(std::string_view bcp47) {
  std::string primary = lower_ascii(bcp47.substr(0, bcp47.find('-')));
  if (primary.empty() || primary == "none") return "";
  try {
    Xapian::Stem stem(primary);
    return primary;
  } catch (const Xapian::Error&) {
    return "";
  }
}

std::string_view scheme_name(Profile profile) { return profile == Profile::kCompact ? kCompactScheme : kScheme; }

std::optional<Profile> profile_of_scheme(std::string_view scheme) {
  if (scheme == kScheme) return Profile::kFull;
  if (scheme == kCompactScheme) return Profile::kCompact;
  return std::nullopt;
}

Xapian::Stem make_stemmer(std::string_view language, bool identity) {
  if (language.empty() || language == "none") return identity ? Xapian::Stem(new IdentityStem) : Xapian::Stem();
  try {
    return Xapian::Stem(std::string(language));
  } catch (const Xapian::Error&) {
    return Xapian::Stem();
  }
}

std::vector<std::string> language_terms(std::string_view bcp47) {
  std::vector<std::string> terms;
  if (bcp47.empty()) return terms;
  std::string tag = lower_ascii(bcp47);
  terms.push_back(std::string(kLangPrefix) + tag);
  std::string primary = tag.substr(0, tag.find('-'));
  if (primary != tag && !primary.empty()) terms.push_back(std::string(kLangPrefix) + primary);
  return terms;
}

std::optional<std::string> annotation_term(std::string_view type, const std::optional<std::string>& label) {
  std::string term;
  if (!label) {
    term = std::string(kTypePrefix) + std::string(type);
  } else {
    if (label->size() > kMaxLabelBytes) return std::nullopt;
    term = std::string(kLabelPrefix) + std::string(type) + "=" + *label;
  }
  if (term.size() > kMaxTermBytes) return std::nullopt;
  return term;
}

Xapian::Document make_document(const DocumentInput& in, Xapian::TermGenerator& generator, Profile profile) {
  Xapian::Document doc;
  generator.set_document(doc);
  generator.set_stemmer(make_stemmer(stem_language(in.lang), /*identity=*/true));
  const bool full = profile == Profile::kFull;
  generator.set_stemming_strategy(full ? Xapian::TermGenerator::STEM_SOME : Xapian::TermGenerator::STEM_ALL_Z);
  auto index = [&](const std::string& text, const std::string& prefix) {
    if (full) {
      generator.index_text(text, 1, prefix);
    } else {
      generator.index_text_without_positions(text, 1, prefix);
    }
  };
  if (!in.title.empty() && is_valid_utf8(in.title)) {
    index(std::string(in.title), std::string(kTitlePrefix));
    index(std::string(in.title), "");
    generator.increase_termpos(100);  // no phrase runs from the title into the text
  }
  if (in.text) index(*in.text, "");

  add_boolean(doc, kIdPrefix, in.id);
  add_boolean(doc, kSourcePrefix, in.source);
  for (const std::string& t : language_terms(in.lang)) {
    if (t.size() <= kMaxTermBytes) doc.add_boolean_term(t);
  }
  if (in.layers != nullptr) {
    std::set<std::string> terms;  // each term once, however many spans carry it
    for (const Layer& layer : *in.layers) {
      for (const Span& span : layer.spans) {
        if (auto t = annotation_term(span.type, std::nullopt)) terms.insert(*t);
        // The text view's spans are labelled with the text itself (SPEC.md 14.3).
        if (span.type == "text") continue;
        if (auto t = annotation_term(span.type, span.label)) terms.insert(*t);
      }
    }
    for (const std::string& t : terms) doc.add_boolean_term(t);
  }
  if (in.date.known()) {
    doc.add_value(kDateStartSlot, Xapian::sortable_serialise(static_cast<double>(in.date.period_start())));
    doc.add_value(kDateEndSlot, Xapian::sortable_serialise(static_cast<double>(in.date.period_end())));
  }
  return doc;
}

}  // namespace quire::fulltext
