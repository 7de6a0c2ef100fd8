#include "server/preview.h"

#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <utility>
#include <vector>

#include "ranking/offline/training_data.h"

namespace tailor::server {

const char* PreviewStateName(PreviewState state) {
  switch (state) {
    case PreviewState::kRunning:
      return "running";
    case PreviewState::kDone:
      return "done";
    case PreviewState::kCancelled:
      return "cancelled";
    case PreviewState::kFailed:
      return "failed";
  }
  return "failed";
}

PreviewRunner::PreviewRunner(std::string state_dir,
                             std::function<std::shared_ptr<const ItemTable>()> items,
                             PreviewOptions options)
    : state_dir_(std::move(state_dir)), items_(std::move(items)), options_(options) {}

PreviewRunner::~PreviewRunner() {
  {
    std::lock_guard lock(mutex_);
    if (running_ != nullptr) running_->cancel = true;
  }
  if (thread_.joinable()) thread_.join();
}

Result<std::string> PreviewRunner::Start(PreviewRequest request) {
  std::unique_lock lock(mutex_);
  if (running_ != nullptr) {
    return Error::FailedPrecondition("preview: " + running_->id +
                                     " is still running; wait for it or cancel it");
  }
  // The thread of the previous preview has finished its job (running_ is null): join it.
  if (thread_.joinable()) thread_.join();
  auto job = std::make_shared<Job>();
  char id[32];
  std::snprintf(id, sizeof(id), "p%llu", static_cast<unsigned long long>(++started_));
  job->id = id;
  job->start = std::chrono::steady_clock::now();
  jobs_[job->id] = job;
  running_ = job;
  // Forget the oldest finished ones beyond what is kept.
  while (jobs_.size() > options_.keep + 1) {
    auto oldest = jobs_.begin();
    for (auto it = jobs_.begin(); it != jobs_.end(); ++it) {
      if (it->second != running_ && it->second->start < oldest->second->start) oldest = it;
    }
    if (oldest->second == running_) break;
    jobs_.erase(oldest);
  }
  thread_ = std::thread([this, job, request = std::move(request)]() mutable {
    Run(std::move(job), std::move(request));
  });
  return job->id;
}

void PreviewRunner::Run(std::shared_ptr<Job> job, PreviewRequest request) {
  // This thread only runs on what the io threads leave: SCHED_IDLE gets a core only when
  // nothing else wants it (nice alone still took a share: p99 of searches 1.34x in
  // scripts/bench), and the idle I/O class reads the logs only when the disk is free.
  if (options_.idle) {
    sched_param param{};
    pthread_setschedparam(pthread_self(), SCHED_IDLE, &param);
    constexpr int kIoprioWhoProcess = 1, kIoprioClassIdle = 3, kIoprioClassShift = 13;
    ::syscall(SYS_ioprio_set, kIoprioWhoProcess, static_cast<int>(::syscall(SYS_gettid)),
              kIoprioClassIdle << kIoprioClassShift);
  }
  if (options_.on_start) options_.on_start();
  const auto deadline = job->start + std::chrono::seconds(options_.max_seconds);
  bool over_time = false, truncated = false;
  auto keep_going = [&] {
    if (job->cancel) return false;
    if (std::chrono::steady_clock::now() > deadline) {
      over_time = true;
      return false;
    }
    return true;
  };
  std::optional<ranking::ReplayReport> report;
  std::optional<Error> error;
  ranking::JoinOptions join;
  join.from_ms = request.from_ms;
  join.until_ms = request.until_ms;
  join.keep_going = [&] {
    if (!keep_going()) return false;
    if (job->rankings_read >= request.max_rankings) {
      truncated = true;
      return false;
    }
    ++job->rankings_read;
    return true;
  };
  Result<std::vector<ranking::JoinedRanking>> rankings = ranking::JoinLogs(state_dir_, join);
  std::shared_ptr<const ItemTable> items = items_();
  if (!rankings.ok()) {
    error = rankings.error();
  } else if (items == nullptr) {
    error = Error::Unavailable("preview: the index has no item table");
  } else if (keep_going()) {
    const ranking::VariantConfig* live = request.live->config().Find(request.live_variant);
    const ranking::VariantConfig* proposed =
        request.proposed->config().Find(request.proposed_variant);
    const ranking::ReplayVariant variants[] = {
        {"live:" + request.live_variant, request.live.get(), live},
        {"proposed:" + request.proposed_variant, request.proposed.get(), proposed}};
    ranking::ReplayOptions replay;
    replay.keep_going = keep_going;
    report = ranking::Replay(*rankings, variants, *items, replay);
    if (report->stopped) report.reset();
  }
  std::lock_guard lock(mutex_);
  job->elapsed_ms = static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::steady_clock::now() - job->start)
                                          .count());
  job->truncated = truncated;
  if (error) {
    job->state = PreviewState::kFailed;
    job->error = std::move(error);
  } else if (job->cancel) {
    job->state = PreviewState::kCancelled;
  } else if (over_time || !report) {
    job->state = PreviewState::kFailed;
    job->error = Error::ResourceExhausted("preview: over its time bound of " +
                                          std::to_string(options_.max_seconds) +
                                          " s; narrow the window (from, to) or lower max_rankings");
  } else {
    job->state = PreviewState::kDone;
    job->report = std::move(report);
  }
  running_.reset();
}

std::optional<PreviewStatus> PreviewRunner::Status(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  const Job& job = *it->second;
  PreviewStatus status;
  status.id = job.id;
  status.state = job.state;
  status.rankings_read = job.rankings_read;
  status.elapsed_ms = job.state == PreviewState::kRunning
                          ? static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  std::chrono::steady_clock::now() - job.start)
                                                  .count())
                          : job.elapsed_ms;
  status.truncated = job.truncated;
  status.report = job.report;
  status.error = job.error;
  return status;
}

bool PreviewRunner::Cancel(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return false;
  it->second->cancel = true;
  return true;
}

}  // namespace tailor::server
