// How a session turns bytes into our Request and our Response into a Beast message (internal
// to server/http: session.cc uses it, and so does the HTTP fuzz target, tests/fuzz/, which
// must parse exactly as a connection does without a socket).
//
// A request is read with Beast's request_parser, configured here once: the body limit of
// HttpServerOptions and a fixed header limit. A read error Beast reports is either the
// client's fault and answered (413 for a body over the limit, 400 for bytes that are not
// HTTP), or the connection's end (end of stream, timeout, reset), which is not answered.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "server/http/asio.h"
#include "server/http/request.h"
#include "server/http/server.h"

namespace tailor::server::http::internal {

using RequestParser = bhttp::request_parser<bhttp::string_body>;
using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastResponse = bhttp::response<bhttp::string_body>;

// The largest request line plus header fields a client may send.
inline constexpr uint32_t kHeaderLimitBytes = 16 * 1024;

// Sets the limits every session reads a request with. Requires: a parser that has not
// started parsing.
void ConfigureRequestParser(RequestParser& parser, const HttpServerOptions& options);

// A read error the session answers before closing the connection.
struct ReadFailure {
  Error error;
  // Whether to keep reading (and discarding) what the client still sends before closing,
  // so that it sees the answer: true after a body over the limit.
  bool linger = false;
};

// The answer to a read error: payload_too_large for a body over max_body_bytes,
// invalid_argument ("http: ...") for a malformed request; nullopt for no error and for
// errors that only end the connection (end of stream, timeout, reset, cancel).
std::optional<ReadFailure> AnswerableReadError(const beast::error_code& ec,
                                               uint64_t max_body_bytes);

// Our Request for a whole Beast request: its target split and decoded (ParseTarget), the
// body and the header fields handlers read moved out of it. request_id is left empty.
// Errors: ParseTarget's.
Result<Request> ToRequest(BeastRequest&& beast_request);

// The Beast message for a Response, with the server, content type, request id and length
// header fields set. An empty request_id sets no X-Request-Id.
std::shared_ptr<BeastResponse> ToBeastResponse(const Response& response, unsigned version,
                                               bool keep_alive, const std::string& request_id);

}  // namespace tailor::server::http::internal
