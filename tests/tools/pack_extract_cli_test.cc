// `quire pack --extract` and `--detect-lang`, run as a user would: metadata and
// layers found in raw pages, declared metadata never overwritten, bodies untouched.
#include <gtest/gtest.h>

#include <filesystem>

#include "test_util.h"

namespace quire {
namespace {

const char* kPage =
    "Shoigu urged steps to strengthen and modernize the SCO\n"
    "NEW DELHI, April 28 - RIA Novosti. Russian Defense Minister Sergei Shoigu called on the member states of the "
    "Shanghai Cooperation Organization to strengthen cooperation, the minister said at a meeting of the defense "
    "ministers of the organization in the Indian capital on Friday.\n"
    "Flags of SCO member countries - RIA Novosti, 1920, 28.04.2023\n"
    "The article is in Vietnamese\n"
    "Leave a Reply\n"
    "Your email address will not be published. Required fields are marked *\n";

TEST(PackExtract, FillsWhatTheInputLeftEmptyAndMarksIt) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.root() / "pages");
  test::write_file(dir.path("pages/p.txt"), kPage);
  test::write_file(dir.path("meta.jsonl"), R"({"id":"p.txt","title":"Declared title"})" "\n");
  auto r = test::run_quire("pack -q pages --meta meta.jsonl --extract -o p.quire --no-sync", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  auto show = test::run_quire("show p.quire p.txt", dir);
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_NE(show.out.find("title:      Declared title"), std::string::npos) << show.out;  // kept
  EXPECT_NE(show.out.find("date:       2023-04-28 (day)"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("lang:       en"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("lang.detected = cld2"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("agency = RIA Novosti"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("originally in Vietnamese"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("comment-form"), std::string::npos) << show.out;
  EXPECT_EQ(test::run_quire("cat p.quire p.txt", dir).out, kPage);  // the body is untouched
  auto boiler = test::run_quire("annotations p.quire boilerplate", dir);
  EXPECT_NE(boiler.out.find("\"text\":\"Leave a Reply\""), std::string::npos) << boiler.out;
}

TEST(PackExtract, DetectLangAloneOnlyFillsAnEmptyLang) {
  test::TempDir dir;
  test::write_file(dir.path("in.jsonl"),
                   R"({"id":"de","text":"Die Verteidigungsminister der Mitgliedstaaten trafen sich am Freitag in der )"
                   R"(indischen Hauptstadt, um über die Zusammenarbeit in Fragen der Sicherheit zu beraten."})" "\n"
                   R"({"id":"declared","lang":"fr","text":"This text is English but the input says French."})" "\n");
  ASSERT_EQ(test::run_quire("pack -q in.jsonl --detect-lang -o l.quire --no-sync", dir).code, 0);
  auto ls = test::run_quire("ls l.quire --json", dir);
  EXPECT_NE(ls.out.find(R"("id":"de","lang":"de")"), std::string::npos) << ls.out;
  EXPECT_NE(ls.out.find(R"("lang":"fr")"), std::string::npos) << ls.out;
  EXPECT_EQ(test::run_quire("ls l.quire --json", dir).out.find("extracted.title"), std::string::npos);
}

}  // namespace
}  // namespace quire
