// A real redis-server (Debian's redis-server) for the end-to-end tests of the shared profile
// state: started on a free loopback port with its own directory, append-only file and
// `appendfsync always`, killed and restarted on the same port and files.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "tests/common/free_port.h"
#include "tests/e2e/child_process.h"

namespace tailor::testing {

inline const std::string kRedisServer = "/usr/bin/redis-server";

// Whether a PING on a fresh connection to the port is answered +PONG.
inline bool RedisAnswers(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool pong = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::write(fd, "PING\r\n", 6) == 6) {
    char reply[16] = {};
    pong = ::read(fd, reply, sizeof(reply) - 1) > 0 && std::string(reply).rfind("+PONG", 0) == 0;
  }
  ::close(fd);
  return pong;
}

class RedisServer {
 public:
  // dir holds the append-only file and the log.
  explicit RedisServer(std::filesystem::path dir)
      : dir_(std::move(dir)), port_(FreeLoopbackPort()) {
    std::filesystem::create_directories(dir_);
  }
  static bool Installed() { return ::access(kRedisServer.c_str(), X_OK) == 0; }

  // Starts it and waits (at most 30 s, a guard against a hang) until it answers.
  bool Start() {
    process_ = std::make_unique<ChildProcess>(std::vector<std::string>{
        kRedisServer, "--port", std::to_string(port_), "--bind", "127.0.0.1", "--dir",
        dir_.string(), "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--logfile",
        (dir_ / "redis.log").string(), "--daemonize", "no"});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      if (RedisAnswers(port_)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  // SIGKILL: no shutdown, what is on disk is what survives.
  void Kill() {
    if (process_ == nullptr) return;
    process_->Signal(SIGKILL);
    process_->Wait();
    process_.reset();
  }
  ~RedisServer() { Kill(); }

  uint16_t port() const { return port_; }

 private:
  std::filesystem::path dir_;
  uint16_t port_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace tailor::testing
