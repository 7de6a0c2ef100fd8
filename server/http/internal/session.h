// One HTTP connection (internal to server/http; only listener.cc and server.cc use it).
//
// A Session reads requests with Beast's request_parser (body limit, header limit), answers
// them through the Router, and keeps the connection alive while the client wants. Waiting
// for the first byte of a later request is bounded by the idle timeout; the header by the
// header timeout (from the connection's start for the first request, from its first byte
// for later ones), the body by the body timeout, and writing the answer by the read timeout.
// Each is the tcp_stream's expiry, so a deadline passing closes the connection. A body over
// the limit is answered 413, after which the session reads and discards what the client
// still sends for a short while before closing, so the client sees the answer instead of a
// connection reset. With a rate limit, a request over its address's rate is answered 429.
//
// Refuse() is the listener's answer to a connection beyond max_connections: a fixed 503.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "server/engine.h"
#include "server/http/asio.h"
#include "server/http/internal/rate_limiter.h"
#include "server/http/request.h"
#include "server/http/router.h"
#include "server/http/server.h"

namespace tailor::server::http::internal {

class Session;

// What every session of one server shares. Sessions hold it by shared_ptr, so it outlives
// the last of them whatever the order of teardown.
struct SessionShared {
  SessionShared(const HttpServerOptions& server_options, Router server_router,
                std::weak_ptr<net::io_context> server_io_context, BlockingRunner run_blocking)
      : options(server_options),
        router(std::move(server_router)),
        io_context(std::move(server_io_context)),
        run_blocking(std::move(run_blocking)),
        rate_limiter(server_options.rate_limit.enabled
                         ? std::make_unique<RateLimiter>(server_options.rate_limit)
                         : nullptr),
        refusal(RefusalText(server_options.max_connections)) {}

  // The raw HTTP answer refusing a connection: 503 "unavailable", Connection: close.
  static std::string RefusalText(int max_connections);

  const HttpServerOptions options;
  const Router router;
  // The server's io_context; answers that come late from other threads hold it alive.
  const std::weak_ptr<net::io_context> io_context;
  // Where the router's blocking handlers run: the server's reload thread.
  const BlockingRunner run_blocking;
  RequestIdGenerator request_ids;
  // Null when options.rate_limit is not enabled.
  const std::unique_ptr<RateLimiter> rate_limiter;
  // The whole 503 answer written to a connection beyond options.max_connections.
  const std::string refusal;

  // Sessions alive; changed only by ConnectionSlot, incremented only on the listener's
  // strand, so the listener's check against max_connections is exact.
  std::atomic<int64_t> open_connections{0};
  std::atomic<int64_t> refused_connections{0};
  std::atomic<int64_t> rate_limited_requests{0};

  std::mutex mutex;  // guards the fields below
  std::map<Session*, std::weak_ptr<Session>> sessions;
  bool stopping = false;
  // Called once, without the mutex held, when stopping and the last session has ended.
  std::function<void()> on_drained;
};

// Counts one open connection in SessionShared::open_connections for as long as it lives.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::atomic<int64_t>& open) : open_(open) { open_.fetch_add(1); }
  ~ConnectionSlot() { open_.fetch_sub(1); }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

 private:
  std::atomic<int64_t>& open_;
};

// Answers shared->refusal on socket without reading the request, then closes it: after a
// half-close it drains what the client sent for at most a second, so the client reads the
// 503 rather than a reset. Counts it in shared->refused_connections.
void Refuse(tcp::socket&& socket, std::shared_ptr<SessionShared> shared);

class Session : public std::enable_shared_from_this<Session> {
 public:
  // Requires: the socket's executor is a strand (the session's handlers must not overlap).
  Session(tcp::socket&& socket, std::shared_ptr<SessionShared> shared);
  ~Session();

  // Registers the session and starts reading. Requires: owned by a shared_ptr.
  void Start();

  // Closes the connection if it is waiting for a request, else after the current answer.
  // Thread-safe.
  void BeginShutdown();

 private:
  void ReadHeader();
  // A later request's first bytes, waited for as long as the idle timeout allows.
  void OnFirstBytes(beast::error_code ec, size_t bytes);
  void ReadHeaderBeforeDeadline();
  void OnHeader(beast::error_code ec, size_t bytes);
  // Answers a body over the limit (413) or a malformed request (400) and returns true;
  // false for any other ec, which the caller handles.
  bool AnsweredReadError(const beast::error_code& ec);
  // Answers "Expect: 100-continue" so clients such as curl send the body at once.
  void SendContinue();
  void ReadBody();
  void OnBody(beast::error_code ec, size_t bytes);
  void Answer();
  // The 429 for a request over its address's rate; nullopt when the request may go on.
  std::optional<Response> RateLimited();
  void Write(const Response& response, unsigned version, bool keep_alive,
             const std::string& request_id);
  void OnWrite(bool keep_alive, bool linger, beast::error_code ec, size_t bytes);
  void AnswerErrorAndClose(const Error& error, bool linger);
  void Linger();
  void Close();

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<bhttp::response<bhttp::string_body>> response_;
  std::shared_ptr<SessionShared> shared_;
  ConnectionSlot slot_;  // after shared_, whose counter it refers to
  RateLimiter::Address client_{};
  std::vector<char> drain_buffer_;  // sized only when lingering
  bool waiting_for_request_ = false;
  bool first_request_ = true;
  bool shutting_down_ = false;
  bool linger_after_write_ = false;
};

}  // namespace tailor::server::http::internal
