// Line rules for page chrome in scraped news text (part of the page extractor,
// writer/page_extract.h). Each rule looks at one whole line, trimmed, and has
// a label; the label is recorded on the "boilerplate" span the rule produces.
//
//   separator       only dashes, rules, dots or bullets: "--", "-", "* * *"
//   share           only share-button words: "icon-facebook icon-twitter icon-whatsapp", "Share Tweet Email"
//   tags            "Tags: ...", "Keywords: ...", "Topics: ...", "Filed under: ..."
//   prev-next       "PREV <headline>", "NEXT <headline>", "Previous article", "Next post »"
//   related-links   "Read more ...", "Read also: ...", "See also", "Related articles", "You may also like"
//   navigation      a whole line that is a menu item: "All news", "Home", "Back to top", "Skip to content"
//   comment-form    "Leave a Reply", "Your email address will not be published. Required fields ...", "12 comments"
//   subscribe       "Subscribe ...", "Sign up for ...", "Follow us on ...", short lines naming a newsletter
//   lang-note       "The article is in Vietnamese", "Translated from Russian" (see language_note)
//   image-caption   RIA Novosti picture cards: "<caption> - RIA Novosti, 1920, 28.04.2023"
//   photo-caption   a credit: "... – Photo: REUTERS", "Photo by ...", "... archive photo", "(AP Photo/...)"
//   qr-code         "QR code" widgets (short lines)
//   story-id        "Story Code: 258820", "News ID: ..."
//   link-label      "News Link :", "Short link: ...", "Permalink"
//   source-line     "Source: Ria" (short)
//   copyright       "© 2024 ...", "Copyright ...", "... All rights reserved."
//   advertisement   "Advertisement", "Sponsored", "Story continues below advertisement"
//   cookie-notice   "We use cookies ..." (short)
// Rules that need context (a repeated title, lines before the title, the
// headline of a related-article card after an image-caption) live in page_extract.cc.
#pragma once

#include <string>
#include <string_view>

namespace quire {

// The label of the first rule above that matches `line`, or "" for none.
// The line is trimmed first; an empty line matches nothing.
std::string_view boilerplate_rule(std::string_view line);

// A note on the language of the original, normalised: "The article is in
// Vietnamese" -> "originally in Vietnamese" (the form README's examples use;
// on translated-news sites the sentence says which language the article was
// written in). "" when the line is not such a note.
std::string language_note(std::string_view line);

}  // namespace quire
