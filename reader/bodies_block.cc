// zstd's buffer-less streaming decoder (ZSTD_decompressContinue) decodes a
// frame one zstd block per call straight into our buffer, which is what lets
// a lookup stop early and a later one continue. It is in zstd's "static
// linking only" section; Debian's libzstd exports it.
#define ZSTD_STATIC_LINKING_ONLY
#include "reader/bodies_block.h"

#include <fmt/format.h>

namespace quire {

namespace {
constexpr size_t kPooledContexts = 16;
}  // namespace

DctxPool::~DctxPool() {
  for (ZSTD_DCtx* d : free_) ZSTD_freeDCtx(d);
}

ZSTD_DCtx* DctxPool::take() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!free_.empty()) {
      ZSTD_DCtx* d = free_.back();
      free_.pop_back();
      return d;
    }
  }
  return ZSTD_createDCtx();
}

void DctxPool::give(ZSTD_DCtx* dctx) {
  if (!dctx) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_.size() < kPooledContexts) {
      free_.push_back(dctx);
      return;
    }
  }
  ZSTD_freeDCtx(dctx);
}

Result<std::shared_ptr<BodiesBlock>> BodiesBlock::start(uint64_t number, std::span<const std::byte> frame,
                                                       const ZSTD_DDict* dict, uint64_t size,
                                                       std::shared_ptr<DctxPool> pool) {
  unsigned long long declared = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (declared != size) {
    return Status::corruption(fmt::format("block {} bodies frame: zstd frame declares {} bytes, block prelude says {}",
                                          number,
                                          declared == ZSTD_CONTENTSIZE_UNKNOWN || declared == ZSTD_CONTENTSIZE_ERROR
                                              ? -1LL
                                              : static_cast<long long>(declared),
                                          size));
  }
  if (ZSTD_findFrameCompressedSize(frame.data(), frame.size()) != frame.size()) {
    return Status::corruption(fmt::format("block {} bodies frame: bytes after the zstd frame", number));
  }
  std::shared_ptr<BodiesBlock> b(new BodiesBlock());
  b->number = number;
  b->size = size;
  b->frame_ = frame;
  b->data_.reset(new char[size ? size : 1]);
  b->pool_ = std::move(pool);
  b->dctx_ = b->pool_->take();
  if (!b->dctx_) return Status::io_error("zstd: out of memory");
  size_t rc = dict ? ZSTD_decompressBegin_usingDDict(b->dctx_, dict) : ZSTD_decompressBegin(b->dctx_);
  if (ZSTD_isError(rc)) return Status::corruption(fmt::format("block {} bodies frame: zstd: {}", number, ZSTD_getErrorName(rc)));
  return b;
}

BodiesBlock::~BodiesBlock() {
  if (dctx_) pool_->give(dctx_);
}

Status BodiesBlock::step() const {
  size_t want = ZSTD_nextSrcSizeToDecompress(dctx_);
  uint64_t at = decoded_.load(std::memory_order_relaxed);
  if (want == 0 || want > frame_.size() - consumed_) {
    return Status::corruption(fmt::format("block {} bodies frame: zstd frame ends after {} of {} bytes", number, at, size));
  }
  size_t got = ZSTD_decompressContinue(dctx_, data_.get() + at, size - at, frame_.data() + consumed_, want);
  if (ZSTD_isError(got)) {
    return Status::corruption(fmt::format("block {} bodies frame: zstd: {}", number, ZSTD_getErrorName(got)));
  }
  consumed_ += want;
  decoded_.store(at + got, std::memory_order_release);  // publishes the bytes just written
  return Status::ok();
}

Status BodiesBlock::ensure(uint64_t need) const {
  if (need > size) need = size;
  if (need < size ? decoded() >= need : done_.load(std::memory_order_acquire)) return Status::ok();
  std::lock_guard<std::mutex> lock(mu_);
  if (!error_.is_ok()) return error_;
  while (dctx_ && (decoded_.load(std::memory_order_relaxed) < need || need == size)) {
    Status s = step();
    if (!s.is_ok()) {
      error_ = s;
      return s;
    }
    if (ZSTD_nextSrcSizeToDecompress(dctx_) == 0) {  // the frame is complete
      pool_->give(dctx_);
      dctx_ = nullptr;
      if (decoded_.load(std::memory_order_relaxed) != size || consumed_ != frame_.size()) {
        error_ = Status::corruption(fmt::format("block {} bodies frame: zstd frame gave {} bytes, {} expected", number,
                                                decoded_.load(), size));
        return error_;
      }
      done_.store(true, std::memory_order_release);
    }
  }
  return Status::ok();
}

}  // namespace quire
