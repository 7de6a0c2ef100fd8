// The one way the server reloads: POST /admin/reload and SIGHUP both queue their reload
// here. A Reloader runs jobs that read files (the scoring config and its models) on a thread
// of its own, off the io threads, one at a time in the order queued, and joins that thread
// when it stops, so no reload outlives the server or the Engine it reloads. Internal to
// server/http: the HttpServer owns one.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace tailor::server::http::internal {

class Reloader {
 public:
  Reloader() = default;
  // Stop()s. Requires: not called from one of its jobs.
  ~Reloader();

  Reloader(const Reloader&) = delete;
  Reloader& operator=(const Reloader&) = delete;

  // Queues job to run on the reloader's thread after the jobs queued before it; the thread
  // starts with the first job. Once stopped, runs job at once on the calling thread (at
  // shutdown nothing is left to keep responsive), so a job is never dropped. Throws
  // std::system_error, with nothing queued, only when the thread cannot start (the router
  // answers that request 500). Thread-safe.
  void Run(std::function<void()> job);

  // Runs the jobs already queued, then joins the thread. Idempotent and thread-safe.
  // Requires: not called from one of its jobs.
  void Stop();

 private:
  void Loop();

  std::mutex mutex_;  // guards the fields below
  std::condition_variable queued_;
  std::deque<std::function<void()>> jobs_;
  bool stopped_ = false;
  std::thread thread_;
};

}  // namespace tailor::server::http::internal
