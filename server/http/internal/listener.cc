#include "server/http/internal/listener.h"

#include <iostream>
#include <vector>

namespace tailor::server::http::internal {
namespace {

// How long the listener waits after a failed accept (out of descriptors) before the next.
constexpr int kAcceptRetryMs = 50;

}  // namespace

Result<std::shared_ptr<Listener>> Listener::Open(net::io_context& io_context,
                                                 std::shared_ptr<SessionShared> shared) {
  auto listener = std::make_shared<Listener>(io_context, std::move(shared));
  Status bound = listener->Bind();
  if (!bound.ok()) return bound.error();
  return listener;
}

Listener::Listener(net::io_context& io_context, std::shared_ptr<SessionShared> shared)
    : io_context_(io_context),
      strand_(net::make_strand(io_context)),
      acceptor_(strand_),
      deadline_(strand_),
      retry_(strand_),
      shared_(std::move(shared)) {}

Status Listener::Bind() {
  const HttpServerOptions& options = shared_->options;
  const std::string where = options.host + ":" + std::to_string(options.port);
  beast::error_code ec;
  tcp::resolver resolver(io_context_);
  auto endpoints = resolver.resolve(options.host, std::to_string(options.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return Error::Unavailable("listen " + where + ": cannot resolve: " + ec.message());
  }
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  if (acceptor_.open(endpoint.protocol(), ec) ||
      acceptor_.set_option(net::socket_base::reuse_address(true), ec) ||
      acceptor_.bind(endpoint, ec) ||
      acceptor_.listen(net::socket_base::max_listen_connections, ec)) {
    return Error::Unavailable("listen " + where + ": " + ec.message());
  }
  endpoint_ = acceptor_.local_endpoint(ec);
  if (ec) return Error::Unavailable("listen " + where + ": " + ec.message());
  return Status::Ok();
}

void Listener::Start() {
  net::dispatch(strand_, [self = shared_from_this()] { self->Accept(); });
}

void Listener::Accept() {
  // Each connection gets its own strand, so its handlers never overlap across threads.
  acceptor_.async_accept(net::make_strand(io_context_),
                         beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
}

void Listener::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (stopped_ || ec == net::error::operation_aborted) return;
  if (ec) {
    // E.g. out of file descriptors: the listener keeps going, the client may retry. Not at
    // once: the failure would repeat in a busy loop until a descriptor is freed.
    std::cerr << "tailor-server: accept: " << ec.message() << std::endl;
    retry_.expires_after(std::chrono::milliseconds(kAcceptRetryMs));
    retry_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (!wait_ec && !self->stopped_) self->Accept();
    });
    return;
  } else if (shared_->open_connections.load() >= shared_->options.max_connections) {
    // Sessions are created only here, on this strand, so the count cannot grow meanwhile.
    Refuse(std::move(socket), shared_);
  } else {
    std::make_shared<Session>(std::move(socket), shared_)->Start();
  }
  Accept();
}

void Listener::Stop() {
  net::dispatch(strand_, [self = shared_from_this()] { self->StopOnStrand(); });
}

void Listener::StopOnStrand() {
  if (stopped_) return;
  stopped_ = true;
  beast::error_code ignored;
  acceptor_.close(ignored);
  retry_.cancel();
  std::vector<std::shared_ptr<Session>> sessions;
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->stopping = true;
    for (auto& [raw, weak] : shared_->sessions) {
      if (auto session = weak.lock()) sessions.push_back(std::move(session));
    }
    if (shared_->sessions.empty()) return;  // nothing in flight: the io_context runs dry
    std::weak_ptr<Listener> weak_self = weak_from_this();
    shared_->on_drained = [weak_self] {
      if (auto self = weak_self.lock()) {
        net::post(self->strand_, [self] { self->deadline_.cancel(); });
      }
    };
  }
  for (auto& session : sessions) session->BeginShutdown();
  deadline_.expires_after(std::chrono::milliseconds(shared_->options.shutdown_timeout_ms));
  deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec == net::error::operation_aborted) return;  // every session ended in time
    std::cerr << "tailor-server: shutdown deadline passed, stopping with requests in flight"
              << std::endl;
    self->io_context_.stop();
  });
}

}  // namespace tailor::server::http::internal
