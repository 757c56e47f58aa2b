// `quire extract` run as a user would: --to and the format from -o's name,
// the old flags, filters, --json, exit codes, and nothing left on an error.
#include <gtest/gtest.h>

#include <filesystem>

#include "format/base64.h"
#include "test_util.h"

namespace quire {
namespace {

namespace fs = std::filesystem;

using test::CliRun;
CliRun quire(const std::string& args, const test::TempDir& dir, const std::string& env = "") {
  return test::run_quire(args, dir, env);
}

// Names in the directory that are not inputs: what a run left behind.
std::set<std::string> outputs(const test::TempDir& dir) {
  std::set<std::string> names;
  for (auto& e : fs::directory_iterator(dir.root())) names.insert(e.path().filename().string());
  for (const char* input : {"in.jsonl", "in.quire", "stderr.txt"}) names.erase(input);
  return names;
}

class ExtractCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string jsonl =
        R"({"id":"a/multi","lang":"vi","date":"2024-04-26","url":"http://www.example.com/a","text":"Hà Nội – 京都 end","layers":[)"
        R"({"name":"ner","spans":[{"type":"entity","start":0,"end":9},{"type":"entity","start":14,"end":20}]}]})"
        "\n"
        R"({"id":"b/latin1","date":"2023","body_b64":")" + base64_encode("caf\xE9\n") + R"("})" "\n" +
        R"({"id":"c/page","source":"s1","text":")" + std::string(30000, 'x') + R"("})" "\n";
    test::write_file(dir.path("in.jsonl"), jsonl);
    ASSERT_EQ(quire("pack -q in.jsonl -o in.quire --no-sync", dir, "SOURCE_DATE_EPOCH=1700000000").code, 0);
  }
  test::TempDir dir;
};

TEST_F(ExtractCli, TheFormatComesFromTheOutputName) {
  for (const char* name : {"o.tar", "o.tar.gz", "o.tgz", "o.tar.zst", "o.zip", "o.warc", "o.warc.gz", "o.jsonl"}) {
    CliRun r = quire(std::string("extract -q in.quire -o ") + name + " --json", dir);
    ASSERT_EQ(r.code, 0) << name << ": " << r.err;
    EXPECT_TRUE(fs::is_regular_file(dir.path(name))) << name;
    EXPECT_NE(r.out.find("\"articles\":3"), std::string::npos) << r.out;
  }
  EXPECT_NE(quire("extract -q in.quire -o o.tgz --json", dir).out.find("\"format\":\"tar.gz\""), std::string::npos);
  // `pack` reads the tar back from a pipe.
  CliRun tar = quire("extract -q in.quire -o - --to tar | " QUIRE_BIN " pack -q - -o back.quire --no-sync", dir);
  ASSERT_EQ(tar.code, 0) << tar.err;
  EXPECT_NE(quire("ls back.quire", dir).out.find("c/page"), std::string::npos);
  ASSERT_EQ(quire("extract -q in.quire -o files", dir).code, 0);
  EXPECT_TRUE(fs::is_regular_file(dir.path("files/a/multi")));
  CliRun unknown = quire("extract -q in.quire -o o.tar.xz", dir);
  EXPECT_EQ(unknown.code, 3);
  EXPECT_NE(unknown.err.find("--to"), std::string::npos) << unknown.err;
  EXPECT_FALSE(fs::exists(dir.path("o.tar.xz")));
  EXPECT_EQ(quire("extract -q in.quire -o - ", dir).code, 3) << "stdout needs --to";
}

TEST_F(ExtractCli, OldFlagsStillWork) {
  ASSERT_EQ(quire("extract -q in.quire --jsonl old.jsonl", dir).code, 0);
  ASSERT_EQ(quire("extract -q in.quire --to jsonl -o new.jsonl", dir).code, 0);
  EXPECT_EQ(test::read_file(dir.path("old.jsonl")), test::read_file(dir.path("new.jsonl")));
  EXPECT_EQ(quire("extract -q in.quire --jsonl - ", dir).out, test::read_file(dir.path("old.jsonl")));
  EXPECT_EQ(quire("extract -q in.quire --jsonl x.jsonl -o y", dir).code, 3);
}

TEST_F(ExtractCli, ZipBytesDoNotDependOnTheTimeZone) {
  ASSERT_EQ(quire("extract -q in.quire -o utc.zip", dir, "TZ=UTC").code, 0);
  ASSERT_EQ(quire("extract -q in.quire -o hcm.zip", dir, "TZ=Asia/Ho_Chi_Minh").code, 0);
  EXPECT_EQ(test::read_file(dir.path("utc.zip")), test::read_file(dir.path("hcm.zip")));
  ASSERT_EQ(quire("extract -q in.quire -o again.tar.gz", dir).code, 0);
  ASSERT_EQ(quire("extract -q in.quire -o twice.tar.gz", dir).code, 0);
  EXPECT_EQ(test::read_file(dir.path("again.tar.gz")), test::read_file(dir.path("twice.tar.gz")));
}

TEST_F(ExtractCli, FiltersApplyToEveryFormAndToLs) {
  CliRun ls = quire("ls in.quire --id b/latin1 --id c/page --json", dir);
  EXPECT_EQ(std::count(ls.out.begin(), ls.out.end(), '\n'), 2) << ls.out;
  CliRun warc = quire("extract -q in.quire -o f.warc --cdxj f.cdxj --id a/multi --json", dir);
  ASSERT_EQ(warc.code, 0) << warc.err;
  EXPECT_NE(warc.out.find("\"cdxj_lines\":1"), std::string::npos) << warc.out;
  EXPECT_EQ(test::read_file(dir.path("f.cdxj")).rfind("com,example)/a 20240426000000 {", 0), 0u);
  CliRun tar = quire("extract -q in.quire -o f.tar --since 2024 --json", dir);
  EXPECT_NE(tar.out.find("\"articles\":1"), std::string::npos) << tar.out;
  CliRun src = quire("extract -q in.quire --to jsonl -o - --source s1", dir);
  EXPECT_EQ(std::count(src.out.begin(), src.out.end(), '\n'), 1);
  CliRun missing = quire("extract -q in.quire -o g.tar --id no/such", dir);
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("no/such"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(dir.path("g.tar")));
}

TEST_F(ExtractCli, CodepointOffsetsInJsonl) {
  CliRun r = quire("extract -q in.quire --jsonl - --offsets codepoints --id a/multi", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(R"("offsets":"codepoints")"), std::string::npos);
  EXPECT_NE(r.out.find(R"("start":0,"end":6)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"("start":9,"end":11)"), std::string::npos) << r.out;
  EXPECT_EQ(quire("extract -q in.quire -o x.tar --offsets codepoints", dir).code, 3) << "JSONL only";
  EXPECT_EQ(quire("extract -q in.quire -o x.tar --cdxj x.cdxj", dir).code, 3) << "WARC only";
}

TEST_F(ExtractCli, ErrorsLeaveNothingBehind) {
  CliRun unwritable = quire("extract -q in.quire -o no/such/dir/out.tar", dir);
  EXPECT_EQ(unwritable.code, 2);
  EXPECT_NE(unwritable.err.find("no/such/dir/out.tar"), std::string::npos) << unwritable.err;
  CliRun index = quire("extract -q in.quire -o w.warc --cdxj no/such/w.cdxj", dir);
  EXPECT_EQ(index.code, 2);
  // A body that is not UTF-8 with spans: code points are undefined.
  test::write_file(dir.path("bad.jsonl"),
                   R"({"id":"ok","text":"fine"})" "\n"
                   R"({"id":"bin","body_b64":")" + base64_encode("caf\xE9") +
                       R"(","layers":[{"name":"l","spans":[{"type":"w","start":0,"end":3}]}]})" "\n");
  ASSERT_EQ(quire("pack -q bad.jsonl -o bad.quire --no-sync", dir).code, 0);
  CliRun cp = quire("extract -q bad.quire -o bad-out.jsonl --offsets codepoints", dir);
  EXPECT_EQ(cp.code, 3);
  EXPECT_NE(cp.err.find("'bin'"), std::string::npos) << cp.err;
  // A file-size limit hit in the middle of a tar (dash counts ulimit -f in 512-byte blocks).
  CliRun full = quire("extract -q in.quire -o big.tar", dir, "ulimit -f 20;");
  EXPECT_EQ(full.code, 2) << full.err;
  EXPECT_NE(full.err.find("File too large"), std::string::npos) << full.err;
  EXPECT_EQ(outputs(dir), (std::set<std::string>{"bad.jsonl", "bad.quire"}));
}

}  // namespace
}  // namespace quire

namespace quire {
namespace {

TEST_F(ExtractCli, DolmaProfileForPipelinesSkipsOrRefusesNonUtf8Bodies) {
  CliRun refused = quire("extract -q in.quire -o d.jsonl --profile dolma", dir);
  EXPECT_EQ(refused.code, 3);
  EXPECT_NE(refused.err.find("article 'b/latin1': the body is not UTF-8"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(dir.path("d.jsonl")));
  CliRun r = quire("extract in.quire -o d.jsonl --profile dolma --on-non-utf8 skip --json -q", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(R"("articles":2)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"("skipped_non_utf8":1)"), std::string::npos) << r.out;
  std::string lines = test::read_file(dir.path("d.jsonl"));
  EXPECT_NE(lines.find(R"({"id":"a/multi","text":"Hà Nội – 京都 end","source":"quire","added":"2023-11-14T22:13:20.000Z",)"
                       R"("created":"2024-04-26T00:00:00.000Z","metadata":{"url":"http://www.example.com/a","lang":"vi",)"
                       R"("date":"2024-04-26","date_precision":"day")"),
            std::string::npos)
      << lines;
  EXPECT_EQ(quire("extract -q in.quire -o d.tar --profile dolma", dir).code, 3) << "JSONL only";
}

}  // namespace
}  // namespace quire
