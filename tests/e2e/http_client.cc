#include "tests/e2e/http_client.h"

namespace tailor::testing {
namespace {

HttpResult ToResult(Result<HttpAnswer> answer) {
  if (!answer.ok()) return HttpResult{0, "", {}, answer.error().message};
  return HttpResult{answer->status, std::move(answer->body), std::move(answer->headers), ""};
}

}  // namespace

HttpClient::HttpClient(uint16_t port) {
  Result<std::unique_ptr<tailor::HttpClient>> client =
      tailor::HttpClient::Connect(HostPort{"127.0.0.1", port}, Reconnect::kNever);
  if (client.ok()) {
    client_ = std::move(*client);
  } else {
    connect_error_ = client.error().message;
  }
}

HttpResult HttpClient::Send(const std::string& method, const std::string& target,
                            const std::string& body,
                            const std::map<std::string, std::string>& headers) {
  if (client_ == nullptr) return HttpResult{0, "", {}, "not connected: " + connect_error_};
  return ToResult(client_->Send(method, target, body, headers));
}

HttpResult HttpClient::SendOversized(const std::string& target, uint64_t declared_bytes) {
  if (client_ == nullptr) return HttpResult{0, "", {}, "not connected: " + connect_error_};
  return ToResult(client_->SendOversized(target, declared_bytes));
}

HttpResult HttpClient::SendExpectingContinue(const std::string& target, const std::string& body,
                                             int* interim_status) {
  *interim_status = 0;
  if (client_ == nullptr) return HttpResult{0, "", {}, "not connected: " + connect_error_};
  return ToResult(client_->SendExpectingContinue(target, body, interim_status));
}

HttpResult Fetch(uint16_t port, const std::string& method, const std::string& target,
                 const std::string& body) {
  HttpClient client(port);
  if (!client.connected()) return HttpResult{0, "", {}, "connect: " + client.connect_error()};
  return client.Send(method, target, body);
}

}  // namespace tailor::testing
