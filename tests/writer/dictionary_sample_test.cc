#include "writer/dictionary_sample.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <fstream>

#include "tests/test_util.h"

namespace quire {
namespace {

using test::TempDir;

// A corpus sorted by source, of bodies larger than the pieces: the sample
// must still reach the last source (stopping at the budget once kept only
// the start of such an input: 32 pieces of 16 KiB, all from "first").
std::vector<std::pair<std::string, std::string>> sorted_corpus() {
  std::vector<std::pair<std::string, std::string>> out;
  for (int i = 0; i < 1500; ++i) {
    std::string source = i < 500 ? "first" : i < 1000 ? "middle" : "last";
    std::string body = source + " " + std::to_string(i) + " ";
    body.resize(20000, static_cast<char>('a' + i % 26));
    out.emplace_back(fmt::format("doc-{:04}", i), body);
  }
  return out;
}

size_t total_bytes(const std::vector<std::string>& bodies) {
  size_t n = 0;
  for (const auto& b : bodies) n += b.size();
  return n;
}

size_t count_prefix(const std::vector<std::string>& bodies, std::string_view prefix) {
  size_t n = 0;
  for (const auto& b : bodies) n += b.starts_with(prefix);
  return n;
}

TEST(DictionarySample, JsonlSampleSpansTheWholeInputWithinTheBudget) {
  TempDir dir;
  std::string path = dir.path("corpus.jsonl");
  {
    std::ofstream out(path);
    for (const auto& [id, body] : sorted_corpus()) out << R"({"id":")" << id << R"(","text":")" << body << "\"}\n";
  }
  JsonlParser parser({});
  constexpr size_t kBudget = 512 * 1024;
  auto sample = sample_jsonl_bodies(path, parser, 4096, kBudget);
  ASSERT_TRUE(sample.is_ok()) << sample.status().to_string();
  EXPECT_LE(total_bytes(*sample), kBudget);
  EXPECT_GT(total_bytes(*sample), kBudget / 4) << "thinning keeps at least a quarter of the budget here";
  EXPECT_GT(count_prefix(*sample, "first"), 0u);
  EXPECT_GT(count_prefix(*sample, "middle"), 0u);
  EXPECT_GT(count_prefix(*sample, "last"), 0u) << "the end of the input is sampled too";
  for (const auto& b : *sample) EXPECT_LE(b.size(), 16u * 1024) << "bodies are cut to 16 KiB";

  JsonlParser again({});
  auto second = sample_jsonl_bodies(path, again, 4096, kBudget);
  ASSERT_TRUE(second.is_ok());
  EXPECT_EQ(*sample, *second) << "the same input gives the same sample";
}

TEST(DictionarySample, FileSampleSpansTheWholeInputWithinTheBudget) {
  TempDir dir;
  std::vector<std::string> paths;
  for (const auto& [id, body] : sorted_corpus()) {
    paths.push_back(dir.path(id));
    std::ofstream(paths.back(), std::ios::binary) << body;
  }
  constexpr size_t kBudget = 256 * 1024;
  auto sample = sample_file_bodies(paths, 4096, kBudget);
  EXPECT_LE(total_bytes(sample), kBudget);
  EXPECT_GT(count_prefix(sample, "first"), 0u);
  EXPECT_GT(count_prefix(sample, "last"), 0u) << "the end of the input is sampled too";
  EXPECT_EQ(sample, sample_file_bodies(paths, 4096, kBudget));
}

TEST(DictionarySample, SmallInputIsTakenWhole) {
  TempDir dir;
  std::vector<std::string> paths;
  for (int i = 0; i < 10; ++i) {
    paths.push_back(dir.path(fmt::format("f{}", i)));
    std::ofstream(paths.back(), std::ios::binary) << "body " << i;
  }
  auto sample = sample_file_bodies(paths, 4096, 1 << 20);
  ASSERT_EQ(sample.size(), 10u);
  EXPECT_EQ(sample[9], "body 9");
  EXPECT_TRUE(sample_file_bodies({}, 4096, 1 << 20).empty());
}

}  // namespace
}  // namespace quire
