#include "core/segment_log.h"

#include <fcntl.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/hash.h"

namespace tailor {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPrefix = "segment-";
constexpr std::string_view kSuffix = ".log";

}  // namespace

std::string SegmentFileName(uint64_t sequence) {
  char name[64];
  std::snprintf(name, sizeof(name), "segment-%020llu.log",
                static_cast<unsigned long long>(sequence));
  return name;
}

std::string SegmentKeysFileName(uint64_t sequence) {
  std::string name = SegmentFileName(sequence);
  return name.substr(0, name.size() - kSuffix.size()) + ".keys";
}

uint64_t VisitorKey(std::string_view visitor) { return Fnv1a64(visitor); }

void RemoveTemporarySegmentFiles(const std::string& dir) {
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(kPrefix) && name.ends_with(".tmp")) fs::remove(entry.path(), ec);
  }
}

Result<std::vector<uint64_t>> ListSegments(const std::string& dir) {
  std::vector<uint64_t> sequences;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != kPrefix.size() + 20 + kSuffix.size() || name.rfind(kPrefix, 0) != 0 ||
        name.substr(name.size() - kSuffix.size()) != kSuffix) {
      continue;
    }
    sequences.push_back(std::stoull(name.substr(kPrefix.size(), 20)));
  }
  if (ec) return Error::Unavailable("list " + dir + ": " + ec.message());
  std::sort(sequences.begin(), sequences.end());
  return sequences;
}

Result<std::unique_ptr<SegmentLog>> SegmentLog::Open(const std::string& dir,
                                                     uint64_t first_sequence, int64_t segment_bytes,
                                                     bool keyed) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error::Unavailable("create " + dir + ": " + ec.message());
  RemoveTemporarySegmentFiles(dir);
  std::unique_ptr<SegmentLog> log(new SegmentLog(dir, segment_bytes, keyed));
  if (Status status = log->OpenSegment(first_sequence); !status.ok()) return status.error();
  return log;
}

SegmentLog::~SegmentLog() {
  if (fd_ < 0) return;
  (void)WriteKeys();  // best effort: without the file, a purge reads the segment in full
  ::close(fd_);
}

Status SegmentLog::WriteKeys() {
  if (!keyed_) return Status::Ok();
  std::sort(keys_.begin(), keys_.end());
  keys_.erase(std::unique(keys_.begin(), keys_.end()), keys_.end());
  std::string bytes(keys_.size() * sizeof(uint64_t), '\0');
  if (!keys_.empty()) std::memcpy(bytes.data(), keys_.data(), bytes.size());
  return WriteFileAtomically(dir_ + "/" + SegmentKeysFileName(sequence_), bytes);
}

Status SegmentLog::OpenSegment(uint64_t sequence) {
  const std::string path = dir_ + "/" + SegmentFileName(sequence);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return SystemError("open", path);
  struct stat info {};
  ::fstat(fd, &info);
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  keys_.clear();
  sequence_ = sequence;
  size_ = info.st_size;
  return SyncDirectory(dir_);
}

Status SegmentLog::Append(std::string_view bytes, std::span<const uint64_t> keys) {
  if (size_ > 0 && size_ >= segment_bytes_) {
    if (Status status = Roll(); !status.ok()) return status;
  }
  // Before the write: the keys file may list more than the segment holds, never less.
  if (keyed_) keys_.insert(keys_.end(), keys.begin(), keys.end());
  const std::string path = dir_ + "/" + SegmentFileName(sequence_);
  Status status = WriteAll(fd_, bytes, path);
  if (!status.ok()) {
    // No partial line may stay to be replayed: cut back to the last whole write.
    if (::ftruncate(fd_, size_) != 0) return SystemError("truncate", path);
    return status;
  }
  size_ += static_cast<int64_t>(bytes.size());
  return Status::Ok();
}

Status SegmentLog::Sync() {
  if (::fdatasync(fd_) != 0) return SystemError("fsync", dir_ + "/" + SegmentFileName(sequence_));
  return Status::Ok();
}

Status SegmentLog::Roll() {
  if (Status status = Sync(); !status.ok()) return status;
  if (Status status = WriteKeys(); !status.ok()) return status;
  return OpenSegment(sequence_ + 1);
}

std::string VisitorNeedle(std::string_view visitor) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(visitor.data(), static_cast<rapidjson::SizeType>(visitor.size()));
  return "\"visitor\":" + std::string(buffer.GetString(), buffer.GetSize());
}

namespace {

// Whether the segment's keys file says it holds none of the keys; false when it has no
// readable keys file (then only reading the segment can tell).
bool KeysRuleOut(const std::string& dir, uint64_t sequence, std::span<const uint64_t> keys) {
  if (keys.empty()) return false;
  Result<std::string> bytes = ReadFile(dir + "/" + SegmentKeysFileName(sequence));
  if (!bytes.ok() || bytes->size() % sizeof(uint64_t) != 0) return false;
  std::vector<uint64_t> listed(bytes->size() / sizeof(uint64_t));
  if (!listed.empty()) std::memcpy(listed.data(), bytes->data(), bytes->size());
  if (!std::is_sorted(listed.begin(), listed.end())) return false;
  for (uint64_t key : keys) {
    if (std::binary_search(listed.begin(), listed.end(), key)) return false;
  }
  return true;
}

}  // namespace

Result<bool> DropLines(const std::string& dir, uint64_t before,
                       const std::function<bool(std::string_view line)>& drop,
                       std::span<const uint64_t> keys) {
  Result<std::vector<uint64_t>> segments = ListSegments(dir);
  if (!segments.ok()) return segments.error();
  bool dropped = false;
  for (uint64_t sequence : *segments) {
    if (sequence >= before) continue;
    if (KeysRuleOut(dir, sequence, keys)) continue;
    const std::string path = dir + "/" + SegmentFileName(sequence);
    std::string kept;
    bool changed = false;
    Status status = ForEachLine(path, TornTail::kIgnore,
                                [&](std::string_view line, size_t) -> Status {
                                  if (drop(line)) {
                                    changed = true;
                                  } else {
                                    kept.append(line);
                                    kept += '\n';
                                  }
                                  return Status::Ok();
                                });
    if (!status.ok()) return status.error();
    if (!changed) continue;
    if (Status written = WriteFileAtomically(path, kept); !written.ok()) return written.error();
    dropped = true;
  }
  return dropped;
}

VisitorPurge::VisitorPurge(std::vector<std::string> visitors, LineVisitor visitor_of)
    : visitors_(std::move(visitors)),
      visitor_of_(std::move(visitor_of)),
      found_(visitors_.size(), false) {
  for (const std::string& visitor : visitors_) {
    needles_.push_back(VisitorNeedle(visitor));
    keys_.push_back(VisitorKey(visitor));
  }
}

Status VisitorPurge::Drop(const std::string& dir, uint64_t before) {
  auto theirs = [&](std::string_view line) {
    for (size_t i = 0; i < visitors_.size(); ++i) {
      if (line.find(needles_[i]) == std::string_view::npos) continue;
      std::optional<std::string> visitor = visitor_of_(line);
      if (visitor && *visitor == visitors_[i]) {
        found_[i] = true;
        return true;
      }
    }
    return false;
  };
  Result<bool> dropped = DropLines(dir, before, theirs, keys_);
  if (!dropped.ok()) return dropped.error();
  return Status::Ok();
}

}  // namespace tailor
