// The end-to-end tests' view of the one HTTP client (tools/http_client.h): a connection to
// 127.0.0.1:port that never reconnects behind a test's back, and answers as plain values
// with status 0 and the reason when an exchange failed. Tests never assert on timing; the
// client's guard timeout only keeps a broken server from hanging them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "tools/http_client.h"

namespace tailor::testing {

struct HttpResult {
  int status = 0;                              // 0 when the exchange failed
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string error;                           // why the exchange failed, if it did
};

class HttpClient {
 public:
  // Connects to 127.0.0.1:port; connected() says whether it worked.
  explicit HttpClient(uint16_t port);
  bool connected() const { return client_ != nullptr; }
  const std::string& connect_error() const { return connect_error_; }

  // One request on this keep-alive connection (tailor::HttpClient::Send), with more
  // request headers when given.
  HttpResult Send(const std::string& method, const std::string& target,
                  const std::string& body = "",
                  const std::map<std::string, std::string>& headers = {});
  // tailor::HttpClient::SendOversized.
  HttpResult SendOversized(const std::string& target, uint64_t declared_bytes);
  // tailor::HttpClient::SendExpectingContinue.
  HttpResult SendExpectingContinue(const std::string& target, const std::string& body,
                                   int* interim_status);

 private:
  std::unique_ptr<tailor::HttpClient> client_;
  std::string connect_error_;
};

// One request on a fresh connection.
HttpResult Fetch(uint16_t port, const std::string& method, const std::string& target,
                 const std::string& body = "");

}  // namespace tailor::testing
