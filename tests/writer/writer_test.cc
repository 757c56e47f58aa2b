#include "writer/writer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "format/checksum.h"
#include "test_util.h"

namespace quire {
namespace {

namespace fs = std::filesystem;

std::vector<test::OwnedArticle> corpus(size_t n, uint64_t seed = 1) {
  std::mt19937_64 rng(seed);
  std::vector<test::OwnedArticle> out;
  for (size_t i = 0; i < n; ++i) out.push_back(test::make_article("doc/" + std::to_string(i), test::random_text(rng, 500 + rng() % 9000)));
  return out;
}

size_t files_in(const test::TempDir& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir.root()), fs::directory_iterator()));
}

TEST(Writer, SameInputGivesIdenticalBytesWhateverTheThreads) {
  test::TempDir dir;
  auto c = corpus(800);
  WriterOptions o;
  o.block_size = 8 * 1024;
  o.dictionary_sample_bytes = 512 * 1024;
  o.threads = 1;
  test::write_archive(dir.path("j1.quire"), c, o);
  o.threads = 2;
  test::write_archive(dir.path("j2.quire"), c, o);
  o.threads = 5;
  test::write_archive(dir.path("j5.quire"), c, o);
  std::string j1 = test::read_file(dir.path("j1.quire"));
  EXPECT_GT(j1.size(), 1000u);
  EXPECT_TRUE(j1 == test::read_file(dir.path("j2.quire")));
  EXPECT_TRUE(j1 == test::read_file(dir.path("j5.quire")));
}

TEST(Writer, DuplicateIdIsAnErrorNamingBothArticles) {
  test::TempDir dir;
  auto w = Writer::create(dir.path("d.quire"), {});
  ASSERT_TRUE(w.is_ok());
  ASSERT_TRUE((*w)->add(test::make_article("same", "one").view()).is_ok());
  ASSERT_TRUE((*w)->add(test::make_article("other", "two").view()).is_ok());
  Status s = (*w)->add(test::make_article("same", "three").view());
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("duplicate id 'same'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("#2"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("#0"), std::string::npos) << s.message();
}

TEST(Writer, ExpectedShaMustMatch) {
  test::TempDir dir;
  auto w = Writer::create(dir.path("s.quire"), {});
  auto a = test::make_article("a", "body");
  a.sha256 = sha256(std::string("other"));
  Status s = (*w)->add(a.view());
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("article 'a'"), std::string::npos);
  a.sha256 = sha256(std::string("body"));
  EXPECT_TRUE((*w)->add(a.view()).is_ok());
}

TEST(Writer, SpansOutsideTheBodyAreRejected) {
  test::TempDir dir;
  auto w = Writer::create(dir.path("s.quire"), {});
  auto a = test::make_article("a", "12345");
  a.layers = {{"ner", "", {{2, 6, "entity", "", {}}}}};
  Status s = (*w)->add(a.view());
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("article 'a'"), std::string::npos);
  EXPECT_NE(s.message().find("[2, 6)"), std::string::npos) << s.message();
}

TEST(Writer, MetadataMustBeUtf8SoTheJsonlFormRoundTrips) {
  test::TempDir dir;
  auto w = Writer::create(dir.path("u.quire"), {});
  auto a = test::make_article("a", "body");
  a.meta.title = "caf\xe9";  // Latin-1, not UTF-8
  Status s = (*w)->add(a.view());
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("title is not valid UTF-8"), std::string::npos) << s.message();
  a.meta.title = "café";
  a.meta.extra = {{"k", "\xff"}};
  EXPECT_FALSE((*w)->add(a.view()).is_ok());
  a.meta.extra.clear();
  EXPECT_TRUE((*w)->add(a.view()).is_ok()) << "a body need not be UTF-8, metadata must";
}

TEST(Writer, NothingAppearsAtTheTargetUntilFinish) {
  test::TempDir dir;
  std::string target = dir.path("t.quire");
  auto w = Writer::create(target, {});
  ASSERT_TRUE(w.is_ok());
  for (const auto& a : corpus(50)) ASSERT_TRUE((*w)->add(a.view()).is_ok());
  EXPECT_FALSE(fs::exists(target));
  EXPECT_TRUE(fs::exists((*w)->temp_path()));
  ASSERT_TRUE((*w)->finish().is_ok());
  EXPECT_TRUE(fs::exists(target));
  EXPECT_EQ(files_in(dir), 1u) << "the temporary file is gone";
}

TEST(Writer, AbandonAndDestructionRemoveTheTemporaryFile) {
  test::TempDir dir;
  {
    auto w = Writer::create(dir.path("a.quire"), {});
    for (const auto& a : corpus(20)) ASSERT_TRUE((*w)->add(a.view()).is_ok());
    (*w)->abandon();
    EXPECT_FALSE((*w)->add(test::make_article("late", "x").view()).is_ok()) << "errors are sticky";
    EXPECT_FALSE((*w)->finish().is_ok());
  }
  {
    auto w = Writer::create(dir.path("b.quire"), {});
    ASSERT_TRUE((*w)->add(test::make_article("x", "y").view()).is_ok());
  }  // destroyed without finish()
  EXPECT_EQ(files_in(dir), 0u);
}

TEST(Writer, AnExistingTargetIsReplacedOnlyOnSuccess) {
  test::TempDir dir;
  std::string target = dir.path("t.quire");
  test::write_file(target, "previous archive");
  {
    auto w = Writer::create(target, {});
    ASSERT_TRUE((*w)->add(test::make_article("x", "y").view()).is_ok());
    (*w)->abandon();
  }
  EXPECT_EQ(test::read_file(target), "previous archive");
  test::write_archive(target, {test::make_article("x", "y")});
  EXPECT_NE(test::read_file(target), "previous archive");
}

TEST(Writer, BadOptionsAndDirectoriesAreClearErrors) {
  WriterOptions o;
  o.level = 30;
  auto w = Writer::create("/tmp/x.quire", o);
  ASSERT_FALSE(w.is_ok());
  EXPECT_NE(w.status().message().find("level 30"), std::string::npos);
  auto w2 = Writer::create("/nonexistent-dir/x.quire", {});
  ASSERT_FALSE(w2.is_ok());
  EXPECT_EQ(w2.status().code(), Code::kIoError);
  EXPECT_NE(w2.status().message().find("/nonexistent-dir"), std::string::npos);
}

TEST(Writer, CreationTimeComesFromTheOptions) {
  test::TempDir dir;
  WriterOptions o;
  test::write_archive(dir.path("a.quire"), {test::make_article("x", "y")}, o);
  EXPECT_EQ(Archive::open(dir.path("a.quire"))->manifest().info.created_unix_seconds, 1700000000);
}

}  // namespace
}  // namespace quire
