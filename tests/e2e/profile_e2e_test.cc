// End-to-end tests of the profile side over real sockets: POST /events, personalized
// /search, GET and DELETE /profiles/{visitor}.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/http_client.h"
#include "tests/e2e/running_server.h"

namespace tailor::testing {
namespace {

std::vector<std::string> HitIds(const HttpResult& result) {
  std::vector<std::string> ids;
  rapidjson::Document body = ParseBody(result);
  if (!body.IsObject() || !body.HasMember("hits")) return ids;
  for (const auto& hit : body["hits"].GetArray()) ids.push_back(hit["id"].GetString());
  return ids;
}

std::vector<std::string> Search(uint16_t port, const std::string& target) {
  HttpResult result = Fetch(port, "GET", target);
  EXPECT_EQ(result.status, 200) << target << ": " << result.error << result.body;
  return HitIds(result);
}

std::string ClickEvents(const std::string& visitor, const std::string& item, int count) {
  std::string body = "{\"events\": [";
  for (int i = 0; i < count; ++i) {
    if (i > 0) body += ",";
    body += R"({"type": "click", "visitor": ")" + visitor + R"(", "item": ")" + item +
            R"(", "query": "parka", "position": 4})";
  }
  return body + "]}";
}

long PositionOf(const std::vector<std::string>& ids, const std::string& id) {
  auto it = std::find(ids.begin(), ids.end(), id);
  return it == ids.end() ? -1 : static_cast<long>(it - ids.begin());
}

TEST(ProfilesEndToEnd, ClicksOnABrandMoveItUpForThatVisitorOnly) {
  RunningServer server(WithState());
  ASSERT_TRUE(server.ok());
  const std::vector<std::string> plain = Search(server.port(), "/search?q=parka");
  ASSERT_GE(plain.size(), 3u);
  // The item the text ranking puts last: clicking it is the strongest possible test.
  const std::string item = plain.back();

  HttpResult posted = Fetch(server.port(), "POST", "/events", ClickEvents("alice", item, 3));
  ASSERT_EQ(posted.status, 202) << posted.body;
  EXPECT_EQ(posted.body, R"({"accepted":3})");

  // Read-your-writes: the very next search of alice sees the clicks.
  HttpResult mine = Fetch(server.port(), "GET", "/search?q=parka&visitor=alice&explain=true");
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_TRUE(ParseBody(mine)["personalized"].GetBool());
  const std::vector<std::string> alice = HitIds(mine);
  EXPECT_EQ(PositionOf(alice, item), 0) << mine.body;
  EXPECT_EQ(Search(server.port(), "/search?q=parka&visitor=bob"), plain);
  EXPECT_EQ(Search(server.port(), "/search?q=parka&visitor=alice&personalize=false"), plain);
  EXPECT_EQ(Search(server.port(), "/search?q=parka"), plain);
}

TEST(ProfilesEndToEnd, SizeInTheCartKeepsItemsWithoutThatSizeOutOfTheTopTen) {
  TempDir catalog_dir;
  const std::string catalog = (catalog_dir.path() / "catalog.jsonl").string();
  {
    std::ofstream out(catalog);
    // Twelve parkas without M come first by id, so the text ranking (equal scores rank by
    // id) puts them on top; twelve with M in stock follow.
    for (int i = 0; i < 12; ++i) {
      out << R"({"id": "A-S)" << i << R"(", "title": "Storm Parka", "brand": "Nord", "price": 100,)"
          << R"( "category": ["Men", "Jackets"], "sizes": {"S": 3, "M": 0, "L": 2}})"
          << "\n";
    }
    for (int i = 0; i < 12; ++i) {
      out << R"({"id": "B-M)" << i << R"(", "title": "Storm Parka", "brand": "Nord", "price": 100,)"
          << R"( "category": ["Men", "Jackets"], "sizes": {"M": 1, "XL": 1}})"
          << "\n";
    }
    out << R"({"id": "T1", "title": "Nord Shirt", "brand": "Nord", "price": 30,)"
        << R"( "category": ["Men", "Shirts"], "sizes": {"M": 5}})" << "\n";
  }
  RunningServer server(WithState(catalog));
  ASSERT_TRUE(server.ok());
  const std::vector<std::string> plain = Search(server.port(), "/search?q=storm+parka&limit=10");
  ASSERT_EQ(plain.size(), 10u);
  EXPECT_TRUE(std::any_of(plain.begin(), plain.end(), [](const std::string& id) {
    return id.starts_with("A-S");
  })) << "the text ranking alone must show items without M, or the test proves nothing";

  HttpResult posted = Fetch(server.port(), "POST", "/events",
                            R"({"type": "add_to_cart", "visitor": "carol", "item": "T1",)"
                            R"( "size": "M", "quantity": 1})");
  ASSERT_EQ(posted.status, 202) << posted.body;
  const std::vector<std::string> mine =
      Search(server.port(), "/search?q=storm+parka&limit=10&visitor=carol");
  ASSERT_EQ(mine.size(), 10u);
  for (const std::string& id : mine)
    EXPECT_TRUE(id.starts_with("B-M")) << id << " has no M in stock";
}

TEST(ProfilesEndToEnd, ProfileCanBeReadAndDeleted) {
  RunningServer server(WithState());
  ASSERT_TRUE(server.ok());
  HttpResult posted = Fetch(server.port(), "POST", "/events",
                            R"({"events": [{"type": "view", "visitor": "dave", "item": "A1"},)"
                            R"( {"type": "add_to_cart", "visitor": "dave", "item": "A1",)"
                            R"(  "size": "M", "quantity": 2}]})");
  ASSERT_EQ(posted.status, 202) << posted.body;

  HttpResult profile = Fetch(server.port(), "GET", "/profiles/dave");
  ASSERT_EQ(profile.status, 200) << profile.body;
  rapidjson::Document body = ParseBody(profile);
  EXPECT_STREQ(body["visitor"].GetString(), "dave");
  ASSERT_GE(body["brands"].Size(), 1u);
  EXPECT_STREQ(body["brands"][0]["brand"].GetString(), "Acme");
  ASSERT_EQ(body["cart"].Size(), 1u);
  EXPECT_STREQ(body["cart"][0]["item"].GetString(), "A1");
  EXPECT_EQ(body["cart"][0]["quantity"].GetInt(), 2);
  ASSERT_GE(body["recent_views"].Size(), 1u);
  EXPECT_EQ(body["recent_views"][0]["price_seen"].GetDouble(), 80);
  ASSERT_GE(body["sizes"].Size(), 1u);
  EXPECT_STREQ(body["sizes"][0]["size"].GetString(), "M");

  HttpResult deleted = Fetch(server.port(), "DELETE", "/profiles/dave");
  EXPECT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(Fetch(server.port(), "GET", "/profiles/dave").status, 404);
  EXPECT_EQ(Fetch(server.port(), "DELETE", "/profiles/dave").status, 404);
  EXPECT_EQ(Fetch(server.port(), "GET", "/profiles/nobody").status, 404);
}

TEST(ProfilesEndToEnd, ABatchWithOneBadEventIs400NamingItAndAcceptsNone) {
  RunningServer server(WithState());
  ASSERT_TRUE(server.ok());
  HttpResult posted = Fetch(server.port(), "POST", "/events",
                            R"({"events": [{"type": "view", "visitor": "erin", "item": "A1"},)"
                            R"( {"type": "clik", "visitor": "erin", "item": "A2"}]})");
  EXPECT_EQ(posted.status, 400);
  EXPECT_EQ(ErrorCodeOf(posted), "invalid_argument");
  EXPECT_NE(posted.body.find("events[1].type"), std::string::npos) << posted.body;
  EXPECT_EQ(Fetch(server.port(), "GET", "/profiles/erin").status, 404);

  HttpResult missing = Fetch(server.port(), "POST", "/events", R"({"type": "view"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("visitor"), std::string::npos) << missing.body;
  EXPECT_EQ(Fetch(server.port(), "POST", "/events", "{not json").status, 400);
  EXPECT_EQ(Fetch(server.port(), "GET", "/health").status, 200);
}

TEST(ProfilesEndToEnd, WithoutAStateDirectoryEventsAre503) {
  RunningServer server;
  ASSERT_TRUE(server.ok());
  HttpResult posted = Fetch(server.port(), "POST", "/events",
                            R"({"type": "view", "visitor": "v", "item": "A1"})");
  EXPECT_EQ(posted.status, 503);
  EXPECT_EQ(ErrorCodeOf(posted), "unavailable");
}

TEST(ProfilesEndToEnd, ConcurrentEventsAndSearchesLoseNothing) {
  RunningServer server(WithState());
  ASSERT_TRUE(server.ok());
  constexpr int kThreads = 4;
  constexpr int kBatches = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Threads 0 and 1 share a visitor; 2 and 3 have their own.
      const std::string visitor = "v" + std::to_string(t < 2 ? 0 : t);
      for (int i = 0; i < kBatches; ++i) {
        HttpResult posted = Fetch(server.port(), "POST", "/events",
                                  R"({"type": "add_to_cart", "visitor": ")" + visitor +
                                      R"(", "item": "B2", "size": "L"})");
        if (posted.status != 202) ++failures;
        HttpResult searched =
            Fetch(server.port(), "GET", "/search?q=parka&visitor=" + visitor);
        if (searched.status != 200) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  for (const auto& [visitor, expected] :
       std::vector<std::pair<std::string, int>>{{"v0", 2 * kBatches}, {"v2", kBatches},
                                                {"v3", kBatches}}) {
    rapidjson::Document profile = ParseBody(Fetch(server.port(), "GET", "/profiles/" + visitor));
    ASSERT_TRUE(profile.IsObject() && profile.HasMember("cart")) << visitor;
    ASSERT_EQ(profile["cart"].Size(), 1u) << visitor;
    EXPECT_EQ(profile["cart"][0]["quantity"].GetInt(), expected) << visitor;
  }
}

}  // namespace
}  // namespace tailor::testing
