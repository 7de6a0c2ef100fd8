// Handler tests of POST /events, GET/DELETE /profiles/{visitor} and personalized /search,
// through the router without sockets.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "server/engine.h"
#include "server/http/handlers.h"
#include "tests/server/test_support.h"

namespace tailor::server::http {
namespace {

using tailor::testing::BuildSampleIndex;
using tailor::testing::TempDir;

std::unique_ptr<Engine> OpenEngineWithState(const TempDir& dir) {
  EngineOptions options;
  options.index_dir = BuildSampleIndex(dir.path());
  options.scoring_config = TAILOR_SOURCE_DIR "/tests/data/scoring.json";
  options.state_dir = (dir.path() / "state").string();
  Result<std::unique_ptr<Engine>> engine = Engine::Open(options);
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  return engine.ok() ? std::move(*engine) : nullptr;
}

Request MakeRequest(std::string method, std::string target_path, std::string body = "") {
  Request request;
  request.method = std::move(method);
  request.path = std::move(target_path);
  request.body = std::move(body);
  request.request_id = "rid";
  return request;
}

rapidjson::Document ParseBody(const Response& response) {
  rapidjson::Document body;
  body.Parse(response.body.c_str());
  EXPECT_FALSE(body.HasParseError()) << response.body;
  return body;
}

TEST(HandleEvents, AcceptsABatchAndTheProfileShowsIt) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngineWithState(dir);
  ASSERT_NE(engine, nullptr);
  Router router = MakeRouter(*engine);
  Response posted = router.Dispatch(MakeRequest(
      "POST", "/events",
      R"({"events": [{"type": "click", "visitor": "v1", "item": "B1", "query": "parka"},)"
      R"( {"type": "view", "visitor": "v1", "item": "C1"}]})"));
  EXPECT_EQ(posted.status, 202) << posted.body;
  EXPECT_EQ(posted.body, R"({"accepted":2})");

  Response profile = router.Dispatch(MakeRequest("GET", "/profiles/v1"));
  ASSERT_EQ(profile.status, 200) << profile.body;
  rapidjson::Document body = ParseBody(profile);
  ASSERT_GE(body["brands"].Size(), 2u);
  EXPECT_STREQ(body["brands"][0]["brand"].GetString(), "Borealis");  // click > view
  EXPECT_STREQ(body["recent_views"][0]["item"].GetString(), "C1");   // newest first
}

TEST(HandleEvents, RefusesQueryParametersAndBadBodiesNamingTheField) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngineWithState(dir);
  ASSERT_NE(engine, nullptr);
  Router router = MakeRouter(*engine);
  Request with_params = MakeRequest("POST", "/events", R"({"type": "view", "visitor": "v"})");
  with_params.query_params.emplace("visitor", "v");
  Response refused = router.Dispatch(with_params);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("visitor: POST /events takes"), std::string::npos) << refused.body;

  Response bad = router.Dispatch(MakeRequest(
      "POST", "/events", R"({"events": [{"type": "view", "visitor": "v", "item": "A1"},)"
                         R"( {"type": "purchase", "visitor": "v", "item": "A1", "quantity": 0}]})"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("events[1].quantity"), std::string::npos) << bad.body;
  EXPECT_EQ(router.Dispatch(MakeRequest("GET", "/profiles/v")).status, 404);
}

TEST(HandleProfile, LongVisitorIs400AndUnknownIs404) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngineWithState(dir);
  ASSERT_NE(engine, nullptr);
  Router router = MakeRouter(*engine);
  Response long_visitor =
      router.Dispatch(MakeRequest("GET", "/profiles/" + std::string(300, 'x')));
  EXPECT_EQ(long_visitor.status, 400);
  EXPECT_NE(long_visitor.body.find("visitor: must be at most"), std::string::npos);
  EXPECT_EQ(router.Dispatch(MakeRequest("GET", "/profiles/ghost")).status, 404);
  EXPECT_EQ(router.Dispatch(MakeRequest("DELETE", "/profiles/ghost")).status, 404);
}

TEST(HandleSearch, ExplainShowsThePersonalComponentsOfAPersonalizedRanking) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngineWithState(dir);
  ASSERT_NE(engine, nullptr);
  Router router = MakeRouter(*engine);
  ASSERT_EQ(router
                .Dispatch(MakeRequest("POST", "/events",
                                      R"({"type": "click", "visitor": "v2", "item": "C1"})"))
                .status,
            202);
  Request search = MakeRequest("GET", "/search");
  search.query_params = {{"q", "parka"}, {"visitor", "v2"}, {"explain", "true"}};
  Response response = router.Dispatch(search);
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document body = ParseBody(response);
  EXPECT_TRUE(body["personalized"].GetBool());
  const auto& first = body["hits"][0];
  EXPECT_STREQ(first["id"].GetString(), "C1");
  ASSERT_TRUE(first.HasMember("explain")) << response.body;
  const auto& explain = first["explain"];
  EXPECT_NEAR(explain["features"]["brand_affinity"].GetDouble(), 0.4, 1e-6);  // 2 / (2 + 3)
  EXPECT_NEAR(explain["contributions"]["brand_affinity"].GetDouble(), 0.6 * 0.4, 1e-6);
  EXPECT_STREQ(explain["model"].GetString(), "hand-set");
  EXPECT_GT(explain["final_score"].GetDouble(),
            explain["contributions"]["text_score"].GetDouble());
  EXPECT_TRUE(explain["adjustments"].IsArray());
}

TEST(HandleSearch, ASizeFilterTeachesTheVisitorsProfileTheSize) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngineWithState(dir);
  ASSERT_NE(engine, nullptr);
  Router router = MakeRouter(*engine);
  Request search = MakeRequest("GET", "/search");
  search.query_params = {{"q", "parka"}, {"visitor", "v3"}, {"size", "L"}};
  ASSERT_EQ(router.Dispatch(search).status, 200);
  // The filter is logged without waiting; an acknowledged event after it is applied after
  // it, in log order.
  ASSERT_EQ(router
                .Dispatch(MakeRequest("POST", "/events",
                                      R"({"type": "view", "visitor": "v3", "item": "A3"})"))
                .status,
            202);
  Response profile = router.Dispatch(MakeRequest("GET", "/profiles/v3"));
  ASSERT_EQ(profile.status, 200) << profile.body;
  rapidjson::Document body = ParseBody(profile);
  ASSERT_GE(body["sizes"].Size(), 1u) << profile.body;
  EXPECT_STREQ(body["sizes"][0]["size"].GetString(), "L");
  EXPECT_STREQ(body["sizes"][0]["system"].GetString(), "letter");
}

}  // namespace
}  // namespace tailor::server::http
