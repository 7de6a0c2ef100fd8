// End-to-end tests: the real server in-process on 127.0.0.1, port 0, over real sockets.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "indexer/indexer.h"
#include "server/engine.h"
#include "server/http/handlers.h"
#include "server/http/server.h"
#include "tests/e2e/http_client.h"
#include "tests/e2e/running_server.h"
#include "tests/server/test_support.h"

namespace tailor::testing {
namespace {

TEST(HttpEndToEnd, SearchByBrandAndMaxPriceReturnsOnlyThatBrandUnderThePriceWithFacets) {
  RunningServer server;
  ASSERT_TRUE(server.ok());
  HttpResult result = Fetch(server.port(), "GET", "/search?brand=Acme&price_max=50");
  ASSERT_EQ(result.status, 200) << result.error << result.body;
  EXPECT_EQ(result.headers["content-type"], "application/json");
  rapidjson::Document body = ParseBody(result);
  ASSERT_GT(body["hits"].Size(), 0u);
  for (const auto& hit : body["hits"].GetArray()) {
    EXPECT_STREQ(hit["brand"].GetString(), "Acme");
    EXPECT_LE(hit["price"].GetDouble(), 50);
  }
  EXPECT_TRUE(body["facets"]["brand"].IsArray());
  EXPECT_TRUE(body["facets"]["category"].IsArray());
  EXPECT_TRUE(body["facets"]["price"].IsObject());
  EXPECT_FALSE(std::string(body["request_id"].GetString()).empty());
}

TEST(HttpEndToEnd, PostSearchWithMalformedJsonIs400ErrorObject) {
  RunningServer server;
  ASSERT_TRUE(server.ok());
  HttpResult result = Fetch(server.port(), "POST", "/search", R"({"q": "parka", )");
  EXPECT_EQ(result.status, 400) << result.error;
  EXPECT_EQ(ErrorCodeOf(result), "invalid_argument");
}

TEST(HttpEndToEnd, NegativeLimitIs400) {
  RunningServer server;
  ASSERT_TRUE(server.ok());
  HttpResult result = Fetch(server.port(), "GET", "/search?q=parka&limit=-1");
  EXPECT_EQ(result.status, 400) << result.error;
  EXPECT_EQ(ErrorCodeOf(result), "invalid_argument");
}

TEST(HttpEndToEnd, UnknownPathIs404AndWrongMethodIs405) {
  RunningServer server;
  ASSERT_TRUE(server.ok());
  HttpResult unknown = Fetch(server.port(), "GET", "/nope");
  EXPECT_EQ(unknown.status, 404) << unknown.error;
  EXPECT_EQ(ErrorCodeOf(unknown), "not_found");
  HttpResult wrong = Fetch(server.port(), "DELETE", "/health");
  EXPECT_EQ(wrong.status, 405) << wrong.error;
  EXPECT_EQ(wrong.headers["allow"], "GET");
}

TEST(HttpEndToEnd, OversizedBodyIs413AndServerKeepsServing) {
  RunningServer server;
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  ASSERT_TRUE(client.connected()) << client.connect_error();
  HttpResult result = client.SendOversized("/search", 64ull << 20);
  EXPECT_EQ(result.status, 413) << result.error;
  EXPECT_EQ(ErrorCodeOf(result), "payload_too_large");
  HttpResult health = Fetch(server.port(), "GET", "/health");
  EXPECT_EQ(health.status, 200) << health.error;
}

TEST(HttpEndToEnd, KeepAliveServesSeveralRequestsOnOneConnection) {
  RunningServer server;
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  ASSERT_TRUE(client.connected()) << client.connect_error();
  std::set<std::string> request_ids;
  for (int i = 0; i < 5; ++i) {
    HttpResult result = i % 2 == 0 ? client.Send("GET", "/search?q=parka")
                                   : client.Send("POST", "/search", R"({"q":"shirt"})");
    ASSERT_EQ(result.status, 200) << "request " << i << ": " << result.error;
    request_ids.insert(ParseBody(result)["request_id"].GetString());
  }
  EXPECT_EQ(request_ids.size(), 5u);
  EXPECT_EQ(client.Send("GET", "/nope").status, 404);  // an error keeps the connection too
  EXPECT_EQ(client.Send("GET", "/health").status, 200);
}

TEST(HttpEndToEnd, APostExpectingContinueGetsItAndThenTheAnswer) {
  RunningServer server;
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  int interim_status = 0;
  HttpResult result = client.SendExpectingContinue(
      "/search", R"({"q": "parka", "brand": ["Acme"]})", &interim_status);
  EXPECT_EQ(interim_status, 100);
  ASSERT_EQ(result.status, 200) << result.error << result.body;
  rapidjson::Document body = ParseBody(result);
  EXPECT_GT(body["hits"].Size(), 0u);
}

TEST(HttpEndToEnd, RebuildingTheIndexWhileSearchingFailsNoSearchAndServesTheNewIndex) {
  RunningServerOptions options;
  options.refresh_interval_ms = 0;
  RunningServer server(options);
  ASSERT_TRUE(server.ok());
  // The rebuilt catalogs alternate between the sample and the sample plus one new parka, so
  // every rebuild really swaps in a different generation under the stream of searches.
  const std::string catalog = (server.dir().path() / "catalog.jsonl").string();
  const std::string grown = (server.dir().path() / "grown.jsonl").string();
  std::filesystem::copy_file(catalog, grown);
  std::ofstream(grown, std::ios::app)
      << R"({"id":"Z9","title":"Zephyr Parka","brand":"Acme","price":30})" << "\n";

  std::atomic<bool> rebuilt{false};
  int searches = 0;
  std::vector<std::string> failures;
  std::thread searcher([&] {
    HttpClient client(server.port());
    // Bounded: stop a few searches after the last rebuild, or at a hard cap.
    int after_rebuild = 0;
    for (int i = 0; i < 20000 && after_rebuild < 20; ++i) {
      if (rebuilt.load()) ++after_rebuild;
      HttpResult result = client.Send("GET", "/search?q=parka&brand=Acme");
      ++searches;
      if (result.status != 200) failures.push_back(result.error + result.body);
    }
  });
  for (int i = 0; i < 6; ++i) {
    indexer::BuildOptions options;
    options.catalog_path = i % 2 == 0 ? grown : catalog;
    options.index_dir = server.index_dir();
    Result<indexer::BuildStats> stats = indexer::Build(options);
    EXPECT_TRUE(stats.ok()) << stats.error().message;
  }
  indexer::BuildOptions last;
  last.catalog_path = grown;
  last.index_dir = server.index_dir();
  ASSERT_TRUE(indexer::Build(last).ok());
  rebuilt = true;
  searcher.join();
  EXPECT_GT(searches, 0);
  EXPECT_TRUE(failures.empty()) << failures.size() << " failed, first: " << failures.front();

  HttpResult after = HttpClient(server.port()).Send("GET", "/search?q=zephyr");
  ASSERT_EQ(after.status, 200) << after.body;
  rapidjson::Document body = ParseBody(after);
  ASSERT_EQ(body["hits"].Size(), 1u) << after.body;
  EXPECT_STREQ(body["hits"][0]["id"].GetString(), "Z9");
}

}  // namespace
}  // namespace tailor::testing
