#include "writer/encode_pool.h"

namespace quire {

EncodePool::EncodePool(unsigned workers, int level) : inline_encoder_(level), level_(level) {
  for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
}

EncodePool::~EncodePool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void EncodePool::submit(PendingBlock block, std::shared_ptr<const CompressionDictionary> dict) {
  if (threads_.empty()) {
    std::promise<Result<EncodedBlock>> p;
    p.set_value(inline_encoder_.encode(block, dict.get()));
    results_.push_back(p.get_future());
    return;
  }
  Task task{std::move(block), std::move(dict), {}};
  results_.push_back(task.done.get_future());
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
}

Result<EncodedBlock> EncodePool::next() {
  auto f = std::move(results_.front());
  results_.pop_front();
  return f.get();
}

void EncodePool::work() {
  BlockEncoder encoder(level_);
  for (;;) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task.done.set_value(encoder.encode(task.block, task.dict.get()));
  }
}

}  // namespace quire
