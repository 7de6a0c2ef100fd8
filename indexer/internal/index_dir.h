// The on-disk layout of an index directory (core/index_schema.h): generation directories
// "gen-<N>", the Xapian stub file "XAPIANDB" naming the live one, and a lock file that keeps
// two indexer runs from working on the same directory at once. Internal to the indexer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace tailor::indexer::internal {

// Holds an exclusive advisory lock (flock) on DIR/.tailor-indexer.lock while alive.
class DirLock {
 public:
  // Errors: unavailable when another run holds the lock or the file cannot be opened.
  static Result<DirLock> Acquire(const std::string& dir);
  DirLock(DirLock&& other) noexcept;
  DirLock& operator=(DirLock&& other) = delete;
  DirLock(const DirLock&) = delete;
  ~DirLock();

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Errors: invalid_argument when the catalog path or the index directory is empty.
Status CheckPaths(const std::string& catalog_path, const std::string& index_dir);

// "gen-<n>".
std::string GenerationName(long n);

// The numbers N of the complete generation directories DIR/gen-<N>, ascending.
std::vector<long> ListGenerations(const std::string& dir);

// What the stub of DIR names: the live generation directory and its databases, relative to
// DIR ({"gen-3", {"gen-3"}} for one database; {"gen-4", {"gen-4/shard-0", "gen-4/shard-1"}}
// for shards).
struct LiveLayout {
  std::string generation;
  std::vector<std::string> databases;
};
// The live layout; nullopt when DIR has no stub. Errors: unavailable when the stub cannot
// be read or does not name one glass database or the shards of one generation, in order.
// (The stub is read and written by core/index_stub.h.)
Result<std::optional<LiveLayout>> ReadLiveLayout(const std::string& dir);

// "gen-4/shard-0": the path of a generation's shard, relative to DIR.
std::string ShardPath(const std::string& generation, int shard);

// fsyncs every file directly in `dir`, then `dir` itself.
Status SyncTree(const std::string& dir);

// Removes DIR/gen-<N>.tmp-* directories left by killed builds. Requires: the DirLock.
void RemoveLeftoverTemporaries(const std::string& dir);

// Removes every DIR/gen-<N> whose name is not in `keep`. Failures are ignored: an old
// generation left behind costs disk space only.
void RemoveGenerationsExcept(const std::string& dir, const std::vector<std::string>& keep);

}  // namespace tailor::indexer::internal
