// The built executables as child processes, for the end-to-end suites that run them
// (smoke_test.cc, fault_test.cc): a child with its stdout (and optionally stderr) on a pipe,
// the server's startup line, and an index built with the tailor-indexer binary.
#pragma once

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "tests/server/test_support.h"

namespace tailor::testing {

inline const std::string kBinDir = TAILOR_BIN_DIR;

// Whether a child's stderr goes to a pipe the test reads (ChildProcess::ReadErrorLine).
enum class ChildStderr { kInherit, kCapture };

// A child process with its stdout (and optionally stderr) on a pipe; killed and reaped on
// destruction if still running.
class ChildProcess {
 public:
  explicit ChildProcess(std::vector<std::string> args,
                        ChildStderr child_stderr = ChildStderr::kInherit) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    int err_fds[2] = {-1, -1};
    if (child_stderr == ChildStderr::kCapture && ::pipe(err_fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      if (err_fds[1] >= 0) {
        ::dup2(err_fds[1], STDERR_FILENO);
        ::close(err_fds[0]);
        ::close(err_fds[1]);
      }
      std::vector<char*> argv;
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = ::fdopen(fds[0], "r");
    if (err_fds[1] >= 0) {
      ::close(err_fds[1]);
      err_fd_ = err_fds[0];
    }
  }
  ~ChildProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ != nullptr) std::fclose(out_);
    if (err_fd_ >= 0) ::close(err_fd_);
  }

  // The next line of the child's stdout, "" at end of file.
  std::string ReadLine() {
    char line[512];
    if (out_ == nullptr || std::fgets(line, sizeof(line), out_) == nullptr) return "";
    return line;
  }
  // The next line of the child's captured stderr, without its newline; "" at end of file,
  // or when nothing came within a generous guard timeout (a hang fails, it does not block).
  std::string ReadErrorLine() {
    std::string line;
    while (err_fd_ >= 0) {
      pollfd ready{err_fd_, POLLIN, 0};
      if (::poll(&ready, 1, 30000) <= 0) return "";
      char c = 0;
      if (::read(err_fd_, &c, 1) != 1) return line;
      if (c == '\n') return line;
      line += c;
    }
    return line;
  }
  // Whether the child has installed a handler for the signal (the SigCgt mask of
  // /proc/PID/status), so that sending it is not fatal.
  bool Catches(int signal) const {
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("SigCgt:", 0) != 0) continue;
      const unsigned long long mask = std::stoull(line.substr(7), nullptr, 16);
      return (mask >> (signal - 1)) & 1;
    }
    return false;
  }
  void Signal(int signal) { ::kill(pid_, signal); }
  // Waits for the child to exit and returns its wait status.
  int Wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return status;
  }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  int err_fd_ = -1;
  bool reaped_ = false;
};

// Parses "tailor-server listening on 127.0.0.1:PORT"; 0 when the line is not that.
inline uint16_t PortFromListeningLine(const std::string& line) {
  const std::string prefix = "tailor-server listening on 127.0.0.1:";
  if (line.rfind(prefix, 0) != 0) return 0;
  return static_cast<uint16_t>(std::stoi(line.substr(prefix.size())));
}

// Builds the sample catalog's index into dir/index with the tailor-indexer binary and
// returns that directory; "" (the failure reported) when the build fails.
inline std::string IndexWithTheBinary(const TempDir& dir) {
  const std::string catalog = WriteSampleCatalog(dir.path());
  const std::string index = (dir.path() / "index").string();
  const std::string build = kBinDir + "/tailor-indexer build --catalog '" + catalog +
                            "' --index '" + index + "' > /dev/null 2>&1";
  if (std::system(build.c_str()) != 0) {
    ADD_FAILURE() << build;
    return "";
  }
  return index;
}

// Starts tailor-server on the index and state; the port, 0 when it did not start.
inline uint16_t StartServer(ChildProcess& server) {
  const std::string line = server.ReadLine();
  return PortFromListeningLine(line);
}

inline std::vector<std::string> ServerArgs(const std::string& index, const std::string& state) {
  return {kBinDir + "/tailor-server",
          "--config",
          TAILOR_SOURCE_DIR "/config/server.json",
          "--listen",
          "127.0.0.1:0",
          "--index",
          index,
          "--state",
          state,
          "--threads",
          "2"};
}

}  // namespace tailor::testing
