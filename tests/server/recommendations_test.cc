// GET /recommendations through the router (no socket), on the sample catalog of
// test_support.h: parkas A1 (Acme, M/L, 80 reduced from 120), A2 (Acme, S), B1 (Borealis,
// M, 300), B2 (Borealis, L), C1 (Cirrus, S), and boots and shirts.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "indexer/indexer.h"
#include "server/engine.h"
#include "server/http/handlers.h"
#include "tests/server/test_support.h"

namespace tailor::server::http {
namespace {

using tailor::testing::BuildSampleIndex;
using tailor::testing::TempDir;

struct Served {
  std::unique_ptr<Engine> engine;
  std::string index;
};

Served Open(const TempDir& dir,
           const std::string& scoring = TAILOR_SOURCE_DIR "/tests/data/scoring.json") {
  EngineOptions options;
  options.index_dir = BuildSampleIndex(dir.path());
  options.state_dir = (dir.path() / "state").string();
  options.scoring_config = scoring;
  options.searcher.refresh_interval_ms = 0;  // an update is seen by the next request
  Result<std::unique_ptr<Engine>> engine = Engine::Open(options);
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  return {engine.ok() ? std::move(*engine) : nullptr, options.index_dir};
}

Response Get(const Router& router, std::multimap<std::string, std::string> params) {
  Request request;
  request.method = "GET";
  request.path = "/recommendations";
  request.query_params = std::move(params);
  request.request_id = "rid";
  return router.Dispatch(request);
}

void Post(const Router& router, const std::string& body) {
  Request request;
  request.method = "POST";
  request.path = "/events";
  request.body = body;
  ASSERT_EQ(router.Dispatch(request).status, 202) << body;
}

std::vector<std::string> Ids(const Response& response) {
  rapidjson::Document body;
  body.Parse(response.body.c_str());
  std::vector<std::string> ids;
  if (!body.IsObject() || !body.HasMember("hits")) return ids;
  for (const auto& hit : body["hits"].GetArray()) ids.emplace_back(hit["id"].GetString());
  return ids;
}

TEST(Recommendations, SimilarItemsShareTheCategoryAndLeaveOutTheSeed) {
  TempDir dir;
  Served served = Open(dir);
  ASSERT_NE(served.engine, nullptr);
  Router router = MakeRouter(*served.engine);
  Response response = Get(router, {{"type", "similar"}, {"item", "A1"}, {"limit", "4"}});
  ASSERT_EQ(response.status, 200) << response.body;
  std::vector<std::string> ids = Ids(response);
  ASSERT_FALSE(ids.empty()) << response.body;
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "A1"), 0) << "the seed itself";
  // Parkas first: they share A1's words and its category; C1 (90) shares its price band and
  // colour too, and comes before B1 (300), which shares neither.
  rapidjson::Document body;
  body.Parse(response.body.c_str());
  for (rapidjson::SizeType i = 0; i < 3 && i < body["hits"].Size(); ++i) {
    EXPECT_NE(std::string(body["hits"][i]["title"].GetString()).find("Parka"), std::string::npos)
        << response.body;
  }
  auto at = [&ids](const char* id) { return std::find(ids.begin(), ids.end(), id) - ids.begin(); };
  EXPECT_LT(at("C1"), at("B1")) << response.body;
}

TEST(Recommendations, SimilarLeavesOutWhatTheVisitorBoughtAndWhatIsNotInTheirSize) {
  TempDir dir;
  Served served = Open(dir);
  ASSERT_NE(served.engine, nullptr);
  Router router = MakeRouter(*served.engine);
  Response before = Get(router, {{"type", "similar"}, {"item", "A1"}, {"limit", "20"}});
  std::vector<std::string> all = Ids(before);
  ASSERT_NE(std::find(all.begin(), all.end(), "A2"), all.end()) << before.body;
  ASSERT_NE(std::find(all.begin(), all.end(), "B1"), all.end()) << before.body;
  // Bought B1; wears M (A2 and C1 come in S only).
  Post(router, R"({"events": [{"type": "purchase", "visitor": "v", "item": "B1", "size": "M"}]})");
  Response after = Get(router, {{"type", "similar"}, {"item", "A1"}, {"visitor", "v"},
                                {"limit", "20"}, {"explain", "true"}});
  ASSERT_EQ(after.status, 200) << after.body;
  std::vector<std::string> ids = Ids(after);
  for (const char* left_out : {"B1", "A2", "C1"}) {
    EXPECT_EQ(std::count(ids.begin(), ids.end(), left_out), 0) << left_out << ": " << after.body;
  }
  rapidjson::Document body;
  body.Parse(after.body.c_str());
  EXPECT_TRUE(body["personalized"].GetBool());
  ASSERT_GT(body["hits"].Size(), 0u);
  EXPECT_TRUE(body["hits"][0]["explain"].HasMember("features"));
}

TEST(Recommendations, ReducedShowsViewedItemsWhosePriceDroppedAfterAnUpdate) {
  TempDir dir;
  Served served = Open(dir);
  ASSERT_NE(served.engine, nullptr);
  Router router = MakeRouter(*served.engine);
  // B1 seen at 300, B2 at 150; A1 is reduced in the catalog (80, list price 120).
  Post(router, R"({"events": [{"type": "view", "visitor": "v", "item": "B1"},)"
               R"( {"type": "view", "visitor": "v", "item": "B2"},)"
               R"( {"type": "view", "visitor": "v", "item": "A1"}]})");
  EXPECT_EQ(Ids(Get(router, {{"type", "reduced"}, {"visitor", "v"}})),
            (std::vector<std::string>{"A1"}));
  const std::string update = (dir.path() / "update.jsonl").string();
  std::ofstream(update) << R"({"id":"B1","title":"Borealis Arctic Parka","brand":"Borealis",)"
                           R"("price":210,"category":["Women","Jackets","Parkas"],)"
                           R"("colors":["red"],"sizes":{"M":1}})"
                        << "\n";
  indexer::UpdateOptions options;
  options.catalog_path = update;
  options.index_dir = served.index;
  ASSERT_TRUE(indexer::Update(options).ok());
  // B1 is now 30% under the price the visitor saw; B2 did not change.
  std::vector<std::string> ids = Ids(Get(router, {{"type", "reduced"}, {"visitor", "v"}}));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), (std::set<std::string>{"A1", "B1"}));
  EXPECT_EQ(Ids(Get(router, {{"type", "reduced"}, {"visitor", "stranger"}})),
            std::vector<std::string>{})
      << "an unknown visitor gets an honest empty list";
}

std::string Purchase(const std::string& visitor, const std::string& item) {
  return R"({"type": "purchase", "visitor": ")" + visitor + R"(", "item": ")" + item +
         R"(", "size": "M"})";
}

TEST(Recommendations, AlsoBoughtFollowsCoPurchasesAndLeavesOutWhatTheVisitorBought) {
  TempDir dir;
  Served served = Open(dir);
  ASSERT_NE(served.engine, nullptr);
  Router router = MakeRouter(*served.engine);
  // Three baskets of A1 with the shirt C2, one of A1 with the boots A3, one with the shirt
  // B3 (sold out: never recommended).
  std::string events = R"({"events": [)" + Purchase("u5", "A1") + "," + Purchase("u5", "B3") + ",";
  for (const char* visitor : {"u1", "u2", "u3"}) {
    events += Purchase(visitor, "A1") + "," + Purchase(visitor, "C2") + ",";
  }
  events += Purchase("u4", "A1") + "," + Purchase("u4", "A3") + "]}";
  Post(router, events);
  std::vector<std::string> ids = Ids(Get(router, {{"type", "also_bought"}, {"item", "A1"}}));
  ASSERT_GE(ids.size(), 2u);
  EXPECT_EQ(ids[0], "C2");
  EXPECT_EQ(ids[1], "A3");
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "A1"), 0);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "B3"), 0) << "sold out";
  // u1 owns C2 already.
  ids = Ids(Get(router, {{"type", "also_bought"}, {"item", "A1"}, {"visitor", "u1"}}));
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "C2"), 0);
  // A2 has no history: the bestsellers of its category (men's parkas) stand in.
  ids = Ids(Get(router, {{"type", "also_bought"}, {"item", "A2"}}));
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids[0], "A1");
}

TEST(Recommendations, ConsumablesStayRecommendableAfterAPurchase) {
  TempDir dir;
  const std::string scoring = (dir.path() / "scoring.json").string();
  std::ofstream(scoring) << R"({"variants": {"default": {
      "repurchase_categories": ["Women/Shirts"]}}})";
  Served served = Open(dir, scoring);
  ASSERT_NE(served.engine, nullptr);
  Router router = MakeRouter(*served.engine);
  // Others bought A1 with the shirt C2 and with the boots A3; "me" bought C2 and A3 before.
  Post(router, std::string(R"({"events": [)") + Purchase("u1", "A1") + "," +
                   Purchase("u1", "C2") + "," + Purchase("u2", "A1") + "," +
                   Purchase("u2", "A3") + "," + Purchase("me", "C2") + "," +
                   Purchase("me", "A3") + "]}");
  std::vector<std::string> ids =
      Ids(Get(router, {{"type", "also_bought"}, {"item", "A1"}, {"visitor", "me"}}));
  EXPECT_NE(std::find(ids.begin(), ids.end(), "C2"), ids.end()) << "a shirt is bought again";
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "A3"), 0) << "boots are not";
}

TEST(Recommendations, ComplementsOfTheCartComeFromOtherCategories) {
  TempDir dir;
  Served served = Open(dir);
  ASSERT_NE(served.engine, nullptr);
  Router router = MakeRouter(*served.engine);
  // Parka A1 bought with parka B1 (women's, but parkas too) and with boots A3.
  Post(router, std::string(R"({"events": [)") + Purchase("u1", "A1") + "," +
                   Purchase("u1", "B1") + "," + Purchase("u2", "A1") + "," +
                   Purchase("u2", "A3") + "]}");
  Post(router, R"({"type": "add_to_cart", "visitor": "shopper", "item": "A1", "size": "M"})");
  std::vector<std::string> ids = Ids(Get(router, {{"type", "complements"}, {"visitor", "shopper"}}));
  EXPECT_EQ(ids, (std::vector<std::string>{"A3"}));
  ids = Ids(Get(router, {{"type", "also_bought"}, {"visitor", "shopper"}}));
  EXPECT_NE(std::find(ids.begin(), ids.end(), "B1"), ids.end()) << "also_bought keeps parkas";
  EXPECT_TRUE(Ids(Get(router, {{"type", "complements"}, {"visitor", "nobody"}})).empty());
}

TEST(Recommendations, BadRequestsAreClear4xx) {
  TempDir dir;
  Served served = Open(dir);
  ASSERT_NE(served.engine, nullptr);
  Router router = MakeRouter(*served.engine);
  struct Case {
    std::multimap<std::string, std::string> params;
    int status;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{{"item", "A1"}}, 400, "type: required"},
           {{{"type", "trending"}}, 400, "type: unknown \\\"trending\\\""},
           {{{"type", "similar"}, {"item", "nope"}}, 404, "item: unknown product"},
           {{{"type", "similar"}, {"limit", "0"}}, 400, "limit: must be in [1, 100]"},
           {{{"type", "similar"}, {"limit", "x"}}, 400, "limit: must be an integer"},
           {{{"type", "similar"}, {"colour", "red"}}, 400, "colour: unknown parameter"},
           {{{"type", "similar"}, {"variant", "nope"}}, 400, "variant: unknown"},
       }) {
    Response response = Get(router, c.params);
    EXPECT_EQ(response.status, c.status) << response.body;
    EXPECT_NE(response.body.find(c.message), std::string::npos) << response.body;
  }
}

}  // namespace
}  // namespace tailor::server::http
