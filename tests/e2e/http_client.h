// A small blocking HTTP/1.1 client over Beast for the end-to-end tests. Every operation is
// bounded by a generous guard timeout so that a broken server fails a test instead of
// hanging it; tests never assert on timing.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "server/http/asio.h"

namespace tailor::testing {

struct HttpResult {
  int status = 0;                             // 0 when the exchange failed
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string error;                          // why the exchange failed, if it did
};

class HttpClient {
 public:
  // Connects to 127.0.0.1:port; connected() says whether it worked.
  explicit HttpClient(uint16_t port);
  bool connected() const { return connected_; }
  const std::string& connect_error() const { return connect_error_; }

  // Sends one request on this (keep-alive) connection and reads the answer.
  HttpResult Send(const std::string& method, const std::string& target,
                  const std::string& body = "");

  // Sends a POST declaring a body of declared_bytes and writes body bytes while reading the
  // answer at the same time, so a server that answers early and closes cannot deadlock the
  // test. Stops writing as soon as the answer has arrived.
  HttpResult SendOversized(const std::string& target, uint64_t declared_bytes);

  // Sends a POST with "Expect: 100-continue" the way curl does: the header alone, then the
  // body only once the server's interim answer has arrived; its status goes to
  // *interim_status (0 when none came). Returns the final answer.
  HttpResult SendExpectingContinue(const std::string& target, const std::string& body,
                                   int* interim_status);

 private:
  void RunIo();

  server::http::net::io_context io_context_;
  server::http::beast::tcp_stream stream_;
  server::http::beast::flat_buffer buffer_;
  bool connected_ = false;
  std::string connect_error_;
};

// One request on a fresh connection.
HttpResult Fetch(uint16_t port, const std::string& method, const std::string& target,
                 const std::string& body = "");

}  // namespace tailor::testing
