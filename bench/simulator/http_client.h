// A blocking HTTP/1.1 client over Boost.Beast with one keep-alive connection, for
// tailor-simulate. Beast stays out of this header.
//
// Each exchange is bounded by a guard timeout (60 s) so that a hung server fails the run
// instead of hanging it. When a reused keep-alive connection turns out to be closed by the
// server (idle timeout), the request is sent once more on a fresh connection.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tailor::simulator {

struct HttpAnswer {
  int status = 0;
  std::string body;
};

// Where the simulator sends its requests; a test can answer without a socket.
class Transport {
 public:
  virtual ~Transport() = default;
  // Sends one request (body as JSON when not empty) and returns the answer, whatever its
  // status. Errors: unavailable when the exchange itself failed.
  virtual Result<HttpAnswer> Send(std::string_view method, const std::string& target,
                                  const std::string& body) = 0;
};

// "HOST:PORT" -> host and port. Errors: invalid_argument "--server: ...".
struct HostPort {
  std::string host;
  uint16_t port = 0;
};
Result<HostPort> ParseHostPort(std::string_view text);

// Not thread-safe: one client per thread.
class HttpClient final : public Transport {
 public:
  // Resolves and connects. Errors: unavailable "connect HOST:PORT: reason".
  static Result<std::unique_ptr<HttpClient>> Connect(const HostPort& server);
  ~HttpClient() override;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Result<HttpAnswer> Send(std::string_view method, const std::string& target,
                          const std::string& body) override;

 private:
  struct Connection;
  explicit HttpClient(HostPort server);
  HostPort server_;
  std::unique_ptr<Connection> connection_;
  bool used_ = false;  // whether connection_ has carried an exchange already
};

}  // namespace tailor::simulator
