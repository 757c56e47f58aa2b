// Page extraction on the five scraped news pages of shared/seeds (expected
// values checked by hand against each page), HTML pages, and hostile input.
#include "writer/page_extract.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "reader/archive.h"
#include "test_util.h"

namespace quire {
namespace {

namespace fs = std::filesystem;

const fs::path kSeeds = QUIRE_SOURCE_DIR "/../shared/seeds";

// Two seeds copied byte for byte, so these tests run without shared/.
constexpr std::string_view kSeed000 = R"seed(Russia strengthens military cooperation with China, calling on allies to deal with threats from the US

Russia strengthens military cooperation with China, calling on allies to deal with threats from the US
Russia strengthens military cooperation with China, calling on allies to deal with threats from the US
--

Russian Defense Minister Sergei Shoigu inspected the progress of construction and modernization of Russia’s Plesetsk cosmodrome on April 24 – Photo: REUTERS

Speaking at the meeting of the Shanghai Cooperation Organization (SCO) on April 26, Russian Defense Minister Sergei Shoigu said Russia and its allies in Asia should increase joint exercises, in the context of other countries. This country is facing many direct threats from America’s efforts to expand its security influence in the region.

The Shanghai Cooperation Organization’s member countries include Russia, India, China, Iran, Pakistan, Kazakhstan, Uzbekistan, Kyrgyzstan and Tajikistan.

“I believe everyone agrees with the view that the deployment of military infrastructure by the US and its allies in the region is unacceptable,” Mr. Shoigu said.

According to the Russian Defense Minister, SCO countries should expand the scope and location of their military exercises.

In his speech, Mr. Shoigu accused the US-led “Diamond Quad” (QUAD) and AUKUS alliances of trying to reshape the security structure in the Pacific region to suit them. The Russian Defense Minister said pressure is also increasing on China over the Taiwan issue.

Russia’s Defense Minister said the main threat in Central Asia comes from “extremist terrorist groups in Afghanistan”, and Washington is trying to restore the influence in the region that it has lost since withdrawing troops from Afghanistan. in 2021.

Mr. Shoigu also repeated his assertion that Ukraine was behind the terrorist attack on the Crocus City Hall Theater in Russia at the end of March, despite the self-proclaimed Islamic State (IS) claiming responsibility. The US and Ukraine have denied this accusation.

In addition, Mr. Shoigu confirmed that foreign advisers are helping Kiev prepare sabotage actions on Russian territory and that Ukraine is using Western weapons to attack Russia’s civilian infrastructure.

On the same day, meeting with Chinese Defense Minister Dong Jun, Mr. Shoigu affirmed that Russia and China will continue to strengthen military cooperation, saying that China and Russia’s approaches to international issues are the same, RIA News Agency reported.

The article is in Vietnamese

Tags: Russia strengthens military cooperation China calling allies deal threats

-

PREV The Chinese President began a state visit to three European countries
NEXT The 60-year-old female lawyer hopes to make history at the Miss Universe pageant)seed";

constexpr std::string_view kSeed003 = R"seed(All news

Russia set to boost military cooperation with Asia-Pacific region — Shoigu

It is reported that attempts are being made to dismantle the ASEAN-centric security system in the Asia-Pacific region, with NATO’s confrontation practices being introduced there

PATRIOT PARK /Moscow Region/, August 15. /TASS/. Russia will strengthen its military ties with countries in the Asia-Pacific region, Russian Defense Minister Sergey Shoigu said, addressing the 11th Moscow Conference on International Security on Tuesday.

"We will further build military cooperation with the Asia-Pacific region, where India is one of our major partners <…>. We share the common experience of fighting against colonial rule with Vietnam, Myanmar, Mongolia, Laos, Indonesia and Bangladesh," Russia’s defense chief said.

According to Shoigu, attempts are being made to dismantle the ASEAN-centric security system in the Asia-Pacific region, with NATO’s confrontation practices being introduced there. "We can see a distinctive trend of establishing a NATO-like alliance, AUKUS, in the region," he said, adding that cooperation in nuclear military technology as its debut practical project was a concern.

In parallel, attempts are being made to destroy the existing effective mechanisms of military cooperation, the Russian defense minister said as he doubted that discussions currently underway on gender issues, climate change or the blue economy "can contribute to bringing the regional countries together to solve security issues."

The 11th Moscow Conference on International Security is taking place at the Patriot Congress and Exhibition Center on Tuesday, with defense officials and delegates from international organizations attending and military experts and diplomats from dozens of countries discussing common threats to global and regional security as well as security in Asia, Africa, the Middle East, Latin America and Europe.

In all, according to the Russian Defense Ministry, more than 800 delegates from 76 countries are taking part in the event, with no Western countries being on the list of guests.)seed";

const Layer* find_layer(const PageExtraction& x, std::string_view name) {
  for (const Layer& l : x.layers) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

std::string_view covered(std::string_view body, const Span& s) { return body.substr(s.start, s.end - s.start); }

// The original bytes under the first "structure" span of that type ("<none>" if none).
std::string structure_text(const PageExtraction& x, std::string_view body, std::string_view type) {
  if (const Layer* l = find_layer(x, "structure")) {
    for (const Span& s : l->spans) {
      if (s.type == type) return std::string(covered(body, s));
    }
  }
  return "<none>";
}

std::vector<std::string> boilerplate_labels(const PageExtraction& x) {
  std::vector<std::string> labels;
  if (const Layer* l = find_layer(x, "boilerplate")) {
    for (const Span& s : l->spans) labels.push_back(s.label);
  }
  return labels;
}

// The label of the boilerplate span covering the first occurrence of `needle`, "" when none.
std::string boilerplate_at(const PageExtraction& x, std::string_view body, std::string_view needle) {
  size_t at = body.find(needle);
  EXPECT_NE(at, std::string_view::npos) << needle;
  if (const Layer* l = find_layer(x, "boilerplate")) {
    for (const Span& s : l->spans) {
      if (s.start <= at && at + needle.size() <= s.end) return s.label;
    }
  }
  return "";
}

// Whether any boilerplate span touches the first occurrence of `needle`.
bool touches_boilerplate(const PageExtraction& x, std::string_view body, std::string_view needle) {
  size_t at = body.find(needle);
  EXPECT_NE(at, std::string_view::npos) << needle;
  if (const Layer* l = find_layer(x, "boilerplate")) {
    for (const Span& s : l->spans) {
      if (s.start < at + needle.size() && at < s.end) return true;
    }
  }
  return false;
}

// Invariants of every extraction: spans inside the body, on code point
// boundaries, producer set, and the result accepted by the writer's checks.
void expect_well_formed(const PageExtraction& x, std::string_view body) {
  auto boundary = [&](uint64_t at) {
    return at == body.size() || (static_cast<unsigned char>(body[at]) & 0xC0) != 0x80;
  };
  for (const Layer& l : x.layers) {
    EXPECT_EQ(l.producer, kExtractProducer);
    for (const Span& s : l.spans) {
      ASSERT_LE(s.start, s.end) << l.name;
      ASSERT_LE(s.end, body.size()) << l.name;
      EXPECT_TRUE(boundary(s.start) && boundary(s.end)) << l.name << " " << s.start << "-" << s.end;
    }
  }
  ArticleMeta meta;
  meta.id = "x";
  std::vector<Layer> layers;
  apply_extraction(x, meta, layers);
  EXPECT_TRUE(validate_text(meta, layers).is_ok());
  EXPECT_TRUE(validate_layers("x", layers, body.size()).is_ok());
  EXPECT_TRUE(meta.date.validate().is_ok());
}

// What a person reading each page finds on it.
struct SeedFacts {
  std::string file;
  std::string title, date;
  Date::Precision precision;
  std::string date_rule, place, agency;
  std::vector<std::string> notes;
  std::string date_text, dateline_text;
  std::vector<std::string> boilerplate;  // labels, in page order
  std::vector<std::pair<std::string, std::string>> lines;  // text on a boilerplate line -> its label
  std::vector<std::string> content;  // article text that no boilerplate span touches
};

const std::vector<SeedFacts>& seed_facts() {
  using P = Date::Precision;
  static const std::vector<SeedFacts> facts = {
      {"000_372abc9f1a8abce8.txt",
       "Russia strengthens military cooperation with China, calling on allies to deal with threats from the US", "",
       P::kUnknown, "", "", "", {"originally in Vietnamese"}, "<none>", "<none>",
       {"repeated-title", "repeated-title", "separator", "photo-caption", "lang-note", "tags", "separator",
        "prev-next", "prev-next"},
       {{"on April 24 \u2013 Photo: REUTERS", "photo-caption"}, {"The article is in Vietnamese", "lang-note"},
        {"Tags: Russia strengthens", "tags"}, {"PREV The Chinese President", "prev-next"},
        {"NEXT The 60-year-old", "prev-next"}},
       {"Speaking at the meeting of the Shanghai", "RIA News Agency reported.", "civilian infrastructure."}},
      {"001_897d648b17730ada.txt", "SCO Meeting: Russia Calls for Stronger Military Ties Against US Security Expansion",
       "2024-04-26", P::kDay, "date-line", "MOSCOW", "", {}, "Fri Apr 26 2024", "MOSCOW:", {"share", "share"},
       {{"icon-facebook icon-twitter icon-whatsapp", "share"}},
       {"MOSCOW: Russian Defence Minister", "though no evidence was provided to support these allegations."}},
      {"002_55bd272844cf4902.txt",
       "The development of military cooperation between China and Russia in the shadow of American pressure",
       "2022-09-20T09:43:00", P::kTimestamp, "date-line", "", "Afghan Voice Agency (AVA)", {}, "20 Sep 2022 - 9:43",
       "Afghan Voice Agency (AVA):", {"qr-code", "story-id", "link-label"},
       {{"QR codeQR code", "qr-code"}, {"Story Code: 258820", "story-id"}, {"News Link :", "link-label"}},
       {"While pressure from Washington", "Reuters added:", "We know there are other countries"}},
      {"003_454c63ec9385e69c.txt", "Russia set to boost military cooperation with Asia-Pacific region \u2014 Shoigu",
       "", P::kUnknown, "", "PATRIOT PARK /Moscow Region/", "TASS", {}, "August 15",
       "PATRIOT PARK /Moscow Region/, August 15. /TASS/.", {"navigation"}, {{"All news", "navigation"}},
       {"It is reported that attempts", "PATRIOT PARK", "being on the list of guests."}},
      {"004_d2f776826b65d03d.txt", "Shoigu urged steps to strengthen and modernize the SCO", "2023-04-28", P::kDay,
       "dateline+year-from-page", "NEW DELHI", "RIA Novosti", {}, "April 28",
       "NEW DELHI, April 28 \u2013 RIA Novosti.",
       {"before-title", "photo-caption", "image-caption", "related-card", "image-caption", "related-card",
        "image-caption", "related-card", "source-line", "comment-form", "comment-form"},
       {{"news unrolled", "before-title"}, {"member states. archive photo", "photo-caption"},
        {"(IG *, banned in the Russian Federation) - RIA Novosti, 1920, 28.04.2023", "image-caption"},
        {"Shoigu said he has preconditions", "related-card"}, {"SCO develops a roadmap", "related-card"},
        {"Shoigu says Western attempts", "related-card"}, {"Source: Ria", "source-line"},
        {"Leave a Reply", "comment-form"}, {"Your email address will not be published", "comment-form"}},
       {"NEW DELHI, April 28", "Shoigu announced the need to develop a mechanism for the exchange",
        "The maintenance of peace and security"}},
  };
  return facts;
}

void check_seed(std::string_view body, const SeedFacts& f) {
  SCOPED_TRACE(f.file);
  PageExtraction x = extract_page(body, {});
  expect_well_formed(x, body);
  EXPECT_EQ(x.title.value, f.title);
  EXPECT_EQ(x.title.rule, "first-line");
  EXPECT_EQ(structure_text(x, body, "title"), f.title);
  EXPECT_EQ(x.date.to_string(), f.date);
  EXPECT_EQ(x.date.precision, f.precision);
  EXPECT_EQ(x.date_rule, f.date_rule);
  EXPECT_EQ(structure_text(x, body, "date"), f.date_text);
  EXPECT_EQ(structure_text(x, body, "dateline"), f.dateline_text);
  EXPECT_EQ(x.place.value, f.place);
  EXPECT_EQ(x.agency.value, f.agency);
  EXPECT_EQ(x.lang_notes, f.notes);
  ASSERT_TRUE(x.language);
  EXPECT_EQ(x.language->code, "en") << "the pages are English (000 is translated from Vietnamese)";
  EXPECT_TRUE(x.language->reliable);
  EXPECT_EQ(boilerplate_labels(x), f.boilerplate);
  for (const auto& [line, label] : f.lines) EXPECT_EQ(boilerplate_at(x, body, line), label) << line;
  for (const std::string& text : f.content) EXPECT_FALSE(touches_boilerplate(x, body, text)) << text;
  EXPECT_EQ(find_layer(x, "text"), nullptr) << "plain text has no text view";
  // Every boilerplate span is one whole line.
  for (const Span& s : find_layer(x, "boilerplate")->spans) {
    EXPECT_TRUE(s.start == 0 || body[s.start - 1] == '\n') << s.label;
    EXPECT_TRUE(s.end == body.size() || body[s.end] == '\n') << s.label;
  }
}

TEST(PageExtract, InlineSeedsAlwaysRun) {
  check_seed(kSeed000, seed_facts()[0]);
  check_seed(kSeed003, seed_facts()[3]);
}

TEST(PageExtract, AllFiveSeedsAsCheckedByHand) {
  if (!fs::exists(kSeeds)) GTEST_SKIP() << kSeeds << " is absent";
  for (const SeedFacts& f : seed_facts()) {
    std::string body = test::read_file((kSeeds / f.file).string());
    ASSERT_FALSE(body.empty()) << f.file;
    check_seed(body, f);
  }
  EXPECT_EQ(test::read_file((kSeeds / seed_facts()[0].file).string()), kSeed000);
  EXPECT_EQ(test::read_file((kSeeds / seed_facts()[3].file).string()), kSeed003);
}

TEST(PageExtract, YearHintCompletesAYearlessDateline) {
  PageHints hints;
  hints.year = 2023;
  PageExtraction x = extract_page(kSeed003, hints);
  EXPECT_EQ(x.date.to_string(), "2023-08-15");
  EXPECT_EQ(x.date_rule, "dateline+year-hint");
  // The same day written in full elsewhere on the page beats the hint.
  std::string page = "A headline about the meeting\n\nNEW DELHI, April 28 \u2013 RIA Novosti. Text of it.\n\n"
                     "A caption - RIA Novosti, 1920, 28.04.2023\n";
  hints.year = 2020;
  x = extract_page(page, hints);
  EXPECT_EQ(x.date.to_string(), "2023-04-28");
  EXPECT_EQ(x.date_rule, "dateline+year-from-page");
}

TEST(PageExtract, ApplyMarksEveryExtractedValue) {
  PageExtraction x = extract_page(kSeed003, {});
  ArticleMeta meta;
  std::vector<Layer> layers;
  apply_extraction(x, meta, layers);
  EXPECT_EQ(meta.title, "Russia set to boost military cooperation with Asia-Pacific region \u2014 Shoigu");
  EXPECT_EQ(meta.lang, "en");
  std::vector<KeyValue> want = {{"extracted.title", "quire-extract/1 first-line"},
                                {"place", "PATRIOT PARK /Moscow Region/"},
                                {"extracted.place", "quire-extract/1 dateline"},
                                {"agency", "TASS"},
                                {"extracted.agency", "quire-extract/1 dateline"},
                                {"lang.detected", "cld2"},
                                {"lang.confidence", std::to_string(x.language->confidence)},
                                {"extracted.lang", "quire-extract/1 cld2"}};
  EXPECT_EQ(meta.extra, want);
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers[0].name, "structure");
  EXPECT_EQ(layers[1].name, "boilerplate");
}

TEST(PageExtract, ApplyNeverOverwritesDeclaredValues) {
  PageExtraction x = extract_page(kSeed000, {});
  ArticleMeta meta;
  meta.title = "Declared title";
  meta.lang = "vi";
  meta.lang_notes = {"declared note"};
  meta.date = *Date::parse("2024-04-27");
  meta.extra = {{"agency", "VNA"}};
  std::vector<Layer> layers = {{"boilerplate", "someone else 2.0", {}}};
  ArticleMeta before = meta;
  apply_extraction(x, meta, layers);
  EXPECT_EQ(meta, before);
  ASSERT_EQ(layers.size(), 2u) << "the declared boilerplate layer stays, ours is not added";
  EXPECT_EQ(layers[0].producer, "someone else 2.0");
  EXPECT_EQ(layers[1].name, "structure");
}

TEST(PageExtract, AnUnreliableLanguageIsNotApplied) {
  PageExtraction x;
  x.language = DetectedLanguage{"en", 40, false};
  ArticleMeta meta;
  std::vector<Layer> layers;
  apply_extraction(x, meta, layers);
  EXPECT_EQ(meta.lang, "");
  EXPECT_TRUE(meta.extra.empty());
  PageHints off;
  off.detect_language = false;
  EXPECT_FALSE(extract_page(kSeed003, off).language);
}

constexpr std::string_view kHtmlPage = R"html(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Hanoi metro opens | Example News</title>
<script>var s = "<p>not text</p>";</script><style>h1 { color: red }</style></head>
<body>
<nav><ul><li>Home</li><li>All news</li></ul></nav>
<h1>Hanoi&#8217;s elevated metro line opens to passengers</h1>
<p class="date">Fri Apr 26 2024</p>
<div class="share">Share Tweet Email</div>
<p>HANOI, April 26 (VNA) &ndash; The elevated section of the Nh&#7893;n &ndash; Hanoi Station line opened on
Friday, the city said, and thousands of people rode its trains on the first day.</p>
<p>The line runs for 8.5 kilometres through the west of the capital, according to the operator.</p>
<p>Tags: Hanoi, metro</p>
</body></html>
)html";

TEST(PageExtract, HtmlPageRunsOnItsTextViewAndMapsBack) {
  PageHints hints;
  hints.media_type = "text/html";
  PageExtraction x = extract_page(kHtmlPage, hints);
  expect_well_formed(x, kHtmlPage);
  EXPECT_EQ(x.title.value, "Hanoi\u2019s elevated metro line opens to passengers");
  EXPECT_EQ(x.title.rule, "html-h1");
  EXPECT_EQ(structure_text(x, kHtmlPage, "title"), "Hanoi&#8217;s elevated metro line opens to passengers");
  EXPECT_EQ(x.date.to_string(), "2024-04-26");
  EXPECT_EQ(structure_text(x, kHtmlPage, "date"), "Fri Apr 26 2024");
  EXPECT_EQ(x.place.value, "HANOI");
  EXPECT_EQ(x.agency.value, "VNA");
  EXPECT_EQ(structure_text(x, kHtmlPage, "dateline"), "HANOI, April 26 (VNA) &ndash;");
  EXPECT_EQ(boilerplate_labels(x), (std::vector<std::string>{"navigation", "navigation", "share", "tags"}));
  EXPECT_EQ(boilerplate_at(x, kHtmlPage, "Share Tweet Email"), "share");
  EXPECT_EQ(boilerplate_at(x, kHtmlPage, "Tags: Hanoi, metro"), "tags");
  EXPECT_FALSE(touches_boilerplate(x, kHtmlPage, "The line runs for 8.5 kilometres"));
  const Layer* text = find_layer(x, "text");
  ASSERT_NE(text, nullptr);
  std::string joined;
  for (const Span& s : text->spans) joined += s.label;
  EXPECT_EQ(joined.find("not text"), std::string::npos);
  EXPECT_EQ(joined.find("Hanoi metro opens | Example News"), std::string::npos) << "<title> is not page text";
  EXPECT_NE(joined.find("Nh\u1ed5n \u2013 Hanoi Station"), std::string::npos);
  ASSERT_TRUE(x.language);
  EXPECT_EQ(x.language->code, "en");
  hints.text_layer = false;
  PageExtraction lean = extract_page(kHtmlPage, hints);
  EXPECT_EQ(find_layer(lean, "text"), nullptr);
  EXPECT_EQ(lean.layers, std::vector<Layer>(x.layers.begin() + 1, x.layers.end())) << "the same spans, no text view";
}

TEST(PageExtract, HtmlWithoutH1UsesTheTitleElement) {
  std::string page = "<html><head><title>Only a &quot;title&quot; here</title></head><body><p>Some text.</p></body></html>";
  PageExtraction x = extract_page(page, {});
  EXPECT_EQ(x.title.value, "Only a \"title\" here");
  EXPECT_EQ(x.title.rule, "html-title");
  EXPECT_EQ(structure_text(x, page, "title"), "Only a &quot;title&quot; here");
  expect_well_formed(x, page);
}

TEST(PageExtract, OffsetsCountBytesOfMultiByteText) {
  std::string page =
      "Tin t\u1ee9c\n\n"
      "H\u00e0 N\u1ed9i kh\u00e1nh th\u00e0nh tuy\u1ebfn \u0111\u01b0\u1eddng s\u1eaft \u0111\u00f4 th\u1ecb m\u1edbi\n\n"
      "H\u00c0 N\u1ed8I (VNA) \u2013 Tuy\u1ebfn \u0111\u01b0\u1eddng s\u1eaft Nh\u1ed5n \u2013 ga H\u00e0 N\u1ed9i "
      "\u0111\u00e3 ch\u00ednh th\u1ee9c v\u1eadn h\u00e0nh \u0111o\u1ea1n tr\u00ean cao.\n\n"
      "Facebook Zalo\n\n"
      "Tags: H\u00e0 N\u1ed9i, \u0111\u01b0\u1eddng s\u1eaft\n";
  PageExtraction x = extract_page(page, {});
  expect_well_formed(x, page);
  EXPECT_EQ(x.title.value, "H\u00e0 N\u1ed9i kh\u00e1nh th\u00e0nh tuy\u1ebfn \u0111\u01b0\u1eddng s\u1eaft "
                           "\u0111\u00f4 th\u1ecb m\u1edbi");
  EXPECT_EQ(structure_text(x, page, "title"), x.title.value);
  EXPECT_EQ(x.place.value, "H\u00c0 N\u1ed8I");
  EXPECT_EQ(x.agency.value, "VNA");
  EXPECT_EQ(structure_text(x, page, "dateline"), "H\u00c0 N\u1ed8I (VNA) \u2013");
  EXPECT_EQ(boilerplate_labels(x), (std::vector<std::string>{"before-title", "share", "tags"}));
  EXPECT_EQ(boilerplate_at(x, page, "Tags: H\u00e0 N\u1ed9i"), "tags");
  EXPECT_EQ(boilerplate_at(x, page, "Tin t\u1ee9c"), "before-title");
}

TEST(PageExtract, EmptyBinaryAndNonUtf8BodiesYieldNothing) {
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary += static_cast<char>((i * 7919) & 0xFF);
  std::string nul = "A perfectly good title line\n\nText with a NUL inside: ";
  nul += '\0';
  for (std::string_view body : {std::string_view(), std::string_view(binary), std::string_view(nul),
                                std::string_view("A headline that is long enough\n\nCaf\xe9 text\n")}) {
    PageExtraction x = extract_page(body, {});
    EXPECT_TRUE(x.title.value.empty());
    EXPECT_FALSE(x.date.known());
    EXPECT_TRUE(x.place.value.empty() && x.agency.value.empty() && x.lang_notes.empty());
    EXPECT_FALSE(x.language);
    EXPECT_TRUE(x.layers.empty());
  }
}

TEST(PageExtract, ResultRoundTripsThroughAnArchive) {
  test::TempDir dir;
  test::OwnedArticle a = test::make_article("seed/003", std::string(kSeed003));
  apply_extraction(extract_page(a.body, {}), a.meta, a.layers);
  test::write_archive(dir.path("x.quire"), {a});
  auto archive = Archive::open(dir.path("x.quire"));
  ASSERT_TRUE(archive.is_ok()) << archive.status().to_string();
  auto got = archive->find("seed/003");
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_EQ(got->meta().title, a.meta.title);
  EXPECT_EQ(got->meta().extra, a.meta.extra);
  auto layers = got->annotations();
  ASSERT_TRUE(layers.is_ok());
  EXPECT_EQ(*layers, a.layers);
}

}  // namespace
}  // namespace quire
