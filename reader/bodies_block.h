// The decoded bodies frame of one block, decoded lazily: a bodies frame is
// one zstd frame of several zstd blocks that end at article ends (SPEC.md
// 5.2), so a lookup decodes only as far as its article ends, and a later
// reader of the same cached block continues from there instead of starting
// over. Bytes below decoded() never change once published, so Body views of
// them need no lock; extending takes the block's mutex.
#pragma once

#include <zstd.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

#include "format/status.h"

namespace quire {

// Decompression contexts to reuse: creating one costs more than decoding a
// small zstd block (measured: 12% of a lookup's time). Shared by an archive
// and its decoded blocks, which may outlive it (a Body keeps its block).
class DctxPool {
 public:
  ~DctxPool();
  ZSTD_DCtx* take();           // nullptr when out of memory
  void give(ZSTD_DCtx* dctx);  // keeps a few, frees the rest

 private:
  std::mutex mu_;
  std::vector<ZSTD_DCtx*> free_;
};

struct BodiesBlock {
  // Starts decoding `frame` (which must stay mapped while decoding goes on:
  // the archive owns both the mapping and its cache of these) into `size`
  // bytes, with `dict` (nullable, owned by the archive).
  static Result<std::shared_ptr<BodiesBlock>> start(uint64_t number, std::span<const std::byte> frame,
                                                    const ZSTD_DDict* dict, uint64_t size,
                                                    std::shared_ptr<DctxPool> pool);
  ~BodiesBlock();
  BodiesBlock(const BodiesBlock&) = delete;
  BodiesBlock& operator=(const BodiesBlock&) = delete;

  // Decodes until at least `need` bytes are out (whole zstd blocks), or all
  // of them for `need` >= size. Corruption names the block; it is sticky.
  Status ensure(uint64_t need) const;
  uint64_t decoded() const { return decoded_.load(std::memory_order_acquire); }

  uint64_t number = 0;
  uint64_t size = 0;
  std::string_view bytes() const { return {data_.get(), size}; }  // only [0, decoded()) is valid
  uint64_t bytes_used() const { return size; }

 private:
  BodiesBlock() = default;
  Status step() const;  // decodes one zstd block (or the frame header); mu_ held

  std::unique_ptr<char[]> data_;
  std::span<const std::byte> frame_;
  mutable std::atomic<uint64_t> decoded_{0};
  mutable std::atomic<bool> done_{false};  // the whole frame is decoded and checked
  mutable std::mutex mu_;
  mutable ZSTD_DCtx* dctx_ = nullptr;  // mid-frame state until the frame is done
  std::shared_ptr<DctxPool> pool_;     // where dctx_ goes back
  mutable size_t consumed_ = 0;        // compressed bytes of frame_ used
  mutable Status error_;
};

}  // namespace quire
