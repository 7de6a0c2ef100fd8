// One HTTP connection (internal to server/http; only listener.cc and server.cc use it).
//
// A Session reads requests with Beast's request_parser (body limit, header limit), answers
// them through the Router, and keeps the connection alive while the client wants. Waiting
// for the first byte of a request is bounded by the idle timeout, reading the rest of it and
// writing the answer by the read timeout. A body over the limit is answered 413, after which
// the session reads and discards what the client still sends for a short while before
// closing, so the client sees the answer instead of a connection reset.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "server/engine.h"
#include "server/http/asio.h"
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
        run_blocking(std::move(run_blocking)) {}

  const HttpServerOptions options;
  const Router router;
  // The server's io_context; answers that come late from other threads hold it alive.
  const std::weak_ptr<net::io_context> io_context;
  // Where the router's blocking handlers run: the server's reload thread.
  const BlockingRunner run_blocking;
  RequestIdGenerator request_ids;

  std::mutex mutex;  // guards the fields below
  std::map<Session*, std::weak_ptr<Session>> sessions;
  bool stopping = false;
  // Called once, without the mutex held, when stopping and the last session has ended.
  std::function<void()> on_drained;
};

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
  void OnHeader(beast::error_code ec, size_t bytes);
  // Answers a body over the limit (413) or a malformed request (400) and returns true;
  // false for any other ec, which the caller handles.
  bool AnsweredReadError(const beast::error_code& ec);
  // Answers "Expect: 100-continue" so clients such as curl send the body at once.
  void SendContinue();
  void ReadBody();
  void OnBody(beast::error_code ec, size_t bytes);
  void Answer();
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
  std::vector<char> drain_buffer_;  // sized only when lingering
  bool waiting_for_request_ = false;
  bool first_request_ = true;
  bool shutting_down_ = false;
  bool linger_after_write_ = false;
};

}  // namespace tailor::server::http::internal
