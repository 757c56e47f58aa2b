#include "tools/serve/task_pool.h"

namespace quire::serve {
namespace {
thread_local bool t_overflow = false;
}

BoundedTaskQueue::BoundedTaskQueue(size_t threads, size_t max_waiting) : max_waiting_(max_waiting) {
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(false); });
  threads_.emplace_back([this] { work(true); });
}

BoundedTaskQueue::~BoundedTaskQueue() { shutdown(); }

bool BoundedTaskQueue::on_overflow_thread() { return t_overflow; }

void BoundedTaskQueue::enqueue(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    (jobs_.size() < max_waiting_ ? jobs_ : overflow_jobs_).push_back(std::move(fn));
  }
  cv_.notify_all();
}

void BoundedTaskQueue::shutdown() {
  {
    std::lock_guard lock(mu_);
    if (shutdown_ && threads_.empty()) return;
    shutdown_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void BoundedTaskQueue::work(bool overflow) {
  t_overflow = overflow;
  auto& queue = overflow ? overflow_jobs_ : jobs_;
  for (;;) {
    std::function<void()> fn;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return !queue.empty() || shutdown_; });
      if (queue.empty()) return;  // shut down, nothing left
      fn = std::move(queue.front());
      queue.pop_front();
    }
    fn();
  }
}

}  // namespace quire::serve
