#include "indexer/internal/index_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/files.h"
#include "core/index_schema.h"
#include "core/index_stub.h"

namespace tailor::indexer::internal {
namespace {

namespace fs = std::filesystem;

constexpr char kLockFileName[] = ".tailor-indexer.lock";
constexpr char kTemporaryMarker[] = ".tmp-";

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// The N of "gen-<N>", or nullopt for any other name.
std::optional<long> GenerationNumber(const std::string& name) {
  if (!name.starts_with(schema::kGenerationPrefix)) return std::nullopt;
  std::string digits = name.substr(schema::kGenerationPrefix.size());
  if (digits.empty() || digits.size() > 15) return std::nullopt;
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stol(digits);
}

// Opens `path` with `flags` and fsyncs it; `cannot_open` words an open failure.
Status Fsync(const std::string& path, int flags, const std::string& cannot_open) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Error::Unavailable(Errno(path + ": " + cannot_open));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Error::Unavailable(Errno(path + ": fsync"));
  return Status::Ok();
}

}  // namespace

Result<DirLock> DirLock::Acquire(const std::string& dir) {
  std::string path = (fs::path(dir) / kLockFileName).string();
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Error::Unavailable(Errno(path + ": cannot open lock file"));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Error::Unavailable(dir + ": another tailor-indexer run is working on this index");
  }
  return DirLock(fd);
}

DirLock::DirLock(DirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

DirLock::~DirLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

Status CheckPaths(const std::string& catalog_path, const std::string& index_dir) {
  if (catalog_path.empty()) return Error::InvalidArgument("catalog: a catalog file is required");
  if (index_dir.empty()) return Error::InvalidArgument("index: an index directory is required");
  return Status::Ok();
}

std::string GenerationName(long n) {
  return std::string(schema::kGenerationPrefix) + std::to_string(n);
}

std::vector<long> ListGenerations(const std::string& dir) {
  std::vector<long> numbers;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    std::optional<long> n = GenerationNumber(entry.path().filename().string());
    if (n.has_value() && entry.is_directory(ec)) numbers.push_back(*n);
  }
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

std::string ShardPath(const std::string& generation, int shard) {
  return generation + "/" + std::string(schema::kShardPrefix) + std::to_string(shard);
}

Result<std::optional<LiveLayout>> ReadLiveLayout(const std::string& dir) {
  Result<std::optional<IndexStub>> stub = ReadIndexStub(dir);
  if (!stub.ok()) return stub.error();
  if (!stub->has_value()) return std::optional<LiveLayout>();
  const std::string place = (fs::path(dir) / schema::kStubFileName).string();
  const std::vector<IndexStub::Entry>& entries = (*stub)->entries;
  for (const IndexStub::Entry& entry : entries) {
    if ((entry.backend != "glass" && entry.backend != "auto") || entry.path.empty()) {
      return Error::Unavailable(place + ": \"" + entry.backend + " " + entry.path +
                                "\" is not a local glass database of this index");
    }
  }
  if (entries.empty()) return Error::Unavailable(place + ": names no database");
  LiveLayout layout;
  if (entries.size() == 1 && entries[0].path.find('/') == std::string::npos) {
    layout.generation = entries[0].path;
    layout.databases.push_back(entries[0].path);
    return std::optional<LiveLayout>(std::move(layout));
  }
  layout.generation = entries[0].path.substr(0, entries[0].path.find('/'));
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string expected = ShardPath(layout.generation, static_cast<int>(i));
    if (entries[i].path != expected) {
      return Error::Unavailable(place + ": database " + std::to_string(i + 1) + " is \"" +
                                entries[i].path + "\", expected \"" + expected + "\"");
    }
    layout.databases.push_back(expected);
  }
  return std::optional<LiveLayout>(std::move(layout));
}

Status SyncTree(const std::string& dir) {
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    if (Status s = Fsync(entry.path().string(), O_RDONLY, "cannot open"); !s) return s;
  }
  if (ec) return Error::Unavailable(dir + ": " + ec.message());
  return SyncDirectory(dir);
}

void RemoveLeftoverTemporaries(const std::string& dir) {
  std::error_code ec;
  std::vector<fs::path> leftovers;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with(schema::kGenerationPrefix) &&
        name.find(kTemporaryMarker) != std::string::npos) {
      leftovers.push_back(entry.path());
    }
  }
  for (const fs::path& path : leftovers) fs::remove_all(path, ec);
}

void RemoveGenerationsExcept(const std::string& dir, const std::vector<std::string>& keep) {
  std::error_code ec;
  for (long n : ListGenerations(dir)) {
    std::string name = GenerationName(n);
    if (std::find(keep.begin(), keep.end(), name) != keep.end()) continue;
    fs::remove_all(fs::path(dir) / name, ec);
  }
}

}  // namespace tailor::indexer::internal
