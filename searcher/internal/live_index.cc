#include "searcher/internal/live_index.h"

#include <chrono>
#include <filesystem>
#include <vector>

#include "core/index_stub.h"

namespace tailor::searcher::internal {
namespace {

struct StubTarget {
  std::string content;  // the stub's text, empty when there is no stub
  std::string db_path;  // what to open
};

// Reads DIR/XAPIANDB ("glass gen-3"). A stub naming one database is resolved to that
// database's path; anything else is opened through the stub by Xapian itself.
StubTarget ResolveStub(const std::string& index_dir) {
  Result<std::optional<IndexStub>> stub = ReadIndexStub(index_dir);
  if (!stub.ok() || !stub->has_value()) return {"", index_dir};
  StubTarget target{(*stub)->content, index_dir};
  if (std::optional<std::string> single = (*stub)->SingleDatabase(index_dir)) {
    target.db_path = *single;
  }
  return target;
}

}  // namespace

Result<std::unique_ptr<LiveIndex>> LiveIndex::Open(std::string index_dir,
                                                   int refresh_interval_ms) {
  std::error_code ec;
  if (!std::filesystem::is_directory(index_dir, ec)) {
    return Error::Unavailable("index: no index directory at " + index_dir);
  }
  StubTarget target = ResolveStub(index_dir);
  Result<std::shared_ptr<Generation>> live =
      Generation::Open(target.db_path, std::move(target.content));
  if (!live.ok()) return live.error();
  std::unique_ptr<LiveIndex> index(
      new LiveIndex(std::move(index_dir), refresh_interval_ms, std::move(*live)));
  if (refresh_interval_ms > 0) {
    index->refresher_ = std::thread([raw = index.get()] { raw->RefreshLoop(); });
  }
  return index;
}

LiveIndex::~LiveIndex() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (refresher_.joinable()) refresher_.join();
}

void LiveIndex::RefreshLoop() {
  std::unique_lock<std::mutex> lock(stop_mu_);
  while (!stop_cv_.wait_for(lock, std::chrono::milliseconds(refresh_interval_ms_),
                            [this] { return stopping_; })) {
    lock.unlock();
    {
      std::lock_guard<std::mutex> refresh(refresh_mu_);
      RefreshLocked();
    }
    background_checks_.fetch_add(1);
    lock.lock();
  }
}

std::shared_ptr<Generation> LiveIndex::Current() {
  if (refresh_interval_ms_ == 0) {
    std::unique_lock<std::mutex> lock(refresh_mu_, std::try_to_lock);
    if (lock.owns_lock()) RefreshLocked();
  }
  std::lock_guard<std::mutex> lock(live_mu_);
  return live_;
}

void LiveIndex::Refresh() {
  std::lock_guard<std::mutex> lock(refresh_mu_);
  RefreshLocked();
}

void LiveIndex::RefreshLocked() {
  std::shared_ptr<Generation> live;
  {
    std::lock_guard<std::mutex> lock(live_mu_);
    live = live_;
  }
  StubTarget target = ResolveStub(index_dir_);
  if (target.content != live->stub_content()) {
    Result<std::shared_ptr<Generation>> next =
        Generation::Open(target.db_path, std::move(target.content));
    if (!next.ok()) return;  // keep serving what we have; the next check tries again
    // Searches on the new generation find the handles the live one needed ready.
    try {
      (*next)->Warm(live->handles_made());
    } catch (const Xapian::Error&) {
      return;  // unreadable after all: the next check tries again
    }
    std::lock_guard<std::mutex> lock(live_mu_);
    live_ = std::move(*next);
    return;
  }
  try {
    live->CheckForUpdate();
  } catch (const Xapian::Error&) {
    // The live generation is unreadable right now; searches report it and retry.
  }
}

}  // namespace tailor::searcher::internal
