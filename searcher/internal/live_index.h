// Follows the live generation of an index directory (core/index_schema.h's layout).
//
// The indexer swaps a new generation in by renaming a stub file "DIR/XAPIANDB" that names
// it, and commits updates into the live generation. LiveIndex reads the stub, opens the
// generation it names directly (so every handle of one Generation sees the same documents
// with the same docids), and, at most every refresh interval, checks whether the stub
// changed (then opens the new generation and swaps it in) or the live generation got a
// new commit (then its handles are reopened as they are lent). A directory that is itself
// a Xapian database, without a stub, is served as one fixed generation.
//
// Remote shards ("remote HOST:PORT" lines, served by xapian-tcpsrv) keep one stub while the
// servers turn to a new build: a connection opens what its server serves when it connects,
// and keeps it. So each check of a generation with remote shards also opens a fresh
// connection to every shard and compares what it finds (Generation::identity, UUIDs and
// build names) with the live generation's; when they differ it opens a new generation,
// which succeeds only once every shard is of one build (until then the old one serves).
//
// With a refresh interval, the checks run on a thread of the LiveIndex's own: a new
// generation is opened, its facet table loaded and as many handles opened as the live one
// had made before it is swapped in, and an update's facet table is loaded before handles
// move to its revision, so no search waits for that work. With interval 0 (tests, tools),
// every Current() checks first, so a change is seen by the very next search.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/result.h"
#include "searcher/internal/generation.h"

namespace tailor::searcher::internal {

class LiveIndex {
 public:
  // Opens the generation live in index_dir. Errors: unavailable when there is no readable
  // index, invalid_argument when its format is not ours.
  static Result<std::unique_ptr<LiveIndex>> Open(std::string index_dir, int refresh_interval_ms);
  ~LiveIndex();

  // The live generation; with interval 0, first checks for changes on disk. A failed check
  // keeps serving the generation already open. Thread-safe; never blocks on a check
  // another thread is running.
  std::shared_ptr<Generation> Current();

  // Checks done so far by the background thread (0 with interval 0). Thread-safe.
  long background_checks() const { return background_checks_.load(); }

  // Checks for changes now (after a read failed, e.g. because a generation was removed).
  // Thread-safe.
  void Refresh();

 private:
  LiveIndex(std::string index_dir, int refresh_interval_ms, std::shared_ptr<Generation> live)
      : index_dir_(std::move(index_dir)),
        refresh_interval_ms_(refresh_interval_ms),
        live_(std::move(live)) {}
  void RefreshLocked();
  // Whether the remote shards of live now serve other databases (a new build). False when
  // they are unreachable, or live has no remote shard.
  static bool RemoteShardsMoved(const Generation& live);
  // The background thread: a check every interval until the destructor stops it.
  void RefreshLoop();

  const std::string index_dir_;
  const int refresh_interval_ms_;
  std::mutex refresh_mu_;  // one check at a time
  std::mutex live_mu_;     // guards live_ (held only to copy or swap the pointer)
  std::shared_ptr<Generation> live_;
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;  // guarded by stop_mu_
  std::atomic<long> background_checks_{0};
  std::thread refresher_;  // runs RefreshLoop when refresh_interval_ms_ > 0
};

}  // namespace tailor::searcher::internal
