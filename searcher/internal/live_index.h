// Follows the live generation of an index directory (core/index_schema.h's layout).
//
// The indexer swaps a new generation in by renaming a stub file "DIR/XAPIANDB" that names
// it, and commits updates into the live generation. LiveIndex reads the stub, opens the
// generation it names directly (so every handle of one Generation sees the same documents
// with the same docids), and, at most every refresh interval, checks whether the stub
// changed (then opens the new generation and swaps it in) or the live generation got a
// new commit (then its handles are reopened as they are lent). A directory that is itself
// a Xapian database, without a stub, is served as one fixed generation.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "core/result.h"
#include "searcher/internal/generation.h"

namespace tailor::searcher::internal {

class LiveIndex {
 public:
  // Opens the generation live in index_dir. Errors: unavailable when there is no readable
  // index, invalid_argument when its format is not ours.
  static Result<std::unique_ptr<LiveIndex>> Open(std::string index_dir, int refresh_interval_ms);

  // The live generation; first checks for changes on disk when the interval has passed.
  // A failed check keeps serving the generation already open. Thread-safe; never blocks
  // on a check another thread is running.
  std::shared_ptr<Generation> Current();

  // Checks for changes now (after a read failed, e.g. because a generation was removed).
  // Thread-safe.
  void Refresh();

 private:
  LiveIndex(std::string index_dir, int refresh_interval_ms, std::shared_ptr<Generation> live)
      : index_dir_(std::move(index_dir)),
        refresh_interval_ms_(refresh_interval_ms),
        live_(std::move(live)) {}
  void RefreshLocked();
  static int64_t NowMs();

  const std::string index_dir_;
  const int refresh_interval_ms_;
  std::atomic<int64_t> next_check_ms_{0};
  std::mutex refresh_mu_;  // one check at a time
  std::mutex live_mu_;     // guards live_ (held only to copy or swap the pointer)
  std::shared_ptr<Generation> live_;
};

}  // namespace tailor::searcher::internal
