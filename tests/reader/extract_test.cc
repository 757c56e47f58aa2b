#include "reader/extract.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "format/id_path.h"
#include "test_util.h"
#include "writer/jsonl_input.h"

namespace quire {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> files_under(const fs::path& root) {
  std::vector<std::string> out;
  for (auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), root).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Extract, HostileIdsStayInsideTheTarget) {
  test::TempDir dir;
  std::vector<std::string> ids = {"../../escape", "/etc/passwd", "a\\b", std::string("nul\0byte", 8), "ctl\x01\x1f",
                                  std::string(300, 'L'), "CON", "aux.txt", "Case", "case", "CASE", "dir", "dir/child",
                                  ".", "..", "trailing. ", "ok/plain.txt"};
  std::vector<test::OwnedArticle> corpus;
  for (size_t i = 0; i < ids.size(); ++i) corpus.push_back(test::make_article(ids[i], "body " + std::to_string(i)));
  // "nul\0byte" is not a valid id (NUL): the writer refuses it, so leave it out.
  corpus.erase(corpus.begin() + 3);
  test::write_archive(dir.path("h.quire"), corpus);
  auto archive = Archive::open(dir.path("h.quire"));
  ASSERT_TRUE(archive.is_ok());
  auto out = dir.root() / "out";
  auto stats = extract_to_directory(*archive, out.string(), {});
  ASSERT_TRUE(stats.is_ok()) << stats.status().to_string();
  EXPECT_EQ(stats->articles, corpus.size());
  EXPECT_GE(stats->renamed, 3u) << "case collisions and the dir/file clash get collision paths";
  // Nothing outside `out` except the archive itself.
  std::vector<std::string> top;
  for (auto& e : fs::directory_iterator(dir.root())) top.push_back(e.path().filename().string());
  std::sort(top.begin(), top.end());
  EXPECT_EQ(top, (std::vector<std::string>{"h.quire", "out"}));
  // Every body is somewhere under out, each once, and every name is short and safe.
  auto files = files_under(out);
  EXPECT_EQ(files.size(), corpus.size());
  std::set<std::string> bodies;
  for (const auto& f : files) {
    bodies.insert(test::read_file((out / f).string()));
    for (auto& part : fs::path(f)) {
      EXPECT_LE(part.string().size(), 255u) << f;
      EXPECT_NE(part.string(), "..");
    }
    EXPECT_EQ(f.find('\\'), std::string::npos) << f;
  }
  EXPECT_EQ(bodies.size(), corpus.size());
}

TEST(Extract, NeverFollowsASymlinkInTheTarget) {
  test::TempDir dir;
  test::write_archive(dir.path("s.quire"), {test::make_article("link/file", "inside"), test::make_article("trap", "x")});
  auto out = dir.root() / "out";
  auto outside = dir.root() / "outside";
  fs::create_directories(out);
  fs::create_directories(outside);
  fs::create_directory_symlink(outside, out / "link");
  fs::create_symlink(outside / "target-file", out / "trap");
  auto stats = extract_to_directory(*Archive::open(dir.path("s.quire")), out.string(), {});
  ASSERT_TRUE(stats.is_ok()) << stats.status().to_string();
  EXPECT_TRUE(fs::is_empty(outside)) << "nothing was written through the links";
  EXPECT_EQ(stats->renamed, 2u);
}

TEST(Extract, LongNamesThatCollideStayWithinTheNameLimit) {
  test::TempDir dir;
  std::string a = std::string(250, 'x'), b = std::string(250, 'X');
  test::write_archive(dir.path("l.quire"), {test::make_article(a, "lower"), test::make_article(b, "upper")});
  auto stats = extract_to_directory(*Archive::open(dir.path("l.quire")), (dir.root() / "out").string(), {});
  ASSERT_TRUE(stats.is_ok()) << stats.status().to_string();
  EXPECT_EQ(stats->renamed, 1u);
  for (auto& f : files_under(dir.root() / "out")) EXPECT_LE(f.size(), 255u);
}

TEST(Extract, ExistingFilesAreNeverOverwritten) {
  test::TempDir dir;
  test::write_archive(dir.path("e.quire"), {test::make_article("keep", "new")});
  auto out = dir.root() / "out";
  fs::create_directories(out);
  test::write_file((out / "keep").string(), "old");
  ASSERT_TRUE(extract_to_directory(*Archive::open(dir.path("e.quire")), out.string(), {}).is_ok());
  EXPECT_EQ(test::read_file((out / "keep").string()), "old");
  EXPECT_EQ(test::read_file((out / collision_name("keep", "keep")).string()), "new");
}

TEST(Extract, JsonlRoundTripKeepsTheContentDigest) {
  test::TempDir dir;
  std::vector<test::OwnedArticle> corpus;
  auto a = test::make_article("utf8", "Xin chào, Đà Nẵng");
  a.meta.title = "T";
  a.meta.date = *Date::parse("2024-04-26T09:43:00+07:00");
  a.meta.lang_notes = {"originally in Vietnamese"};
  a.meta.extra = {{"z", "1"}, {"a", "2"}};
  a.layers = {{"ner", "p", {{0, 3, "entity", "X", {{"k", "v"}}}}}, {"empty", "", {}}};
  corpus.push_back(a);
  corpus.push_back(test::make_article("binary", std::string("\xff\xfe\x00\x01", 4)));
  corpus.push_back(test::make_article("empty", ""));
  test::write_archive(dir.path("a.quire"), corpus);
  auto archive = Archive::open(dir.path("a.quire"));
  std::string jsonl;
  auto stats = extract_to_jsonl(*archive, {}, [&](std::string_view line) {
    jsonl += line;
    return Status::ok();
  });
  ASSERT_TRUE(stats.is_ok());
  // Parse it back and write a second archive with other settings.
  JsonlParser parser({});
  std::vector<test::OwnedArticle> back;
  size_t start = 0;
  while (start < jsonl.size()) {
    size_t nl = jsonl.find('\n', start);
    auto parsed = parser.article(std::string_view(jsonl).substr(start, nl - start));
    ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
    back.push_back(*parsed);
    start = nl + 1;
  }
  WriterOptions o;
  o.level = 1;
  o.block_size = 1024;
  test::write_archive(dir.path("b.quire"), back, o);
  EXPECT_EQ(Archive::open(dir.path("b.quire"))->manifest().content_digest, archive->manifest().content_digest);
  EXPECT_NE(test::read_file(dir.path("a.quire")), test::read_file(dir.path("b.quire")));
}

}  // namespace
}  // namespace quire
