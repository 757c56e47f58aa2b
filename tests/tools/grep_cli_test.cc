// `quire grep` as a user runs it: exact output lines and their order, each
// flag, --json parsed back, sets, exit codes and a damaged block.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "reader/archive.h"
#include "test_util.h"

namespace quire {
namespace {

using test::CliRun;

class GrepCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<test::OwnedArticle> articles;
    articles.push_back(test::make_article("a1", "first line\nHanoi metro opens\r\nno match here\nlast metro"));
    articles.push_back(test::make_article("a2", "nothing"));
    articles.push_back(test::make_article("a3", "METRO upper\nmetropolis\n"));
    articles.push_back(test::make_article("a4", std::string("metro\0bin\n", 10)));
    articles.push_back(test::make_article("a5", "caf\xe9 metro\n"));
    articles.push_back(test::make_article("a6", "x a.b y\naxb\n"));
    articles[2].meta.lang = "vi";
    WriterOptions o;
    o.block_size = 1024;
    o.dictionary = false;
    test::write_archive(dir.path("x.quire"), articles, o);
  }
  CliRun quire(const std::string& args) { return test::run_quire(args, dir); }
  // Runs and expects exit code `code` and exactly `out` on stdout.
  void expect(const std::string& args, int code, const std::string& out) {
    CliRun r = quire(args);
    EXPECT_EQ(r.code, code) << args << ": " << r.err;
    EXPECT_EQ(r.out, out) << args;
  }
  test::TempDir dir;
};

TEST_F(GrepCli, LinesInArchiveOrder) {
  const std::string all =
      "a1:2:Hanoi metro opens\n"
      "a1:4:last metro\n"
      "a3:2:metropolis\n"
      "a4: binary body matches\n"
      "a5:1:caf\xe9 metro\n";
  expect("grep metro x.quire", 0, all);
  expect("grep metro x.quire -j1", 0, all);
  expect("grep metro x.quire -j4", 0, all);
  expect("grep 'o$' x.quire", 0, "a1:4:last metro\na5:1:caf\xe9 metro\n");
  expect("grep 'opens$' x.quire", 0, "a1:2:Hanoi metro opens\n");  // before "\r\n"
}

TEST_F(GrepCli, EachFlag) {
  expect("grep -i metro x.quire --color never", 0,
         "a1:2:Hanoi metro opens\na1:4:last metro\na3:1:METRO upper\na3:2:metropolis\n"
         "a4: binary body matches\na5:1:caf\xe9 metro\n");
  expect("grep -i -w metro x.quire", 0,
         "a1:2:Hanoi metro opens\na1:4:last metro\na3:1:METRO upper\na4: binary body matches\na5:1:caf\xe9 metro\n");
  expect("grep -c -i metro x.quire", 0, "a1:2\na3:2\na4:1\na5:1\n");
  expect("grep -l metro x.quire", 0, "a1\na3\na4\na5\n");
  expect("grep -o 'met\\w+' x.quire", 0,
         "a1:2:metro\na1:4:metro\na3:2:metropolis\na4: binary body matches\na5:1:metro\n");
  expect("grep -m1 metro x.quire", 0,
         "a1:2:Hanoi metro opens\na3:2:metropolis\na4: binary body matches\na5:1:caf\xe9 metro\n");
  expect("grep -c -m1 metro x.quire", 0, "a1:1\na3:1\na4:1\na5:1\n");
  expect("grep a.b x.quire", 0, "a6:1:x a.b y\na6:2:axb\n");
  expect("grep -F a.b x.quire", 0, "a6:1:x a.b y\n");
  expect("grep -a bin x.quire", 0, std::string("a4:1:metro\0bin\n", 15));
  expect("grep --color always metro x.quire --id a1", 0,
         "\x1b[35ma1\x1b[0m:\x1b[32m2\x1b[0m:Hanoi \x1b[1;31mmetro\x1b[0m opens\n"
         "\x1b[35ma1\x1b[0m:\x1b[32m4\x1b[0m:last \x1b[1;31mmetro\x1b[0m\n");
  expect("grep --color never metro x.quire --id a1", 0, "a1:2:Hanoi metro opens\na1:4:last metro\n");
}

TEST_F(GrepCli, Filters) {
  expect("grep -i metro x.quire --lang vi", 0, "a3:1:METRO upper\na3:2:metropolis\n");
  expect("grep metro x.quire --id a5 --id a1 -c", 0, "a1:2\na5:1\n");
  expect("grep metro x.quire --id-prefix a3", 0, "a3:2:metropolis\n");
  expect("grep metro x.quire --id-prefix zz", 1, "");
  CliRun bad = quire("grep metro x.quire --since notadate");
  EXPECT_EQ(bad.code, 3) << bad.err;
}

TEST_F(GrepCli, JsonParsesBack) {
  CliRun r = quire("grep --json 'met\\w*|caf' x.quire");
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<std::string> lines;
  for (size_t at = 0, nl; (nl = r.out.find('\n', at)) != std::string::npos; at = nl + 1) {
    lines.push_back(r.out.substr(at, nl - at));
  }
  ASSERT_EQ(lines.size(), 5u) << r.out;
  EXPECT_EQ(lines[0],
            R"({"archive":"x.quire","id":"a1","record":0,"line":2,"byte_offset":11,"text":"Hanoi metro opens","matches":[[6,11]]})");
  EXPECT_EQ(lines[3], R"({"archive":"x.quire","id":"a4","record":3,"binary":true})");
  simdjson::dom::parser parser;
  simdjson::dom::element last = parser.parse(lines[4]);
  EXPECT_EQ(std::string_view(last["id"].get_string().value()), "a5");
  EXPECT_EQ(uint64_t(last["record"].get_uint64().value()), 4u);
  // Not UTF-8: the line as base64, offsets still in its bytes.
  EXPECT_EQ(std::string_view(last["text_b64"].get_string().value()), "Y2Fm6SBtZXRybw==");
  simdjson::dom::array matches = last["matches"].get_array();
  std::vector<uint64_t> flat;
  for (simdjson::dom::element m : matches) {
    simdjson::dom::array pair = m.get_array();
    for (simdjson::dom::element v : pair) flat.push_back(uint64_t(v.get_uint64()));
  }
  EXPECT_EQ(flat, (std::vector<uint64_t>{0, 3, 5, 10}));
  expect("grep --json -c metro x.quire --id a1", 0, R"({"archive":"x.quire","id":"a1","record":0,"count":2})" "\n");
  expect("grep --json -l metro x.quire --id a1", 0, R"({"archive":"x.quire","id":"a1","record":0})" "\n");
}

TEST_F(GrepCli, ExitCodesAndMessages) {
  expect("grep nowhere x.quire", 1, "");
  CliRun bad = quire("grep 'ab(c' x.quire");
  EXPECT_EQ(bad.code, 3);
  EXPECT_EQ(bad.err, "quire grep: bad pattern at offset 4: missing closing parenthesis\n");
  CliRun missing = quire("grep metro missing.quire");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("quire grep: "), std::string::npos) << missing.err;
  EXPECT_EQ(quire("grep metro x.quire --color sometimes").code, 3);
  EXPECT_EQ(quire("grep -c -l metro x.quire").code, 3);
  expect("grep -m0 metro x.quire", 1, "");
  CliRun help = quire("grep --help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("1 no match"), std::string::npos) << help.out;
}

TEST_F(GrepCli, SeveralArchivesAndSets) {
  std::string in = QUIRE_SOURCE_DIR "/examples/articles.jsonl";
  ASSERT_EQ(quire("pack -q --no-sync " + in + " -o single.quire").code, 0);
  CliRun set = quire("pack -q --no-sync " + in + " --shard-size 2KiB -o set");
  ASSERT_EQ(set.code, 0) << set.err;
  CliRun single = quire("grep -i 'the \\w+' single.quire");
  ASSERT_EQ(single.code, 0) << single.err;
  EXPECT_GT(std::count(single.out.begin(), single.out.end(), '\n'), 12);
  expect("grep -i 'the \\w+' set", 0, single.out);
  expect("grep -i 'the \\w+' set/quire-set.json -j1", 0, single.out);
  expect("grep -c -w the set", 0, quire("grep -c -w the single.quire").out);
  // Several archives: each line names its archive, archives in the order given.
  expect("grep metro x.quire single.quire --id a1", 0, "x.quire:a1:2:Hanoi metro opens\nx.quire:a1:4:last metro\n");
  CliRun both = quire("grep -l . single.quire x.quire");
  ASSERT_EQ(both.code, 0);
  EXPECT_EQ(both.out.rfind("single.quire:", 0), 0u);
  EXPECT_NE(both.out.find("\nx.quire:a1\nx.quire:a2\n"), std::string::npos) << both.out;
}

// A corpus of many blocks, searched with 1 and 4 threads, then damaged.
class GrepCliBig : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937_64 rng(23);
    for (int i = 0; i < 300; ++i) {
      corpus.push_back(test::make_article("doc/" + std::to_string(i), test::random_text(rng, 200 + rng() % 3000)));
    }
    WriterOptions o;
    o.block_size = 4 * 1024;
    o.dictionary_sample_bytes = 64 * 1024;
    test::write_archive(dir.path("big.quire"), corpus, o);
  }
  CliRun quire(const std::string& args) { return test::run_quire(args, dir); }
  test::TempDir dir;
  std::vector<test::OwnedArticle> corpus;
};

TEST_F(GrepCliBig, SameOutputForAnyThreadCount) {
  // The expected lines, searched naively.
  std::string want;
  for (const auto& a : corpus) {
    size_t start = 0, number = 0;
    while (start < a.body.size()) {
      size_t nl = std::min(a.body.find('\n', start), a.body.size());
      ++number;
      std::string_view line(a.body.data() + start, nl - start);
      if (line.find("metro line") != std::string_view::npos) want += fmt::format("{}:{}:{}\n", a.meta.id, number, line);
      start = nl + 1;
    }
  }
  ASSERT_GT(want.size(), 1000u);
  for (const char* j : {"-j1", "-j2", "-j4"}) {
    CliRun r = quire(std::string("grep 'metro line' big.quire ") + j);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, want) << j;
  }
  CliRun j1 = quire("grep --json -o 'Đà \\w+' big.quire -j1");
  CliRun j4 = quire("grep --json -o 'Đà \\w+' big.quire -j4");
  EXPECT_EQ(j1.code, 0);
  EXPECT_GT(j1.out.size(), 1000u);
  EXPECT_EQ(j1.out, j4.out);
}

TEST_F(GrepCliBig, ADamagedBlockIsReportedAndTheRestSearched) {
  auto archive = Archive::open(dir.path("big.quire"));
  uint64_t block = archive->find("doc/150")->block();
  auto range = *archive->block_records(block);
  std::string bytes = test::read_file(dir.path("big.quire"));
  uint64_t target = test::block_tail_offset(bytes, block);
  ASSERT_GT(target, 0u);
  bytes[target] ^= 0x01;
  test::write_file(dir.path("damaged.quire"), bytes);
  std::string want;
  for (uint64_t r = 0; r < corpus.size(); ++r) {
    if (r >= range.first && r < range.first + range.second) continue;
    if (corpus[r].body.find('e') != std::string::npos) want += corpus[r].meta.id + "\n";
  }
  for (const char* j : {"-j1", "-j3"}) {
    CliRun r = quire(std::string("grep -l e damaged.quire ") + j);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_EQ(r.out, want);
    EXPECT_NE(r.err.find(fmt::format("quire grep: corruption: damaged.quire: block {} (record {})", block, range.first)),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("checksum"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace quire
