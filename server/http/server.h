// The HTTP server: accepts connections on one address and serves a Router's endpoints on N
// io_context threads, with keep-alive, a body limit, read and idle timeouts and a graceful
// stop (stop accepting, let in-flight requests finish within a deadline, then stop).
//
// Against hostile clients: at most max_connections are open at once, and one more is
// answered 503 and closed without its request being read; a request header must arrive
// within header_timeout_ms and its body within body_timeout_ms, so a client trickling bytes
// holds a connection for a bounded time; and, when rate_limit is enabled, an address that
// sends requests faster than its token bucket allows is answered 429 with Retry-After.
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

// Request rate limits per client address: a token bucket per address.
struct RateLimitOptions {
  // Whether requests are limited per client address at all (off: every request is served).
  bool enabled = false;
  // Requests per second an address may make in the long run (its bucket's refill rate).
  double requests_per_second = 20;
  // Requests an address may make at once after being quiet (its bucket's size).
  int burst = 40;
  // Addresses tracked at once (memory bound); beyond it, idle ones are forgotten first.
  int max_clients = 100000;
};

struct HttpServerOptions {
  // Host or address to bind; "127.0.0.1" for local only.
  std::string host = "127.0.0.1";
  // Port to bind; 0 picks a free port (see HttpServer::port()).
  uint16_t port = 0;
  // io_context threads; at least 1.
  int threads = 1;
  // Largest request body; a larger one is answered 413 and the connection closed.
  uint64_t max_body_bytes = 1048576;
  // Time a client has to read an answer being written (the name is older than the request
  // deadlines below); after a 413 it also bounds how long the rest of the body is drained.
  int read_timeout_ms = 10000;
  // Time a client has to send a whole request header: from the connection's start for its
  // first request, from the first byte of each later one. A slowloris is cut off here.
  int header_timeout_ms = 10000;
  // Time a client has to send a request body once its header has arrived.
  int body_timeout_ms = 30000;
  // Time a keep-alive connection may sit idle waiting for the first byte of its next request.
  int idle_timeout_ms = 30000;
  // Connections open at once; one more is answered 503 "unavailable" and closed at once.
  int max_connections = 10000;
  // Request rate limits per client address (off by default).
  RateLimitOptions rate_limit;
  // How long Stop() lets in-flight requests finish before it stops the threads.
  int shutdown_timeout_ms = 10000;
};

// What the server did about its connections, for tests and monitoring. Each value is read
// atomically on its own; together they are not one snapshot.
struct ConnectionStats {
  // Connections being served now (sessions alive), refused ones not included.
  int64_t open = 0;
  // Connections refused with 503 because max_connections were open.
  int64_t refused = 0;
  // Requests answered 429 by the rate limit.
  int64_t rate_limited = 0;
};

class HttpServer {
 public:
  // Binds, listens and starts options.threads threads serving `router`. Errors: unavailable
  // when the address cannot be resolved or bound (naming it).
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options, Router router);
  // Stops (gracefully) and joins, the reload thread too, so nothing the router or OnHangup
  // refers to is used after. Requires: not called on one of the server's threads.
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (the real one when options.port was 0) and host.
  uint16_t port() const;
  const std::string& host() const;

  // The connection counts so far. Thread-safe.
  ConnectionStats connection_stats() const;

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
