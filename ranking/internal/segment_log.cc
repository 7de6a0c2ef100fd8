#include "ranking/internal/segment_log.h"

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

namespace tailor::ranking::internal {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPrefix = "segment-";
constexpr std::string_view kSuffix = ".log";

Error SystemError(const std::string& what, const std::string& path) {
  return Error::Unavailable(what + " " + path + ": " + std::strerror(errno));
}

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return SystemError("write", path);
    }
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  return Status::Ok();
}

}  // namespace

std::string SegmentFileName(uint64_t sequence) {
  char name[64];
  std::snprintf(name, sizeof(name), "segment-%020llu.log",
                static_cast<unsigned long long>(sequence));
  return name;
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

Status ForEachLine(const std::string& path, TornTail torn_tail,
                   const std::function<Status(std::string_view, size_t)>& fn) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Unavailable("read " + path + ": cannot open");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t start = 0;
  size_t line_number = 0;
  while (start < content.size()) {
    const size_t end = content.find('\n', start);
    if (end == std::string::npos) {
      if (torn_tail == TornTail::kIgnore) return Status::Ok();
      if (torn_tail == TornTail::kRefuse) {
        return Error::InvalidArgument(path + ":" + std::to_string(line_number + 1) +
                                      ": line without end (a torn write)");
      }
      std::error_code ec;
      fs::resize_file(path, start, ec);
      if (ec) return Error::Unavailable("truncate " + path + ": " + ec.message());
      return Status::Ok();
    }
    ++line_number;
    if (end > start) {
      if (Status status = fn(std::string_view(content).substr(start, end - start), line_number);
          !status.ok()) {
        return status;
      }
    }
    start = end + 1;
  }
  return Status::Ok();
}

Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return SystemError("open", dir);
  const int result = ::fsync(fd);
  ::close(fd);
  return result == 0 ? Status::Ok() : Status(SystemError("fsync", dir));
}

Status WriteFileAtomically(const std::string& path, std::string_view content) {
  const std::string temporary = path + ".tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return SystemError("create", temporary);
  Status written = WriteAll(fd, content, temporary);
  if (written.ok() && ::fsync(fd) != 0) written = SystemError("fsync", temporary);
  ::close(fd);
  if (!written.ok()) return written;
  if (::rename(temporary.c_str(), path.c_str()) != 0) return SystemError("rename", temporary);
  return SyncDirectory(fs::path(path).parent_path().string());
}

Result<std::unique_ptr<SegmentLog>> SegmentLog::Open(const std::string& dir,
                                                     uint64_t first_sequence,
                                                     int64_t segment_bytes) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error::Unavailable("create " + dir + ": " + ec.message());
  std::unique_ptr<SegmentLog> log(new SegmentLog(dir, segment_bytes));
  if (Status status = log->OpenSegment(first_sequence); !status.ok()) return status.error();
  return log;
}

SegmentLog::~SegmentLog() {
  if (fd_ >= 0) ::close(fd_);
}

Status SegmentLog::OpenSegment(uint64_t sequence) {
  const std::string path = dir_ + "/" + SegmentFileName(sequence);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return SystemError("open", path);
  struct stat info {};
  ::fstat(fd, &info);
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  sequence_ = sequence;
  size_ = info.st_size;
  return SyncDirectory(dir_);
}

Status SegmentLog::Append(std::string_view bytes) {
  if (size_ > 0 && size_ >= segment_bytes_) {
    if (Status status = Roll(); !status.ok()) return status;
  }
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
  return OpenSegment(sequence_ + 1);
}

std::string VisitorNeedle(std::string_view visitor) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(visitor.data(), static_cast<rapidjson::SizeType>(visitor.size()));
  return "\"visitor\":" + std::string(buffer.GetString(), buffer.GetSize());
}

Result<bool> DropLines(const std::string& dir, uint64_t before,
                       const std::function<bool(std::string_view line)>& drop) {
  Result<std::vector<uint64_t>> segments = ListSegments(dir);
  if (!segments.ok()) return segments.error();
  bool dropped = false;
  for (uint64_t sequence : *segments) {
    if (sequence >= before) continue;
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

}  // namespace tailor::ranking::internal
