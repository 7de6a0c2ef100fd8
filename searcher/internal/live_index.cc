#include "searcher/internal/live_index.h"

#include <chrono>
#include <filesystem>
#include <vector>

#include "core/index_stub.h"

namespace tailor::searcher::internal {
namespace {

struct StubTarget {
  std::string content;              // the stub's text, empty when there is no stub
  std::vector<ShardSource> shards;  // what to open
  std::string error;                // why the stub cannot be served, empty when it can
};

// Reads DIR/XAPIANDB: its glass (or auto) lines are local databases, relative to DIR or
// absolute ("glass gen-3", or "glass gen-4/shard-0" per shard), its "remote HOST:PORT" lines
// shards served by xapian-tcpsrv. Without a stub, DIR itself is the database.
StubTarget ResolveStub(const std::string& index_dir) {
  Result<std::optional<IndexStub>> stub = ReadIndexStub(index_dir);
  if (!stub.ok() || !stub->has_value()) return {"", {ShardSource{index_dir, "", 0}}, ""};
  StubTarget target{(*stub)->content, {}, ""};
  for (const IndexStub::Entry& entry : (*stub)->entries) {
    if (std::optional<IndexStub::Entry::TcpAddress> tcp = entry.Tcp()) {
      target.shards.push_back(ShardSource{"", tcp->host, tcp->port});
    } else if ((entry.backend == "glass" || entry.backend == "auto") && !entry.path.empty()) {
      const std::filesystem::path path(entry.path);
      target.shards.push_back(ShardSource{
          (path.is_absolute() ? path : std::filesystem::path(index_dir) / path).string(), "", 0});
    } else {
      target.error = "index: " + index_dir + "/XAPIANDB: cannot serve \"" + entry.backend + " " +
                     entry.path + "\" (local glass databases and remote HOST:PORT only)";
    }
  }
  return target;
}

// Opens what the stub names.
Result<std::shared_ptr<Generation>> OpenTarget(StubTarget target) {
  if (!target.error.empty()) return Error::Unavailable(target.error);
  return Generation::Open(std::move(target.shards), std::move(target.content));
}

}  // namespace

Result<std::unique_ptr<LiveIndex>> LiveIndex::Open(std::string index_dir,
                                                   int refresh_interval_ms) {
  std::error_code ec;
  if (!std::filesystem::is_directory(index_dir, ec)) {
    return Error::Unavailable("index: no index directory at " + index_dir);
  }
  Result<std::shared_ptr<Generation>> live = OpenTarget(ResolveStub(index_dir));
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

bool LiveIndex::RemoteShardsMoved(const Generation& live) {
  if (!live.remote()) return false;
  try {
    return ShardIdentity(live.shards()) != live.identity();
  } catch (const Xapian::Error&) {
    return false;  // a shard is unreachable: keep serving; searches report the failure
  }
}

void LiveIndex::RefreshLocked() {
  std::shared_ptr<Generation> live;
  {
    std::lock_guard<std::mutex> lock(live_mu_);
    live = live_;
  }
  StubTarget target = ResolveStub(index_dir_);
  if (target.content != live->stub_content() || RemoteShardsMoved(*live)) {
    Result<std::shared_ptr<Generation>> next = OpenTarget(std::move(target));
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
