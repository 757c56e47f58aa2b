// The "one gzip member per article" peer (what per-record WARC.gz costs):
// packs files/<id> into one file of gzip members with an in-memory offset
// table, then measures random access and scan like quire_bench.
//   gzip_bench FILES_DIR IDS.txt OUT.gz [LOOKUPS] [SEED]
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <random>
#include <string>
#include <vector>
#include "bench/bench_util.h"

static std::string gzip_member(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

static std::string gunzip(const char* p, size_t n, size_t expect) {
  z_stream z{};
  inflateInit2(&z, 15 + 16);
  std::string out(expect, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(p));
  z.avail_in = static_cast<uInt>(n);
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  inflate(&z, Z_FINISH);
  inflateEnd(&z);
  return out;
}

using bench::Clock;
using bench::percentile;
using bench::us_since;

int main(int argc, char** argv) {
  if (argc < 4) return 2;
  std::string dir = argv[1];
  size_t lookups = argc > 4 ? std::stoul(argv[4]) : 100000;
  uint64_t seed = argc > 5 ? std::stoull(argv[5]) : 42;
  std::vector<std::string> ids = bench::read_lines(argv[2]);
  struct Loc { uint64_t off, len, raw; };
  std::vector<Loc> index;
  auto t0 = Clock::now();
  {
    std::ofstream out(argv[3], std::ios::binary);
    uint64_t off = 0;
    for (const auto& id : ids) {
      std::ifstream f(dir + "/" + id, std::ios::binary);
      std::string body((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
      std::string gz = gzip_member(body);
      out.write(gz.data(), static_cast<std::streamsize>(gz.size()));
      index.push_back({off, gz.size(), body.size()});
      off += gz.size();
    }
  }
  double pack_s = us_since(t0) / 1e6;
  std::ifstream f(argv[3], std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::mt19937_64 rng(seed);
  std::vector<double> times;
  uint64_t bytes = 0;
  for (size_t k = 0; k < lookups + 1000; ++k) {
    size_t i = rng() % ids.size();
    auto t = Clock::now();
    std::string body = gunzip(all.data() + index[i].off, index[i].len, index[i].raw);
    double us = us_since(t);
    bytes += body.size();
    if (k >= 1000) times.push_back(us);
  }
  auto t = Clock::now();
  uint64_t scanned = 0;
  for (size_t i = 0; i < ids.size(); ++i) scanned += gunzip(all.data() + index[i].off, index[i].len, index[i].raw).size();
  double scan_s = us_since(t) / 1e6;
  std::printf("{\"pack_s\":%.2f,\"size\":%zu,\"lookups\":%zu,\"p50_us\":%.2f,\"p99_us\":%.2f,\"scan_mb_s\":%.1f,\"check\":%llu}\n",
              pack_s, all.size(), lookups, percentile(times, 0.5), percentile(times, 0.99), scanned / scan_s / 1e6,
              static_cast<unsigned long long>(bytes % 7));
  return 0;
}
