#include "core/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace tailor {

namespace fs = std::filesystem;

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

Result<std::string> ReadFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Error::NotFound(path + ": cannot be read");
    return SystemError("open", path);
  }
  std::string content;
  char buffer[1 << 16];
  while (true) {
    const ssize_t got = ::read(fd, buffer, sizeof(buffer));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      Error error = SystemError("read", path);
      ::close(fd);
      return error;
    }
    if (got == 0) break;
    content.append(buffer, static_cast<size_t>(got));
  }
  ::close(fd);
  return content;
}

Status ForEachLine(const std::string& path, TornTail torn_tail,
                   const std::function<Status(std::string_view, size_t)>& fn, TornLine* cut) {
  Result<std::string> read = ReadFile(path);
  if (!read.ok()) return Error::Unavailable("read " + path + ": cannot open");
  const std::string& content = *read;
  size_t start = 0;
  size_t line_number = 0;
  while (start < content.size()) {
    const size_t end = content.find('\n', start);
    if (end == std::string::npos) {
      if (cut != nullptr && torn_tail != TornTail::kRefuse) {
        *cut = {line_number + 1, content.size() - start};
      }
      if (torn_tail == TornTail::kIgnore) return Status::Ok();
      if (torn_tail == TornTail::kRefuse) {
        return Error::DataLoss(path + ":" + std::to_string(line_number + 1) +
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

}  // namespace tailor
