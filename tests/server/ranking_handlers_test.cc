// Handler tests of POST /rerank, POST /admin/reload and the scoring variants seen through
// /search (boost rules, the size guardrail), through the router without sockets.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "server/engine.h"
#include "server/http/handlers.h"
#include "tests/server/test_support.h"

namespace tailor::server::http {
namespace {

RouterOptions AdminOnly(const std::string& token) {
  RouterOptions options;
  options.admin_token = token;
  return options;
}

using tailor::testing::BuildSampleIndex;
using tailor::testing::TempDir;

const std::string kTestScoring = TAILOR_SOURCE_DIR "/tests/data/scoring.json";

// Copies the tests' scoring config and its models into dir/scoring/, so a test may break
// or replace the copy; returns the copy's path.
std::string CopyScoringConfig(const TempDir& dir) {
  const std::filesystem::path target = dir.path() / "scoring";
  std::filesystem::create_directories(target);
  std::filesystem::copy(TAILOR_SOURCE_DIR "/tests/data/models", target / "models",
                        std::filesystem::copy_options::recursive);
  std::filesystem::copy_file(kTestScoring, target / "scoring.json");
  return (target / "scoring.json").string();
}

std::unique_ptr<Engine> OpenEngine(const TempDir& dir, const std::string& scoring_config) {
  EngineOptions options;
  options.index_dir = BuildSampleIndex(dir.path());
  options.scoring_config = scoring_config;
  options.state_dir = (dir.path() / "state").string();
  Result<std::unique_ptr<Engine>> engine = Engine::Open(options);
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  return engine.ok() ? std::move(*engine) : nullptr;
}

Request MakeRequest(std::string method, std::string path, std::string body = "") {
  static std::atomic<int> next_id{0};
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.body = std::move(body);
  request.request_id = "rid-" + std::to_string(next_id++);
  return request;
}

Request SearchRequest(std::multimap<std::string, std::string> params) {
  Request request = MakeRequest("GET", "/search");
  request.query_params = std::move(params);
  return request;
}

Request Reload(const std::string& authorization) {
  Request request = MakeRequest("POST", "/admin/reload");
  request.authorization = authorization;
  return request;
}

rapidjson::Document ParseBody(const Response& response) {
  rapidjson::Document body;
  body.Parse(response.body.c_str());
  EXPECT_FALSE(body.HasParseError()) << response.body;
  return body;
}

std::string ErrorCode(const Response& response) {
  rapidjson::Document body = ParseBody(response);
  if (!body.IsObject() || !body.HasMember("error")) return "";
  return body["error"]["code"].GetString();
}

std::vector<std::string> HitIds(const rapidjson::Document& body) {
  std::vector<std::string> ids;
  for (const auto& hit : body["hits"].GetArray()) ids.push_back(hit["id"].GetString());
  return ids;
}

std::vector<std::string> VariantNames(const Engine& engine) {
  std::vector<std::string> names;
  for (const ranking::VariantConfig& v : engine.scoring()->config().variants()) {
    names.push_back(v.name);
  }
  return names;
}

void PostEvents(const Router& router, const std::string& body) {
  Response posted = router.Dispatch(MakeRequest("POST", "/events", body));
  ASSERT_EQ(posted.status, 202) << posted.body;
}

// A /rerank body for visitor over items (ids as given), with extra members appended.
std::string RerankBody(const std::string& visitor, const std::vector<std::string>& items,
                       const std::string& extra = "") {
  std::string body = R"({"visitor": ")" + visitor + R"(", "items": [)";
  for (size_t i = 0; i < items.size(); ++i) body += (i > 0 ? ", \"" : "\"") + items[i] + "\"";
  return body + "]" + extra + "}";
}

TEST(HandleRerank, OrdersTheListForAVisitorWhoLikesABrandAndKeepsItForAStranger) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngine(dir, kTestScoring);
  ASSERT_NE(engine, nullptr);
  Router router = MakeRouter(*engine);
  PostEvents(router, R"({"events": [{"type": "click", "visitor": "fan", "item": "C1"},)"
                     R"( {"type": "click", "visitor": "fan", "item": "C1"}]})");
  // Cirrus last in the shop's order; every item in stock, so no guardrail moves any.
  const std::vector<std::string> list = {"A1", "B2", "A3", "C2", "C1"};

  Response mine = router.Dispatch(MakeRequest("POST", "/rerank", RerankBody("fan", list)));
  ASSERT_EQ(mine.status, 200) << mine.body;
  rapidjson::Document body = ParseBody(mine);
  EXPECT_TRUE(body["personalized"].GetBool());
  EXPECT_STREQ(body["variant"].GetString(), "default");
  const std::vector<std::string> ranked = HitIds(body);
  ASSERT_EQ(ranked.size(), list.size());
  EXPECT_EQ(ranked[0], "C1") << mine.body;  // brand and category of the clicks
  EXPECT_EQ(ranked[1], "C2") << mine.body;  // brand only
  EXPECT_EQ(body["unknown"].Size(), 0u);

  Response stranger = router.Dispatch(MakeRequest("POST", "/rerank", RerankBody("stranger", list)));
  ASSERT_EQ(stranger.status, 200) << stranger.body;
  rapidjson::Document plain = ParseBody(stranger);
  EXPECT_FALSE(plain["personalized"].GetBool());
  EXPECT_EQ(HitIds(plain), list);
  Response not_personal = router.Dispatch(
      MakeRequest("POST", "/rerank", RerankBody("fan", list, R"(, "personalize": false)")));
  ASSERT_EQ(not_personal.status, 200) << not_personal.body;
  EXPECT_EQ(HitIds(ParseBody(not_personal)), list);
}

TEST(HandleRerank, UnknownIdsAreLeftOutAndReported) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngine(dir, kTestScoring);
  ASSERT_NE(engine, nullptr);
  Router router = MakeRouter(*engine);
  Response response = router.Dispatch(
      MakeRequest("POST", "/rerank", RerankBody("v", {"A2", "nope", "C2", "gone"})));
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document body = ParseBody(response);
  EXPECT_EQ(HitIds(body), (std::vector<std::string>{"A2", "C2"}));
  ASSERT_EQ(body["unknown"].Size(), 2u);
  EXPECT_STREQ(body["unknown"][0].GetString(), "nope");
  EXPECT_STREQ(body["unknown"][1].GetString(), "gone");
  EXPECT_STREQ(body["hits"][0]["title"].GetString(), "Acme Light Parka");  // stored fields
  EXPECT_FALSE(std::string(body["request_id"].GetString()).empty());
}

TEST(HandleRerank, BadBodiesAre400NamingTheField) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngine(dir, kTestScoring);
  ASSERT_NE(engine, nullptr);
  Router router = MakeRouter(*engine);
  std::string too_many = R"({"visitor": "v", "items": [)";
  for (int i = 0; i <= 1000; ++i) too_many += (i > 0 ? ",\"P" : "\"P") + std::to_string(i) + "\"";
  too_many += "]}";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"visitor": "v"})", "items: required"},
      {R"({"visitor": "v", "items": ["A1", 7]})", "items[1]"},
      {R"({"visitor": "v", "items": "A1"})", "items: must be an array"},
      {R"({"visitor": "v", "items": []})", "items: must not be empty"},
      {R"({"visitor": "v", "items": ["A1"], "colour": "red"})", "colour: unknown field"},
      {R"({"visitor": 5, "items": ["A1"]})", "visitor: must be a string"},
      {R"({"visitor": ")" + std::string(257, 'v') + R"(", "items": ["A1"]})",
       "visitor: must be at most 256 bytes"},
      {R"({"visitor": "v", "items": ["A1"], "explain": "yes"})", "explain"},
      {R"({"visitor": "v", "items": ["A1"],)", "body: invalid JSON"},
      {R"(["A1"])", "body: must be a JSON object"},
      {too_many, "items: at most 1000"},
      {R"({"visitor": "v", "items": ["A1"], "variant": "nope"})", R"(variant: unknown \"nope\")"},
  };
  for (const auto& [body, field] : cases) {
    Response response = router.Dispatch(MakeRequest("POST", "/rerank", body));
    EXPECT_EQ(response.status, 400) << body.substr(0, 80);
    EXPECT_EQ(ErrorCode(response), "invalid_argument") << body.substr(0, 80);
    EXPECT_NE(response.body.find(field), std::string::npos)
        << "expected \"" << field << "\" in " << response.body;
  }
}

TEST(HandleRerank, ExplainGivesFeaturesAndContributions) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngine(dir, kTestScoring);
  ASSERT_NE(engine, nullptr);
  Router router = MakeRouter(*engine);
  PostEvents(router, R"({"type": "click", "visitor": "v", "item": "B1"})");
  Response response = router.Dispatch(MakeRequest(
      "POST", "/rerank", RerankBody("v", {"A2", "B2"}, R"(, "explain": true, "query": "parka")")));
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document body = ParseBody(response);
  ASSERT_EQ(body["hits"].Size(), 2u);
  const auto& top = body["hits"][0];
  EXPECT_STREQ(top["id"].GetString(), "B2");  // Borealis, like the click
  ASSERT_TRUE(top.HasMember("explain")) << response.body;
  const auto& explain = top["explain"];
  EXPECT_STREQ(explain["model"].GetString(), "hand-set");
  EXPECT_EQ(explain["text_rank"].GetInt(), 1);  // its place in the list given
  ASSERT_TRUE(explain["features"].IsObject());
  EXPECT_EQ(explain["features"].MemberCount(), ranking::FeatureNames().size());
  const double affinity = explain["features"]["brand_affinity"].GetDouble();
  EXPECT_GT(affinity, 0);
  EXPECT_EQ(explain["features"]["title_match"].GetDouble(), 1);  // "parka" is in the title
  ASSERT_TRUE(explain["contributions"].HasMember("brand_affinity")) << response.body;
  EXPECT_NEAR(explain["contributions"]["brand_affinity"].GetDouble(), 0.6 * affinity, 1e-6);
  EXPECT_NEAR(explain["model_score"].GetDouble(), explain["final_score"].GetDouble(), 1e-9);
  EXPECT_TRUE(explain["adjustments"].IsArray());
}

TEST(HandleAdminReload, IsNotFoundWithoutATokenAnd401WithoutTheRightOne) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngine(dir, kTestScoring);
  ASSERT_NE(engine, nullptr);
  Router disabled = MakeRouter(*engine);
  Response off = disabled.Dispatch(Reload("Bearer anything"));
  EXPECT_EQ(off.status, 404) << off.body;
  EXPECT_EQ(ErrorCode(off), "not_found");

  Router router = MakeRouter(*engine, AdminOnly("s3cret"));
  for (const std::string& authorization :
       {std::string(), std::string("Bearer wrong"), std::string("Bearer s3cre"),
        std::string("Bearer s3cret2"), std::string("Basic s3cret"), std::string("s3cret")}) {
    Response refused = router.Dispatch(Reload(authorization));
    EXPECT_EQ(refused.status, 401) << "Authorization: " << authorization;
    EXPECT_EQ(ErrorCode(refused), "unauthenticated");
    bool challenged = false;
    for (const auto& [name, value] : refused.headers) {
      challenged = challenged || (name == "WWW-Authenticate" && value == "Bearer");
    }
    EXPECT_TRUE(challenged) << "Authorization: " << authorization;
  }
  Response reloaded = router.Dispatch(Reload("Bearer s3cret"));
  EXPECT_EQ(reloaded.status, 200) << reloaded.body;
  EXPECT_EQ(reloaded.body, R"({"reloaded":true})");
}

TEST(HandleAdminReload, AnInvalidConfigIsRefusedNamingTheFileAndTheOldOneKeepsServing) {
  TempDir dir;
  const std::string config = CopyScoringConfig(dir);
  std::unique_ptr<Engine> engine = OpenEngine(dir, config);
  ASSERT_NE(engine, nullptr);
  Router router = MakeRouter(*engine, AdminOnly("s3cret"));
  const std::vector<std::string> before = VariantNames(*engine);
  ASSERT_EQ(before, (std::vector<std::string>{"default", "text", "boosted"}));

  dir.Write("scoring/scoring.json", R"({"variants": {"default": )");
  Response refused = router.Dispatch(Reload("Bearer s3cret"));
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(ErrorCode(refused), "invalid_argument");
  EXPECT_NE(refused.body.find(config), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("invalid JSON"), std::string::npos) << refused.body;
  EXPECT_EQ(VariantNames(*engine), before);
  Response search =
      router.Dispatch(SearchRequest({{"q", "parka"}, {"variant", "boosted"}, {"visitor", "v"}}));
  EXPECT_EQ(search.status, 200) << search.body;

  // A model the config names that the registry cannot serve is refused the same way.
  dir.Write(
      "scoring/bad_model.json",
      R"({"format": "tailor-model", "version": 1, "kind": "linear", "features": ["newness"],)"
      R"( "normalization": {"mean": [0], "std": [1]}, "linear": {"weights": [1], "bias": 0}})");
  dir.Write("scoring/scoring.json", R"({"variants": {"default": {"model": "bad_model.json"}}})");
  Response bad_model = router.Dispatch(Reload("Bearer s3cret"));
  EXPECT_EQ(bad_model.status, 400) << bad_model.body;
  EXPECT_NE(bad_model.body.find("variants.default.model"), std::string::npos) << bad_model.body;
  EXPECT_NE(bad_model.body.find("newness"), std::string::npos) << bad_model.body;
  EXPECT_EQ(VariantNames(*engine), before);
}

TEST(HandleAdminReload, AValidConfigWithOtherVariantsServesThemAfterTheReload) {
  TempDir dir;
  const std::string config = CopyScoringConfig(dir);
  std::unique_ptr<Engine> engine = OpenEngine(dir, config);
  ASSERT_NE(engine, nullptr);
  Router router = MakeRouter(*engine, AdminOnly("s3cret"));
  auto search_status = [&](const std::string& variant) {
    return router.Dispatch(SearchRequest({{"q", "parka"}, {"variant", variant}})).status;
  };
  EXPECT_EQ(search_status("fresh"), 400);
  EXPECT_EQ(search_status("boosted"), 200);

  dir.Write("scoring/scoring.json", R"({"variants": {"default": {"model": "models/hand_set.json"},)"
                                    R"( "fresh": {"model": null}}})");
  Response reloaded = router.Dispatch(Reload("Bearer s3cret"));
  ASSERT_EQ(reloaded.status, 200) << reloaded.body;
  EXPECT_EQ(VariantNames(*engine), (std::vector<std::string>{"default", "fresh"}));
  EXPECT_EQ(search_status("fresh"), 200);
  Response gone = router.Dispatch(SearchRequest({{"q", "parka"}, {"variant", "boosted"}}));
  EXPECT_EQ(gone.status, 400);
  EXPECT_NE(gone.body.find("variant: unknown \\\"boosted\\\" (default, fresh)"), std::string::npos)
      << gone.body;
}

TEST(ScoringVariants, TheBoostedVariantPutsAcmeFirstAndExplainsTheBoost) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngine(dir, kTestScoring);
  ASSERT_NE(engine, nullptr);
  Router router = MakeRouter(*engine);
  // A Borealis fan: the default variant puts Borealis first, so the boost has work to do.
  PostEvents(router, R"({"events": [{"type": "click", "visitor": "v", "item": "B1"},)"
                     R"( {"type": "click", "visitor": "v", "item": "B2"}]})");
  Response plain = router.Dispatch(SearchRequest({{"q", "parka"}, {"visitor", "v"}}));
  ASSERT_EQ(plain.status, 200) << plain.body;
  const std::vector<std::string> by_default = HitIds(ParseBody(plain));
  ASSERT_GE(by_default.size(), 4u);
  EXPECT_EQ(by_default[0][0], 'B') << plain.body;

  Response boosted = router.Dispatch(SearchRequest(
      {{"q", "parka"}, {"visitor", "v"}, {"variant", "boosted"}, {"explain", "true"}}));
  ASSERT_EQ(boosted.status, 200) << boosted.body;
  rapidjson::Document body = ParseBody(boosted);
  EXPECT_STREQ(body["variant"].GetString(), "boosted");
  const std::vector<std::string> ids = HitIds(body);
  ASSERT_EQ(ids.size(), by_default.size());
  // The sample's Acme parkas, A1 and A2, above every other brand.
  EXPECT_EQ(ids[0][0], 'A') << boosted.body;
  EXPECT_EQ(ids[1][0], 'A') << boosted.body;
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto& explain = body["hits"][static_cast<rapidjson::SizeType>(i)]["explain"];
    const auto& adjustments = explain["adjustments"];
    if (ids[i][0] != 'A') {
      EXPECT_EQ(adjustments.Size(), 0u) << ids[i];
      continue;
    }
    ASSERT_EQ(adjustments.Size(), 1u) << ids[i] << ": " << boosted.body;
    EXPECT_STREQ(adjustments[0]["action"].GetString(), "boost");
    EXPECT_STREQ(adjustments[0]["rule"].GetString(), "acme-week");
    EXPECT_EQ(adjustments[0]["delta"].GetDouble(), 5);
    EXPECT_NEAR(explain["final_score"].GetDouble(), explain["model_score"].GetDouble() + 5, 1e-9);
  }
}

TEST(ScoringVariants, TheSizeGuardNeverPutsAnOutOfSizeItemAboveAnInSizeOne) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngine(dir, kTestScoring);
  ASSERT_NE(engine, nullptr);
  Router router = MakeRouter(*engine);
  // Size M in the cart (A1 has M), and a strong liking for Cirrus, whose parka (C1) comes
  // only in S: its model score beats in-size parkas, the guard must keep it below them.
  PostEvents(router,
             R"({"events": [{"type": "add_to_cart", "visitor": "m", "item": "A1", "size": "M"},)"
             R"( {"type": "click", "visitor": "m", "item": "C1"},)"
             R"( {"type": "click", "visitor": "m", "item": "C1"},)"
             R"( {"type": "click", "visitor": "m", "item": "C1"},)"
             R"( {"type": "click", "visitor": "m", "item": "C2"}]})");
  Response response =
      router.Dispatch(SearchRequest({{"q", "parka"}, {"visitor", "m"}, {"explain", "true"}}));
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document body = ParseBody(response);
  ASSERT_TRUE(body["personalized"].GetBool());
  const auto& hits = body["hits"];
  ASSERT_EQ(hits.Size(), 5u) << response.body;
  double best_out_of_size = -1e9, worst_in_size = 1e9;
  bool seen_out_of_size = false;
  for (const auto& hit : hits.GetArray()) {
    const std::string fit = hit["explain"]["size_fit"].GetString();
    const double score = hit["explain"]["model_score"].GetDouble();
    if (fit == "out_of_size") {
      seen_out_of_size = true;
      best_out_of_size = std::max(best_out_of_size, score);
    } else {
      EXPECT_EQ(fit, "in_size") << hit["id"].GetString();
      EXPECT_FALSE(seen_out_of_size)
          << hit["id"].GetString()
          << " fits but ranks below an out-of-size item: " << response.body;
      worst_in_size = std::min(worst_in_size, score);
    }
  }
  EXPECT_TRUE(seen_out_of_size);
  // Otherwise the model alone would have kept the order and the test would prove nothing.
  EXPECT_GT(best_out_of_size, worst_in_size) << response.body;
}

TEST(ScoringVariants, ItemsInTheVisitorsSizeBeyondTheCandidateWindowAreFetched) {
  TempDir dir;
  const std::string scoring = CopyScoringConfig(dir);
  // Only two text candidates are ranked; the one parka in L is not among them.
  std::ofstream(scoring) << R"({"variants": {"default": {"candidate_depth": 2,
      "model": "models/hand_set.json"}}})";
  std::unique_ptr<Engine> engine = OpenEngine(dir, scoring);
  ASSERT_NE(engine, nullptr);
  Router router = MakeRouter(*engine);
  Response text = router.Dispatch(SearchRequest({{"q", "parka"}, {"limit", "5"}}));
  rapidjson::Document plain = ParseBody(text);
  ASSERT_EQ(plain["hits"].Size(), 5u);
  int b2_text_rank = -1;
  for (rapidjson::SizeType i = 0; i < plain["hits"].Size(); ++i) {
    if (std::string(plain["hits"][i]["id"].GetString()) == "B2") b2_text_rank = static_cast<int>(i);
  }
  ASSERT_GE(b2_text_rank, 2) << "the test needs B2 outside the window: " << text.body;
  PostEvents(router, R"({"type": "add_to_cart", "visitor": "tall", "item": "B2", "size": "L"})");
  Response response = router.Dispatch(
      SearchRequest({{"q", "parka"}, {"visitor", "tall"}, {"limit", "3"}, {"explain", "true"}}));
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document body = ParseBody(response);
  ASSERT_GE(body["hits"].Size(), 1u);
  EXPECT_STREQ(body["hits"][0]["id"].GetString(), "B2") << response.body;
  EXPECT_STREQ(body["hits"][0]["explain"]["size_fit"].GetString(), "in_size");
  EXPECT_EQ(body["total"].GetInt(), plain["total"].GetInt()) << "total stays the text search's";
}

}  // namespace
}  // namespace tailor::server::http
