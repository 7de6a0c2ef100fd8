#include "searcher/internal/live_index.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/index_schema.h"
#include "core/text.h"

namespace tailor::searcher::internal {
namespace {

struct StubTarget {
  std::string content;  // the stub's text, empty when there is no stub
  std::string db_path;  // what to open
};

// Reads DIR/XAPIANDB ("glass gen-3"). A stub naming one database is resolved to that
// database's path; anything else is opened through the stub by Xapian itself.
StubTarget ResolveStub(const std::string& index_dir) {
  namespace fs = std::filesystem;
  fs::path stub_path = fs::path(index_dir) / schema::kStubFileName;
  std::ifstream in(stub_path, std::ios::binary);
  if (!in) return {"", index_dir};
  std::stringstream buffer;
  buffer << in.rdbuf();
  StubTarget target{buffer.str(), index_dir};
  std::vector<std::string> entries;
  for (const std::string& line : Split(target.content, '\n')) {
    std::string entry = NormalizeKeyword(line);
    if (!entry.empty() && entry[0] != '#') entries.push_back(line);
  }
  if (entries.size() != 1) return target;
  std::string line = entries[0];
  size_t space = line.find_first_of(" \t");
  if (space == std::string::npos) return target;
  size_t start = line.find_first_not_of(" \t", space);
  if (start == std::string::npos) return target;
  std::string relative = line.substr(start);
  while (!relative.empty() && (relative.back() == '\r' || relative.back() == ' ')) {
    relative.pop_back();
  }
  fs::path db_path = fs::path(relative);
  target.db_path = (db_path.is_absolute() ? db_path : fs::path(index_dir) / db_path).string();
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
  index->next_check_ms_ = NowMs() + refresh_interval_ms;
  return index;
}

std::shared_ptr<Generation> LiveIndex::Current() {
  int64_t now = NowMs();
  if (now >= next_check_ms_.load(std::memory_order_relaxed)) {
    std::unique_lock<std::mutex> lock(refresh_mu_, std::try_to_lock);
    if (lock.owns_lock() && now >= next_check_ms_.load(std::memory_order_relaxed)) {
      RefreshLocked();
      next_check_ms_ = NowMs() + refresh_interval_ms_;
    }
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

int64_t LiveIndex::NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace tailor::searcher::internal
