// `extract --to tar|tar.gz|tar.zst|zip|jsonl` through the library: members
// read back with libarchive, byte-identical repeats, code point offsets, and
// nothing left behind on an error.
#include "reader/export_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <locale.h>

#include <filesystem>
#include <map>

#include "export_fixture.h"
#include "format/id_path.h"
#include "reader/extract.h"
#include "reader/export_file.h"

namespace quire {
namespace {

namespace fs = std::filesystem;

struct Member {
  std::string body;
  int64_t mtime = 0;
  int64_t uid = -1, gid = -1;
  unsigned mode = 0;
};

// Every member of a tar or zip file (any compression), by path, in order,
// read as a user with a UTF-8 locale would (libarchive converts names to the
// locale's character set).
std::vector<std::pair<std::string, Member>> read_members(const std::string& path) {
  std::vector<std::pair<std::string, Member>> out;
  locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  locale_t previous = uselocale(utf8);
  struct archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_all(a);
  EXPECT_EQ(archive_read_open_filename(a, path.c_str(), 65536), ARCHIVE_OK) << archive_error_string(a);
  archive_entry* e = nullptr;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    Member m;
    m.mtime = archive_entry_mtime(e);
    m.uid = archive_entry_uid(e);
    m.gid = archive_entry_gid(e);
    m.mode = archive_entry_mode(e);
    char buf[65536];
    la_ssize_t n;
    while ((n = archive_read_data(a, buf, sizeof buf)) > 0) m.body.append(buf, static_cast<size_t>(n));
    out.emplace_back(archive_entry_pathname(e), m);
  }
  archive_read_free(a);
  uselocale(previous);
  freelocale(utf8);
  return out;
}

struct Exported {
  test::TempDir dir;
  std::vector<test::OwnedArticle> corpus = test::export_corpus();
  Exported() { test::write_archive(dir.path("in.quire"), corpus); }
  Archive archive() const { return *Archive::open(dir.path("in.quire")); }

  // Exports to NAME and returns the path; fails the test on an error.
  std::string to(ArchiveKind kind, const std::string& name, const ArticleFilter& filter = {}) const {
    auto out = ExportFile::create(dir.path(name));
    EXPECT_TRUE(out.is_ok());
    auto stats = export_to_archive(archive(), kind, **out, filter);
    EXPECT_TRUE(stats.is_ok()) << stats.status().to_string();
    EXPECT_TRUE((*out)->commit().is_ok());
    return dir.path(name);
  }
};

TEST(ExportArchive, EveryKindReadsBackWithExactBodiesNamesAndMtimes) {
  Exported x;
  for (auto [kind, name] : {std::pair{ArchiveKind::kTar, "a.tar"}, {ArchiveKind::kTarGzip, "a.tar.gz"},
                            {ArchiveKind::kTarZstd, "a.tar.zst"}, {ArchiveKind::kZip, "a.zip"}}) {
    auto members = read_members(x.to(kind, name));
    ASSERT_EQ(members.size(), x.corpus.size()) << name;
    for (size_t i = 0; i < x.corpus.size(); ++i) {
      const auto& [path, m] = members[i];
      const auto& a = x.corpus[i];
      EXPECT_EQ(m.body, a.body) << name << " " << path;
      int64_t mtime = a.meta.date.known() ? a.meta.date.period_start() : 0;
      EXPECT_EQ(m.mtime, mtime) << name << " " << path;
      EXPECT_EQ(m.mode & 0777, 0644u) << name;
      if (kind != ArchiveKind::kZip) {
        EXPECT_EQ(m.uid, 0) << name;
      }
      if (a.meta.id != "case" && a.meta.id != "dir/child") {
        EXPECT_EQ(path, id_to_relative_path(a.meta.id)) << name;
      }
    }
    EXPECT_EQ(members[0].first, "news/2024/04/26/hanoi");
    EXPECT_EQ(members[0].second.mtime, 1714089600) << "2024-04-26T00:00:00Z";
    EXPECT_EQ(members.back().first, "%2E%2E/%2E%2E/escape") << name;
  }
}

TEST(ExportArchive, PathsThatCollideGetCollisionNamesAsInADirectory) {
  Exported x;
  auto members = read_members(x.to(ArchiveKind::kTar, "c.tar"));
  std::map<std::string, std::string> by_body;
  for (const auto& [path, m] : members) by_body[m.body] = path;
  EXPECT_EQ(by_body["body of Case"], "Case");
  EXPECT_EQ(by_body["body of case"], collision_name("case", "case")) << "differs only in case";
  EXPECT_EQ(by_body["body of dir"], "dir");
  EXPECT_EQ(by_body["body of dir/child"], collision_name("dir", "dir/child") + "/child") << "a file named dir came first";
  // Extracting the tar to a directory gives every body back.
  MemberPaths paths;
  bool renamed = false;
  EXPECT_EQ(paths.assign("dir/child", renamed), "dir/child");
  EXPECT_EQ(paths.assign("dir", renamed), collision_name("dir", "dir"));
  EXPECT_TRUE(renamed);
}

TEST(ExportArchive, TheSameArchiveGivesByteIdenticalFiles) {
  Exported x;
  for (auto [kind, name] : {std::pair{ArchiveKind::kTar, "tar"}, {ArchiveKind::kTarGzip, "tar.gz"},
                            {ArchiveKind::kTarZstd, "tar.zst"}, {ArchiveKind::kZip, "zip"}}) {
    std::string first = test::read_file(x.to(kind, std::string("1.") + name));
    std::string second = test::read_file(x.to(kind, std::string("2.") + name));
    EXPECT_GT(first.size(), 0u);
    EXPECT_EQ(first, second) << name;
    if (kind == ArchiveKind::kTarGzip) {
      ASSERT_GE(first.size(), 10u);
      EXPECT_EQ(first.substr(4, 4), std::string(4, '\0')) << "no time in the gzip header";
    }
  }
}

TEST(ExportArchive, FiltersSelectTheMembers) {
  Exported x;
  ArticleFilter f;
  f.ids = {"a/plain", "http/missing", "no/such/id"};
  auto members = read_members(x.to(ArchiveKind::kTar, "ids.tar", f));
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[0].first, "a/plain");
  EXPECT_EQ(members[1].first, "http/missing");
  ArticleFilter prefix;
  prefix.id_prefix = "http/";
  prefix.since = *Date::parse("2024-06");
  prefix.until = *Date::parse("2024-06");
  members = read_members(x.to(ArchiveKind::kZip, "prefix.zip", prefix));
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].first, "http/missing");
}

TEST(ExportArchive, ADamagedBodyLeavesNothingBehind) {
  Exported x;
  std::string bytes = test::read_file(x.dir.path("in.quire"));
  // Every body is in the first block; damage a byte well inside it.
  std::string damaged = bytes;
  damaged[200] = static_cast<char>(damaged[200] ^ 0x40);
  test::write_file(x.dir.path("bad.quire"), damaged);
  auto archive = Archive::open(x.dir.path("bad.quire"));
  ASSERT_TRUE(archive.is_ok()) << "open reads only the header, footer and manifest";
  {
    auto out = ExportFile::create(x.dir.path("bad.tar"));
    ASSERT_TRUE(out.is_ok());
    EXPECT_FALSE(fs::exists(x.dir.path("bad.tar"))) << "nothing at the target before commit";
    auto stats = export_to_archive(*archive, ArchiveKind::kTar, **out, {});
    EXPECT_FALSE(stats.is_ok());
  }
  for (auto& e : fs::directory_iterator(x.dir.root())) {
    EXPECT_EQ(e.path().filename().string().find("bad.tar"), std::string::npos) << e.path();
  }
}

TEST(ExportFile, AppearsOnlyOnCommitAndAnUnwritablePathIsAnError) {
  test::TempDir dir;
  {
    auto out = ExportFile::create(dir.path("x.bin"));
    ASSERT_TRUE(out.is_ok());
    ASSERT_TRUE((*out)->write("partial").is_ok());
  }
  EXPECT_TRUE(fs::is_empty(dir.root())) << "abandoned: no target, no temporary file";
  auto out = ExportFile::create(dir.path("x.bin"));
  ASSERT_TRUE((*out)->write("whole").is_ok());
  EXPECT_EQ((*out)->offset(), 5u);
  ASSERT_TRUE((*out)->commit().is_ok());
  EXPECT_EQ(test::read_file(dir.path("x.bin")), "whole");
  auto bad = ExportFile::create(dir.path("no/such/dir/x.bin"));
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().code(), Code::kIoError);
  EXPECT_NE(bad.status().message().find("no/such/dir/x.bin"), std::string::npos);
}

// --- JSONL with code point offsets ---

std::string jsonl_of(const Archive& archive, OffsetUnit unit, const ArticleFilter& filter, Status* error = nullptr) {
  std::string text;
  auto stats = extract_to_jsonl(archive, filter, [&](std::string_view line) {
    text += line;
    return Status::ok();
  }, {}, unit);
  if (error) *error = stats.is_ok() ? Status::ok() : stats.status();
  return text;
}

TEST(ExportJsonl, CodepointOffsetsCountCodePointsAndSaySo) {
  Exported x;
  ArticleFilter f;
  f.ids = {"news/2024/04/26/hanoi"};
  std::string bytes = jsonl_of(x.archive(), OffsetUnit::kBytes, f);
  EXPECT_NE(bytes.find(R"("start":14,"end":20)"), std::string::npos) << bytes;
  EXPECT_EQ(bytes.find("\"offsets\""), std::string::npos) << "bytes is the default, not marked";
  std::string cps = jsonl_of(x.archive(), OffsetUnit::kCodepoints, f);
  EXPECT_NE(cps.find(R"("offsets":"codepoints")"), std::string::npos) << cps;
  EXPECT_NE(cps.find(R"("start":0,"end":6,"label":"GPE")"), std::string::npos) << cps;
  EXPECT_NE(cps.find(R"("start":9,"end":11,"label":"GPE","attrs":{"lang":"ja"})"), std::string::npos) << cps;
  EXPECT_NE(cps.find("\"text\":\"Hà Nội – 京都 😀 end\""), std::string::npos) << "the body is unchanged";
}

TEST(ExportJsonl, CodepointsOfANonUtf8BodyWithSpansIsAnErrorNamingTheArticle) {
  test::TempDir dir;
  auto bad = test::make_article("bin/spans", "caf\xE9");
  bad.layers = {{"l", "", {{0, 3, "word", "", {}}}}};
  test::write_archive(dir.path("b.quire"), {test::make_article("ok", "fine"), bad});
  auto archive = *Archive::open(dir.path("b.quire"));
  Status error;
  jsonl_of(archive, OffsetUnit::kCodepoints, {}, &error);
  EXPECT_EQ(error.code(), Code::kInvalidArgument);
  EXPECT_NE(error.message().find("bin/spans"), std::string::npos) << error.to_string();
  EXPECT_NE(error.message().find("UTF-8"), std::string::npos) << error.to_string();
  // Without spans there is nothing to convert: a non-UTF-8 body goes out as body_b64.
  Status fine;
  std::string text = jsonl_of(Exported().archive(), OffsetUnit::kCodepoints, {}, &fine);
  EXPECT_TRUE(fine.is_ok()) << fine.to_string();
  EXPECT_NE(text.find("\"body_b64\""), std::string::npos);
}

}  // namespace
}  // namespace quire
