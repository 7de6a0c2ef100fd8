#include "server/http/internal/http_message.h"

#include <utility>

namespace tailor::server::http::internal {
namespace {

std::string_view ToStd(beast::string_view text) { return {text.data(), text.size()}; }

// Beast's parse errors: the client sent something that is not HTTP; answer 400.
bool IsMalformedRequest(const beast::error_code& ec) {
  const beast::error_code end_of_stream = bhttp::error::end_of_stream;
  return ec && ec.category() == end_of_stream.category() && ec != end_of_stream;
}

}  // namespace

void ConfigureRequestParser(RequestParser& parser, const HttpServerOptions& options) {
  parser.body_limit(options.max_body_bytes);
  parser.header_limit(kHeaderLimitBytes);
}

std::optional<ReadFailure> AnswerableReadError(const beast::error_code& ec,
                                               uint64_t max_body_bytes) {
  if (ec == bhttp::error::body_limit) {
    return ReadFailure{Error::ResourceExhausted("body: larger than the limit of " +
                                                std::to_string(max_body_bytes) + " bytes"),
                       /*linger=*/true};
  }
  if (IsMalformedRequest(ec)) {
    return ReadFailure{Error::InvalidArgument("http: " + ec.message()), /*linger=*/false};
  }
  return std::nullopt;
}

Result<Request> ToRequest(BeastRequest&& beast_request) {
  Result<Target> target = ParseTarget(ToStd(beast_request.target()));
  if (!target.ok()) return target.error();
  Request request;
  request.method = std::string(beast_request.method_string());
  request.path = std::move(target->path);
  request.query_params = std::move(target->query_params);
  request.body = std::move(beast_request.body());
  request.authorization = std::string(beast_request[bhttp::field::authorization]);
  request.if_none_match = std::string(beast_request[bhttp::field::if_none_match]);
  return request;
}

std::shared_ptr<BeastResponse> ToBeastResponse(const Response& response, unsigned version,
                                               bool keep_alive, const std::string& request_id) {
  auto message = std::make_shared<BeastResponse>();
  message->version(version);
  message->result(static_cast<unsigned>(response.status));
  message->set(bhttp::field::server, "tailor");
  message->set(bhttp::field::content_type, response.content_type);
  if (!request_id.empty()) message->set("X-Request-Id", request_id);
  for (const auto& [name, value] : response.headers) message->set(name, value);
  message->keep_alive(keep_alive);
  message->body() = response.body;
  message->prepare_payload();
  return message;
}

}  // namespace tailor::server::http::internal
