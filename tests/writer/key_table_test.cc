#include "writer/key_table.h"

#include <gtest/gtest.h>

#include <random>
#include <unordered_map>

#include "format/record_codec.h"
#include "writer/spill_sequence.h"

namespace quire {
namespace {

struct KeyHasher {
  size_t operator()(const Hash128& k) const { return static_cast<size_t>(k.lo ^ k.hi); }
};

Hash128 random_key(std::mt19937_64& rng) { return {rng(), rng()}; }

// Every key of the model is found with its value; `absent` keys are not.
void expect_matches(const KeyTable<uint64_t>& table, const std::unordered_map<Hash128, uint64_t, KeyHasher>& model,
                    const std::vector<Hash128>& absent) {
  for (const auto& [key, value] : model) {
    auto found = table.find(key);
    ASSERT_TRUE(found.is_ok()) << found.status().to_string();
    ASSERT_TRUE(found->has_value()) << key.lo;
    ASSERT_EQ(**found, value);
  }
  for (const Hash128& key : absent) {
    auto found = table.find(key);
    ASSERT_TRUE(found.is_ok());
    ASSERT_FALSE(found->has_value()) << key.lo;
  }
}

TEST(KeyTable, RandomKeysMatchAModelThroughSpillsAndMerges) {
  SpillFile file("");
  KeyTable<uint64_t> table(file, 2048, 1 << 20);  // about 40 keys in memory: many runs
  std::unordered_map<Hash128, uint64_t, KeyHasher> model;
  std::mt19937_64 rng(3), other(4);
  std::vector<Hash128> absent;
  for (int i = 0; i < 500; ++i) absent.push_back(random_key(other));
  for (int phase = 0; phase < 12; ++phase) {
    for (int i = 0; i < 1500; ++i) {
      Hash128 key = random_key(rng);
      // Near neighbours of present keys: the same page, a different key.
      if (i % 100 == 0) absent.push_back({key.lo, key.hi + 1});
      ASSERT_TRUE(table.insert(key, model.size()).is_ok());
      model.emplace(key, model.size());
    }
    expect_matches(table, model, absent);
  }
  EXPECT_EQ(table.size(), model.size());
  EXPECT_GT(table.merges(), 10u);
  // Size-tiered: at most 3 runs per tier, and tiers grow 4x.
  EXPECT_LE(table.runs(), 3u * 6u);
  EXPECT_TRUE(file.created());
  EXPECT_EQ(table.spilled().filters_dropped(), 0u);  // a share large enough for all
  EXPECT_EQ(table.spilled().fences_dropped(), 0u);
}

// With shares too small for them, the largest runs lose their filters, then
// their fences; lookups stay exact and the memory stays within the shares.
TEST(KeyTable, RandomKeysMatchAModelWithoutFiltersAndFences) {
  SpillFile file("");
  constexpr uint64_t kRunsBudget = 1024;  // 896 bytes of filters (14 blocks), 128 of fences (8 pages)
  KeyTable<uint64_t> table(file, 2048, kRunsBudget);
  std::unordered_map<Hash128, uint64_t, KeyHasher> model;
  std::mt19937_64 rng(13), other(14);
  std::vector<Hash128> absent;
  for (int i = 0; i < 500; ++i) absent.push_back(random_key(other));
  uint64_t most_filter = 0, most_fences = 0;
  for (int phase = 0; phase < 12; ++phase) {
    for (int i = 0; i < 1500; ++i) {
      Hash128 key = random_key(rng);
      if (i % 100 == 0) absent.push_back({key.lo, key.hi + 1});
      if (i % 100 == 1) absent.push_back({key.lo - 1, key.hi});
      ASSERT_TRUE(table.insert(key, model.size()).is_ok());
      model.emplace(key, model.size());
      most_filter = std::max(most_filter, table.spilled().filter_bytes());
      most_fences = std::max(most_fences, table.spilled().fence_bytes());
    }
    expect_matches(table, model, absent);
  }
  EXPECT_EQ(table.size(), model.size());
  EXPECT_GT(table.merges(), 10u);
  EXPECT_GT(table.spilled().filters_folded(), 0u);
  EXPECT_GT(table.spilled().filters_dropped(), 0u);
  EXPECT_GT(table.spilled().fences_dropped(), 0u);
  EXPECT_LE(most_filter, kRunsBudget - kRunsBudget / 8);
  EXPECT_LE(most_fences, kRunsBudget / 8);
  // The largest run has neither by now: 18,000 keys need 2.2 KiB of filter.
  EXPECT_LT(table.spilled().filter_bytes(), 18000u * 10 / 8);
}

// With a filter share a little short of what full filters need, the largest
// runs' filters are folded to half (OR of neighbouring blocks) rather than
// dropped, and a folded filter still never hides a key that is there.
TEST(KeyTable, FoldedFiltersKeepEveryKey) {
  SpillFile file("");
  constexpr uint64_t kRunsBudget = 24 * 1024;  // 21 KiB of filters: 18,000 keys need 22.5 KiB unfolded
  KeyTable<uint64_t> table(file, 2048, kRunsBudget);
  std::unordered_map<Hash128, uint64_t, KeyHasher> model;
  std::mt19937_64 rng(21), other(22);
  std::vector<Hash128> absent;
  for (int i = 0; i < 2000; ++i) absent.push_back(random_key(other));
  for (int phase = 0; phase < 12; ++phase) {
    for (int i = 0; i < 1500; ++i) {
      Hash128 key = random_key(rng);
      ASSERT_TRUE(table.insert(key, model.size()).is_ok());
      model.emplace(key, model.size());
      ASSERT_LE(table.spilled().filter_bytes(), kRunsBudget - kRunsBudget / 8);
    }
    expect_matches(table, model, absent);
  }
  EXPECT_GT(table.spilled().filters_folded(), 0u);
  EXPECT_EQ(table.spilled().filters_dropped(), 0u) << "folding was enough";
}

TEST(KeyTable, WithinTheBudgetNothingIsWritten) {
  SpillFile file("");
  KeyTable<uint64_t> table(file, 1 << 20, 1 << 16);
  std::mt19937_64 rng(5);
  for (uint64_t i = 0; i < 10000; ++i) ASSERT_TRUE(table.insert(random_key(rng), i).is_ok());
  EXPECT_EQ(table.runs(), 0u);
  EXPECT_FALSE(file.created());
}

TEST(KeyTable, WideValuesAndTheZeroKeySurviveSpills) {
  SpillFile file("");
  KeyTable<BodyLocation> table(file, 4096, 1 << 16);
  std::mt19937_64 rng(9);
  std::vector<std::pair<Hash128, BodyLocation>> model;
  ASSERT_TRUE(table.insert(Hash128{}, BodyLocation{1, 2, 3}).is_ok());  // the empty-slot marker as a real key
  for (uint64_t i = 0; i < 5000; ++i) {
    model.push_back({random_key(rng), BodyLocation{i, i * 7, i * 13}});
    ASSERT_TRUE(table.insert(model.back().first, model.back().second).is_ok());
  }
  EXPECT_GT(table.runs(), 0u);
  for (const auto& [key, loc] : model) {
    auto found = table.find(key);
    ASSERT_TRUE(found.is_ok() && found->has_value());
    EXPECT_EQ((*found)->block, loc.block);
    EXPECT_EQ((*found)->offset, loc.offset);
    EXPECT_EQ((*found)->length, loc.length);
  }
  auto zero = table.find(Hash128{});
  ASSERT_TRUE(zero.is_ok() && zero->has_value());
  EXPECT_EQ((*zero)->length, 3u);
}

TEST(SpillSequence, RandomReadsAndStreamingAfterSpills) {
  SpillFile file("");
  SpillSequence<uint64_t> seq(file, 1024);  // 128 values a chunk
  for (uint64_t i = 0; i < 1000; ++i) ASSERT_TRUE(seq.push_back(i * i).is_ok());
  EXPECT_TRUE(seq.spilled());
  EXPECT_EQ(seq.size(), 1000u);
  for (uint64_t i : {0u, 127u, 128u, 500u, 895u, 896u, 999u}) {
    auto v = seq.at(i);
    ASSERT_TRUE(v.is_ok());
    EXPECT_EQ(*v, i * i);
  }
  auto reader = seq.reader();
  std::vector<uint64_t> all, slice(100);
  for (;;) {
    auto n = reader->read(slice);
    ASSERT_TRUE(n.is_ok());
    if (*n == 0) break;
    all.insert(all.end(), slice.begin(), slice.begin() + static_cast<std::ptrdiff_t>(*n));
  }
  ASSERT_EQ(all.size(), 1000u);
  for (uint64_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i], i * i);
}

TEST(SpillFile, ReportsItsDirectoryWhenItCannotBeCreated) {
  const char* old = std::getenv("TMPDIR");
  std::string saved = old ? old : "";
  setenv("TMPDIR", "/nonexistent-quire-spill-dir", 1);
  SpillFile file("");
  std::byte b{1};
  auto offset = file.append(std::span(&b, 1));
  if (old) setenv("TMPDIR", saved.c_str(), 1);
  else unsetenv("TMPDIR");
  ASSERT_FALSE(offset.is_ok());
  EXPECT_EQ(offset.status().code(), Code::kIoError);
  EXPECT_NE(offset.status().message().find("/nonexistent-quire-spill-dir"), std::string::npos)
      << offset.status().message();
}

}  // namespace
}  // namespace quire
