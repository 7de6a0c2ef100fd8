// End-to-end tests of the searcher's shared caches over real sockets: GET /admin/stats
// reports their counters (admin token), and a cached answer never outlives the index it
// came from: a rebuild swapped in is seen by the very next search.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "indexer/indexer.h"
#include "tests/e2e/http_client.h"
#include "tests/e2e/running_server.h"

namespace tailor::testing {
namespace {

const std::string kToken = "cache-test-token";
const std::map<std::string, std::string> kAuthorized = {{"Authorization", "Bearer " + kToken}};

RunningServer StartServer() {
  RunningServerOptions options;
  options.refresh_interval_ms = 0;
  options.admin_token = kToken;
  return RunningServer(options);
}

TEST(CacheE2E, AdminStatsCountHitsAndNeedTheToken) {
  RunningServer server = StartServer();
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  EXPECT_EQ(client.Send("GET", "/admin/stats").status, 401);
  for (int run = 0; run < 3; ++run) {
    ASSERT_EQ(client.Send("GET", "/search?q=parka&limit=3").status, 200);
  }
  HttpResult stats = client.Send("GET", "/admin/stats", "", kAuthorized);
  ASSERT_EQ(stats.status, 200) << stats.body;
  rapidjson::Document body = ParseBody(stats);
  EXPECT_EQ(body["documents"].GetInt64(), 8);
  const rapidjson::Value& results = body["caches"]["results"];
  // Kept from its second run on: the third search is the hit.
  EXPECT_EQ(results["hits"].GetInt64(), 1) << stats.body;
  EXPECT_EQ(results["misses"].GetInt64(), 2) << stats.body;
  EXPECT_NEAR(results["hit_rate"].GetDouble(), 1.0 / 3.0, 1e-9);
  EXPECT_EQ(results["entries"].GetInt64(), 1);
  EXPECT_GT(results["bytes"].GetInt64(), 0);
  EXPECT_LE(results["bytes"].GetInt64(), results["capacity_bytes"].GetInt64());
  const rapidjson::Value& stored = body["caches"]["stored"];
  EXPECT_EQ(stored["hits"].GetInt64(), 6) << stats.body;  // 3 hits, twice
  EXPECT_EQ(stored["entries"].GetInt64(), 3);
}

TEST(CacheE2E, ARebuildIsSeenByTheNextSearch) {
  RunningServer server = StartServer();
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  for (int run = 0; run < 3; ++run) {
    HttpResult before = client.Send("GET", "/search?q=zephyr");
    ASSERT_EQ(before.status, 200);
    EXPECT_EQ(ParseBody(before)["total"].GetInt64(), 0);
  }
  const std::string grown = (server.dir().path() / "grown.jsonl").string();
  std::filesystem::copy_file(server.dir().path() / "catalog.jsonl", grown);
  std::ofstream(grown, std::ios::app)
      << R"({"id":"Z9","title":"Zephyr Parka","brand":"Acme","price":30})" << "\n";
  indexer::BuildOptions build;
  build.catalog_path = grown;
  build.index_dir = server.index_dir();
  ASSERT_TRUE(indexer::Build(build).ok());
  HttpResult after = client.Send("GET", "/search?q=zephyr");
  ASSERT_EQ(after.status, 200) << after.body;
  rapidjson::Document body = ParseBody(after);
  ASSERT_EQ(body["hits"].Size(), 1u) << after.body;
  EXPECT_STREQ(body["hits"][0]["id"].GetString(), "Z9");
  EXPECT_STREQ(body["hits"][0]["title"].GetString(), "Zephyr Parka");
}

}  // namespace
}  // namespace tailor::testing
