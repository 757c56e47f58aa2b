// libFuzzer target: any bytes as an archive. Open, iterate, read every body
// and its annotations, look ids up, verify, salvage. Must never crash or read
// out of bounds (built with ASan and UBSan by scripts/fuzz).
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "reader/archive.h"
#include "reader/salvage.h"
#include "reader/verify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static int fd = memfd_create("quire-fuzz", 0);
  static const std::string path = "/proc/self/fd/" + std::to_string(fd);
  if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) return 0;
  quire::ReaderOptions options;
  options.max_block_bytes = 64 << 20;  // keep allocations within libFuzzer's RSS limit
  auto archive = quire::Archive::open(path, options);
  if (archive) {
    uint64_t n = std::min<uint64_t>(archive->size(), 2000);
    for (uint64_t r = 0; r < n; ++r) {
      auto a = archive->at(r);
      if (!a) continue;
      (void)a->meta();
      (void)a->body();
      (void)a->annotations();
      (void)archive->find(std::string(a->id()));
      (void)archive->find_sha256(a->sha256());
    }
    (void)archive->find("no such id");
  }
  (void)quire::verify_archive(path, {});
  (void)quire::salvage_articles(path, {}, [](const quire::RecoveredArticle&) { return quire::Status::ok(); });
  return 0;
}
