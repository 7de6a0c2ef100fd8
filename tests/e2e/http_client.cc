#include "tests/e2e/http_client.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>

namespace tailor::testing {
namespace {

namespace net = server::http::net;
namespace beast = server::http::beast;
namespace bhttp = server::http::bhttp;
using tcp = server::http::tcp;

// A guard against hangs, not a performance expectation.
constexpr auto kGuardTimeout = std::chrono::seconds(60);
constexpr size_t kChunkBytes = 256 * 1024;

HttpResult ToResult(const bhttp::response<bhttp::string_body>& response) {
  HttpResult result;
  result.status = static_cast<int>(response.result_int());
  result.body = response.body();
  for (const auto& field : response) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    result.headers[name] = std::string(field.value());
  }
  return result;
}

// Writes the oversized request's header, then body chunks until done or told to stop.
struct OversizedWriter {
  beast::tcp_stream& stream;
  std::shared_ptr<std::string> head;
  std::shared_ptr<std::string> chunk;
  uint64_t remaining;
  std::shared_ptr<bool> stop;

  void Start() {
    net::async_write(stream, net::buffer(*head),
                     [copy = *this](beast::error_code ec, size_t) mutable { copy.Next(ec); });
  }
  void Next(beast::error_code ec) {
    if (ec || *stop || remaining == 0) return;
    size_t n = static_cast<size_t>(std::min<uint64_t>(remaining, chunk->size()));
    remaining -= n;
    net::async_write(stream, net::buffer(chunk->data(), n),
                     [copy = *this](beast::error_code ec2, size_t) mutable { copy.Next(ec2); });
  }
};

}  // namespace

HttpClient::HttpClient(uint16_t port) : stream_(io_context_) {
  beast::error_code ec;
  stream_.expires_after(kGuardTimeout);
  stream_.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                        [&ec](beast::error_code result) { ec = result; });
  RunIo();
  connected_ = !ec;
  if (ec) connect_error_ = ec.message();
}

void HttpClient::RunIo() {
  io_context_.restart();
  io_context_.run();
}

HttpResult HttpClient::Send(const std::string& method, const std::string& target,
                            const std::string& body) {
  bhttp::request<bhttp::string_body> request{bhttp::string_to_verb(method), target, 11};
  request.set(bhttp::field::host, "127.0.0.1");
  if (!body.empty()) request.set(bhttp::field::content_type, "application/json");
  request.body() = body;
  request.prepare_payload();
  request.keep_alive(true);
  beast::error_code ec;
  bhttp::response<bhttp::string_body> response;
  stream_.expires_after(kGuardTimeout);
  bhttp::async_write(stream_, request, [&](beast::error_code write_ec, size_t) {
    if (write_ec) {
      ec = write_ec;
      return;
    }
    bhttp::async_read(stream_, buffer_, response,
                      [&](beast::error_code read_ec, size_t) { ec = read_ec; });
  });
  RunIo();
  if (ec) return HttpResult{0, "", {}, ec.message()};
  return ToResult(response);
}

HttpResult HttpClient::SendOversized(const std::string& target, uint64_t declared_bytes) {
  auto head = std::make_shared<std::string>(
      "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
      "Content-Length: " + std::to_string(declared_bytes) + "\r\n\r\n");
  auto stop = std::make_shared<bool>(false);
  OversizedWriter writer{stream_, head, std::make_shared<std::string>(kChunkBytes, ' '),
                         declared_bytes, stop};
  bhttp::response_parser<bhttp::string_body> parser;
  beast::error_code read_ec;
  stream_.expires_after(kGuardTimeout);
  writer.Start();
  bhttp::async_read(stream_, buffer_, parser, [&](beast::error_code ec, size_t) {
    read_ec = ec;
    *stop = true;
    // The answer is in (or the server is gone): abandon the rest of the body.
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().cancel(ignored);
  });
  RunIo();
  if (read_ec && !parser.is_done()) return HttpResult{0, "", {}, read_ec.message()};
  return ToResult(parser.get());
}

HttpResult HttpClient::SendExpectingContinue(const std::string& target, const std::string& body,
                                             int* interim_status) {
  *interim_status = 0;
  const std::string head = "POST " + target +
                           " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
                           "Expect: 100-continue\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n";
  bhttp::response<bhttp::empty_body> interim;
  bhttp::response<bhttp::string_body> response;
  beast::error_code ec;
  stream_.expires_after(kGuardTimeout);
  net::async_write(stream_, net::buffer(head), [&](beast::error_code write_ec, size_t) {
    if ((ec = write_ec)) return;
    bhttp::async_read(stream_, buffer_, interim, [&](beast::error_code read_ec, size_t) {
      if ((ec = read_ec)) return;
      *interim_status = static_cast<int>(interim.result_int());
      net::async_write(stream_, net::buffer(body), [&](beast::error_code body_ec, size_t) {
        if ((ec = body_ec)) return;
        bhttp::async_read(stream_, buffer_, response,
                          [&](beast::error_code final_ec, size_t) { ec = final_ec; });
      });
    });
  });
  RunIo();
  if (ec) return HttpResult{0, "", {}, ec.message()};
  return ToResult(response);
}

HttpResult Fetch(uint16_t port, const std::string& method, const std::string& target,
                 const std::string& body) {
  HttpClient client(port);
  if (!client.connected()) return HttpResult{0, "", {}, "connect: " + client.connect_error()};
  return client.Send(method, target, body);
}

}  // namespace tailor::testing
