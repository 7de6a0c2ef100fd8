#include "server/http/server.h"

#include <exception>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "server/http/asio.h"
#include "server/http/internal/listener.h"
#include "server/http/internal/reloader.h"

namespace tailor::server::http {

struct HttpServer::Impl {
  // Declared first so that it is destroyed last, after everything holding its handlers.
  // Shared: a responder still waiting for an asynchronous answer keeps it alive.
  std::shared_ptr<net::io_context> io;
  net::io_context& io_context;
  std::shared_ptr<internal::SessionShared> shared;
  std::shared_ptr<internal::Listener> listener;
  std::optional<net::signal_set> signals;
  std::optional<net::signal_set> hangup;
  std::function<void()> on_hangup;
  // Runs the reloads, POST /admin/reload's and SIGHUP's alike; stopped when the server is
  // destroyed, so none outlives what they refer to.
  internal::Reloader reloader;

  void WaitForHangup() {
    hangup->async_wait([this](beast::error_code ec, int /*signal*/) {
      if (ec) return;
      reloader.Run(on_hangup);
      WaitForHangup();
    });
  }

  std::vector<std::thread> threads;
  std::string host;
  uint16_t port = 0;

  explicit Impl(int threads_hint)
      : io(std::make_shared<net::io_context>(threads_hint)), io_context(*io) {}

  void Run() {
    for (;;) {
      try {
        io_context.run();
        return;
      } catch (const std::exception& e) {
        // Sessions catch what they can; whatever escapes must not end the server's thread.
        std::cerr << "tailor-server: io thread: " << e.what() << std::endl;
      }
    }
  }
};

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                      Router router) {
  const int threads = std::max(1, options.threads);
  auto impl = std::make_unique<Impl>(threads);
  BlockingRunner run_blocking = [reloader = &impl->reloader](std::function<void()> job) {
    reloader->Run(std::move(job));
  };
  impl->shared = std::make_shared<internal::SessionShared>(options, std::move(router), impl->io,
                                                           std::move(run_blocking));
  Result<std::shared_ptr<internal::Listener>> listener =
      internal::Listener::Open(impl->io_context, impl->shared);
  if (!listener.ok()) return listener.error();
  impl->listener = std::move(*listener);
  impl->host = impl->listener->endpoint().address().to_string();
  impl->port = impl->listener->endpoint().port();
  impl->listener->Start();
  for (int i = 0; i < threads; ++i) {
    impl->threads.emplace_back([raw = impl.get()] { raw->Run(); });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  Stop();
  Wait();
  impl_->reloader.Stop();
  // Sessions destroyed with the io_context must not post to it any more.
  std::lock_guard<std::mutex> lock(impl_->shared->mutex);
  impl_->shared->on_drained = nullptr;
}

uint16_t HttpServer::port() const { return impl_->port; }

const std::string& HttpServer::host() const { return impl_->host; }

ConnectionStats HttpServer::connection_stats() const {
  const internal::SessionShared& shared = *impl_->shared;
  return ConnectionStats{shared.open_connections.load(), shared.refused_connections.load(),
                         shared.rate_limited_requests.load()};
}

void HttpServer::StopOnSignals() {
  impl_->signals.emplace(impl_->io_context, SIGINT, SIGTERM);
  impl_->signals->async_wait([this](beast::error_code ec, int /*signal*/) {
    if (!ec) Stop();
  });
}

void HttpServer::OnHangup(std::function<void()> fn) {
  impl_->on_hangup = std::move(fn);
  impl_->hangup.emplace(impl_->io_context, SIGHUP);
  impl_->WaitForHangup();
}

void HttpServer::Stop() {
  impl_->listener->Stop();
  // A signal wait would keep the io_context busy forever; cancel them on an io thread.
  net::post(impl_->io_context, [impl = impl_.get()] {
    beast::error_code ignored;
    if (impl->signals) impl->signals->cancel(ignored);
    if (impl->hangup) impl->hangup->cancel(ignored);
  });
}

void HttpServer::Wait() {
  for (std::thread& thread : impl_->threads) {
    if (thread.joinable()) thread.join();
  }
}

}  // namespace tailor::server::http
