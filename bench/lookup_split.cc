// Splits a lookup's time into its two steps: Archive::find (index, block
// table, catalog) and Article::body (bodies frame decode). Prints the mean of
// each over N lookups of ids drawn with a fixed seed. Used for bench/ANALYSIS.md.
//   lookup_split ARCHIVE IDS.txt [N] [SEED]
#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "reader/archive.h"
#include "bench/bench_util.h"

using bench::Clock;
using bench::percentile;
using bench::us_since;

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  auto archive = quire::Archive::open(argv[1]);
  if (!archive) return fmt::print(stderr, "{}\n", archive.status().to_string()), 1;
  std::vector<std::string> ids = bench::read_lines(argv[2]);
  int n = argc > 3 ? std::stoi(argv[3]) : 20000;
  std::mt19937_64 rng(argc > 4 ? std::stoull(argv[4]) : 1);
  double find_us = 0, body_us = 0;
  for (int i = 0; i < n; ++i) {
    const std::string& id = ids[rng() % ids.size()];
    auto t0 = Clock::now();
    auto a = archive->find(id);
    auto t1 = Clock::now();
    auto b = a ? a->body() : quire::Result<quire::Body>(a.status());
    auto t2 = Clock::now();
    if (!b) return fmt::print(stderr, "{}: {}\n", id, b.status().to_string()), 1;
    find_us += std::chrono::duration<double, std::micro>(t1 - t0).count();
    body_us += std::chrono::duration<double, std::micro>(t2 - t1).count();
  }
  fmt::print("{{\"lookups\":{},\"find_mean_us\":{:.1f},\"body_mean_us\":{:.1f}}}\n", n, find_us / n, body_us / n);
  return 0;
}
