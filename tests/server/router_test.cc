#include "server/http/router.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <stdexcept>

namespace tailor::server::http {
namespace {

Router MakeTestRouter() {
  Router router;
  router.Add("GET", "/things", [](const Request&) { return Response{200, "got", "text/plain", {}}; });
  router.Add("POST", "/things",
             [](const Request& r) { return Response{201, r.body, "text/plain", {}}; });
  router.Add("GET", "/broken", [](const Request&) -> Response {
    throw std::runtime_error("handler bug");
  });
  return router;
}

Request MakeRequest(std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.request_id = "test-id";
  return request;
}

std::string ErrorCodeOf(const Response& response) {
  rapidjson::Document body;
  body.Parse(response.body.c_str());
  if (body.HasParseError() || !body.IsObject() || !body.HasMember("error")) return "";
  return body["error"]["code"].GetString();
}

TEST(Router, DispatchesByMethodAndPath) {
  Router router = MakeTestRouter();
  EXPECT_EQ(router.Dispatch(MakeRequest("GET", "/things")).body, "got");
  Request post = MakeRequest("POST", "/things");
  post.body = "payload";
  Response response = router.Dispatch(post);
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "payload");
}

TEST(Router, UnknownPathIs404NotFound) {
  Response response = MakeTestRouter().Dispatch(MakeRequest("GET", "/nothing"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(ErrorCodeOf(response), "not_found");
}

TEST(Router, KnownPathWithWrongMethodIs405WithAllowHeader) {
  Response response = MakeTestRouter().Dispatch(MakeRequest("DELETE", "/things"));
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(ErrorCodeOf(response), "method_not_allowed");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Allow");
  EXPECT_EQ(response.headers[0].second, "GET, POST");
}

TEST(Router, ThrowingHandlerIsAnswered500WithRequestId) {
  Response response = MakeTestRouter().Dispatch(MakeRequest("GET", "/broken"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(ErrorCodeOf(response), "internal");
  EXPECT_NE(response.body.find("test-id"), std::string::npos);
}

}  // namespace
}  // namespace tailor::server::http
