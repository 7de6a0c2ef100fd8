#include "tests/e2e/raw_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace tailor::testing {
namespace {

using Clock = std::chrono::steady_clock;

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Where an answer in `text` ends, or npos when it is not whole yet.
size_t AnswerEnd(const std::string& text) {
  const size_t header_end = text.find("\r\n\r\n");
  if (header_end == std::string::npos) return std::string::npos;
  size_t length = 0;
  const size_t field = text.find("Content-Length: ");
  if (field != std::string::npos && field < header_end) {
    length = std::stoul(text.substr(field + 16, text.find("\r\n", field) - field - 16));
  }
  const size_t end = header_end + 4 + length;
  return text.size() >= end ? end : std::string::npos;
}

}  // namespace

RawSocket::RawSocket(uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    error_ = std::string("socket: ") + std::strerror(errno);
    return;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    error_ = std::string("connect: ") + std::strerror(errno);
    ::close(fd_);
    fd_ = -1;
  }
}

RawSocket::~RawSocket() {
  if (fd_ >= 0) ::close(fd_);
}

RawSocket::RawSocket(RawSocket&& other) noexcept
    : fd_(other.fd_), error_(std::move(other.error_)), pending_(std::move(other.pending_)) {
  other.fd_ = -1;
}

bool RawSocket::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

bool RawSocket::WaitReadable(int guard_ms) {
  pollfd entry{fd_, POLLIN, 0};
  int ready = 0;
  do {
    ready = ::poll(&entry, 1, guard_ms);
  } while (ready < 0 && errno == EINTR);
  return ready > 0;
}

std::string RawSocket::ReadAnswer(int guard_ms) {
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(guard_ms);
  for (;;) {
    if (size_t end = AnswerEnd(pending_); end != std::string::npos) {
      std::string answer = pending_.substr(0, end);
      pending_.erase(0, end);
      return answer;
    }
    if (!WaitReadable(RemainingMs(deadline))) return "";
    char chunk[4096];
    const ssize_t got = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (got <= 0) return "";
    pending_.append(chunk, static_cast<size_t>(got));
  }
}

std::string RawSocket::ReadUntilClosed(int guard_ms, bool* closed) {
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(guard_ms);
  std::string text = std::move(pending_);
  pending_.clear();
  *closed = false;
  while (WaitReadable(RemainingMs(deadline))) {
    char chunk[4096];
    const ssize_t got = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (got <= 0) {
      *closed = true;
      break;
    }
    text.append(chunk, static_cast<size_t>(got));
  }
  return text;
}

int StatusOf(std::string_view answer) {
  if (answer.size() < 12 || answer.substr(0, 5) != "HTTP/") return 0;
  return std::atoi(std::string(answer.substr(9, 3)).c_str());
}

std::string BodyOf(std::string_view answer) {
  const size_t header_end = answer.find("\r\n\r\n");
  return header_end == std::string_view::npos ? "" : std::string(answer.substr(header_end + 4));
}

bool RaiseDescriptorLimit(uint64_t wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
  if (limit.rlim_cur >= wanted) return true;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < wanted) return false;
  limit.rlim_cur = wanted;
  return ::setrlimit(RLIMIT_NOFILE, &limit) == 0;
}

}  // namespace tailor::testing
