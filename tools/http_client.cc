#include "tools/http_client.h"

// clang-format off
#include <utility>  // before Boost.Asio: Boost 1.74 uses std::exchange without it
// clang-format on

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <cctype>
#include <chrono>

namespace tailor {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

// A guard against hangs, not a performance expectation.
constexpr auto kGuardTimeout = std::chrono::seconds(60);
constexpr size_t kChunkBytes = 256 * 1024;

std::string Where(const HostPort& server) {
  return server.host + ":" + std::to_string(server.port);
}

template <typename Body>
HttpAnswer ToAnswer(bhttp::response<Body>& response) {
  HttpAnswer answer;
  answer.status = static_cast<int>(response.result_int());
  answer.body = std::move(response.body());
  for (const auto& field : response) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    answer.headers[name] = std::string(field.value());
  }
  return answer;
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
    const size_t n = static_cast<size_t>(std::min<uint64_t>(remaining, chunk->size()));
    remaining -= n;
    net::async_write(stream, net::buffer(chunk->data(), n),
                     [copy = *this](beast::error_code next, size_t) mutable { copy.Next(next); });
  }
};

}  // namespace

struct HttpClient::Connection {
  net::io_context io_context;
  beast::tcp_stream stream{io_context};
  beast::flat_buffer buffer;

  void Run() {
    io_context.restart();
    io_context.run();
  }
};

Result<HostPort> ParseHostPort(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    return Error::InvalidArgument("--server: expected HOST:PORT, got \"" + std::string(text) +
                                  "\"");
  }
  HostPort out;
  out.host = std::string(text.substr(0, colon));
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']') {
    out.host = out.host.substr(1, out.host.size() - 2);
  }
  long port = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) {
      return Error::InvalidArgument("--server: bad port in \"" + std::string(text) + "\"");
    }
    port = port * 10 + (c - '0');
  }
  if (port < 1 || port > 65535) {
    return Error::InvalidArgument("--server: port must be 1..65535");
  }
  out.port = static_cast<uint16_t>(port);
  return out;
}

HttpClient::HttpClient(HostPort server, Reconnect reconnect)
    : server_(std::move(server)), reconnect_(reconnect) {}
HttpClient::~HttpClient() = default;

Result<std::unique_ptr<HttpClient>> HttpClient::Connect(const HostPort& server,
                                                        Reconnect reconnect) {
  std::unique_ptr<HttpClient> client(new HttpClient(server, reconnect));
  Result<Connection*> live = client->Live();
  if (!live.ok()) return live.error();
  return client;
}

Result<HttpClient::Connection*> HttpClient::Live() {
  if (connection_ != nullptr) return connection_.get();
  auto connection = std::make_unique<Connection>();
  beast::error_code ec;
  tcp::resolver resolver(connection->io_context);
  tcp::resolver::results_type endpoints =
      resolver.resolve(server_.host, std::to_string(server_.port), ec);
  if (ec) return Error::Unavailable("connect " + Where(server_) + ": " + ec.message());
  connection->stream.expires_after(kGuardTimeout);
  connection->stream.async_connect(
      endpoints, [&ec](beast::error_code result, const tcp::endpoint&) { ec = result; });
  connection->Run();
  if (ec) return Error::Unavailable("connect " + Where(server_) + ": " + ec.message());
  connection_ = std::move(connection);
  used_ = false;
  return connection_.get();
}

Error HttpClient::Failed(std::string_view what, const std::string& target,
                         const std::string& why) const {
  return Error::Unavailable(std::string(what) + " " + target + " at " + Where(server_) + ": " +
                            why);
}

Result<HttpAnswer> HttpClient::Send(std::string_view method, const std::string& target,
                                    const std::string& body) {
  return Send(method, target, body, {});
}

Result<HttpAnswer> HttpClient::Send(std::string_view method, const std::string& target,
                                    const std::string& body,
                                    const std::map<std::string, std::string>& headers) {
  for (int attempt = 0;; ++attempt) {
    Result<Connection*> live = Live();
    if (!live.ok()) return live.error();
    Connection& connection = **live;
    bhttp::request<bhttp::string_body> request{
        bhttp::string_to_verb(beast::string_view(method.data(), method.size())), target, 11};
    request.set(bhttp::field::host, server_.host);
    if (!body.empty()) request.set(bhttp::field::content_type, "application/json");
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    request.prepare_payload();
    request.keep_alive(true);
    bhttp::response<bhttp::string_body> response;
    beast::error_code ec;
    connection.stream.expires_after(kGuardTimeout);
    bhttp::async_write(connection.stream, request, [&](beast::error_code write_ec, size_t) {
      if ((ec = write_ec)) return;
      bhttp::async_read(connection.stream, connection.buffer, response,
                        [&](beast::error_code read_ec, size_t) { ec = read_ec; });
    });
    connection.Run();
    if (!ec) {
      used_ = true;
      if (!response.keep_alive()) connection_.reset();
      return ToAnswer(response);
    }
    // A keep-alive connection the server closed while idle: retry once on a new one.
    const bool stale = used_ && attempt == 0 && reconnect_ == Reconnect::kOnceWhenStale;
    connection_.reset();
    if (!stale) return Failed(method, target, ec.message());
  }
}

Result<HttpAnswer> HttpClient::SendOversized(const std::string& target, uint64_t declared_bytes) {
  Result<Connection*> live = Live();
  if (!live.ok()) return live.error();
  Connection& connection = **live;
  auto head = std::make_shared<std::string>(
      "POST " + target + " HTTP/1.1\r\nHost: " + server_.host +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(declared_bytes) +
      "\r\n\r\n");
  auto stop = std::make_shared<bool>(false);
  OversizedWriter writer{connection.stream, head, std::make_shared<std::string>(kChunkBytes, ' '),
                         declared_bytes, stop};
  bhttp::response_parser<bhttp::string_body> parser;
  beast::error_code read_ec;
  connection.stream.expires_after(kGuardTimeout);
  writer.Start();
  bhttp::async_read(connection.stream, connection.buffer, parser,
                    [&](beast::error_code ec, size_t) {
                      read_ec = ec;
                      *stop = true;
                      // The answer is in (or the server is gone): abandon the rest.
                      beast::error_code ignored;
                      connection.stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
                      connection.stream.socket().cancel(ignored);
                    });
  connection.Run();
  connection_.reset();
  if (read_ec && !parser.is_done()) return Failed("POST", target, read_ec.message());
  return ToAnswer(parser.get());
}

Result<HttpAnswer> HttpClient::SendExpectingContinue(const std::string& target,
                                                     const std::string& body,
                                                     int* interim_status) {
  *interim_status = 0;
  Result<Connection*> live = Live();
  if (!live.ok()) return live.error();
  Connection& c = **live;
  const std::string head = "POST " + target + " HTTP/1.1\r\nHost: " + server_.host +
                           "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                           "Content-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n";
  bhttp::response<bhttp::empty_body> interim;
  bhttp::response<bhttp::string_body> response;
  beast::error_code ec;
  c.stream.expires_after(kGuardTimeout);
  net::async_write(c.stream, net::buffer(head), [&](beast::error_code write_ec, size_t) {
    if ((ec = write_ec)) return;
    bhttp::async_read(c.stream, c.buffer, interim, [&](beast::error_code read_ec, size_t) {
      if ((ec = read_ec)) return;
      *interim_status = static_cast<int>(interim.result_int());
      net::async_write(c.stream, net::buffer(body), [&](beast::error_code body_ec, size_t) {
        if ((ec = body_ec)) return;
        bhttp::async_read(c.stream, c.buffer, response,
                          [&](beast::error_code final_ec, size_t) { ec = final_ec; });
      });
    });
  });
  c.Run();
  if (ec) {
    connection_.reset();
    return Failed("POST", target, ec.message());
  }
  used_ = true;
  return ToAnswer(response);
}

}  // namespace tailor
