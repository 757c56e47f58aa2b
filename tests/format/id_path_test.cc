#include "format/id_path.h"

#include <gtest/gtest.h>

namespace quire {
namespace {

TEST(IdPath, PlainIdsStayReadable) {
  EXPECT_EQ(id_to_relative_path("news/2024/04/26/hanoi.txt"), "news/2024/04/26/hanoi.txt");
  EXPECT_EQ(id_to_relative_path("Đà Nẵng/京都"), "Đà Nẵng/京都");
}

TEST(IdPath, DotDotAndDotNeverClimb) {
  EXPECT_EQ(id_to_relative_path("../../etc/passwd"), "%2E%2E/%2E%2E/etc/passwd");
  EXPECT_EQ(id_to_relative_path("a/./b"), "a/%2E/b");
  EXPECT_EQ(id_to_relative_path(".."), "%2E%2E");
}

TEST(IdPath, AbsoluteAndEmptyComponents) {
  EXPECT_EQ(id_to_relative_path("/etc/passwd"), "%/etc/passwd");
  EXPECT_EQ(id_to_relative_path("a//b/"), "a/%/b/%");
}

TEST(IdPath, UnsafeBytesArePercentEncoded) {
  EXPECT_EQ(id_to_relative_path("a\\b"), "a%5Cb");
  EXPECT_EQ(id_to_relative_path(std::string("a\0b", 3)), "a%00b");
  EXPECT_EQ(id_to_relative_path("tab\there\nnl"), "tab%09here%0Anl");
  EXPECT_EQ(id_to_relative_path("100%"), "100%25");
  EXPECT_EQ(id_to_relative_path("https://example.org/a?b=c"), "https%3A/%/example.org/a%3Fb=c");
}

TEST(IdPath, WindowsHazards) {
  EXPECT_EQ(id_to_relative_path("CON"), "%43ON");
  EXPECT_EQ(id_to_relative_path("dir/nul.txt"), "dir/%6Eul.txt");
  EXPECT_EQ(id_to_relative_path("com1"), "%63om1");
  EXPECT_EQ(id_to_relative_path("console"), "console");
  EXPECT_EQ(id_to_relative_path("name. "), "name%2E%20");
}

TEST(IdPath, LongComponentsAreShortenedUniquely) {
  std::string a(300, 'a'), b = std::string(299, 'a') + "b";
  std::string pa = id_to_relative_path(a), pb = id_to_relative_path(b);
  EXPECT_LE(pa.size(), 255u);
  EXPECT_NE(pa, pb);
  EXPECT_EQ(pa.substr(0, 200), std::string(200, 'a'));
}

TEST(IdPath, ShorteningNeverSplitsAUtf8Sequence) {
  std::string id;
  for (int i = 0; i < 100; ++i) id += "Đà";  // 2 bytes each letter
  std::string p = id_to_relative_path(id);
  std::string prefix = p.substr(0, p.find('~'));
  EXPECT_EQ(prefix.size() % 2, 0u);
  EXPECT_LE(p.size(), 255u);
}

TEST(IdPath, MappingIsInjectiveOnTrickyIds) {
  std::vector<std::string> ids = {"a", "A", "%", "%25", "a/", "a//", "/a", ".", "..", "%2E", "a%2Fb", "a/b", "CON", "%43ON"};
  std::set<std::string> paths;
  for (const auto& id : ids) paths.insert(id_to_relative_path(id));
  EXPECT_EQ(paths.size(), ids.size());
}

}  // namespace
}  // namespace quire
