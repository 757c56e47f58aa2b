// What the per-block catalogs of an archive cost, and what a zstd dictionary
// trained on catalogs would save: a probe for a possible format change
// (catalog frames are compressed without a dictionary today, SPEC.md 5.2),
// used for bench/ANALYSIS.md. Walks the block sections (SPEC.md 4.2),
// decompresses each catalog frame and recompresses every one at `level`,
// without and with dictionaries of 32, 64 and 128 KiB trained by the writer's
// trainer on catalogs spread over the archive.
//   catalog_probe ARCHIVE [LEVEL]
#include <fmt/format.h>
#include <zstd.h>

#include <memory>
#include <string>
#include <vector>

#include "reader/block_decode.h"
#include "reader/mapped_file.h"
#include "reader/section_scan.h"
#include "writer/dictionary_trainer.h"

namespace {

using Catalogs = std::vector<std::string>;

// Every decodable catalog frame of the file, decompressed; `stored` gets the
// bytes they take in the file.
Catalogs read_catalogs(std::span<const std::byte> file, uint64_t& stored) {
  Catalogs out;
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> dctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  quire::scan_sections(
      file, file.size() - quire::Footer::kSize,
      [&](const quire::ScannedSection& s) {
        if (s.header.kind != quire::SectionKind::kBlock || !s.payload_ok) return;
        auto b = quire::split_block(s.payload, s.header.sequence);
        if (!b) return;
        std::string raw(b->prelude.catalog_raw, '\0');
        if (!quire::decompress_frame(dctx.get(), b->catalog, nullptr, raw.data(), raw.size()).is_ok()) return;
        stored += b->catalog.size();
        out.push_back(std::move(raw));
      },
      [](const quire::ScanGap&) {});
  return out;
}

// A dictionary of at most `size` bytes, trained as the writer trains its
// own (writer/dictionary_trainer.h) on about 1024 catalogs spread over the archive.
std::string train(const Catalogs& catalogs, size_t size) {
  std::vector<std::string_view> sample;
  size_t step = std::max<size_t>(1, catalogs.size() / 1024);
  for (size_t i = 0; i < catalogs.size(); i += step) sample.push_back(catalogs[i]);
  return quire::train_dictionary(sample, size);
}

// Bytes of every catalog compressed on its own at `level`, with `dict` if not empty.
uint64_t compressed_size(const Catalogs& catalogs, const std::string& dict, int level) {
  std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> cctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
  std::unique_ptr<ZSTD_CDict, decltype(&ZSTD_freeCDict)> cdict(
      dict.empty() ? nullptr : ZSTD_createCDict(dict.data(), dict.size(), level), ZSTD_freeCDict);
  uint64_t total = 0;
  std::string out;
  for (const std::string& c : catalogs) {
    out.resize(ZSTD_compressBound(c.size()));
    size_t n = cdict ? ZSTD_compress_usingCDict(cctx.get(), out.data(), out.size(), c.data(), c.size(), cdict.get())
                     : ZSTD_compressCCtx(cctx.get(), out.data(), out.size(), c.data(), c.size(), level);
    total += ZSTD_isError(n) ? c.size() : n;
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return fmt::print(stderr, "usage: catalog_probe ARCHIVE [LEVEL]\n"), 2;
  int level = argc > 2 ? std::stoi(argv[2]) : 9;
  auto file = quire::MappedFile::open(argv[1]);
  if (!file) return fmt::print(stderr, "{}\n", file.status().to_string()), 1;
  uint64_t stored = 0;
  Catalogs catalogs = read_catalogs((*file)->bytes(), stored);
  uint64_t raw = 0;
  for (const std::string& c : catalogs) raw += c.size();
  fmt::print("{{\"catalogs\":{},\"raw_bytes\":{},\"stored_bytes\":{},\"level\":{},\"no_dict\":{}", catalogs.size(), raw,
             stored, level, compressed_size(catalogs, "", level));
  for (size_t size : {32u << 10, 64u << 10, 128u << 10}) {
    std::string dict = train(catalogs, size);
    fmt::print(",\"dict_{}k\":{{\"dict_bytes\":{},\"catalog_bytes\":{}}}", size >> 10, dict.size(),
               compressed_size(catalogs, dict, level));
  }
  fmt::print("}}\n");
  return 0;
}
