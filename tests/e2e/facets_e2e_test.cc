// End-to-end: /search facets over a real socket, disjunctive by default (a brand filter
// still lists the other brands) and conjunctive on request; a bad mode is 400 naming facets.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <map>
#include <string>

#include "tests/e2e/http_client.h"
#include "tests/e2e/running_server.h"

namespace tailor::testing {
namespace {

// The brand facet of a /search answer, value -> count.
std::map<std::string, long> BrandFacet(const HttpResult& result) {
  rapidjson::Document body = ParseBody(result);
  std::map<std::string, long> counts;
  if (!body.IsObject() || !body.HasMember("facets")) return counts;
  for (const auto& value : body["facets"]["brand"].GetArray()) {
    counts[value["value"].GetString()] = value["count"].GetInt64();
  }
  return counts;
}

std::string ErrorMessageOf(const HttpResult& result) {
  rapidjson::Document body = ParseBody(result);
  if (!body.IsObject() || !body.HasMember("error")) return "";
  return body["error"]["message"].GetString();
}

TEST(FacetsEndToEnd, BrandFilterStillListsOtherBrandsInTheBrandFacet) {
  RunningServer server;
  ASSERT_TRUE(server.ok());
  HttpResult result = Fetch(server.port(), "GET", "/search?q=parka&brand=Acme");
  ASSERT_EQ(result.status, 200) << result.error << result.body;
  rapidjson::Document body = ParseBody(result);
  ASSERT_GT(body["hits"].Size(), 0u);
  for (const auto& hit : body["hits"].GetArray()) EXPECT_STREQ(hit["brand"].GetString(), "Acme");
  // Every parka, brand filter left out: Acme 2, Borealis 2, Cirrus 1.
  EXPECT_EQ(BrandFacet(result),
            (std::map<std::string, long>{{"Acme", 2}, {"Borealis", 2}, {"Cirrus", 1}}));
}

TEST(FacetsEndToEnd, ConjunctiveCountsOnlyTheFilteredMatchesOverGetAndPost) {
  RunningServer server;
  ASSERT_TRUE(server.ok());
  HttpResult get = Fetch(server.port(), "GET", "/search?q=parka&brand=Acme&facets=conjunctive");
  ASSERT_EQ(get.status, 200) << get.error << get.body;
  EXPECT_EQ(BrandFacet(get), (std::map<std::string, long>{{"Acme", 2}}));
  HttpResult post = Fetch(server.port(), "POST", "/search",
                          R"({"q": "parka", "brand": ["Acme"], "facets": "conjunctive"})");
  ASSERT_EQ(post.status, 200) << post.error << post.body;
  EXPECT_EQ(BrandFacet(post), (std::map<std::string, long>{{"Acme", 2}}));
  HttpResult disjunctive = Fetch(server.port(), "POST", "/search",
                                 R"({"q": "parka", "brand": "Acme", "facets": "disjunctive"})");
  ASSERT_EQ(disjunctive.status, 200) << disjunctive.error << disjunctive.body;
  EXPECT_EQ(BrandFacet(disjunctive).size(), 3u);
}

TEST(FacetsEndToEnd, BadFacetModeIs400NamingFacets) {
  RunningServer server;
  ASSERT_TRUE(server.ok());
  for (const HttpResult& result :
       {Fetch(server.port(), "GET", "/search?q=parka&facets=all"),
        Fetch(server.port(), "POST", "/search", R"({"q": "parka", "facets": 1})")}) {
    EXPECT_EQ(result.status, 400) << result.error << result.body;
    EXPECT_EQ(ErrorCodeOf(result), "invalid_argument");
    EXPECT_EQ(ErrorMessageOf(result).rfind("facets:", 0), 0u) << result.body;
  }
}

}  // namespace
}  // namespace tailor::testing
