#include "server/http/internal/http_message.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace tailor::server::http::internal {
namespace {

// Parses bytes as a session does once they have all arrived, then the client's end of
// stream; returns Beast's error (none when a whole request was read).
beast::error_code Parse(RequestParser& parser, std::string_view bytes) {
  beast::error_code ec;
  size_t used = 0;
  while (used < bytes.size() && !parser.is_done()) {
    size_t consumed = parser.put(net::buffer(bytes.data() + used, bytes.size() - used), ec);
    used += consumed;
    if (ec == bhttp::error::need_more) {
      ec = {};
      break;
    }
    if (ec) return ec;
  }
  if (!parser.is_done()) parser.put_eof(ec);
  return ec;
}

TEST(HttpMessage, ABodyOverTheLimitIsPayloadTooLargeAndLingers) {
  HttpServerOptions options;
  options.max_body_bytes = 4;
  RequestParser parser;
  ConfigureRequestParser(parser, options);
  beast::error_code ec = Parse(parser, "POST /events HTTP/1.1\r\nContent-Length: 5\r\n\r\n");
  std::optional<ReadFailure> failure = AnswerableReadError(ec, options.max_body_bytes);
  ASSERT_TRUE(failure.has_value()) << ec.message();
  EXPECT_EQ(failure->error.code, ErrorCode::kResourceExhausted);
  EXPECT_NE(failure->error.message.find("body"), std::string::npos) << failure->error.message;
  EXPECT_TRUE(failure->linger);
}

TEST(HttpMessage, BytesThatAreNotHttpAreInvalidArgumentWithoutLinger) {
  RequestParser parser;
  ConfigureRequestParser(parser, HttpServerOptions{});
  beast::error_code ec = Parse(parser, "GET /\x01 HTTP/1.1\r\n\r\n");
  std::optional<ReadFailure> failure = AnswerableReadError(ec, 1024);
  ASSERT_TRUE(failure.has_value()) << ec.message();
  EXPECT_EQ(failure->error.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(failure->error.message.rfind("http: ", 0), 0u) << failure->error.message;
  EXPECT_FALSE(failure->linger);
}

TEST(HttpMessage, AHeaderOverTheLimitIsRefused) {
  RequestParser parser;
  ConfigureRequestParser(parser, HttpServerOptions{});
  const std::string huge(kHeaderLimitBytes, 'a');
  beast::error_code ec = Parse(parser, "GET / HTTP/1.1\r\nX: " + huge + "\r\n\r\n");
  EXPECT_TRUE(AnswerableReadError(ec, 1024).has_value()) << ec.message();
}

TEST(HttpMessage, TheEndOfTheConnectionIsNotAnswered) {
  EXPECT_FALSE(AnswerableReadError(bhttp::error::end_of_stream, 1024).has_value());
  EXPECT_FALSE(AnswerableReadError(net::error::eof, 1024).has_value());
  EXPECT_FALSE(AnswerableReadError({}, 1024).has_value());
}

TEST(HttpMessage, ToRequestDecodesTheTargetAndKeepsTheFieldsHandlersRead) {
  RequestParser parser;
  ConfigureRequestParser(parser, HttpServerOptions{});
  ASSERT_FALSE(Parse(parser,
                     "POST /profiles/a%2Fb?q=storm+parka&brand=A HTTP/1.1\r\n"
                     "Authorization: Bearer t\r\nContent-Length: 2\r\n\r\n{}"));
  Result<Request> request = ToRequest(parser.release());
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->method, "POST");
  EXPECT_EQ(request->path, "/profiles/a/b");
  EXPECT_EQ(request->query_params.find("q")->second, "storm parka");
  EXPECT_EQ(request->body, "{}");
  EXPECT_EQ(request->authorization, "Bearer t");
}

TEST(HttpMessage, ToRequestRefusesABadEscapeNamingTheParameter) {
  RequestParser parser;
  ConfigureRequestParser(parser, HttpServerOptions{});
  ASSERT_FALSE(Parse(parser, "GET /search?brand=%zz HTTP/1.1\r\n\r\n"));
  Result<Request> request = ToRequest(parser.release());
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(request.error().message.find("brand"), std::string::npos) << request.error().message;
}

TEST(HttpMessage, ToBeastResponseSetsTheHeaderFields) {
  Response response;
  response.status = 404;
  response.body = "{}";
  response.headers = {{"Allow", "GET"}};
  std::shared_ptr<BeastResponse> message = ToBeastResponse(response, 11, false, "rid-7");
  EXPECT_EQ(message->result_int(), 404u);
  EXPECT_EQ((*message)["X-Request-Id"], "rid-7");
  EXPECT_EQ((*message)[bhttp::field::allow], "GET");
  EXPECT_EQ((*message)[bhttp::field::content_length], "2");
  EXPECT_FALSE(message->keep_alive());
  EXPECT_EQ(ToBeastResponse(response, 11, true, "")->count("X-Request-Id"), 0u);
}

}  // namespace
}  // namespace tailor::server::http::internal
