#include "server/http/handlers.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <set>

#include "server/engine.h"
#include "server/http/admin_handlers.h"
#include "server/http/search_handlers.h"
#include "tests/server/test_support.h"

namespace tailor::server::http {
namespace {

using tailor::testing::BuildSampleIndex;
using tailor::testing::TempDir;

std::unique_ptr<Engine> OpenSampleEngine(const TempDir& dir) {
  std::string index_dir = BuildSampleIndex(dir.path());
  EngineOptions options;
  options.index_dir = index_dir;
  options.scoring_config = TAILOR_SOURCE_DIR "/tests/data/scoring.json";
  Result<std::unique_ptr<Engine>> engine = Engine::Open(options);
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  return engine.ok() ? std::move(*engine) : nullptr;
}

Request Get(std::multimap<std::string, std::string> params) {
  Request request;
  request.method = "GET";
  request.path = "/search";
  request.query_params = std::move(params);
  request.request_id = "rid-1";
  return request;
}

Request Post(std::string body) {
  Request request;
  request.method = "POST";
  request.path = "/search";
  request.body = std::move(body);
  request.request_id = "rid-2";
  return request;
}

rapidjson::Document ParseBody(const Response& response) {
  rapidjson::Document body;
  body.Parse(response.body.c_str());
  EXPECT_FALSE(body.HasParseError()) << response.body;
  return body;
}

std::set<std::string> HitIds(const rapidjson::Document& body) {
  std::set<std::string> ids;
  for (const auto& hit : body["hits"].GetArray()) ids.insert(hit["id"].GetString());
  return ids;
}

TEST(HandleSearchGet, AMisspelledQueryAnswersTheCorrectionAndSaysSo) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenSampleEngine(dir);
  ASSERT_NE(engine, nullptr);
  Response response = HandleSearchGet(Get({{"q", "parkka "}}), *engine);
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document body = ParseBody(response);
  ASSERT_TRUE(body.HasMember("did_you_mean")) << response.body;
  EXPECT_STREQ(body["did_you_mean"].GetString(), "parka");
  ASSERT_TRUE(body.HasMember("corrected")) << response.body;
  EXPECT_TRUE(body["corrected"].GetBool());
  EXPECT_TRUE(HitIds(body).count("A1")) << response.body;
}

TEST(HandleSearchGet, FiltersByBrandAndMaxPriceAndReturnsFacets) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenSampleEngine(dir);
  ASSERT_NE(engine, nullptr);
  Response response = HandleSearchGet(Get({{"brand", "Acme"}, {"price_max", "50"}}), *engine);
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document body = ParseBody(response);
  EXPECT_EQ(HitIds(body), (std::set<std::string>{"A2", "A3"}));
  EXPECT_EQ(body["total"].GetInt64(), 2);
  for (const auto& hit : body["hits"].GetArray()) {
    EXPECT_STREQ(hit["brand"].GetString(), "Acme");
    EXPECT_LE(hit["price"].GetDouble(), 50);
  }
  // Disjunctive: the brand facet counts every product under 50, the brand filter left out.
  ASSERT_TRUE(body["facets"]["brand"].IsArray());
  ASSERT_EQ(body["facets"]["brand"].Size(), 2u);
  EXPECT_STREQ(body["facets"]["brand"][0]["value"].GetString(), "Acme");
  EXPECT_EQ(body["facets"]["brand"][0]["count"].GetInt64(), 2);
  EXPECT_STREQ(body["facets"]["brand"][1]["value"].GetString(), "Cirrus");
  EXPECT_EQ(body["facets"]["brand"][1]["count"].GetInt64(), 1);
  EXPECT_TRUE(body["facets"]["price"].HasMember("min"));
}

TEST(HandleSearchGet, HitsAreStoredRecordsWithScore) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenSampleEngine(dir);
  ASSERT_NE(engine, nullptr);
  Response response = HandleSearchGet(Get({{"q", "parka"}, {"brand", "Acme"}}), *engine);
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document body = ParseBody(response);
  EXPECT_STREQ(body["query"].GetString(), "parka");
  ASSERT_EQ(body["hits"].Size(), 2u);
  for (const auto& hit : body["hits"].GetArray()) {
    EXPECT_TRUE(hit["score"].IsNumber());
    EXPECT_TRUE(hit["title"].IsString());
    const std::string id = hit["id"].GetString();
    if (id == "A1") {
      EXPECT_STREQ(hit["extra"].GetString(), "kept");  // unknown fields come back
      EXPECT_EQ(hit["list_price"].GetDouble(), 120);
    } else {
      EXPECT_EQ(hit["list_price"].GetDouble(), hit["price"].GetDouble());
    }
  }
}

TEST(HandleSearchGet, AnswersWithRequestIdAndTheVariantThatRan) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenSampleEngine(dir);
  ASSERT_NE(engine, nullptr);
  Response response = HandleSearchGet(Get({{"q", "boots"}}), *engine);
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document body = ParseBody(response);
  EXPECT_STREQ(body["request_id"].GetString(), "rid-1");
  EXPECT_STREQ(body["variant"].GetString(), "default");
  EXPECT_TRUE(body["took_ms"].IsNumber());
  response = HandleSearchGet(Get({{"q", "boots"}, {"variant", "text"}}), *engine);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_STREQ(ParseBody(response)["variant"].GetString(), "text");
}

TEST(HandleSearchGet, AnUnknownVariantIs400NamingIt) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenSampleEngine(dir);
  ASSERT_NE(engine, nullptr);
  Response response = HandleSearchGet(Get({{"q", "boots"}, {"variant", "b"}}), *engine);
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("variant: unknown \\\"b\\\""), std::string::npos) << response.body;
}

TEST(HandleSearchGet, BadParameterIs400NamingIt) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenSampleEngine(dir);
  ASSERT_NE(engine, nullptr);
  Response response = HandleSearchGet(Get({{"limit", "-1"}}), *engine);
  EXPECT_EQ(response.status, 400);
  rapidjson::Document body = ParseBody(response);
  EXPECT_STREQ(body["error"]["code"].GetString(), "invalid_argument");
  EXPECT_EQ(std::string(body["error"]["message"].GetString()).rfind("limit:", 0), 0u);
}

TEST(HandleSearchGet, LimitAboveSearcherMaximumIs400) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenSampleEngine(dir);
  ASSERT_NE(engine, nullptr);
  Response response = HandleSearchGet(Get({{"limit", "100000"}}), *engine);
  EXPECT_EQ(response.status, 400) << response.body;
}

TEST(HandleSearchPost, TakesParametersFromJsonBody) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenSampleEngine(dir);
  ASSERT_NE(engine, nullptr);
  Response response =
      HandleSearchPost(Post(R"({"q":"parka","brand":["Borealis","Cirrus"],"limit":10})"), *engine);
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document body = ParseBody(response);
  EXPECT_EQ(HitIds(body), (std::set<std::string>{"B1", "B2", "C1"}));
  EXPECT_STREQ(body["request_id"].GetString(), "rid-2");
}

TEST(HandleSearchPost, MalformedJsonIs400WithOffset) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenSampleEngine(dir);
  ASSERT_NE(engine, nullptr);
  Response response = HandleSearchPost(Post(R"({"q": )"), *engine);
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("offset"), std::string::npos) << response.body;
}

TEST(HandleSearchPost, RejectsQueryParameters) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenSampleEngine(dir);
  ASSERT_NE(engine, nullptr);
  Request request = Post("{}");
  request.query_params.emplace("q", "parka");
  EXPECT_EQ(HandleSearchPost(request, *engine).status, 400);
}

TEST(HandleHealth, ReportsDocumentCount) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenSampleEngine(dir);
  ASSERT_NE(engine, nullptr);
  Response response = HandleHealth(Request{}, *engine);
  ASSERT_EQ(response.status, 200);
  rapidjson::Document body = ParseBody(response);
  EXPECT_STREQ(body["status"].GetString(), "ok");
  EXPECT_EQ(body["documents"].GetInt64(), 8);
}

TEST(MakeRouter, RoutesSearchAndHealthAndRejectsOthers) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenSampleEngine(dir);
  ASSERT_NE(engine, nullptr);
  Router router = MakeRouter(*engine);
  Request health;
  health.method = "GET";
  health.path = "/health";
  EXPECT_EQ(router.Dispatch(health).status, 200);
  Request wrong_method = Get({});
  wrong_method.method = "DELETE";
  Response not_allowed = router.Dispatch(wrong_method);
  EXPECT_EQ(not_allowed.status, 405);
  ASSERT_FALSE(not_allowed.headers.empty());
  EXPECT_EQ(not_allowed.headers[0].second, "GET, POST");
  Request unknown = Get({});
  unknown.path = "/serch";
  EXPECT_EQ(router.Dispatch(unknown).status, 404);
}

TEST(Engine, OpenWithoutIndexIsAnError) {
  TempDir dir;
  EngineOptions options;
  options.index_dir = (dir.path() / "missing").string();
  Result<std::unique_ptr<Engine>> engine = Engine::Open(options);
  ASSERT_FALSE(engine.ok());
  EXPECT_NE(engine.error().code, ErrorCode::kInternal);
}

TEST(RequestIdGenerator, IdsAreUnique) {
  RequestIdGenerator generator;
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) ids.insert(generator.Next());
  EXPECT_EQ(ids.size(), 10000u);
}

}  // namespace
}  // namespace tailor::server::http
