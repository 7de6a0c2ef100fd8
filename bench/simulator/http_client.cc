#include "bench/simulator/http_client.h"

// clang-format off
#include <utility>  // before Boost.Asio: Boost 1.74 uses std::exchange without it
// clang-format on

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

namespace tailor::simulator {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

// A guard against hangs, not a performance expectation.
constexpr auto kGuardTimeout = std::chrono::seconds(60);

std::string Where(const HostPort& server) {
  return server.host + ":" + std::to_string(server.port);
}

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

HttpClient::HttpClient(HostPort server) : server_(std::move(server)) {}
HttpClient::~HttpClient() = default;

Result<std::unique_ptr<HttpClient>> HttpClient::Connect(const HostPort& server) {
  std::unique_ptr<HttpClient> client(new HttpClient(server));
  auto connection = std::make_unique<Connection>();
  beast::error_code ec;
  tcp::resolver resolver(connection->io_context);
  tcp::resolver::results_type endpoints =
      resolver.resolve(server.host, std::to_string(server.port), ec);
  if (ec) return Error::Unavailable("connect " + Where(server) + ": " + ec.message());
  connection->stream.expires_after(kGuardTimeout);
  connection->stream.async_connect(
      endpoints, [&ec](beast::error_code result, const tcp::endpoint&) { ec = result; });
  connection->Run();
  if (ec) return Error::Unavailable("connect " + Where(server) + ": " + ec.message());
  client->connection_ = std::move(connection);
  return client;
}

Result<HttpAnswer> HttpClient::Send(std::string_view method, const std::string& target,
                                    const std::string& body) {
  for (int attempt = 0;; ++attempt) {
    if (connection_ == nullptr) {
      Result<std::unique_ptr<HttpClient>> fresh = Connect(server_);
      if (!fresh.ok()) return fresh.error();
      connection_ = std::move((*fresh)->connection_);
      used_ = false;
    }
    bhttp::request<bhttp::string_body> request{
        bhttp::string_to_verb(beast::string_view(method.data(), method.size())), target, 11};
    request.set(bhttp::field::host, server_.host);
    if (!body.empty()) request.set(bhttp::field::content_type, "application/json");
    request.body() = body;
    request.prepare_payload();
    request.keep_alive(true);
    bhttp::response<bhttp::string_body> response;
    beast::error_code ec;
    Connection& connection = *connection_;
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
      return HttpAnswer{static_cast<int>(response.result_int()), std::move(response.body())};
    }
    // A keep-alive connection the server closed while idle: retry once on a new one.
    const bool stale = used_ && attempt == 0;
    connection_.reset();
    if (!stale) {
      return Error::Unavailable(std::string(method) + " " + target + " at " + Where(server_) +
                                ": " + ec.message());
    }
  }
}

}  // namespace tailor::simulator
