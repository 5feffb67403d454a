// The queue between the store's callers and its writer thread(s), shared by the SQLite and
// PostgreSQL stores: writes wait here until a writer takes a batch of them.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "ports/store.h"

namespace kizuna::storage {

class WriteQueue {
 public:
  struct Pending {
    ports::WriteFn fn;
    std::function<void(Status)> done;
  };

  // Queues a write; once stopped, answers it Unavailable at once.
  void Push(ports::WriteFn fn, std::function<void(Status)> done) {
    {
      std::lock_guard lock(mutex_);
      if (!stopping_) {
        queue_.push_back(Pending{std::move(fn), std::move(done)});
        cv_.notify_one();
        return;
      }
    }
    done(Error::Unavailable("the store is shutting down"));
  }

  // Waits for writes and takes up to `limit` of them, and no more than a fair share of what
  // waits when `writers` writers take from the queue. Empty: stopped with nothing left.
  std::vector<Pending> Take(std::size_t limit, std::size_t writers = 1) {
    std::vector<Pending> batch;
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    const std::size_t share = std::max<std::size_t>(1, (queue_.size() + writers - 1) / writers);
    while (!queue_.empty() && batch.size() < std::min(limit, share)) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    return batch;
  }

  // Refuses new writes; the writers finish what is queued, then Take gives them nothing.
  void Stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
  }

  bool Stopping() {
    std::lock_guard lock(mutex_);
    return stopping_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
};

}  // namespace kizuna::storage
