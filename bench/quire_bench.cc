// Measures one Quire archive: open time, random access by id, sequential scan
// and verify. Prints one JSON object. Used by bench/run; not a test.
//   quire_bench ARCHIVE IDS.txt [LOOKUPS] [SEED]
#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <chrono>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "reader/archive.h"
#include "reader/verify.h"
#include "bench/bench_util.h"

using bench::Clock;
using bench::percentile;
using bench::us_since;

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: quire_bench ARCHIVE IDS.txt [LOOKUPS] [SEED]\n");
    return 2;
  }
  std::string path = argv[1];
  size_t lookups = argc > 3 ? std::stoul(argv[3]) : 100000;
  uint64_t seed = argc > 4 ? std::stoull(argv[4]) : 42;
  std::vector<std::string> ids = bench::read_lines(argv[2]);

  // Open: median of 101 opens (header, footer and manifest only).
  std::vector<double> opens;
  for (int i = 0; i < 101; ++i) {
    auto t = Clock::now();
    auto a = quire::Archive::open(path);
    opens.push_back(us_since(t));
    if (!a) return fmt::print(stderr, "{}\n", a.status().to_string()), 1;
  }
  auto archive = quire::Archive::open(path);

  // Random access by id: lookup + body, fixed seed; the first 1,000 warm the page cache.
  std::mt19937_64 rng(seed);
  std::vector<double> times;
  uint64_t bytes = 0;
  for (size_t k = 0; k < lookups + 1000; ++k) {
    const std::string& id = ids[rng() % ids.size()];
    auto t = Clock::now();
    auto a = archive->find(id);
    auto body = a ? a->body() : quire::Result<quire::Body>(a.status());
    double us = us_since(t);
    if (!body) return fmt::print(stderr, "{}: {}\n", id, body.status().to_string()), 1;
    bytes += body->size();
    if (k >= 1000) times.push_back(us);
  }

  // Sequential scan: every body in archive order (a fresh reader).
  auto fresh = quire::Archive::open(path);
  auto t = Clock::now();
  uint64_t scanned = 0, checksum = 0;
  for (uint64_t r = 0; r < fresh->size(); ++r) {
    auto a = fresh->at(r);
    auto body = a->body();
    scanned += body->size();
    if (body->size()) checksum += static_cast<unsigned char>(body->bytes()[body->size() / 2]);
  }
  double scan_s = us_since(t) / 1e6;

  auto tv = Clock::now();
  auto full = quire::verify_archive(path, {});
  double verify_s = us_since(tv) / 1e6;
  quire::VerifyOptions q;
  q.quick = true;
  auto tq = Clock::now();
  auto quick = quire::verify_archive(path, q);
  double quick_s = us_since(tq) / 1e6;
  if (!full || !full->ok() || !quick || !quick->ok()) return fmt::print(stderr, "verify failed\n"), 1;

  fmt::print(
      "{{\"open_us\":{:.1f},\"lookups\":{},\"p50_us\":{:.2f},\"p99_us\":{:.2f},\"mean_us\":{:.2f},"
      "\"scan_mb_s\":{:.1f},\"scan_bytes\":{},\"verify_mb_s\":{:.1f},\"verify_quick_mb_s\":{:.1f},\"check\":{}}}\n",
      percentile(opens, 0.5), lookups, percentile(times, 0.5), percentile(times, 0.99),
      std::accumulate(times.begin(), times.end(), 0.0) / times.size(), scanned / scan_s / 1e6, scanned,
      scanned / verify_s / 1e6, scanned / quick_s / 1e6, checksum + bytes % 7);
  return 0;
}
