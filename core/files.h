// Whole-file plumbing every module shares: reading a file, walking its lines with torn-tail
// handling, and replacing a file atomically and durably.
//
// Functions are thread-safe as far as the files they touch are not written by others meanwhile.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tailor {

// The whole content of a file. Errors: not_found "<path>: cannot be read" when there is no
// such file; unavailable when it cannot be opened or read, naming the file and the reason.
Result<std::string> ReadFile(const std::string& path);

// Calls fn(line, line_number) for each '\n'-terminated line of a file. A last line without
// '\n' (a write cut short by a crash, never acknowledged, or one being written now) is cut
// off the file (kRepair), skipped (kIgnore) or reported (kRefuse: data_loss naming the file
// and line). fn returning an error stops the walk with that error. Errors: unavailable when
// the file cannot be read.
// When `cut` is given and a torn last line was cut off or skipped, it says which line and
// how many bytes, so the caller can report what recovery dropped.
enum class TornTail { kRepair, kIgnore, kRefuse };
struct TornLine {
  size_t line = 0;   // 1-based; 0: the file ended with a whole line
  size_t bytes = 0;  // the torn line's bytes
};
Status ForEachLine(const std::string& path, TornTail torn_tail,
                   const std::function<Status(std::string_view line, size_t line_number)>& fn,
                   TornLine* cut = nullptr);

// Writes content to path atomically: a temporary file beside it, fsync, rename, fsync of the
// directory. Errors: unavailable naming the file and the system's reason.
Status WriteFileAtomically(const std::string& path, std::string_view content);
// fsync()s a directory, so renames and new files in it are durable.
Status SyncDirectory(const std::string& dir);
// Writes all of bytes to fd, retrying on EINTR. Errors: unavailable naming path.
Status WriteAll(int fd, std::string_view bytes, const std::string& path);
// Error::Unavailable("<what> <path>: <strerror(errno)>").
Error SystemError(const std::string& what, const std::string& path);

}  // namespace tailor
