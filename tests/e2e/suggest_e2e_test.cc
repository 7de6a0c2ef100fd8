// GET /suggest over real HTTP: the answer's shape, and every 4xx with the parameter named.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "tests/e2e/http_client.h"
#include "tests/e2e/running_server.h"

namespace tailor::testing {
namespace {

std::string MessageOf(const HttpResult& result) {
  rapidjson::Document body = ParseBody(result);
  if (!body.IsObject() || !body.HasMember("error")) return "";
  return body["error"]["message"].GetString();
}

TEST(SuggestEndToEnd, AnswersKindsAndResultCounts) {
  RunningServer server(WithState());
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  ASSERT_TRUE(client.connected()) << client.connect_error();
  for (const char* visitor : {"v1", "v2", "v3"}) {
    ASSERT_EQ(client.Send("GET", std::string("/search?q=parka&visitor=") + visitor).status, 200);
  }
  HttpResult result = client.Send("GET", "/suggest?q=Par&visitor=someone&limit=3");
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.headers["content-type"], "application/json");
  rapidjson::Document body = ParseBody(result);
  EXPECT_STREQ(body["query"].GetString(), "Par");
  EXPECT_TRUE(body["took_ms"].IsNumber());
  const auto& suggestions = body["suggestions"];
  ASSERT_TRUE(suggestions.IsArray());
  ASSERT_GE(suggestions.Size(), 2u);
  EXPECT_LE(suggestions.Size(), 3u);
  EXPECT_STREQ(suggestions[0]["text"].GetString(), "parka");
  EXPECT_STREQ(suggestions[0]["kind"].GetString(), "query");
  HttpResult search = client.Send("GET", "/search?q=parka&limit=0");
  ASSERT_EQ(search.status, 200);
  EXPECT_EQ(suggestions[0]["results"].GetInt64(), ParseBody(search)["total"].GetInt64());
  EXPECT_STREQ(suggestions[1]["kind"].GetString(), "category");  // "Parkas"
}

TEST(SuggestEndToEnd, EveryBadRequestIs400NamingTheParameter) {
  RunningServer server;
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  ASSERT_TRUE(client.connected()) << client.connect_error();
  const std::string long_query(1025, 'a');
  const std::string long_visitor(257, 'v');
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/suggest", "q: required"},
      {"/suggest?limit=3", "q: required"},
      {"/suggest?q=", "q: must not be empty"},
      {"/suggest?q=+++", "q: must not be empty"},
      {"/suggest?q=" + long_query, "q: must be at most 1024 bytes"},
      {"/suggest?q=%FF", "q: must be valid UTF-8"},
      {"/suggest?q=par&limit=0", "limit:"},
      {"/suggest?q=par&limit=51", "limit:"},
      {"/suggest?q=par&limit=-1", "limit:"},
      {"/suggest?q=par&limit=eight", "limit:"},
      {"/suggest?q=par&limit=99999999999", "limit:"},
      {"/suggest?q=par&q=park", "q: given more than once"},
      {"/suggest?q=par&visitor=a&visitor=b", "visitor: given more than once"},
      {"/suggest?q=par&visitor=" + long_visitor, "visitor:"},
      {"/suggest?q=par&brand=Acme", "brand: unknown parameter"},
  };
  for (const auto& [target, message] : cases) {
    HttpResult result = client.Send("GET", target);
    EXPECT_EQ(result.status, 400) << target.substr(0, 80) << " " << result.body;
    EXPECT_EQ(ErrorCodeOf(result), "invalid_argument") << target.substr(0, 80);
    EXPECT_EQ(MessageOf(result).rfind(message, 0), 0u)
        << target.substr(0, 80) << " gave " << MessageOf(result);
  }
  HttpResult post = client.Send("POST", "/suggest?q=par");
  EXPECT_EQ(post.status, 405) << post.body;
}

}  // namespace
}  // namespace tailor::testing
