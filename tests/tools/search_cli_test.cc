// `quire index`, `quire pack --fulltext` and `quire search` as a user runs them.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>

#include "test_util.h"

namespace quire {
namespace {

namespace fs = std::filesystem;
using test::run_quire;

const std::string kExamples = std::string(QUIRE_SOURCE_DIR) + "/examples/";
const std::string kPackSample =
    "pack -q " + kExamples + "articles.jsonl --annotations " + kExamples + "annotations.jsonl --no-sync ";

TEST(SearchCli, PackFulltextIsPackThenIndexByteForByte) {
  test::TempDir dir;
  ASSERT_EQ(run_quire(kPackSample + "-o plain.quire", dir).code, 0);
  auto r = run_quire("index plain.quire -o indexed.quire -q --no-sync", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(run_quire(kPackSample + "--fulltext -o packed.quire -j2", dir).code, 0);
  std::string indexed = test::read_file(dir.path("indexed.quire"));
  EXPECT_TRUE(indexed == test::read_file(dir.path("packed.quire")));
  // To stdout: the same bytes again.
  ASSERT_EQ(run_quire("index plain.quire -o - -q > piped.quire", dir).code, 0);
  EXPECT_TRUE(indexed == test::read_file(dir.path("piped.quire")));
  ASSERT_EQ(run_quire(kPackSample + "--fulltext -o - > packed-piped.quire", dir).code, 0);
  EXPECT_TRUE(indexed == test::read_file(dir.path("packed-piped.quire")));
  // Both are complete archives with the same content digest as the plain one.
  auto info_plain = run_quire("info plain.quire", dir).out;
  auto info = run_quire("info indexed.quire", dir);
  ASSERT_EQ(info.code, 0);
  EXPECT_NE(info.out.find("format:          Quire 2.0"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("full-text index: "), std::string::npos);
  EXPECT_NE(info_plain.find("full-text index: none"), std::string::npos);
  auto digest = [](const std::string& text) { return text.substr(text.find("content digest:")); };
  EXPECT_EQ(digest(info.out), digest(info_plain));
  EXPECT_EQ(run_quire("verify indexed.quire", dir).code, 0);
  // No temporary file or directory is left anywhere.
  for (auto& e : fs::directory_iterator(dir.root())) {
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
    EXPECT_EQ(e.path().filename().string().find("xapian"), std::string::npos) << e.path();
  }
}

TEST(SearchCli, PrintsRankedHitsWithMarkedSnippetsAndJson) {
  test::TempDir dir;
  ASSERT_EQ(run_quire(kPackSample + "--fulltext -o s.quire", dir).code, 0);
  auto r = run_quire("search s.quire metro", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("news/2024/04/26/hanoi-metro-extension"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("**metro**"), std::string::npos) << "not a terminal: matches marked with **: " << r.out;
  EXPECT_NE(r.err.find("stemming: en"), std::string::npos) << r.err;

  auto j = run_quire("search s.quire 'metro OR harvest' --json --limit 5", dir);
  ASSERT_EQ(j.code, 0) << j.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(j.out).get(doc), simdjson::SUCCESS) << j.out;
  simdjson::dom::array hits;
  ASSERT_EQ(doc["hits"].get(hits), simdjson::SUCCESS);
  ASSERT_GE(hits.size(), 2u);
  std::set<std::string> ids;
  for (auto h : hits) {
    std::string_view id, snippet;
    ASSERT_EQ(h["id"].get(id), simdjson::SUCCESS);
    ASSERT_EQ(h["snippet"].get(snippet), simdjson::SUCCESS);
    ids.insert(std::string(id));
    simdjson::dom::array marks;
    ASSERT_EQ(h["highlights"].get(marks), simdjson::SUCCESS);
    ASSERT_GE(marks.size(), 1u) << snippet;
    for (auto m : marks) {
      uint64_t s = m.at(0), e = m.at(1);
      ASSERT_LE(e, snippet.size());
      std::string word(snippet.substr(s, e - s));
      std::transform(word.begin(), word.end(), word.begin(), ::tolower);
      EXPECT_TRUE(word.starts_with("metro") || word.starts_with("harvest")) << word;
    }
  }
  EXPECT_TRUE(ids.count("news/2024/04/26/hanoi-metro-extension"));
  EXPECT_TRUE(ids.count("news/2023/08/mekong-delta-rice-harvest"));

  // Filters as in ls.
  auto vi = run_quire("search s.quire 'lang:vi' --no-snippets --json", dir);
  ASSERT_EQ(vi.code, 0);
  auto ls = run_quire("ls s.quire --lang vi --json", dir);
  size_t lines = std::count(ls.out.begin(), ls.out.end(), '\n');
  ASSERT_EQ(parser.parse(vi.out).get(doc), simdjson::SUCCESS);
  EXPECT_EQ(doc["hits"].get_array().size(), lines);
  auto dated = run_quire("search s.quire 'the' --since 2024 --until 2024-04 --no-snippets --json --limit 100", dir);
  auto ls_dated = run_quire("ls s.quire --since 2024 --until 2024-04 --json", dir);
  ASSERT_EQ(parser.parse(dated.out).get(doc), simdjson::SUCCESS);
  for (auto h : doc["hits"].get_array()) {
    std::string_view id = h["id"];
    EXPECT_NE(ls_dated.out.find("\"id\":\"" + std::string(id) + "\""), std::string::npos) << id;
  }
}

TEST(SearchCli, ExitStatusesAndMessages) {
  test::TempDir dir;
  ASSERT_EQ(run_quire(kPackSample + "-o plain.quire", dir).code, 0);
  auto none = run_quire("search plain.quire metro", dir);
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("no full-text index"), std::string::npos) << none.err;
  EXPECT_NE(none.err.find("quire index"), std::string::npos) << none.err;
  ASSERT_EQ(run_quire("index plain.quire -o plain.quire -q", dir).code, 0);  // in place
  auto miss = run_quire("search plain.quire zyxwvut", dir);
  EXPECT_EQ(miss.code, 1);
  EXPECT_TRUE(miss.out.empty());
  EXPECT_EQ(run_quire("search plain.quire metro --color sometimes", dir).code, 3);
  EXPECT_EQ(run_quire("search missing.quire metro", dir).code, 2);
  auto bad_date = run_quire("search plain.quire metro --since yesterday", dir);
  EXPECT_EQ(bad_date.code, 3);
  auto help = run_quire("search --help", dir);
  EXPECT_NE(help.out.find("Examples:"), std::string::npos);
  auto ihelp = run_quire("index --help", dir);
  EXPECT_NE(ihelp.out.find("Examples:"), std::string::npos);
}

TEST(SearchCli, ASetIsIndexedShardByShardAndSearchedAsOne) {
  test::TempDir dir;
  auto r = run_quire(kPackSample + "--fulltext --shard-size 3KiB -o set/", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  auto v = run_quire("verify set/", dir);
  EXPECT_EQ(v.code, 0) << v.out << v.err;  // shard digests were taken after indexing
  auto info = run_quire("info set/ --json", dir);
  ASSERT_EQ(info.code, 0);
  auto all = run_quire("search set/ 'the OR la OR der OR của' --no-snippets --json --limit 100", dir);
  ASSERT_EQ(all.code, 0) << all.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(all.out).get(doc), simdjson::SUCCESS);
  std::set<uint64_t> records;
  for (auto h : doc["hits"].get_array()) records.insert(uint64_t(h["record"]));
  EXPECT_GE(records.size(), 6u);
  // Records are global: cat #N gives the article the hit names.
  for (auto h : doc["hits"].get_array()) {
    uint64_t rec = h["record"];
    std::string_view id = h["id"];
    auto shown = run_quire("ls set/ --id '" + std::string(id) + "' --json", dir);
    EXPECT_NE(shown.out.find("\"id\":\"" + std::string(id) + "\""), std::string::npos);
    auto by_id = run_quire("cat set/ '" + std::string(id) + "'", dir);
    auto by_rec = run_quire("cat set/ '#" + std::to_string(rec) + "'", dir);
    EXPECT_EQ(by_id.out, by_rec.out) << id;
  }
}

TEST(SearchCli, VerifyNamesADamagedIndexAndEverythingElseStillReads) {
  test::TempDir dir;
  ASSERT_EQ(run_quire(kPackSample + "--fulltext -o s.quire", dir).code, 0);
  auto info = run_quire("info s.quire --json", dir);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(info.out).get(doc), simdjson::SUCCESS) << info.out;
  uint64_t file_bytes = doc["file_bytes"], index_bytes = doc["fulltext"]["bytes"], offset = doc["fulltext"]["offset"];
  ASSERT_GT(index_bytes, 0u);
  std::string bytes = test::read_file(dir.path("s.quire"));
  ASSERT_EQ(bytes.size(), file_bytes);
  auto ls = run_quire("ls s.quire --json", dir);
  bytes[offset + index_bytes / 2] ^= 0x01;
  test::write_file(dir.path("bad.quire"), bytes);
  auto v = run_quire("verify bad.quire", dir);
  EXPECT_EQ(v.code, 1);
  EXPECT_NE(v.out.find("fulltext"), std::string::npos) << v.out << v.err;
  auto s = run_quire("search bad.quire metro", dir);
  EXPECT_EQ(s.code, 2);  // a damaged index: the archive cannot be searched
  EXPECT_NE(s.err.find("fulltext"), std::string::npos) << s.err;
  EXPECT_EQ(run_quire("ls bad.quire --json", dir).out, ls.out);
  auto cat = run_quire("cat bad.quire news/2024/04/26/hanoi-metro-extension", dir);
  EXPECT_EQ(cat.code, 0);
}

}  // namespace
}  // namespace quire
