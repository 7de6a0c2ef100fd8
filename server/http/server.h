// The HTTP server: accepts connections on one address and serves a Router's endpoints on N
// io_context threads, with keep-alive, a body limit, read and idle timeouts and a graceful
// stop (stop accepting, let in-flight requests finish within a deadline, then stop).
//
// This header is free of Boost: the server_main and the end-to-end tests use it without
// paying for Beast's compile time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "server/http/router.h"

namespace tailor::server::http {

struct HttpServerOptions {
  // Host or address to bind; "127.0.0.1" for local only.
  std::string host = "127.0.0.1";
  // Port to bind; 0 picks a free port (see HttpServer::port()).
  uint16_t port = 0;
  // io_context threads; at least 1.
  int threads = 1;
  // Largest request body; a larger one is answered 413 and the connection closed.
  uint64_t max_body_bytes = 1048576;
  // Time a client has to send a whole request (and to read the response) once it started.
  int read_timeout_ms = 10000;
  // Time a keep-alive connection may sit idle waiting for its next request.
  int idle_timeout_ms = 30000;
  // How long Stop() lets in-flight requests finish before it stops the threads.
  int shutdown_timeout_ms = 10000;
};

class HttpServer {
 public:
  // Binds, listens and starts options.threads threads serving `router`. Errors: unavailable
  // when the address cannot be resolved or bound (naming it).
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                   Router router);
  // Stops (gracefully) and joins, the reload thread too, so nothing the router or OnHangup
  // refers to is used after. Requires: not called on one of the server's threads.
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (the real one when options.port was 0) and host.
  uint16_t port() const;
  const std::string& host() const;

  // Makes SIGINT and SIGTERM call Stop(). Call at most once, from the thread that started it.
  void StopOnSignals();

  // Makes SIGHUP run fn each time it arrives, e.g. to reload the scoring config: on the
  // server's reload thread (not an io thread), after the reloads queued before it, POST
  // /admin/reload's included. Call at most once, from the thread that started the server.
  void OnHangup(std::function<void()> fn);

  // Begins a graceful stop: closes the listening socket, closes idle connections and lets
  // each busy one finish its current request; after options.shutdown_timeout_ms the threads
  // stop regardless. Returns at once. Thread-safe and idempotent.
  void Stop();

  // Blocks until the server has stopped and its threads are joined. Requires: not called on
  // one of the server's threads.
  void Wait();

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tailor::server::http
