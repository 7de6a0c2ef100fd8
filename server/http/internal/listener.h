// Accepts connections and starts a Session for each (internal to server/http). It also runs
// the graceful stop: close the acceptor, tell every session, and stop the io_context when
// the last session ends or the shutdown deadline passes, whichever comes first.
#pragma once

#include <memory>

#include "server/http/asio.h"
#include "server/http/internal/session.h"

namespace tailor::server::http::internal {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens. Errors: unavailable naming the address.
  static Result<std::shared_ptr<Listener>> Open(net::io_context& io_context,
                                                std::shared_ptr<SessionShared> shared);

  Listener(net::io_context& io_context, std::shared_ptr<SessionShared> shared);

  // Starts accepting. Requires: owned by a shared_ptr.
  void Start();
  // The bound endpoint.
  tcp::endpoint endpoint() const { return endpoint_; }
  // Begins the graceful stop. Thread-safe and idempotent.
  void Stop();

 private:
  Status Bind();
  void Accept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  void StopOnStrand();

  net::io_context& io_context_;
  net::strand<net::io_context::executor_type> strand_;
  tcp::acceptor acceptor_;
  net::steady_timer deadline_;
  net::steady_timer retry_;  // the next accept after a failed one
  tcp::endpoint endpoint_;
  std::shared_ptr<SessionShared> shared_;
  bool stopped_ = false;  // on strand_
};

}  // namespace tailor::server::http::internal
