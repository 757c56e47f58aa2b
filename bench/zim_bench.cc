// Measures one ZIM file through libzim: open time, random access by path,
// sequential scan. Prints one JSON object, same fields as quire_bench.
//   zim_bench FILE.zim IDS.txt [LOOKUPS] [SEED]     (entries are at path = id)
#include <zim/archive.h>
#include <zim/entry.h>
#include <zim/item.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <random>
#include <string>
#include <vector>
#include "bench/bench_util.h"

using bench::Clock;
using bench::percentile;
using bench::us_since;

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  std::string path = argv[1];
  size_t lookups = argc > 3 ? std::stoul(argv[3]) : 100000;
  uint64_t seed = argc > 4 ? std::stoull(argv[4]) : 42;
  std::vector<std::string> ids = bench::read_lines(argv[2]);
  std::vector<double> opens;
  for (int i = 0; i < 21; ++i) {
    auto t = Clock::now();
    zim::Archive a(path);
    opens.push_back(us_since(t));
  }
  zim::Archive archive(path);
  std::mt19937_64 rng(seed);
  std::vector<double> times;
  uint64_t bytes = 0;
  for (size_t k = 0; k < lookups + 1000; ++k) {
    const std::string& id = ids[rng() % ids.size()];
    auto t = Clock::now();
    auto blob = archive.getEntryByPath(id).getItem(true).getData();
    double us = us_since(t);
    bytes += blob.size();
    if (k >= 1000) times.push_back(us);
  }
  zim::Archive fresh(path);
  auto t = Clock::now();
  uint64_t scanned = 0;
  for (const std::string& id : ids) scanned += fresh.getEntryByPath(id).getItem(true).getData().size();
  double scan_s = us_since(t) / 1e6;
  std::printf("{\"open_us\":%.1f,\"lookups\":%zu,\"p50_us\":%.2f,\"p99_us\":%.2f,\"mean_us\":%.2f,"
              "\"scan_mb_s\":%.1f,\"scan_bytes\":%llu,\"check\":%llu}\n",
              percentile(opens, 0.5), lookups, percentile(times, 0.5), percentile(times, 0.99),
              std::accumulate(times.begin(), times.end(), 0.0) / times.size(), scanned / scan_s / 1e6,
              static_cast<unsigned long long>(scanned), static_cast<unsigned long long>(bytes % 7));
  return 0;
}
