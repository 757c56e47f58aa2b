#include "writer/sorted_runs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace quire {
namespace {

// Everything the source yields, read in slices of `slice` values.
std::vector<uint64_t> drain(SequenceSource<uint64_t>& source, size_t slice) {
  std::vector<uint64_t> out, buffer(slice);
  for (;;) {
    auto n = source.read(buffer);
    EXPECT_TRUE(n.is_ok()) << n.status().to_string();
    if (!n.is_ok() || *n == 0) break;
    out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*n));
  }
  return out;
}

TEST(SortedRuns, EmptyYieldsNothing) {
  SpillFile file("");
  SortedRuns runs(file, 4096);
  auto sorted = runs.sorted();
  ASSERT_TRUE(sorted.is_ok());
  EXPECT_EQ((*sorted)->size(), 0u);
  EXPECT_TRUE(drain(**sorted, 16).empty());
  EXPECT_FALSE(file.created());
}

TEST(SortedRuns, WithinTheBudgetNothingIsWritten) {
  SpillFile file("");
  SortedRuns runs(file, 1 << 20);
  std::mt19937_64 rng(7);
  std::vector<uint64_t> model;
  for (int i = 0; i < 100000; ++i) {
    model.push_back(rng());
    ASSERT_TRUE(runs.add(model.back()).is_ok());
  }
  auto sorted = runs.sorted();
  ASSERT_TRUE(sorted.is_ok());
  std::sort(model.begin(), model.end());
  EXPECT_EQ(drain(**sorted, 4096), model);
  EXPECT_FALSE(file.created());
  EXPECT_EQ(runs.runs(), 0u);
}

TEST(SortedRuns, ManyRunsWithDuplicatesMergeInOrder) {
  SpillFile file("");
  SortedRuns runs(file, 4096);  // 512 values a run
  std::mt19937_64 rng(11);
  std::vector<uint64_t> model;
  for (int i = 0; i < 60000; ++i) {
    model.push_back(i % 3 == 0 ? rng() % 1000 : rng());  // many repeats among the small values
    ASSERT_TRUE(runs.add(model.back()).is_ok());
  }
  EXPECT_GT(runs.runs(), 100u);
  EXPECT_EQ(runs.size(), model.size());
  auto sorted = runs.sorted();
  ASSERT_TRUE(sorted.is_ok());
  EXPECT_EQ((*sorted)->size(), model.size());
  std::sort(model.begin(), model.end());
  EXPECT_EQ(drain(**sorted, 777), model);  // slices that straddle run buffers
  EXPECT_TRUE(file.created());
}

TEST(SortedRuns, ExactlyFullRunsAndExtremes) {
  SpillFile file("");
  SortedRuns runs(file, 4096);
  std::vector<uint64_t> model;
  for (uint64_t i = 0; i < 2 * 512; ++i) {  // two full runs, nothing left in memory
    model.push_back(i % 2 ? UINT64_MAX - i : i);
    ASSERT_TRUE(runs.add(model.back()).is_ok());
  }
  auto sorted = runs.sorted();
  ASSERT_TRUE(sorted.is_ok());
  std::sort(model.begin(), model.end());
  EXPECT_EQ(drain(**sorted, 1), model);
}

}  // namespace
}  // namespace quire
