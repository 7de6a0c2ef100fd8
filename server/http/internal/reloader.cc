#include "server/http/internal/reloader.h"

#include <utility>

namespace tailor::server::http::internal {

Reloader::~Reloader() { Stop(); }

void Reloader::Run(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (!stopped_) {
      // The thread first: if it cannot start, the error reaches the caller with nothing
      // queued that would run later.
      if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
      jobs_.push_back(std::move(job));
      queued_.notify_one();
      return;
    }
  }
  job();
}

void Reloader::Stop() {
  std::thread thread;
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    thread.swap(thread_);
    queued_.notify_one();
  }
  if (thread.joinable()) thread.join();
}

void Reloader::Loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    queued_.wait(lock, [this] { return stopped_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopped with nothing left to run
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    job = nullptr;  // what the job holds goes before the next one starts
    lock.lock();
  }
}

}  // namespace tailor::server::http::internal
