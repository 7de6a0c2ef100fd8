#include "server/http/internal/session.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <chrono>
#include <exception>
#include <iostream>

#include "server/http/error_response.h"
#include "server/http/internal/http_message.h"

namespace tailor::server::http::internal {
namespace {

// After a 413, how long at most the session keeps reading what the client still sends.
constexpr int kMaxLingerMs = 5000;
// How long a refused connection is kept to write its 503 and drain what the client sent.
constexpr int kRefusalMs = 1000;

RateLimiter::Address ToAddress(const net::ip::address& address) {
  if (address.is_v4()) {
    return net::ip::make_address_v6(net::ip::v4_mapped, address.to_v4()).to_bytes();
  }
  return address.to_v6().to_bytes();
}

}  // namespace

std::string SessionShared::RefusalText(int max_connections) {
  const Response response = ErrorResponse(
      Error::Unavailable("server: " + std::to_string(max_connections) +
                         " connections are open, the most it serves at once; try again later"));
  return "HTTP/1.1 503 Service Unavailable\r\nServer: tailor\r\nContent-Type: " +
         response.content_type + "\r\nContent-Length: " + std::to_string(response.body.size()) +
         "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n" + response.body;
}

void Refuse(tcp::socket&& socket, std::shared_ptr<SessionShared> shared) {
  struct Refusal {
    beast::tcp_stream stream;
    std::shared_ptr<SessionShared> shared;
    std::array<char, 4096> drain;
  };
  shared->refused_connections.fetch_add(1);
  auto refusal = std::make_shared<Refusal>(
      Refusal{beast::tcp_stream(std::move(socket)), std::move(shared), {}});
  // One deadline for the whole refusal, so a flood of refused connections holds each
  // descriptor for a second at most.
  refusal->stream.expires_after(std::chrono::milliseconds(kRefusalMs));
  struct Drain {
    std::shared_ptr<Refusal> refusal;
    void operator()(beast::error_code ec, size_t /*bytes*/) {
      if (ec) {
        beast::error_code ignored;
        refusal->stream.socket().close(ignored);
        return;
      }
      refusal->stream.async_read_some(net::buffer(refusal->drain), std::move(*this));
    }
  };
  net::async_write(refusal->stream, net::buffer(refusal->shared->refusal),
                   [refusal](beast::error_code ec, size_t) {
                     beast::error_code ignored;
                     refusal->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
                     Drain{refusal}(ec, 0);
                   });
}

Session::Session(tcp::socket&& socket, std::shared_ptr<SessionShared> shared)
    : stream_(std::move(socket)), shared_(std::move(shared)), slot_(shared_->open_connections) {
  if (shared_->rate_limiter) {
    beast::error_code ec;
    const tcp::endpoint remote = stream_.socket().remote_endpoint(ec);
    if (!ec) client_ = ToAddress(remote.address());
  }
}

Session::~Session() {
  std::function<void()> on_drained;
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->sessions.erase(this);
    if (shared_->stopping && shared_->sessions.empty()) on_drained = shared_->on_drained;
  }
  if (on_drained) on_drained();
}

void Session::Start() {
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->sessions.emplace(this, weak_from_this());
    shutting_down_ = shared_->stopping;
  }
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
}

void Session::BeginShutdown() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->shutting_down_ = true;
    // A connection waiting for its next request has nothing in flight: close it now.
    if (self->waiting_for_request_) self->stream_.cancel();
  });
}

void Session::ReadHeader() {
  if (shutting_down_) return Close();
  parser_.emplace();
  ConfigureRequestParser(*parser_, shared_->options);
  waiting_for_request_ = true;
  // A connection that never sends costs what a slow one does, so the first request's header
  // deadline runs from the start; a kept-alive one may idle longer before its next request.
  if (first_request_ || buffer_.size() > 0) return ReadHeaderBeforeDeadline();
  stream_.expires_after(std::chrono::milliseconds(shared_->options.idle_timeout_ms));
  stream_.async_read_some(buffer_.prepare(kHeaderLimitBytes),
                          beast::bind_front_handler(&Session::OnFirstBytes, shared_from_this()));
}

void Session::OnFirstBytes(beast::error_code ec, size_t bytes) {
  buffer_.commit(bytes);
  if (ec) {
    waiting_for_request_ = false;
    return Close();  // end of stream, idle timeout, reset or shutdown
  }
  ReadHeaderBeforeDeadline();
}

void Session::ReadHeaderBeforeDeadline() {
  stream_.expires_after(std::chrono::milliseconds(shared_->options.header_timeout_ms));
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
}

void Session::OnHeader(beast::error_code ec, size_t /*bytes*/) {
  waiting_for_request_ = false;
  first_request_ = false;
  if (AnsweredReadError(ec)) return;
  if (ec) return Close();  // end of stream, header deadline, reset or shutdown
  stream_.expires_after(std::chrono::milliseconds(shared_->options.body_timeout_ms));
  // A body over the limit was already refused above from its Content-Length, so a client
  // that waits for "100 Continue" is told to go on only for a body we will read.
  if (beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
    return SendContinue();
  }
  ReadBody();
}

bool Session::AnsweredReadError(const beast::error_code& ec) {
  std::optional<ReadFailure> failure = AnswerableReadError(ec, shared_->options.max_body_bytes);
  if (!failure) return false;
  AnswerErrorAndClose(failure->error, failure->linger);
  return true;
}

void Session::SendContinue() {
  auto interim = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                      parser_->get().version());
  bhttp::async_write(stream_, *interim,
                     [self = shared_from_this(), interim](beast::error_code ec, size_t) {
                       if (ec) return self->Close();
                       self->ReadBody();
                     });
}

void Session::ReadBody() {
  bhttp::async_read(stream_, buffer_, *parser_,
                    beast::bind_front_handler(&Session::OnBody, shared_from_this()));
}

void Session::OnBody(beast::error_code ec, size_t /*bytes*/) {
  if (AnsweredReadError(ec)) return;
  if (ec) return Close();
  Answer();
}

void Session::Answer() {
  bhttp::request<bhttp::string_body> beast_request = parser_->release();
  const bool keep_alive = beast_request.keep_alive() && !shutting_down_;
  const unsigned version = beast_request.version();
  std::string request_id = shared_->request_ids.Next();
  if (std::optional<Response> limited = RateLimited()) {
    return Write(*limited, version, keep_alive, request_id);
  }
  Result<Request> converted = ToRequest(std::move(beast_request));
  if (!converted.ok()) {
    return Write(ErrorResponse(converted.error()), version, keep_alive, request_id);
  }
  Request request = std::move(*converted);
  request.request_id = request_id;
  // The answer may come from another thread (events are answered once durable). The work
  // guard keeps the io threads running until it is written, and the io_context itself
  // lives as long as the responder, so a late answer never posts to a destroyed one.
  std::shared_ptr<net::io_context> io = shared_->io_context.lock();
  assert(io != nullptr);  // Answer runs on one of its threads
  auto work = std::make_shared<net::executor_work_guard<net::io_context::executor_type>>(
      io->get_executor());
  Responder respond = [self = shared_from_this(), io, work, version, keep_alive,
                       request_id](Response response) {
    net::post(self->stream_.get_executor(),
              [self, response = std::move(response), version, keep_alive, request_id] {
                self->Write(response, version, keep_alive, request_id);
              });
    work->reset();
  };
  shared_->router.Dispatch(std::move(request), std::move(respond), shared_->run_blocking);
}

std::optional<Response> Session::RateLimited() {
  if (!shared_->rate_limiter) return std::nullopt;
  const RateLimiter::Decision decision = shared_->rate_limiter->Admit(client_);
  if (decision.allowed) return std::nullopt;
  shared_->rate_limited_requests.fetch_add(1);
  // Outside ErrorCode like 405's method_not_allowed: resource_exhausted is 413's on the wire.
  Response response = ErrorResponse(429, "rate_limited",
                                    "too many requests from this address; retry after " +
                                        std::to_string(decision.retry_after_s) + " s");
  response.headers.emplace_back("Retry-After", std::to_string(decision.retry_after_s));
  return response;
}

void Session::Write(const Response& response, unsigned version, bool keep_alive,
                    const std::string& request_id) {
  response_ = ToBeastResponse(response, version, keep_alive, request_id);
  stream_.expires_after(std::chrono::milliseconds(shared_->options.read_timeout_ms));
  bhttp::async_write(stream_, *response_,
                     beast::bind_front_handler(&Session::OnWrite, shared_from_this(), keep_alive,
                                               linger_after_write_));
}

void Session::OnWrite(bool keep_alive, bool linger, beast::error_code ec, size_t /*bytes*/) {
  response_.reset();
  if (ec) return Close();
  if (linger) return Linger();
  if (!keep_alive) return Close();
  ReadHeader();
}

void Session::AnswerErrorAndClose(const Error& error, bool linger) {
  linger_after_write_ = linger;
  unsigned version = 11;
  if (parser_ && parser_->is_header_done()) version = parser_->get().version();
  Write(ErrorResponse(error), version, /*keep_alive=*/false, "");
}

void Session::Linger() {
  // Closing with unread data would make the kernel send a reset, which can destroy the
  // answer before the client reads it; so half-close and read what still comes, bounded.
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  drain_buffer_.resize(64 * 1024);
  const int linger_ms = std::min(shared_->options.read_timeout_ms, kMaxLingerMs);
  stream_.expires_after(std::chrono::milliseconds(linger_ms));
  struct Drain {
    std::shared_ptr<Session> self;
    void operator()(beast::error_code ec, size_t /*bytes*/) {
      if (ec) return self->Close();
      self->stream_.async_read_some(net::buffer(self->drain_buffer_), std::move(*this));
    }
  };
  Drain{shared_from_this()}({}, 0);
}

void Session::Close() {
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.close();
}

}  // namespace tailor::server::http::internal
