// A raw TCP client for the end-to-end tests of what a hostile client does: send part of a
// request and stall, trickle bytes, or wait for the server to close. Plain POSIX sockets,
// so a test can hold thousands of them. Every wait has a guard timeout that fails the
// test instead of hanging it; none is a timing assertion.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tailor::testing {

class RawSocket {
 public:
  // Connects to 127.0.0.1:port (blocking); ok() says whether it worked, error() why not.
  explicit RawSocket(uint16_t port);
  ~RawSocket();
  RawSocket(RawSocket&& other) noexcept;
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;
  RawSocket& operator=(RawSocket&&) = delete;

  bool ok() const { return fd_ >= 0; }
  const std::string& error() const { return error_; }

  // Writes all of bytes; false when the server has closed or reset the connection.
  bool Send(std::string_view bytes);

  // Waits up to guard_ms for the server to send something or close. Returns true when the
  // connection became readable (data, end of stream or reset), false when the guard passed.
  bool WaitReadable(int guard_ms);

  // Reads one whole answer (header and Content-Length body) within guard_ms; "" when the
  // connection closed first or the guard passed.
  std::string ReadAnswer(int guard_ms);

  // Reads until the server closes the connection, within guard_ms. Returns what came;
  // *closed says whether the end (end of stream or reset) was seen.
  std::string ReadUntilClosed(int guard_ms, bool* closed);

 private:
  int fd_ = -1;
  std::string error_;
  std::string pending_;  // read past the previous answer
};

// The status of an answer ReadAnswer or ReadUntilClosed returned ("HTTP/1.1 503 ..." -> 503),
// 0 for none.
int StatusOf(std::string_view answer);

// The body of an answer: what follows the blank line after its header.
std::string BodyOf(std::string_view answer);

// Raises this process's limit of open descriptors to at least `wanted`, as far as the hard
// limit allows. Returns whether the limit is now at least `wanted`.
bool RaiseDescriptorLimit(uint64_t wanted);

}  // namespace tailor::testing
