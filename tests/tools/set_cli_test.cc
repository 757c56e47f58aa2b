// Archive sets through the CLI (SPEC.md 15): `pack --shard-size` writes
// several shards, and ls, show, cat, extract, info and verify give on the set
// what they give on a single archive of the same input.
#include <gtest/gtest.h>

#include <filesystem>

#include "test_util.h"

namespace quire {
namespace {

namespace fs = std::filesystem;

using test::CliRun;

class SetCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string in = QUIRE_SOURCE_DIR "/examples/articles.jsonl";
    std::string ann = QUIRE_SOURCE_DIR "/examples/annotations.jsonl";
    CliRun single = quire("pack -q --no-sync " + in + " --annotations " + ann + " -o single.quire");
    ASSERT_EQ(single.code, 0) << single.err;
    CliRun set = quire("pack --no-sync " + in + " --annotations " + ann + " --shard-size 2KiB -o set");
    ASSERT_EQ(set.code, 0) << set.err;
    EXPECT_NE(set.err.find("a set of"), std::string::npos) << set.err;
  }
  CliRun quire(const std::string& args) { return test::run_quire(args, dir); }
  // Runs `args` with "ARCHIVE" replaced by the single archive, then by the set; both must agree.
  void same_output(const std::string& args) {
    auto with = [&](const std::string& archive) {
      std::string a = args;
      a.replace(a.find("ARCHIVE"), 7, archive);
      return quire(a);
    };
    CliRun single = with("single.quire"), set = with("set"), manifest = with("set/quire-set.json");
    EXPECT_EQ(single.code, 0) << args << ": " << single.err;
    EXPECT_EQ(set.code, single.code) << args << ": " << set.err;
    EXPECT_EQ(set.out, single.out) << args;
    EXPECT_EQ(manifest.out, single.out) << args;
  }
  size_t shards() {
    size_t n = 0;
    for (auto& e : fs::directory_iterator(dir.path("set"))) n += e.path().extension() == ".quire";
    return n;
  }
  test::TempDir dir;
};

TEST_F(SetCli, PackWritesSeveralShardsAndAManifest) {
  EXPECT_GE(shards(), 4u);
  EXPECT_TRUE(fs::is_regular_file(dir.path("set/part-00000.quire")));
  std::string manifest = test::read_file(dir.path("set/quire-set.json"));
  EXPECT_EQ(manifest.rfind("{\"format\":\"quire-set\",\"version\":1,\"articles\":12,", 0), 0u) << manifest;
  // Into a directory that is not empty: refused, nothing touched.
  CliRun again = quire("pack -q --no-sync " QUIRE_SOURCE_DIR "/examples/articles.jsonl --shard-size 2KiB -o set");
  EXPECT_EQ(again.code, 3) << again.err;
  EXPECT_EQ(test::read_file(dir.path("set/quire-set.json")), manifest);
  // The same input and options give the same set.
  ASSERT_EQ(quire("pack -q --no-sync -j2 " QUIRE_SOURCE_DIR "/examples/articles.jsonl --annotations " QUIRE_SOURCE_DIR
                  "/examples/annotations.jsonl --shard-size 2KiB -o set2").code, 0);
  EXPECT_EQ(test::read_file(dir.path("set2/quire-set.json")), manifest);
}

TEST_F(SetCli, LsShowCatGiveTheSameArticles) {
  same_output("ls ARCHIVE");
  same_output("ls ARCHIVE --json --lang vi");
  same_output("show ARCHIVE '#0' '#5' '#11' news/2024/01/15/novosibirsk-frost");
  same_output("show ARCHIVE '#7' --json --annotations");
  same_output("cat ARCHIVE news/2024/03/20/amman-water-campaign '#2' '#11'");
  CliRun missing = quire("cat set no/such/id");
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("no article with id 'no/such/id'"), std::string::npos) << missing.err;
}

TEST_F(SetCli, ExtractGivesTheSameFiles) {
  for (const char* to : {"jsonl", "tar", "zip"}) {
    same_output(std::string("extract -q ARCHIVE --to ") + to + " -o -");
  }
  ASSERT_EQ(quire("extract -q single.quire -o d1").code, 0);
  ASSERT_EQ(quire("extract -q set -o d2").code, 0);
  size_t files = 0;
  for (auto& e : fs::recursive_directory_iterator(dir.path("d1"))) {
    if (!e.is_regular_file()) continue;
    ++files;
    std::string rel = fs::relative(e.path(), dir.path("d1")).string();
    EXPECT_EQ(test::read_file(e.path().string()), test::read_file(dir.path("d2/" + rel))) << rel;
  }
  EXPECT_EQ(files, 12u);
  CliRun warc = quire("extract set -o set.warc --json");
  EXPECT_EQ(warc.code, 0) << warc.err;
  EXPECT_NE(warc.out.find("\"articles\":12"), std::string::npos) << warc.out;
}

TEST_F(SetCli, InfoGivesTotalsAndShards) {
  CliRun info = quire("info set");
  ASSERT_EQ(info.code, 0) << info.err;
  EXPECT_NE(info.out.find("articles:        12 "), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("part-00001.quire"), std::string::npos) << info.out;
  CliRun json = quire("info set --json --digest");
  ASSERT_EQ(json.code, 0) << json.err;
  EXPECT_NE(json.out.find("\"articles\":12,"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"file_digest_computed\""), std::string::npos) << json.out;
}

TEST_F(SetCli, VerifyChecksEveryShardAndTheManifest) {
  CliRun ok = quire("verify set");
  EXPECT_EQ(ok.code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("OK (full verify) 12 articles"), std::string::npos) << ok.out;
  EXPECT_EQ(quire("verify set --quick").code, 0);
  EXPECT_EQ(quire("verify set/quire-set.json --json").code, 0);

  // An altered shard: one byte flipped in the middle.
  std::string path = dir.path("set/part-00001.quire");
  std::string bytes = test::read_file(path);
  bytes[bytes.size() / 2] ^= 0x01;
  test::write_file(path, bytes);
  CliRun altered = quire("verify set");
  EXPECT_EQ(altered.code, 1) << altered.out;
  EXPECT_NE(altered.out.find("DAMAGED part-00001.quire"), std::string::npos) << altered.out;
  EXPECT_NE(altered.out.find("file digest"), std::string::npos) << altered.out;

  // A deleted shard.
  fs::remove(dir.path("set/part-00002.quire"));
  CliRun missing = quire("verify set --json");
  EXPECT_EQ(missing.code, 1) << missing.out;
  EXPECT_NE(missing.out.find("\"item\":\"part-00002.quire\",\"offset\":0,\"message\":\"shard missing"),
            std::string::npos) << missing.out;
  // Reading routes around it until an article in it is asked for, then names it.
  CliRun cat = quire("cat set '#0'");
  EXPECT_EQ(cat.code, 0) << cat.err;
  CliRun ls = quire("ls set");
  EXPECT_NE(ls.code, 0);
  EXPECT_NE(ls.err.find("shard 'part-0000"), std::string::npos) << ls.err;  // the altered one, met first
}

TEST_F(SetCli, VerifyComparesTheSetContentDigest) {
  std::string manifest = test::read_file(dir.path("set/quire-set.json"));
  size_t at = manifest.find("\"content_digest\":\"") + 18;
  std::string digest = manifest.substr(at, 64);
  EXPECT_EQ(quire("verify set --expect " + digest).code, 0);
  EXPECT_EQ(quire("verify set --expect " + std::string(64, '0')).code, 1);
  // A manifest that is not valid is unreadable (2), with the file named.
  test::write_file(dir.path("set/quire-set.json"), manifest.substr(0, manifest.size() / 2));
  CliRun bad = quire("verify set");
  EXPECT_EQ(bad.code, 2) << bad.out;
  CliRun ls = quire("ls set");
  EXPECT_EQ(ls.code, 2);
  EXPECT_NE(ls.err.find("quire-set.json"), std::string::npos) << ls.err;
}

}  // namespace
}  // namespace quire
