#include "writer/boilerplate_rules.h"

#include <gtest/gtest.h>

namespace quire {
namespace {

TEST(BoilerplateRules, EachRuleOnARealLine) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"--", "separator"},
      {"* * *", "separator"},
      {"icon-facebook icon-twitter icon-whatsapp", "share"},
      {"Share this article on Facebook", "share"},
      {"Tags: Russia strengthens military cooperation China", "tags"},
      {"PREV The Chinese President began a state visit", "prev-next"},
      {"Next article \u00bb", "prev-next"},
      {"Read also: SCO ministers meet in Astana", "related-links"},
      {"All news", "navigation"},
      {"Leave a Reply", "comment-form"},
      {"Your email address will not be published. Required fields are marked *", "comment-form"},
      {"12 comments", "comment-form"},
      {"Sign up for our daily newsletter", "subscribe"},
      {"The article is in Vietnamese", "lang-note"},
      {"Flags of SCO member countries - RIA Novosti, 1920, 25.04.2023", "image-caption"},
      {"Shoigu inspected the cosmodrome on April 24 \u2013 Photo: REUTERS", "photo-caption"},
      {"The flags of the SCO member states. archive photo", "photo-caption"},
      {"QR codeQR code", "qr-code"},
      {"Story Code: 258820", "story-id"},
      {"News Link :", "link-label"},
      {"Source: Ria", "source-line"},
      {"\u00a9 2024 Example News. All rights reserved.", "copyright"},
      {"Advertisement", "advertisement"},
      {"We use cookies to improve your experience. Accept", "cookie-notice"},
  };
  for (const auto& [line, label] : cases) EXPECT_EQ(boilerplate_rule(line), label) << line;
}

TEST(BoilerplateRules, ArticleTextMatchesNothing) {
  for (std::string_view line : {
           "Speaking at the meeting of the Shanghai Cooperation Organization (SCO) on April 26, Russian Defense "
           "Minister Sergei Shoigu said Russia and its allies in Asia should increase joint exercises.",
           "Reuters added: \"Moscow has repeatedly supported Beijing on Taiwan.\"",
           "Russian Defense Minister Sergei Shoigu",
           "Shoigu announced the need to develop a mechanism for the exchange of military information",
           "Next year the ministers will meet again.",
           "Share prices fell sharply on Monday after the announcement.",
           "",
       }) {
    EXPECT_EQ(boilerplate_rule(line), "") << line;
  }
}

TEST(BoilerplateRules, LanguageNotesAreNormalised) {
  EXPECT_EQ(language_note("The article is in Vietnamese"), "originally in Vietnamese");
  EXPECT_EQ(language_note("  Translated from the Russian.  "), "originally in Russian");
  EXPECT_EQ(language_note("(Translated from Brazilian Portuguese)"), "originally in Brazilian Portuguese");
  EXPECT_EQ(language_note("The article is in the news"), "");
  EXPECT_EQ(language_note("The article is in Vietnamese and English"), "");
}

}  // namespace
}  // namespace quire
