#include "writer/dateline.h"

#include <gtest/gtest.h>

namespace quire {
namespace {

struct Case {
  std::string_view line;
  std::string_view span, place, agency, date;  // date: the written date, "" for none
};

TEST(Dateline, WireServiceForms) {
  const Case cases[] = {
      {"MOSCOW: Russian Defence Minister", "MOSCOW:", "MOSCOW", "", ""},
      {"NEW DELHI, April 28 \u2013 RIA Novosti. Russian Defense", "NEW DELHI, April 28 \u2013 RIA Novosti.",
       "NEW DELHI", "RIA Novosti", "April 28"},
      {"PATRIOT PARK /Moscow Region/, August 15. /TASS/. Russia will", "PATRIOT PARK /Moscow Region/, August 15. /TASS/.",
       "PATRIOT PARK /Moscow Region/", "TASS", "August 15"},
      {"WASHINGTON, April 26 (Reuters) - The U.S.", "WASHINGTON, April 26 (Reuters) -", "WASHINGTON", "Reuters",
       "April 26"},
      {"BEIJING, April 26, 2024 (Xinhua) -- China", "BEIJING, April 26, 2024 (Xinhua) --", "BEIJING", "Xinhua",
       "April 26, 2024"},
      {"KYIV, Ukraine (AP) \u2014 Russia", "KYIV, Ukraine (AP) \u2014", "KYIV, Ukraine", "AP", ""},
      {"Paris (AFP) - Le", "Paris (AFP) -", "Paris", "AFP", ""},
      {"  LONDON \u2014 Britain", "LONDON \u2014", "LONDON", "", ""},
      {"Afghan Voice Agency (AVA): While", "Afghan Voice Agency (AVA):", "", "Afghan Voice Agency (AVA)", ""},
      {"(Reuters) - Shares rose", "(Reuters) -", "", "Reuters", ""},
      {"Associated Press: text", "Associated Press:", "", "AP", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.line);
    auto d = match_dateline(c.line);
    ASSERT_TRUE(d);
    EXPECT_EQ(c.line.substr(d->start, d->end - d->start), c.span);
    EXPECT_EQ(d->place, c.place);
    EXPECT_EQ(d->agency, c.agency);
    EXPECT_EQ(d->date ? c.line.substr(d->date->start, d->date->end - d->date->start) : "", c.date);
  }
}

TEST(Dateline, OrdinaryParagraphsAreNone) {
  for (std::string_view line : {"Reuters reported that Patrushev, who is one", "Reuters wrote: \"A former Soviet spy",
                                "The English news agency added: \"The development", "SCO Meeting: Russia Calls",
                                "According to media sources, the head of the council", "SCO countries should expand",
                                "UPDATE: the minister said", "In parallel, attempts are being made",
                                "Story Code: 258820", "Speaking at the meeting of the SCO (SCO) on April 26, he",
                                "", "  ", "MOSCOW"}) {
    EXPECT_FALSE(match_dateline(line)) << line;
  }
}

TEST(Dateline, KnownAgenciesAreCanonical) {
  EXPECT_EQ(known_agency("REUTERS"), "Reuters");
  EXPECT_EQ(known_agency("Ria"), "RIA Novosti");
  EXPECT_EQ(known_agency("Agence France-Presse"), "AFP");
  EXPECT_EQ(known_agency("ITAR-TASS"), "TASS");
  EXPECT_EQ(known_agency("Xinhua News Agency"), "Xinhua");
  EXPECT_EQ(known_agency("Some Blog"), "");
}

}  // namespace
}  // namespace quire
