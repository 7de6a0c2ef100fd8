// Previews of a proposed scoring config (POST /admin/preview): the logged traffic of a
// window replayed under the live variant and the proposed one side by side, exactly as
// `tailor-ranker eval` does (ranking/offline/replay.h), as a job a console polls.
//
// One preview runs at a time, on its own thread in Linux's SCHED_IDLE class and idle I/O
// class: it gets a core and the disk only when the live searches leave them free, so it
// never competes with them (on a saturated machine it waits, and may reach its time bound).
// It stops at its time bound, at its cap of rankings, or when cancelled.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/item_table.h"
#include "core/result.h"
#include "ranking/offline/replay.h"
#include "ranking/scoring/ranker.h"

namespace tailor::server {

struct PreviewRequest {
  std::shared_ptr<const ranking::Scoring> live;
  std::string live_variant;  // a variant of live
  std::shared_ptr<const ranking::Scoring> proposed;
  std::string proposed_variant;  // a variant of proposed
  // Rankings served in [from_ms, until_ms).
  int64_t from_ms = 0;
  int64_t until_ms = std::numeric_limits<int64_t>::max();
  // Rankings read at most (the oldest of the window first); more is `truncated`.
  int max_rankings = 100000;
};

struct PreviewOptions {
  // A preview still running after this long stops and fails (deadline).
  int max_seconds = 120;
  // Finished previews kept for GET.
  size_t keep = 8;
  // Whether the preview thread runs in the idle CPU and I/O classes (tests may turn it off
  // so a busy test machine does not starve it).
  bool idle = true;
  // Called on the preview's thread before it reads anything (tests hold a preview there).
  std::function<void()> on_start;
};

enum class PreviewState { kRunning, kDone, kCancelled, kFailed };
const char* PreviewStateName(PreviewState state);

struct PreviewStatus {
  std::string id;
  PreviewState state = PreviewState::kRunning;
  long rankings_read = 0;
  long elapsed_ms = 0;
  bool truncated = false;                       // stopped at max_rankings
  std::optional<ranking::ReplayReport> report;  // when done: [live, proposed]
  std::optional<Error> error;                   // when failed
};

class PreviewRunner {
 public:
  // state_dir holds the logs (rankings/ and the event log); items gives the live item
  // table the rules apply to.
  PreviewRunner(std::string state_dir, std::function<std::shared_ptr<const ItemTable>()> items,
                PreviewOptions options = {});
  // Cancels a running preview and waits for it.
  ~PreviewRunner();
  PreviewRunner(const PreviewRunner&) = delete;
  PreviewRunner& operator=(const PreviewRunner&) = delete;

  // Starts a preview; returns its id at once. Errors: failed_precondition while another one
  // runs. Thread-safe.
  Result<std::string> Start(PreviewRequest request);
  // Where a preview is; nullopt for an unknown (or no longer kept) id. Thread-safe.
  std::optional<PreviewStatus> Status(const std::string& id) const;
  // Asks a running preview to stop (it ends cancelled soon after); false for an unknown
  // id. Thread-safe.
  bool Cancel(const std::string& id);

 private:
  struct Job {
    std::string id;
    std::chrono::steady_clock::time_point start;
    std::atomic<bool> cancel{false};
    std::atomic<long> rankings_read{0};
    // Set once when the job ends, under the runner's mutex.
    PreviewState state = PreviewState::kRunning;
    long elapsed_ms = 0;
    bool truncated = false;
    std::optional<ranking::ReplayReport> report;
    std::optional<Error> error;
  };
  void Run(std::shared_ptr<Job> job, PreviewRequest request);

  const std::string state_dir_;
  const std::function<std::shared_ptr<const ItemTable>()> items_;
  const PreviewOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;  // by id
  std::shared_ptr<Job> running_;
  std::thread thread_;
  uint64_t started_ = 0;
};

}  // namespace tailor::server
