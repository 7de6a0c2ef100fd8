#include "server/http/error_response.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace tailor::server::http {
namespace {

TEST(StatusForError, MapsEveryCode) {
  EXPECT_EQ(StatusForError(ErrorCode::kInvalidArgument), 400);
  EXPECT_EQ(StatusForError(ErrorCode::kNotFound), 404);
  EXPECT_EQ(StatusForError(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(StatusForError(ErrorCode::kResourceExhausted), 413);
  EXPECT_EQ(StatusForError(ErrorCode::kFailedPrecondition), 409);
  EXPECT_EQ(StatusForError(ErrorCode::kDataLoss), 500);
  EXPECT_EQ(StatusForError(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(StatusForError(ErrorCode::kInternal), 500);
}

TEST(ErrorResponse, WritesCodeAndMessageAsJson) {
  Response response = ErrorResponse(Error::InvalidArgument("limit: must be an integer \"x\""));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.content_type, "application/json");
  rapidjson::Document body;
  body.Parse(response.body.c_str());
  ASSERT_FALSE(body.HasParseError()) << response.body;
  EXPECT_STREQ(body["error"]["code"].GetString(), "invalid_argument");
  EXPECT_STREQ(body["error"]["message"].GetString(), "limit: must be an integer \"x\"");
}

TEST(ErrorResponse, PayloadTooLargeIs413) {
  Response response = ErrorResponse(Error::ResourceExhausted("body: too large"));
  EXPECT_EQ(response.status, 413);
  EXPECT_NE(response.body.find("payload_too_large"), std::string::npos);
}

}  // namespace
}  // namespace tailor::server::http
