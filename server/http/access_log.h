// The access log: one JSON line per answered request, written by a background thread so a
// request never waits on the log's file. A line holds
//   {"time":"2026-12-02T17:10:00.123Z","request_id":"...","method":"GET","path":"/search",
//    "query":{"q":"parka","limit":"3"},"visitor":"3f2a...","status":200,"took_ms":1.234,
//    "bytes":5120}
// The visitor id never appears as sent: a path parameter or query parameter named
// "visitor" is replaced by a keyed hash (BLAKE2b from libsodium, 16 bytes as hex), so lines
// of one visitor can be grouped without the log naming them, and without the key no one
// can test a guessed id against it. Request bodies (events, POST /search) are not logged.
#pragma once

#include <condition_variable>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "core/result.h"
#include "server/http/request.h"

namespace tailor::server::http {

struct AccessLogOptions {
  // "-" for stderr, else a file opened for appending (made when missing).
  std::string path = "-";
  // The hash key; empty: a random key per process (visitors' lines group within one run).
  std::string key;
  // How often the writer thread writes what is queued.
  int flush_interval_ms = 200;
  // Queued bytes beyond this (the file cannot keep up) are dropped and counted.
  size_t max_queued_bytes = 16u << 20;
};

class AccessLog {
 public:
  // Opens the file and starts the writer. Errors: unavailable naming a file that cannot be
  // opened for appending.
  static Result<std::unique_ptr<AccessLog>> Open(AccessLogOptions options);
  // Writes what is queued and stops the writer.
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  // A request was dispatched on `route` (Router's RequestObserver): returns what writes its
  // line once answered. Thread-safe.
  std::function<void(const Response&)> Begin(const Request& request, const std::string& route);

  // The keyed hash the log writes for a visitor id. Thread-safe.
  std::string VisitorHash(std::string_view visitor) const;

  // Lines dropped because the queue was over its bound. Thread-safe.
  uint64_t dropped() const;
  // Writes what is queued now and returns when it is written. Thread-safe.
  void Flush();

 private:
  AccessLog(AccessLogOptions options, std::FILE* file, bool owns_file);
  void Enqueue(std::string_view head, std::string_view tail);
  void Run();

  const AccessLogOptions options_;
  std::FILE* file_;
  const bool owns_file_;
  unsigned char key_[32];

  mutable std::mutex mutex_;
  std::condition_variable wake_, written_;
  std::string queued_;
  std::string spare_;  // the writer's: what it writes, swapped with queued_ under the lock
  uint64_t dropped_ = 0;
  uint64_t enqueued_ = 0;  // flush requests wait for written_ to reach this
  uint64_t written_count_ = 0;
  bool flush_now_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace tailor::server::http
