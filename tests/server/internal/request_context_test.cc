#include "server/http/internal/request_context.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "core/event.h"

namespace tailor::server::http::internal {
namespace {

// Asserts an invalid_argument error whose message is exactly message.
void ExpectError(const Status& status, const std::string& message) {
  ASSERT_FALSE(status.ok()) << "expected " << message;
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message, message);
}

// The value of {"field": ...} written as json.
rapidjson::Document Field(const std::string& json) {
  rapidjson::Document document;
  document.Parse(("{\"field\": " + json + "}").c_str());
  return document;
}

TEST(IsContextKey, KnowsTheFourContextParametersOnly) {
  for (const char* key : {"visitor", "explain", "personalize", "variant"}) {
    EXPECT_TRUE(IsContextKey(key)) << key;
  }
  for (const char* key : {"q", "items", "type", "Visitor", ""}) EXPECT_FALSE(IsContextKey(key));
}

TEST(SetContextParam, ReadsTextAndTheBooleanSpellings) {
  SearchContext context;
  ASSERT_TRUE(SetContextParam("visitor", "v1", context).ok());
  ASSERT_TRUE(SetContextParam("variant", "b", context).ok());
  ASSERT_TRUE(SetContextParam("explain", "1", context).ok());
  ASSERT_TRUE(SetContextParam("personalize", "false", context).ok());
  EXPECT_EQ(context.visitor, "v1");
  EXPECT_EQ(context.variant, "b");
  EXPECT_TRUE(context.explain);
  EXPECT_FALSE(context.personalize);
  ASSERT_TRUE(SetContextParam("explain", "0", context).ok());
  ASSERT_TRUE(SetContextParam("personalize", "true", context).ok());
  EXPECT_FALSE(context.explain);
  EXPECT_TRUE(context.personalize);
}

TEST(SetContextParam, RefusesBadValuesNamingTheParameter) {
  SearchContext context;
  ExpectError(SetContextParam("explain", "yes", context), "explain: must be true or false");
  ExpectError(SetContextParam("personalize", "", context), "personalize: must be true or false");
  ExpectError(SetContextParam("variant", "\xff", context), "variant: must be valid UTF-8");
  ExpectError(SetContextParam("visitor", std::string(Event::kMaxVisitorBytes + 1, 'v'), context),
              "visitor: must be at most 256 bytes");
  ExpectError(SetContextParam("variant", std::string(kMaxNameBytes + 1, 'v'), context),
              "variant: must be at most 256 bytes");
  EXPECT_TRUE(SetContextParam("visitor", std::string(Event::kMaxVisitorBytes, 'v'), context).ok());
}

TEST(SetContextField, ReadsStringsAndBooleansAndRefusesOtherTypes) {
  SearchContext context;
  ASSERT_TRUE(SetContextField("visitor", Field(R"("v1")")["field"], context).ok());
  ASSERT_TRUE(SetContextField("explain", Field("true")["field"], context).ok());
  EXPECT_EQ(context.visitor, "v1");
  EXPECT_TRUE(context.explain);
  ExpectError(SetContextField("visitor", Field("5")["field"], context),
              "visitor: must be a string");
  ExpectError(SetContextField("personalize", Field(R"("false")")["field"], context),
              "personalize: must be true or false");
  ExpectError(SetContextField("explain", Field("1")["field"], context),
              "explain: must be true or false");
}

TEST(CheckVisitor, AllowsWhatEventsAllow) {
  EXPECT_TRUE(CheckVisitor(std::string(Event::kMaxVisitorBytes, 'v')).ok());
  ExpectError(CheckVisitor(std::string(Event::kMaxVisitorBytes + 1, 'v')),
              "visitor: must be at most 256 bytes");
}

TEST(ParseJsonObjectBody, NamesTheOffsetOfMalformedJsonAndRefusesNonObjects) {
  rapidjson::Document document;
  Status malformed = ParseJsonObjectBody(R"({"q": )", document);
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().message.rfind("body: invalid JSON at offset 6: ", 0), 0u)
      << malformed.error().message;
  ExpectError(ParseJsonObjectBody("[1]", document), "body: must be a JSON object");
  EXPECT_TRUE(ParseJsonObjectBody(R"({"q": "parka"})", document).ok());
  EXPECT_TRUE(document.HasMember("q"));
}

}  // namespace
}  // namespace tailor::server::http::internal
