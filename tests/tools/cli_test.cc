// The `quire` binary, run as a user would: outputs, exit codes and messages.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>

#include "test_util.h"

namespace quire {
namespace {

using test::CliRun;
CliRun quire(const std::string& args, const test::TempDir& dir) { return test::run_quire(args, dir); }

const std::string kExamples = std::string(QUIRE_SOURCE_DIR) + "/examples";

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    CliRun r = quire("pack -q " + kExamples + "/articles.jsonl --annotations " + kExamples +
                      "/annotations.jsonl -o sample.quire --no-sync",
                  dir);
    ASSERT_EQ(r.code, 0) << r.err;
  }
  test::TempDir dir;
};

TEST_F(Cli, LsListsEveryArticleAndFilters) {
  CliRun r = quire("ls sample.quire", dir);
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("news/2024/04/26/hanoi-metro-extension"), std::string::npos);
  CliRun vi = quire("ls sample.quire --lang vi --json", dir);
  EXPECT_EQ(vi.code, 0);
  EXPECT_EQ(std::count(vi.out.begin(), vi.out.end(), '\n'), 2);
  CliRun dated = quire("ls sample.quire --since 2024-03 --until 2024-04 --json", dir);
  EXPECT_EQ(std::count(dated.out.begin(), dated.out.end(), '\n'), 4) << dated.out;
  CliRun bad = quire("ls sample.quire --since yesterday", dir);
  EXPECT_EQ(bad.code, 3);
  EXPECT_NE(bad.err.find("--since"), std::string::npos);
}

TEST_F(Cli, CatIsByteExactAndAcceptsEveryReferenceForm) {
  CliRun r = quire("cat sample.quire news/2023/10/05/kyoto-express-buses", dir);
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("京都"), std::string::npos);
  EXPECT_EQ(quire("cat sample.quire '#9'", dir).out, r.out);
  CliRun show = quire("show sample.quire '#9' --json", dir);
  size_t at = show.out.find("\"sha256\":\"") + 10;
  EXPECT_EQ(quire("cat sample.quire sha256:" + show.out.substr(at, 64), dir).out, r.out);
  CliRun missing = quire("cat sample.quire no/such/article", dir);
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("no article with id 'no/such/article'"), std::string::npos) << missing.err;
}

TEST_F(Cli, ShowPrintsMetadataAndCoveredText) {
  CliRun r = quire("show sample.quire news/2024/04/26/hanoi-metro-extension", dir);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("originally in Vietnamese"), std::string::npos);
  EXPECT_NE(r.out.find("\"Nguyen Van Long\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("dateline"), std::string::npos);
}

TEST_F(Cli, VerifyExitCodes) {
  EXPECT_EQ(quire("verify sample.quire", dir).code, 0);
  CliRun quick = quire("verify sample.quire --quick --json", dir);
  EXPECT_EQ(quick.code, 0);
  EXPECT_NE(quick.out.find("\"ok\":true"), std::string::npos);
  std::string bytes = test::read_file(dir.path("sample.quire"));
  bytes[200] ^= 1;
  test::write_file(dir.path("bad.quire"), bytes);
  CliRun bad = quire("verify bad.quire", dir);
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("DAMAGED block 0"), std::string::npos) << bad.out;
  test::write_file(dir.path("junk.quire"), std::string(1000, 'j'));
  EXPECT_EQ(quire("verify junk.quire", dir).code, 2);
  EXPECT_EQ(quire("verify sample.quire --id news/2023/10/05/kyoto-express-buses --id '#0'", dir).code, 0);
  EXPECT_EQ(quire("verify sample.quire --id no/such", dir).code, 3);
  CliRun digest = quire("info sample.quire --json", dir);
  size_t at = digest.out.find("\"content_digest\":\"") + 18;
  std::string d = digest.out.substr(at, 64);
  EXPECT_EQ(quire("verify sample.quire --expect " + d, dir).code, 0);
  EXPECT_EQ(quire("verify sample.quire --expect " + std::string(64, '0'), dir).code, 1);
}

TEST_F(Cli, ExtractAndRepackKeepTheContentDigest) {
  ASSERT_EQ(quire("extract -q sample.quire --jsonl out.jsonl", dir).code, 0);
  ASSERT_EQ(quire("pack -q out.jsonl -o again.quire --level 3 --no-dict --no-sync", dir).code, 0);
  CliRun a = quire("info sample.quire --json", dir), b = quire("info again.quire --json", dir);
  auto digest = [](const std::string& s) { return s.substr(s.find("\"content_digest\""), 84); };
  EXPECT_EQ(digest(a.out), digest(b.out));
  ASSERT_EQ(quire("extract -q sample.quire -o files", dir).code, 0);
  EXPECT_EQ(test::read_file(dir.path("files/news/2023/10/05/kyoto-express-buses")),
            quire("cat sample.quire news/2023/10/05/kyoto-express-buses", dir).out);
}

TEST_F(Cli, DirectoryInputWithMetaSidecar) {
  std::filesystem::create_directories(dir.root() / "pages/sub");
  test::write_file(dir.path("pages/a.txt"), "alpha");
  test::write_file(dir.path("pages/sub/b.txt"), "beta");
  test::write_file(dir.path("meta.jsonl"), R"({"id":"sub/b.txt","title":"Bee","lang":"en"})" "\n");
  CliRun r = quire("pack -q pages --meta meta.jsonl -o pages.quire --no-sync", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  CliRun ls = quire("ls pages.quire --json", dir);
  EXPECT_NE(ls.out.find(R"("id":"a.txt")"), std::string::npos);
  EXPECT_NE(ls.out.find(R"("title":"Bee")"), std::string::npos);
}

TEST_F(Cli, BadInputNamesFileAndLine) {
  test::write_file(dir.path("bad.jsonl"), "{\"id\":\"a\",\"text\":\"x\"}\n\n{\"id\":\"b\",\"text\":\"y\",\"date\":\"soon\"}\n");
  CliRun r = quire("pack bad.jsonl -o bad.quire", dir);
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("bad.jsonl:3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad date 'soon'"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.path("bad.quire")));
  test::write_file(dir.path("dup.jsonl"), "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"a\",\"text\":\"y\"}\n");
  CliRun d = quire("pack dup.jsonl -o dup.quire", dir);
  EXPECT_EQ(d.code, 3);
  EXPECT_NE(d.err.find("dup.jsonl:2: duplicate id 'a' (first at dup.jsonl:1)"), std::string::npos) << d.err;
  CliRun missing = quire("pack nothing.jsonl -o x.quire", dir);
  EXPECT_NE(missing.err.find("nothing.jsonl"), std::string::npos);
  // Nothing half-written is left behind.
  for (auto& e : std::filesystem::directory_iterator(dir.root())) {
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
  }
}

TEST_F(Cli, StdinAndStdoutPipes) {
  CliRun r = quire("extract -q sample.quire --jsonl - | " QUIRE_BIN " pack -q - -o - > piped.quire", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(quire("verify piped.quire", dir).code, 0);
  EXPECT_EQ(quire("ls piped.quire --json", dir).out, quire("ls sample.quire --json", dir).out);
}

TEST_F(Cli, SalvageOfACutArchiveReportsTheLossAndKeepsTheMetadata) {
  ASSERT_EQ(quire("pack -q " + kExamples + "/articles.jsonl -o titled.quire --title 'Sample' --no-sync", dir).code, 0);
  std::string bytes = test::read_file(dir.path("titled.quire"));
  test::write_file(dir.path("cut.quire"), bytes.substr(0, bytes.size() - 10));  // footer gone, manifest intact
  CliRun r = quire("salvage cut.quire -o back.quire --no-sync", dir);
  EXPECT_EQ(r.code, 1) << "a cut tail is never a complete recovery\n" << r.out;
  EXPECT_NE(r.out.find("recovered 12 articles of 12"), std::string::npos) << r.out;
  EXPECT_NE(quire("info back.quire", dir).out.find("Sample"), std::string::npos);
  EXPECT_EQ(quire("verify back.quire", dir).code, 0);
  EXPECT_EQ(quire("salvage titled.quire -o whole.quire --no-sync", dir).code, 0);
}

TEST_F(Cli, AMissingArchiveAndAFailedWriteAreUnreadableErrors) {
  for (const char* cmd : {"ls", "info", "verify", "cat", "show", "extract"}) {
    std::string args = std::string(cmd) + " no-such.quire" +
                       (std::string(cmd) == "cat" || std::string(cmd) == "show" ? " x" : "") +
                       (std::string(cmd) == "extract" ? " -o out" : "");
    CliRun r = quire(args, dir);
    EXPECT_EQ(r.code, 2) << cmd << ": " << r.err;
    EXPECT_NE(r.err.find("no-such.quire"), std::string::npos) << cmd;
  }
  CliRun full = quire("extract -q sample.quire --jsonl - > /dev/full", dir);
  EXPECT_EQ(full.code, 2) << "a write error on stdout is not success";
  EXPECT_NE(full.err.find("cannot write"), std::string::npos) << full.err;
}

// Any archive libarchive reads: each regular file is an article (id = member
// path, date = member mtime), links are reported and not stored, stdin works.
TEST_F(Cli, PacksTarZipAndStdinArchivesMemberByMember) {
  namespace fs = std::filesystem;
  fs::create_directories(dir.root() / "tree/sub");
  test::write_file(dir.path("tree/a.txt"), "alpha\n");
  test::write_file(dir.path("tree/sub/b.html"), "<p>Xin chào</p>\n");
  test::write_file(dir.path("tree/empty"), "");
  fs::create_symlink("a.txt", dir.root() / "tree/link");
  ASSERT_EQ(system(("cd '" + dir.root().string() + "/tree' && touch -d '2024-04-26 09:43:00Z' a.txt && "
                    "tar -cf ../t.tar . && tar -czf ../t.tar.gz . && tar --zstd -cf ../t.tar.zst . && "
                    "/usr/bin/python3 -c \"import zipfile; z=zipfile.ZipFile('../t.zip','w'); "
                    "[z.write(p) for p in ['a.txt','sub/b.html','empty']]; z.close()\"").c_str()), 0);
  std::string want_a = "alpha\n", want_b = "<p>Xin chào</p>\n";
  for (const char* name : {"t.tar", "t.tar.gz", "t.tar.zst", "t.zip"}) {
    std::string out = std::string(name) + ".quire";
    CliRun r = quire(std::string("pack -q ") + name + " -o " + out + " --no-sync", dir);
    ASSERT_EQ(r.code, 0) << name << ": " << r.err;
    if (std::string(name).find("tar") != std::string::npos) {
      EXPECT_NE(r.err.find("member 'link' is a link"), std::string::npos) << name << ": " << r.err;
    }
    EXPECT_EQ(quire("cat " + out + " a.txt", dir).out, want_a) << name;
    EXPECT_EQ(quire("cat " + out + " sub/b.html", dir).out, want_b) << name;
    EXPECT_EQ(quire("cat " + out + " empty", dir).code, 0) << name;
    EXPECT_NE(quire("cat " + out + " link", dir).code, 0) << name << ": links are not stored";
    EXPECT_NE(quire("show " + out + " a.txt", dir).out.find("2024-04-26T09:43"), std::string::npos) << name;
  }
  CliRun piped = quire("pack -q - -o piped.quire --no-sync < t.tar.gz", dir);
  ASSERT_EQ(piped.code, 0) << piped.err;
  EXPECT_EQ(quire("cat piped.quire sub/b.html", dir).out, want_b);
  test::write_file(dir.path("junk.bin"), std::string(3000, '\x07'));
  CliRun junk = quire("pack junk.bin -o junk.quire", dir);
  EXPECT_EQ(junk.code, 3);
  EXPECT_NE(junk.err.find("junk.bin"), std::string::npos) << junk.err;
  EXPECT_FALSE(fs::exists(dir.path("junk.quire")));
}

// --memory bounds the per-article state; beyond it the state spills, and
// the archive is byte-identical to the one packed within the default budget.
TEST_F(Cli, PackMemoryGivesTheSameBytesAndRefusesABadSize) {
  std::string jsonl;
  for (int i = 0; i < 4000; ++i) {  // every fifth body repeats an earlier one: deduplication spills too
    int body = i % 5 == 4 ? i / 2 : i;
    jsonl += fmt::format("{{\"id\":\"doc/{}\",\"text\":\"body {} of a small corpus\"}}\n", i, body);
  }
  test::write_file(dir.path("many.jsonl"), jsonl);
  CliRun small = quire("pack --json many.jsonl -o small.quire --no-sync --memory 16KiB", dir);
  ASSERT_EQ(small.code, 0) << small.err;
  CliRun normal = quire("pack --json many.jsonl -o normal.quire --no-sync", dir);
  ASSERT_EQ(normal.code, 0) << normal.err;
  EXPECT_EQ(small.out.find("\"spill_bytes\":0,"), std::string::npos) << "16 KiB spills: " << small.out;
  EXPECT_NE(normal.out.find("\"spill_bytes\":0,"), std::string::npos) << "the default does not: " << normal.out;
  std::string bytes = test::read_file(dir.path("small.quire"));
  EXPECT_GT(bytes.size(), 1000u);
  EXPECT_TRUE(bytes == test::read_file(dir.path("normal.quire")));
  CliRun bad = quire("pack -q many.jsonl -o bad.quire --no-sync --memory 12XB", dir);
  EXPECT_EQ(bad.code, 3);
  EXPECT_NE(bad.err.find("--memory: '12XB': unknown size unit 'XB'"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(dir.path("bad.quire")));
}

// The per-article state stays within --memory: 400,000 tiny articles at
// 1 MiB peak at about 34 MiB; when that state was all in memory they took
// 90 MiB (measured 2026-11-24), so the limit catches its return.
TEST_F(Cli, PackPeakMemoryDoesNotGrowWithTheArticleCount) {
  {
    std::string jsonl;
    for (int i = 0; i < 400000; ++i) jsonl += fmt::format("{{\"id\":\"doc/{}\",\"text\":\"tiny {:08}\"}}\n", i, i);
    test::write_file(dir.path("tiny.jsonl"), jsonl);
  }
  CliRun r = quire("--version >/dev/null && /usr/bin/time -f 'maxrss-kib %M' " QUIRE_BIN
                   " pack tiny.jsonl -o tiny.quire --no-sync -q -j1 --memory 1MiB",
                   dir);
  ASSERT_EQ(r.code, 0) << r.err;
  size_t at = r.err.find("maxrss-kib ");
  ASSERT_NE(at, std::string::npos) << r.err;
  EXPECT_LT(std::stol(r.err.substr(at + 11)), 64 * 1024) << "peak RSS in KiB";
  EXPECT_EQ(quire("cat tiny.quire doc/399999", dir).out, "tiny 00399999");
}

TEST_F(Cli, EverySubcommandHasHelpWithAnExample) {
  for (const char* cmd : {"pack", "ls", "show", "cat", "extract", "info", "verify", "salvage"}) {
    CliRun r = quire(std::string(cmd) + " --help", dir);
    EXPECT_EQ(r.code, 0) << cmd;
    EXPECT_NE(r.out.find("Example"), std::string::npos) << cmd;
  }
  EXPECT_EQ(quire("frobnicate", dir).code, 3);
}

}  // namespace
}  // namespace quire
