// quire grep's scan (reader/grep.h): the blocks of every archive searched on
// worker threads, results put back in archive order.
#include "reader/grep.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace quire {

namespace {

// One unit of work: a block of one shard of one archive (or a shard that
// could not be opened).
struct Task {
  size_t archive = 0;
  std::optional<Archive> shard;
  std::string shard_path;
  uint64_t record_base = 0;  // global record of the shard's record 0
  uint64_t block = 0;
  Status error;
};

struct TaskResult {
  std::vector<GrepArticle> articles;
  Status error;
  uint64_t searched = 0, bytes = 0;
};

std::vector<Task> make_tasks(std::span<const ArchiveSet> archives) {
  std::vector<Task> tasks;
  for (size_t a = 0; a < archives.size(); ++a) {
    for (size_t i = 0; i < archives[a].shard_count(); ++i) {
      Task t;
      t.archive = a;
      t.shard_path = archives[a].shard_path(i);
      t.record_base = archives[a].shard_start(i);
      auto shard = archives[a].shard(i);
      if (!shard) {
        t.error = shard.status().with_context(t.shard_path);
        tasks.push_back(std::move(t));
        continue;
      }
      for (uint64_t b = 0; b < shard->block_count(); ++b) {
        t.shard = *shard;
        t.block = b;
        tasks.push_back(t);
      }
    }
  }
  return tasks;
}

// Searches every (wanted) article whose record is in the task's block.
Status run_block(const Task& t, const GrepPattern& pattern, GrepScratch& scratch, TaskResult& out) {
  std::string where = fmt::format("{}: block {}", t.shard_path, t.block);
  auto range = t.shard->block_records(t.block);
  if (!range) return range.status().with_context(where);
  const ArticleFilter& filter = pattern.options().filter;
  GrepBodyResult found;
  for (uint64_t r = range->first; r < range->first + range->second; ++r) {
    auto article = t.shard->at(r);
    if (!article) return article.status().with_context(fmt::format("{} (record {})", where, r));
    if (!filter.empty()) {
      auto wanted = filter.check(*article);
      if (!wanted) return wanted.status().with_context(where);
      if (!*wanted) continue;
    }
    auto body = article->body();
    if (!body) return body.status().with_context(where);
    ++out.searched;
    out.bytes += body->size();
    Status s = pattern.search(body->bytes(), scratch, found);
    if (!s.is_ok()) return s.with_context(fmt::format("{}: article '{}'", t.shard_path, article->id()));
    if (found.count == 0) continue;
    GrepArticle& g = out.articles.emplace_back();
    g.archive = t.archive;
    g.record = t.record_base + r;
    g.id = std::string(article->id());
    g.count = found.count;
    g.binary = found.binary;
    g.lines = std::move(found.lines);
    g.body = std::move(*body);
  }
  return Status::ok();
}

TaskResult run_task(const Task& t, const GrepPattern& pattern, GrepScratch& scratch) {
  TaskResult out;
  if (!t.error.is_ok()) {
    out.error = t.error;
    return out;
  }
  try {
    out.error = run_block(t, pattern, scratch, out);
  } catch (const std::exception& e) {  // out of memory: reported in order like any error
    out.error = Status::io_error(fmt::format("{}: block {}: {}", t.shard_path, t.block, e.what()));
  }
  return out;
}

// Runs tasks on worker threads and hands their results back in task order,
// keeping at most `window` results waiting (their bodies stay in memory).
class Reorder {
 public:
  Reorder(const std::vector<Task>& tasks, const GrepPattern& pattern, unsigned threads)
      : tasks_(tasks), pattern_(pattern), window_(std::max<size_t>(threads * 4, 8)), slots_(window_) {
    for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~Reorder() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    space_.notify_all();
    for (auto& w : workers_) w.join();
  }
  TaskResult take(size_t t) {
    std::unique_lock<std::mutex> lock(mu_);
    Slot& slot = slots_[t % window_];
    ready_.wait(lock, [&] { return slot.ready; });
    slot.ready = false;
    delivered_ = t + 1;
    space_.notify_all();
    return std::move(slot.result);
  }

 private:
  struct Slot {
    bool ready = false;
    TaskResult result;
  };
  void work() {
    GrepScratch scratch = pattern_.scratch();
    for (;;) {
      size_t t;
      {
        std::unique_lock<std::mutex> lock(mu_);
        space_.wait(lock, [&] { return stop_ || next_ >= tasks_.size() || next_ < delivered_ + window_; });
        if (stop_ || next_ >= tasks_.size()) return;
        t = next_++;
      }
      TaskResult r = run_task(tasks_[t], pattern_, scratch);
      std::lock_guard<std::mutex> lock(mu_);
      slots_[t % window_].result = std::move(r);
      slots_[t % window_].ready = true;
      ready_.notify_all();
    }
  }
  const std::vector<Task>& tasks_;
  const GrepPattern& pattern_;
  const size_t window_;
  std::mutex mu_;
  std::condition_variable ready_, space_;
  std::vector<Slot> slots_;
  size_t next_ = 0, delivered_ = 0;
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

// Hands one task's result to the caller; an error that must stop the search is returned.
Status deliver(TaskResult& r, const GrepVisitor& visit, const GrepErrorHandler& on_error, GrepStats& stats) {
  stats.articles_searched += r.searched;
  stats.bytes_searched += r.bytes;
  for (const GrepArticle& a : r.articles) {
    ++stats.articles_matched;
    stats.lines_matched += a.count;
    QUIRE_RETURN_IF_ERROR(visit(a));
  }
  if (r.error.is_ok()) return Status::ok();
  ++stats.errors;
  return on_error ? on_error(r.error) : r.error;
}

}  // namespace

Result<GrepStats> grep(std::span<const ArchiveSet> archives, const GrepPattern& pattern, const GrepVisitor& visit,
                       const GrepErrorHandler& on_error) {
  std::vector<Task> tasks = make_tasks(archives);
  unsigned threads = pattern.options().threads ? pattern.options().threads : std::thread::hardware_concurrency();
  threads = std::clamp<unsigned>(threads, 1, std::max<size_t>(tasks.size(), 1));
  GrepStats stats;
  if (threads == 1) {  // no thread to start: search in place
    GrepScratch scratch = pattern.scratch();
    for (const Task& t : tasks) {
      TaskResult r = run_task(t, pattern, scratch);
      QUIRE_RETURN_IF_ERROR(deliver(r, visit, on_error, stats));
    }
    return stats;
  }
  Reorder reorder(tasks, pattern, threads);
  for (size_t t = 0; t < tasks.size(); ++t) {
    TaskResult r = reorder.take(t);
    QUIRE_RETURN_IF_ERROR(deliver(r, visit, on_error, stats));
  }
  return stats;
}

}  // namespace quire
