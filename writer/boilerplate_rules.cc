#include "writer/boilerplate_rules.h"

#include <initializer_list>

#include "writer/extract_util.h"

namespace quire {
namespace {

using extract::icontains;
using extract::iends_with;
using extract::iequals;
using extract::is_digit;
using extract::istarts_with;
using List = std::initializer_list<std::string_view>;

bool starts_any(std::string_view s, List prefixes) {
  for (std::string_view p : prefixes) {
    if (istarts_with(s, p)) return true;
  }
  return false;
}
template <typename Words>
bool equals_in(std::string_view s, const Words& words) {
  for (std::string_view w : words) {
    if (iequals(s, w)) return true;
  }
  return false;
}
bool equals_any(std::string_view s, List words) { return equals_in(s, words); }
bool contains_any(std::string_view s, List needles) {
  for (std::string_view n : needles) {
    if (icontains(s, n)) return true;
  }
  return false;
}
// "Label :" or "Label:" at the start.
bool labelled(std::string_view s, List labels) {
  for (std::string_view l : labels) {
    if (istarts_with(s, l) && extract::trim(s.substr(l.size())).starts_with(":")) return true;
  }
  return false;
}

bool separator(std::string_view s) {
  if (s.size() > 80) return false;
  for (std::string_view rest = s; !rest.empty();) {
    size_t n = 0;
    for (std::string_view mark : {"-", "_", "=", "*", "~", ".", "|", "#", " ", "\u2013", "\u2014", "\u2022", "\u00B7"}) {
      if (rest.starts_with(mark)) n = mark.size();
    }
    if (n == 0) return false;
    rest.remove_prefix(n);
  }
  return true;
}

bool share(std::string_view s) {
  static constexpr std::string_view kStrong[] = {"share", "shares", "tweet", "facebook", "twitter", "whatsapp", "telegram",
                                   "linkedin", "email", "e-mail", "print", "pinterest", "reddit", "vk", "viber",
                                   "messenger", "zalo", "weibo", "wechat", "tumblr", "flipboard", "sms"};
  static constexpr std::string_view kWeak[] = {"on", "this", "article", "via", "copy", "link", "mail", "x"};
  size_t strong = 0, words = 0;
  for (size_t i = 0; i < s.size();) {
    size_t e = s.find(' ', i);
    if (e == std::string_view::npos) e = s.size();
    std::string_view w = s.substr(i, e - i);
    for (std::string_view p : {"icon-", "fa-", "ico-", "social-", "btn-"}) {
      if (istarts_with(w, p)) w.remove_prefix(p.size());
    }
    while (!w.empty() && (w.back() == ':' || w.back() == ',')) w.remove_suffix(1);
    if (!w.empty()) {
      ++words;
      if (equals_in(w, kStrong)) ++strong;
      else if (!equals_in(w, kWeak)) return false;
    }
    i = e + 1;
  }
  return strong > 0 && words <= 12;
}

bool prev_next(std::string_view s) {
  if (s.starts_with("PREV ") || s.starts_with("NEXT ") || s == "PREV" || s == "NEXT") return true;
  return s.size() <= 300 && starts_any(s, {"Previous article", "Next article", "Previous post", "Next post",
                                          "Previous story", "Next story", "Previous:", "Next:",
                                          "\u00AB Previous", "Next \u00BB", "\u2190 Previous", "Next \u2192"});
}

bool comment_form(std::string_view s) {
  if (starts_any(s, {"Leave a Reply", "Leave a comment", "Post a comment", "Add a comment", "Post Comment",
                     "Submit comment", "Your email address will not be published", "Required fields are marked",
                     "Save my name, email", "You must be logged in to post a comment", "Comments are closed"})) {
    return true;
  }
  if (equals_any(s, {"Comments", "Comment", "Comment *", "Name *", "Email *", "Website", "No comments"})) return true;
  size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  return i > 0 && equals_any(extract::trim(s.substr(i)), {"comment", "comments"});
}

// "<caption> - RIA Novosti, 1920, 28.04.2023": an agency, a picture width, a date.
bool image_caption(std::string_view s) {
  if (s.size() < 20 || s.size() > 400 || s.find(" - ") == std::string_view::npos) return false;
  std::string_view date = s.substr(s.size() - 10);
  for (size_t i : {0, 1, 3, 4, 6, 7, 8, 9}) {
    if (!is_digit(date[i])) return false;
  }
  if (date[2] != '.' || date[5] != '.') return false;
  std::string_view head = s.substr(0, s.size() - 10);
  if (!head.ends_with(", ")) return false;
  head.remove_suffix(2);
  size_t digits = 0;
  while (!head.empty() && is_digit(head.back())) {
    head.remove_suffix(1);
    ++digits;
  }
  return digits >= 3 && digits <= 4 && head.ends_with(", ");
}

bool photo_caption(std::string_view s) {
  if (s.size() > 400) return false;
  return contains_any(s, {"photo:", "photo by ", "photo credit", "photograph:", "(photo", "image:", "image credit",
                          "getty images", "ap photo", "afp photo"}) ||
         iends_with(s, "archive photo") || iends_with(s, "file photo") || iends_with(s, "archive photo)") ||
         iends_with(s, "file photo)");
}

bool subscribe(std::string_view s) {
  if (s.size() > 250) return false;
  return starts_any(s, {"Subscribe", "Sign up for", "Follow us on", "Join our", "Download our app",
                        "Get the latest news"}) ||
         (icontains(s, "newsletter") && extract::word_count(s) <= 25);
}

struct Rule {
  std::string_view label;
  bool (*match)(std::string_view);
};

constexpr Rule kRules[] = {
    {"separator", separator},
    {"share", share},
    {"tags", [](std::string_view s) { return starts_any(s, {"Tags:", "Tag:", "Tags -", "Keywords:", "Topics:",
                                                             "Related topics:", "Filed under:", "Categories:"}); }},
    {"prev-next", prev_next},
    {"related-links", [](std::string_view s) {
       return s.size() <= 200 && starts_any(s, {"Read more", "Read also", "Also read", "See also", "Related:",
                                                "Related articles", "Related news", "Related stories",
                                                "More news", "More from", "You may also like",
                                                "You might also like", "Recommended for you", "Most read"});
     }},
    {"navigation", [](std::string_view s) {
       return equals_any(s, {"All news", "Home", "Back to top", "Go to top", "Menu", "Main menu", "Search",
                             "Latest news", "Top stories", "Skip to content", "Skip to main content", "Log in",
                             "Sign in", "Privacy policy", "Terms of use", "Contact us", "About us"});
     }},
    {"comment-form", comment_form},
    {"subscribe", subscribe},
    {"lang-note", [](std::string_view s) { return !language_note(s).empty(); }},
    {"image-caption", image_caption},
    {"photo-caption", photo_caption},
    {"qr-code", [](std::string_view s) { return s.size() <= 40 && icontains(s, "QR code"); }},
    {"story-id", [](std::string_view s) {
       return s.size() <= 100 && labelled(s, {"Story Code", "News Code", "News ID", "Story ID", "Article ID"});
     }},
    {"link-label", [](std::string_view s) {
       return s.size() <= 300 && (labelled(s, {"News Link", "Short link", "Short URL", "Source link", "Permalink"}) ||
                                  iequals(s, "Permalink"));
     }},
    {"source-line", [](std::string_view s) { return s.size() <= 120 && labelled(s, {"Source", "Sources"}); }},
    {"copyright", [](std::string_view s) {
       return s.size() <= 300 && (starts_any(s, {"\u00A9", "(c) ", "Copyright"}) || icontains(s, "all rights reserved"));
     }},
    {"advertisement", [](std::string_view s) {
       return equals_any(s, {"Advertisement", "Advertising", "Sponsored", "Sponsored content", "Ad",
                             "Story continues below advertisement", "Scroll to continue with content"});
     }},
    {"cookie-notice", [](std::string_view s) {
       return s.size() <= 400 && icontains(s, "cookies") &&
              contains_any(s, {"we use", "accept", "this site uses", "this website uses"});
     }},
};

// One or two capitalised ASCII words: "Vietnamese", "Brazilian Portuguese".
std::string_view language_name(std::string_view s) {
  size_t i = 0, words = 0;
  while (i < s.size() && words < 2 && extract::is_upper(s[i])) {
    size_t w = i;
    while (i < s.size() && extract::is_alpha(s[i])) ++i;
    if (i - w < 3) return {};
    ++words;
    if (i + 1 < s.size() && s[i] == ' ' && extract::is_upper(s[i + 1])) ++i;
  }
  if (words == 0) return {};
  std::string_view rest = s.substr(i);
  for (std::string_view tail : {".", ")", ").", " original", " original.", " language", " language."}) {
    if (iequals(rest, tail)) rest = {};
  }
  return rest.empty() ? extract::trim(s.substr(0, i)) : std::string_view{};
}

}  // namespace

std::string_view boilerplate_rule(std::string_view line) {
  std::string_view s = extract::trim(line);
  if (s.empty()) return {};
  for (const Rule& r : kRules) {
    if (r.match(s)) return r.label;
  }
  return {};
}

std::string language_note(std::string_view line) {
  static constexpr std::string_view kLeads[] = {
      "The article is in ", "This article is in ", "The original article is in ", "Original article in ",
      "The article was originally published in ", "This article was originally published in ",
      "Originally published in ", "Article originally in ", "Originally in ",
      "This article was translated from ", "Machine translated from ", "Translated from the ",
      "Translated from ", "(Translated from the ", "(Translated from "};
  std::string_view s = extract::trim(line);
  if (s.size() > 120) return {};
  for (std::string_view lead : kLeads) {
    if (!istarts_with(s, lead)) continue;
    std::string_view lang = language_name(s.substr(lead.size()));
    if (!lang.empty()) return "originally in " + std::string(lang);
  }
  return {};
}

}  // namespace quire
