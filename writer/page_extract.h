// Rule-based extraction from raw scraped pages (`quire pack --extract`): title,
// publication date with its precision, dateline place, news agency, language
// notes, language, and where the page chrome is. The body is never changed;
// everything found is either metadata that is marked as extracted, or standoff
// spans over the original bytes.
//
// PROVENANCE (uniform for every value):
//  - Each layer's producer is kExtractProducer, "quire-extract/1". The number
//    goes up whenever a rule changes what it outputs.
//  - Each metadata field that apply_extraction fills gets one `extra` entry
//        "extracted.<field>" = "quire-extract/1 <rule>"
//    <field>: title, date, lang_notes, lang (ArticleMeta fields) or place,
//    agency (extra keys). <rule> names the rule that found the value:
//      title       html-h1 | html-title | first-line
//      date        date-line | date-line+year-hint | dateline | dateline+year-from-page |
//                  dateline+year-hint
//      place       dateline
//      agency      dateline | source-line
//      lang_notes  lang-note
//      lang        cld2
//  - Values in extra: "place" (dateline place as written, "PATRIOT PARK /Moscow
//    Region/") and "agency" (canonical: "TASS", "RIA Novosti", "Reuters", else as written).
//  - Language: lang = CLD2's BCP 47 code, plus "lang.detected" = "cld2" and
//    "lang.confidence" = percent ("97"), so a detected language is never taken
//    for a declared one. Only a result CLD2 calls reliable is applied.
//
// LAYERS (offsets: UTF-8 bytes into the original body, end exclusive):
//  "text"        HTML bodies only: the text view (format/html_text.h). The
//                rules below run on that text; their spans are mapped back.
//  "structure"   where each value was found: type "title" (label: the title),
//                "date" (label: the canonical date, or "--MM-DD" for a date
//                without a year that could not be completed), "dateline"
//                (attributes place, agency), "lang-note" (label: the note).
//  "boilerplate" type "boilerplate", label = the rule: the line rules of
//                writer/boilerplate_rules.h, and "before-title" (lines above
//                the title), "repeated-title" (the title line again),
//                "related-card" (the headline after an image-caption).
//
// DECISIONS:
//  - The publication date comes only from a line near the top that is just a
//    date ("Fri Apr 26 2024", "20 Sep 2022 - 9:43") or from the dateline. Dates
//    in running text ("on April 26, Shoigu said") are events and never taken.
//  - A dateline date without a year ("NEW DELHI, April 28") gets its year
//    from a full date with the same month and day elsewhere on the page
//    ("28.04.2023" in a picture caption: same-day evidence beats a guess),
//    else from PageHints::year, else no date is set: the model has no "month
//    and day known, year not" precision (the "date" span still shows "--04-28").
//    A date line without a year needs PageHints::year.
//  - Language notes are normalised to "originally in <Language>".
//  - A body that is not valid UTF-8, holds a NUL byte, or is larger than 32 MiB
//    yields nothing (no charset detection).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/model.h"
#include "writer/lang_detect.h"

namespace quire {

inline constexpr std::string_view kExtractProducer = "quire-extract/1";

struct PageHints {
  std::string_view media_type;  // e.g. "text/html; charset=utf-8"; "" if unknown
  std::string_view file_name;   // e.g. "pages/0001.html"; "" if unknown
  std::optional<int> year;      // for dates written without a year (e.g. the crawl year)
  bool detect_language = true;
  bool text_layer = true;  // keep an HTML page's text view as the "text" layer (it repeats the page's text)
};

struct Extracted {
  std::string value;  // "" when nothing was found
  std::string rule;   // the rule that found it (see above)
};

struct PageExtraction {
  Extracted title, place, agency;
  Date date;  // unknown when nothing was found
  std::string date_rule;
  std::vector<std::string> lang_notes;
  std::optional<DetectedLanguage> language;
  std::vector<Layer> layers;  // "text" (HTML only), "structure", "boilerplate"; empty ones left out
};

// Runs every extractor over `body`. Never fails: a body with nothing to find
// gives an empty result. Every span satisfies start <= end <= body.size().
PageExtraction extract_page(std::string_view body, const PageHints& hints);

// Fills the fields of `meta` that the input did not declare (empty title,
// unknown date, no lang, no lang_notes, no "place"/"agency" key in extra) and
// marks each as extracted (see PROVENANCE); never overwrites. Appends the
// layers whose names are not already used by `layers`.
void apply_extraction(const PageExtraction& extraction, ArticleMeta& meta, std::vector<Layer>& layers);

}  // namespace quire
