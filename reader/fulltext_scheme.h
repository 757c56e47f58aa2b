// How an article becomes a document of the full-text index (SPEC.md 17.2):
// the one definition shared by the index builder (writer/fulltext_index.h)
// and search (reader/fulltext_search.h), so what is indexed and what a query
// or a snippet looks for cannot drift apart.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/model.h"

namespace quire::fulltext {

// Two layouts of the same documents (SPEC.md 17.2), named in
// Manifest.fulltext.scheme; a reader refuses a scheme it does not know (it
// would look for terms that are not there).
//  - full: every word as written (with positions: phrases, NEAR) and
//    stemmed with a Z prefix (without positions);
//  - compact: only the stemmed Z terms, without positions: 17% of the full
//    index's size on the benchmark corpus (bench/FULLTEXT.md); phrases match as all their words, and every query word is
//    stemmed (no exact-form matching).
enum class Profile { kFull, kCompact };
inline constexpr std::string_view kScheme = "quire-fulltext/1";
inline constexpr std::string_view kCompactScheme = "quire-fulltext-compact/1";
inline constexpr std::string_view kBackend = "xapian-glass-single-file";
std::string_view scheme_name(Profile profile);
// The profile a scheme name stands for; nullopt for an unknown scheme.
std::optional<Profile> profile_of_scheme(std::string_view scheme);

// Term prefixes (Xapian's conventions where one exists).
inline constexpr std::string_view kTitlePrefix = "S";    // title words (free text, with positions)
inline constexpr std::string_view kIdPrefix = "Q";       // the article id (boolean)
inline constexpr std::string_view kSourcePrefix = "XS";  // source id (boolean)
inline constexpr std::string_view kLangPrefix = "L";     // language tag and its primary subtag, lower case
inline constexpr std::string_view kTypePrefix = "XA";    // an annotation span type
inline constexpr std::string_view kLabelPrefix = "XB";   // "TYPE=LABEL" of an annotation span

// Value slots: the date's period as Xapian::sortable_serialise(seconds since
// the epoch) of its first instant and of one past its last (Date::period_*).
inline constexpr Xapian::valueno kDateStartSlot = 0;
inline constexpr Xapian::valueno kDateEndSlot = 1;

// Xapian's limit on a term is 245 bytes; longer boolean terms are not added.
inline constexpr size_t kMaxTermBytes = 240;
// Labels longer than this are not indexed as terms (they are text, not labels).
inline constexpr size_t kMaxLabelBytes = 64;
// Text beyond this many bytes of one article is not indexed.
inline constexpr size_t kMaxTextBytes = size_t{16} << 20;

// The text of an article that the index covers and snippets quote:
// HTML (format/html_text.h looks_like_html) becomes its text view; other
// bodies are used as they are when they are valid UTF-8 without NUL bytes
// and their media type is empty or text/*, JSON or XML; anything else has
// no text (only its title and metadata are indexed). Cut at kMaxTextBytes
// (at a character boundary).
std::optional<std::string> article_text(std::string_view body, std::string_view media_type, std::string_view id);

// The Xapian stemmer language for a BCP 47 tag ("en-GB" -> "en"), or "" when
// Xapian has no stemmer for it.
std::string stem_language(std::string_view bcp47);
// Xapian::Stem for a language from stem_language(); "" or "none": no
// stemming. `identity`: "" and "none" give a stemmer that returns each word
// as it is (so Z terms are still made, as the compact profile needs).
Xapian::Stem make_stemmer(std::string_view language, bool identity = false);

// Lower-cased language terms for a tag: "L" + tag, and "L" + primary subtag when different.
std::vector<std::string> language_terms(std::string_view bcp47);

// The boolean term of an annotation filter: TYPE, or TYPE=LABEL ("" label:
// spans without one). nullopt when too long to be a term.
std::optional<std::string> annotation_term(std::string_view type, const std::optional<std::string>& label);

// Everything about one article that goes into its document.
struct DocumentInput {
  std::string_view id, title, source, lang;
  Date date;
  std::optional<std::string> text;  // from article_text()
  const std::vector<Layer>* layers = nullptr;
};

// Builds the document (terms, positions, values; no data). `generator` is
// the caller's (one per thread); its stemmer is set from `input.lang`.
Xapian::Document make_document(const DocumentInput& input, Xapian::TermGenerator& generator,
                                Profile profile = Profile::kFull);

}  // namespace quire::fulltext
