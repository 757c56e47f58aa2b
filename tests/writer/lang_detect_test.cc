#include "writer/lang_detect.h"

#include <gtest/gtest.h>

namespace quire {
namespace {

struct Sample {
  const char* code;
  const char* text;
};

// A few sentences of news text in each language (the Russian defence
// minister at the SCO meeting, as in tests/../shared/seeds).
constexpr Sample kSamples[] = {
    {"en",
     "Speaking at the meeting of the Shanghai Cooperation Organization on April 26, Russian Defense Minister "
     "Sergei Shoigu said Russia and its allies in Asia should increase joint exercises. The organization's member "
     "countries include Russia, India, China, Iran, Pakistan, Kazakhstan, Uzbekistan, Kyrgyzstan and Tajikistan."},
    {"vi",
     "Phát biểu tại cuộc họp của Tổ chức Hợp tác Thượng Hải ngày 26/4, Bộ trưởng Quốc phòng Nga Sergei Shoigu "
     "cho rằng Nga và các đồng minh ở châu Á nên tăng cường tập trận chung. Các nước thành viên của tổ chức này "
     "gồm Nga, Ấn Độ, Trung Quốc, Iran, Pakistan và các nước Trung Á."},
    {"ru",
     "Выступая на заседании Шанхайской организации сотрудничества, министр обороны России Сергей Шойгу заявил, "
     "что Россия и её союзники в Азии должны расширить совместные учения. По словам министра, размещение "
     "военной инфраструктуры США и их союзников в регионе неприемлемо и создаёт прямую угрозу стабильности."},
    {"de",
     "Auf dem Treffen der Schanghaier Organisation für Zusammenarbeit sagte der russische Verteidigungsminister "
     "Sergej Schoigu, Russland und seine Verbündeten in Asien sollten gemeinsame Übungen ausweiten. Zu den "
     "Mitgliedstaaten der Organisation gehören Russland, Indien, China und der Iran."},
    {"fr",
     "Lors de la réunion de l'Organisation de coopération de Shanghai, le ministre russe de la Défense Sergueï "
     "Choïgou a déclaré que la Russie et ses alliés en Asie devaient multiplier les exercices communs. Les pays "
     "membres de l'organisation comprennent la Russie, l'Inde, la Chine et l'Iran."},
    {"zh", "俄罗斯国防部长绍伊古在上海合作组织会议上表示，俄罗斯及其亚洲盟友应当扩大联合军事演习的规模和范围。"
           "上海合作组织成员国包括俄罗斯、印度、中国、伊朗、巴基斯坦和中亚国家。"},
};

TEST(LangDetect, NamesTheLanguageOfRealParagraphs) {
  for (const Sample& s : kSamples) {
    auto d = detect_language(s.text);
    ASSERT_TRUE(d) << s.code;
    EXPECT_EQ(d->code, s.code);
    EXPECT_TRUE(d->reliable) << s.code;
    EXPECT_GE(d->confidence, 80) << s.code;
    EXPECT_LE(d->confidence, 100) << s.code;
  }
}

TEST(LangDetect, NothingForTooLittleOrBadText) {
  EXPECT_FALSE(detect_language(""));
  EXPECT_FALSE(detect_language("12345 67 89 -- !!"));
  EXPECT_FALSE(detect_language("Xin ch\xe0o")) << "not UTF-8";
  auto tiny = detect_language("hello");
  EXPECT_TRUE(!tiny || !tiny->reliable);
}

TEST(LangDetect, LongTextIsCutAtACodePoint) {
  std::string text;
  while (text.size() < 200 * 1024) text += kSamples[2].text;  // Cyrillic: two bytes a letter
  auto d = detect_language(text);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->code, "ru");
}

TEST(LangDetect, ReportsTheCld2Version) { EXPECT_FALSE(cld2_version().empty()); }

}  // namespace
}  // namespace quire
