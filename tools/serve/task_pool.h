// The thread pool the server hands accepted connections to: `threads`
// workers, and at most `max_waiting` connections waiting for one. A
// connection beyond that goes to one spare thread that answers it 503 at
// once (Server checks on_overflow_thread()), so a burst never piles up an
// unbounded queue of connections each holding a socket for minutes.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace quire::serve {

class BoundedTaskQueue : public httplib::TaskQueue {
 public:
  BoundedTaskQueue(size_t threads, size_t max_waiting);
  ~BoundedTaskQueue() override;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;  // runs every queued job, then joins

  // True while the calling thread is the spare that answers 503.
  static bool on_overflow_thread();

 private:
  void work(bool overflow);

  size_t max_waiting_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_, overflow_jobs_;
  bool shutdown_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace quire::serve
