// Two tailor-server processes sharing one real redis-server (issue 17): a click on one is
// seen by the next search on the other, concurrent events of one visitor on both are all
// kept, a forget on one is a forget on both, "others also bought" is the same on both, and
// a Redis killed and restarted costs 503s and unpersonalized searches meanwhile, never an
// acknowledged event.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/child_process.h"
#include "tests/e2e/http_client.h"
#include "tests/e2e/redis_server.h"
#include "tests/server/test_support.h"

namespace tailor::testing {
namespace {

// The i-th of two servers on one index and one Redis; each has its own state directory (the
// feature log and scoring history are per server).
std::vector<std::string> SharedServerArgs(const TempDir& dir, const std::string& index,
                                          uint16_t redis_port, int i) {
  const std::string config = dir.Write(
      "server-" + std::to_string(i) + ".json",
      R"({"state": {"backend": "redis", "redis": {"port": )" + std::to_string(redis_port) +
          R"(, "key_prefix": "e2e:", "retry_interval_ms": 100}}})");
  std::vector<std::string> args = ServerArgs(index, dir.Path("state-" + std::to_string(i)));
  args[2] = config;  // ServerArgs: binary, "--config", file, ...
  return args;
}

std::string CartBatch(const std::string& visitor, const std::string& item, int n) {
  std::string batch = R"({"events": [)";
  for (int i = 0; i < n; ++i) {
    batch += std::string(i > 0 ? "," : "") + R"({"type": "add_to_cart", "visitor": ")" + visitor +
             R"(", "item": ")" + item + R"(", "size": "M"})";
  }
  return batch + "]}";
}

// The quantity of the visitor's cart line of `item`; 0 without one, -1 (reported) on error.
int CartQuantity(uint16_t port, const std::string& visitor, const std::string& item) {
  HttpResult profile = Fetch(port, "GET", "/profiles/" + visitor);
  if (profile.status == 404) return 0;
  if (profile.status != 200) {
    ADD_FAILURE() << visitor << ": " << profile.status << " " << profile.error << profile.body;
    return -1;
  }
  rapidjson::Document body;
  body.Parse(profile.body.c_str());
  for (const auto& line : body["cart"].GetArray()) {
    if (line["item"].GetString() == item) return line["quantity"].GetInt();
  }
  return 0;
}

// The ids a /search or /recommendations answer lists, in order.
std::vector<std::string> Ids(const HttpResult& result) {
  std::vector<std::string> ids;
  rapidjson::Document body;
  body.Parse(result.body.c_str());
  if (!body.IsObject() || !body.HasMember("hits")) return ids;
  for (const auto& hit : body["hits"].GetArray()) ids.push_back(hit["id"].GetString());
  return ids;
}

// Whether some file under dir holds needle (holds) or none does (!holds), waiting for the
// follower; the deadline only guards against a hang.
bool EventuallyHolds(const std::filesystem::path& dir, const std::string& needle, bool holds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (true) {
    bool found = false;
    std::error_code ec;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string content((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
      if (content.find(needle) != std::string::npos) found = true;
    }
    if (found == holds) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

constexpr const char* kAdminToken = "shared-state-test";

class SharedState : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!RedisServer::Installed()) GTEST_SKIP() << kRedisServer << " is not installed";
    index_ = IndexWithTheBinary(dir_);
    ASSERT_FALSE(index_.empty());
    ::setenv("TAILOR_ADMIN_TOKEN", kAdminToken, 1);  // the servers inherit it
    redis_ = std::make_unique<RedisServer>(dir_.path() / "redis");
    ASSERT_TRUE(redis_->Start()) << "redis-server did not answer on " << redis_->port();
    for (int i = 0; i < 2; ++i) {
      servers_.push_back(
          std::make_unique<ChildProcess>(SharedServerArgs(dir_, index_, redis_->port(), i)));
      ports_[i] = StartServer(*servers_.back());
      ASSERT_NE(ports_[i], 0) << "server " << i << " did not start";
    }
  }

  void TearDown() override { ::unsetenv("TAILOR_ADMIN_TOKEN"); }

  TempDir dir_;
  std::string index_;
  std::unique_ptr<RedisServer> redis_;
  std::vector<std::unique_ptr<ChildProcess>> servers_;
  uint16_t ports_[2] = {0, 0};
};

TEST_F(SharedState, AClickOnOneServerIsSeenByTheNextSearchOnTheOther) {
  const uint16_t a = ports_[0], b = ports_[1];
  ASSERT_EQ(Fetch(b, "GET", "/profiles/shopper").status, 404);
  const std::string clicks =
      R"({"events": [{"type": "click", "visitor": "shopper", "item": "B1"},
                     {"type": "click", "visitor": "shopper", "item": "B2"}]})";
  ASSERT_EQ(Fetch(a, "POST", "/events", clicks).status, 202);
  // No wait: the 202 means Redis has it, and B reads it on the visitor's next request.
  HttpResult profile = Fetch(b, "GET", "/profiles/shopper");
  ASSERT_EQ(profile.status, 200) << profile.body;
  EXPECT_NE(profile.body.find("Borealis"), std::string::npos) << profile.body;
  const std::string search = "/search?q=parka&visitor=shopper&limit=10";
  const std::vector<std::string> on_b = Ids(Fetch(b, "GET", search));
  ASSERT_FALSE(on_b.empty());
  EXPECT_EQ(on_b, Ids(Fetch(a, "GET", search)));
  // B's cached profile follows a later event on A too.
  ASSERT_EQ(Fetch(a, "POST", "/events",
                  R"({"type": "add_to_cart", "visitor": "shopper", "item": "A1", "size": "M"})")
                .status,
            202);
  EXPECT_EQ(CartQuantity(b, "shopper", "A1"), 1);
}

TEST_F(SharedState, ConcurrentEventsOfOneVisitorOnBothServersAreAllKept) {
  const std::string batch = CartBatch("busy", "A1", 10);
  std::atomic<int> acknowledged{0};
  std::vector<std::thread> clients;
  for (uint16_t port : ports_) {
    for (int t = 0; t < 2; ++t) {
      clients.emplace_back([&, port] {
        for (int i = 0; i < 25; ++i) {
          HttpResult result = Fetch(port, "POST", "/events", batch);
          EXPECT_EQ(result.status, 202) << result.body;
          if (result.status == 202) acknowledged += 10;
        }
      });
    }
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(acknowledged.load(), 2 * 2 * 25 * 10);
  EXPECT_EQ(CartQuantity(ports_[0], "busy", "A1"), acknowledged.load());
  EXPECT_EQ(CartQuantity(ports_[1], "busy", "A1"), acknowledged.load());
}

TEST_F(SharedState, AForgetOnOneServerForgetsOnBoth) {
  const uint16_t a = ports_[0], b = ports_[1];
  ASSERT_EQ(Fetch(a, "POST", "/events", CartBatch("leaving", "A1", 3)).status, 202);
  ASSERT_EQ(CartQuantity(b, "leaving", "A1"), 3);  // B has it cached now
  // Each server keeps a copy of every server's events in its state directory (for training
  // and analytics); the follower writes it as it reads the stream.
  ASSERT_TRUE(EventuallyHolds(dir_.path() / "state-1", "\"leaving\"", true));
  HttpResult deleted = Fetch(a, "DELETE", "/profiles/leaving");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(Fetch(b, "GET", "/profiles/leaving").status, 404);
  EXPECT_EQ(Fetch(a, "GET", "/profiles/leaving").status, 404);
  EXPECT_EQ(Fetch(b, "DELETE", "/profiles/leaving").status, 404);
  // Both copies are purged as the forget entry reaches each server's follower.
  EXPECT_TRUE(EventuallyHolds(dir_.path() / "state-0", "\"leaving\"", false));
  EXPECT_TRUE(EventuallyHolds(dir_.path() / "state-1", "\"leaving\"", false));
  // Back after the forget: a new profile with only the new event, on both.
  ASSERT_EQ(Fetch(b, "POST", "/events", CartBatch("leaving", "A1", 1)).status, 202);
  EXPECT_EQ(CartQuantity(a, "leaving", "A1"), 1);
  EXPECT_EQ(CartQuantity(b, "leaving", "A1"), 1);
}

TEST_F(SharedState, OthersAlsoBoughtIsTheSameOnBothServers) {
  // Baskets on A only: B counts them from Redis' event stream.
  for (int v = 0; v < 4; ++v) {
    const std::string visitor = "basket-" + std::to_string(v);
    const std::string events = R"({"events": [{"type": "purchase", "visitor": ")" + visitor +
                               R"(", "item": "A1"}, {"type": "purchase", "visitor": ")" + visitor +
                               R"(", "item": ")" + (v % 2 ? "B3" : "C2") + R"("}]})";
    ASSERT_EQ(Fetch(ports_[0], "POST", "/events", events).status, 202);
  }
  const std::string target = "/recommendations?type=also_bought&item=A1&limit=5";
  const std::vector<std::string> on_a = Ids(Fetch(ports_[0], "GET", target));
  ASSERT_FALSE(on_a.empty());
  EXPECT_TRUE(on_a[0] == "B3" || on_a[0] == "C2") << on_a[0];
  // The follower reads the stream as it grows; the deadline only guards against a hang.
  std::vector<std::string> on_b;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    on_b = Ids(Fetch(ports_[1], "GET", target));
    if (on_b == on_a) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(on_b, on_a);
  // A server started now builds the same from the stream.
  ChildProcess third(SharedServerArgs(dir_, index_, redis_->port(), 2));
  const uint16_t c = StartServer(third);
  ASSERT_NE(c, 0);
  EXPECT_EQ(Ids(Fetch(c, "GET", target)), on_a);
}

TEST_F(SharedState, AClickOnTheOtherServerCountsInTheAnalyticsOfTheSearch) {
  const uint16_t a = ports_[0], b = ports_[1];
  HttpResult search = Fetch(a, "GET", "/search?q=parka&visitor=clicker&limit=3");
  ASSERT_EQ(search.status, 200);
  rapidjson::Document body;
  body.Parse(search.body.c_str());
  const std::string request_id = body["request_id"].GetString();
  const std::string item = body["hits"][0]["id"].GetString();
  ASSERT_EQ(Fetch(b, "POST", "/events",
                  R"({"type": "click", "visitor": "clicker", "item": ")" + item +
                      R"(", "request_id": ")" + request_id + R"("})")
                .status,
            202);
  // A's feature log has the search, its copy of the stream the click (once its follower
  // read it; the deadline only guards against a hang).
  HttpClient client(a);
  double click_through = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (click_through == 0 && std::chrono::steady_clock::now() < deadline) {
    HttpResult analytics = client.Send("GET", "/admin/analytics", "",
                                       {{"Authorization", std::string("Bearer ") + kAdminToken}});
    ASSERT_EQ(analytics.status, 200) << analytics.body;
    rapidjson::Document report;
    report.Parse(analytics.body.c_str());
    click_through = report["totals"]["click_through_rate"].GetDouble();
    if (click_through == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(click_through, 1.0);
}

TEST_F(SharedState, RedisKilledAndRestartedLosesNoAcknowledgedEvent) {
  const uint16_t a = ports_[0], b = ports_[1];
  const std::string batch = CartBatch("steady", "A1", 10);
  int acknowledged = 0;
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(Fetch(i % 2 ? b : a, "POST", "/events", batch).status, 202);
    acknowledged += 10;
  }
  // Events keep coming from both servers while Redis dies.
  std::atomic<bool> stop{false};
  std::atomic<int> during{0}, refused{0};
  std::thread client([&] {
    for (int i = 0; !stop.load(); ++i) {
      HttpResult result = Fetch(i % 2 ? b : a, "POST", "/events", batch);
      if (result.status == 202) {
        during += 10;
      } else {
        EXPECT_EQ(result.status, 503) << result.body;
        ++refused;
      }
    }
  });
  while (during.load() < 50) std::this_thread::yield();
  redis_->Kill();
  while (refused.load() < 5) std::this_thread::yield();
  // Down: events are refused, searches answer without personalization.
  HttpResult refused_event = Fetch(a, "POST", "/events", batch);
  EXPECT_EQ(refused_event.status, 503);
  EXPECT_NE(refused_event.body.find("unavailable"), std::string::npos) << refused_event.body;
  for (uint16_t port : ports_) {
    HttpResult search = Fetch(port, "GET", "/search?q=parka&visitor=steady");
    EXPECT_EQ(search.status, 200) << search.body;
    EXPECT_FALSE(Ids(search).empty());
  }
  ASSERT_TRUE(redis_->Start());
  // Both servers take events again without a restart (the deadline guards against a hang).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline && refused.load() >= 0) {
    const int before = during.load();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (during.load() > before + 20) break;
  }
  stop = true;
  client.join();
  acknowledged += during.load();
  for (uint16_t port : ports_) {
    ASSERT_EQ(Fetch(port, "POST", "/events", batch).status, 202);
    acknowledged += 10;
  }
  // Every acknowledged event survived the kill (appendfsync always); a batch in flight at
  // the kill may have been stored without its 202.
  for (uint16_t port : ports_) {
    const int quantity = CartQuantity(port, "steady", "A1");
    EXPECT_GE(quantity, acknowledged);
    EXPECT_LE(quantity, acknowledged + 10);
  }
}

}  // namespace
}  // namespace tailor::testing
