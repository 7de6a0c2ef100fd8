// The one blocking HTTP/1.1 client the tools (tailor-simulate, tailor-rees46) and the
// end-to-end tests talk to a tailor-server with: Boost.Beast over one keep-alive
// connection. Beast stays out of this header.
//
// Each exchange is bounded by a guard timeout (60 s) so that a hung server fails the run
// instead of hanging it. With Reconnect::kOnceWhenStale (the tools' choice), a reused
// keep-alive connection the server closed meanwhile (idle timeout) is replaced and the
// request sent once more; tests that check what the server does to a connection use
// Reconnect::kNever.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace tailor {

struct HttpAnswer {
  HttpAnswer() = default;
  HttpAnswer(int status_, std::string body_, std::map<std::string, std::string> headers_ = {})
      : status(status_), body(std::move(body_)), headers(std::move(headers_)) {}

  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
};

// Where a tool sends its requests; a test can answer without a socket.
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

// What a client does when its keep-alive connection is gone.
enum class Reconnect { kOnceWhenStale, kNever };

// Not thread-safe: one client per thread.
class HttpClient final : public Transport {
 public:
  // Resolves and connects. Errors: unavailable "connect HOST:PORT: reason".
  static Result<std::unique_ptr<HttpClient>> Connect(
      const HostPort& server, Reconnect reconnect = Reconnect::kOnceWhenStale);
  ~HttpClient() override;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Errors: unavailable "METHOD TARGET at HOST:PORT: reason" when the exchange failed.
  Result<HttpAnswer> Send(std::string_view method, const std::string& target,
                          const std::string& body) override;
  // The same with more request headers (name -> value), e.g. Authorization.
  Result<HttpAnswer> Send(std::string_view method, const std::string& target,
                          const std::string& body,
                          const std::map<std::string, std::string>& headers);

  // Sends a POST declaring a body of declared_bytes and writes body bytes while reading the
  // answer at the same time, so a server that answers early and closes cannot deadlock the
  // caller. Stops writing once the answer has arrived; the connection is closed after.
  Result<HttpAnswer> SendOversized(const std::string& target, uint64_t declared_bytes);

  // Sends a POST with "Expect: 100-continue" the way curl does: the header alone, then the
  // body only once the server's interim answer has arrived; its status goes to
  // *interim_status (0 when none came). Returns the final answer.
  Result<HttpAnswer> SendExpectingContinue(const std::string& target, const std::string& body,
                                           int* interim_status);

 private:
  struct Connection;
  HttpClient(HostPort server, Reconnect reconnect);
  // The live connection, opened anew when there is none. Errors: Connect's.
  Result<Connection*> Live();
  Error Failed(std::string_view what, const std::string& target, const std::string& why) const;

  HostPort server_;
  Reconnect reconnect_;
  std::unique_ptr<Connection> connection_;
  bool used_ = false;  // whether connection_ has carried an exchange already
};

}  // namespace tailor
