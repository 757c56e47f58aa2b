// Encodes blocks on worker threads and hands the results back in submission
// order, so the output does not depend on scheduling. With zero workers the
// caller's thread encodes at submit time.
#pragma once

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "writer/block_encoder.h"

namespace quire {

class EncodePool {
 public:
  EncodePool(unsigned workers, int level);
  ~EncodePool();
  EncodePool(const EncodePool&) = delete;
  EncodePool& operator=(const EncodePool&) = delete;

  // `dict` must outlive the returned result's completion.
  void submit(PendingBlock block, std::shared_ptr<const CompressionDictionary> dict);
  // Results are ready in submission order; next() blocks until the oldest is done.
  bool has_pending() const { return !results_.empty(); }
  size_t pending() const { return results_.size(); }
  Result<EncodedBlock> next();

 private:
  struct Task {
    PendingBlock block;
    std::shared_ptr<const CompressionDictionary> dict;
    std::promise<Result<EncodedBlock>> done;
  };
  void work();

  BlockEncoder inline_encoder_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  int level_;
  std::deque<std::future<Result<EncodedBlock>>> results_;
};

}  // namespace quire
