// End-to-end tests of GET /admin/analytics over real sockets: searches, a no-result
// search, a click, a cart and a purchase through the real server, then the report; a
// forgotten visitor leaves it; every refusal.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <map>
#include <string>

#include "tests/e2e/http_client.h"
#include "tests/e2e/running_server.h"

namespace tailor::testing {
namespace {

constexpr char kToken[] = "analytics-secret";

RunningServerOptions AdminWithState() {
  RunningServerOptions options = WithState();
  options.admin_token = kToken;
  return options;
}

HttpResult Admin(uint16_t port, const std::string& method, const std::string& target) {
  HttpClient client(port);
  return client.Send(method, target, "", {{"Authorization", std::string("Bearer ") + kToken}});
}

rapidjson::Document Analytics(uint16_t port) {
  HttpResult result = Admin(port, "GET", "/admin/analytics");
  EXPECT_EQ(result.status, 200) << result.body;
  return ParseBody(result);
}

const rapidjson::Value* QueryEntry(const rapidjson::Value& list, const std::string& query) {
  for (const rapidjson::Value& entry : list.GetArray()) {
    if (entry["query"].GetString() == query) return &entry;
  }
  return nullptr;
}

TEST(AnalyticsEndToEnd, CountsSearchesClicksCartsPurchasesAndNoResults) {
  RunningServer server(AdminWithState());
  ASSERT_TRUE(server.ok());
  HttpResult first = Fetch(server.port(), "GET", "/search?q=parka&visitor=alice");
  ASSERT_EQ(first.status, 200) << first.body;
  rapidjson::Document page = ParseBody(first);
  ASSERT_GE(page["hits"].Size(), 2u);
  const std::string request_id = page["request_id"].GetString();
  const std::string item = page["hits"][1]["id"].GetString();
  ASSERT_EQ(
      Fetch(server.port(), "GET", "/search?q=Parka&visitor=bob&in_stock=true&price_max=100000")
          .status,
      200);
  HttpResult none = Fetch(server.port(), "GET", "/search?q=qqxzvwk&visitor=alice");
  ASSERT_EQ(none.status, 200);
  ASSERT_EQ(ParseBody(none)["total"].GetInt64(), 0) << none.body;

  const std::string on_page =
      R"(", "visitor": "alice", "item": ")" + item + R"(", "request_id": ")" + request_id + "\"";
  const std::string events = R"({"events": [{"type": "click", "position": 1, "query": "parka)" +
                             on_page + R"(}, {"type": "add_to_cart", "size": "M)" + on_page +
                             R"(}, {"type": "purchase", "size": "M)" + on_page + "}]}";
  HttpResult posted = Fetch(server.port(), "POST", "/events", events);
  ASSERT_EQ(posted.status, 202) << posted.body;

  rapidjson::Document report = Analytics(server.port());
  const rapidjson::Value& totals = report["totals"];
  EXPECT_EQ(totals["searches"].GetInt64(), 3);
  EXPECT_EQ(totals["visitors"].GetInt64(), 2);
  EXPECT_EQ(totals["searches_without_results"].GetInt64(), 1);
  EXPECT_GE(totals["events_read"].GetInt64(), 3);
  const rapidjson::Value* parka = QueryEntry(report["top_queries"], "parka");
  ASSERT_NE(parka, nullptr);
  EXPECT_EQ(report["top_queries"][0]["query"].GetString(), std::string("parka"));
  EXPECT_EQ((*parka)["searches"].GetInt64(), 2);
  EXPECT_EQ((*parka)["visitors"].GetInt64(), 2);
  EXPECT_DOUBLE_EQ((*parka)["click_through_rate"].GetDouble(), 0.5);
  EXPECT_DOUBLE_EQ((*parka)["add_to_cart_rate"].GetDouble(), 0.5);
  EXPECT_DOUBLE_EQ((*parka)["purchase_rate"].GetDouble(), 0.5);
  EXPECT_DOUBLE_EQ((*parka)["mean_click_position"].GetDouble(), 2);  // the second hit
  const rapidjson::Value* nothing = QueryEntry(report["no_results"], "qqxzvwk");
  ASSERT_NE(nothing, nullptr);
  EXPECT_EQ((*nothing)["searches"].GetInt64(), 1);
  EXPECT_EQ(report["no_clicks"].Size(), 0u);
  std::map<std::string, int64_t> filters;
  for (const rapidjson::Value& f : report["filters"].GetArray()) {
    filters[f["filter"].GetString()] = f["searches"].GetInt64();
  }
  EXPECT_EQ(filters, (std::map<std::string, int64_t>{{"in_stock=true", 1}, {"price=..100000", 1}}));
  ASSERT_GE(report["variants"].Size(), 1u);
  int64_t by_variant = 0;
  for (const rapidjson::Value& v : report["variants"].GetArray()) {
    by_variant += v["searches"].GetInt64();
  }
  EXPECT_EQ(by_variant, 3);
}

TEST(AnalyticsEndToEnd, AForgottenVisitorIsNoLongerCounted) {
  RunningServer server(AdminWithState());
  ASSERT_TRUE(server.ok());
  HttpResult first = Fetch(server.port(), "GET", "/search?q=parka&visitor=alice");
  ASSERT_EQ(first.status, 200);
  rapidjson::Document page = ParseBody(first);
  ASSERT_GE(page["hits"].Size(), 1u);
  const std::string click = std::string(R"({"type": "click", "visitor": "alice", "item": ")") +
                            page["hits"][0]["id"].GetString() + R"(", "request_id": ")" +
                            page["request_id"].GetString() + "\"}";
  ASSERT_EQ(Fetch(server.port(), "POST", "/events", click).status, 202);
  ASSERT_EQ(Fetch(server.port(), "GET", "/search?q=qqxzvwk&visitor=alice").status, 200);
  ASSERT_EQ(Fetch(server.port(), "GET", "/search?q=parka&visitor=bob").status, 200);
  rapidjson::Document before = Analytics(server.port());
  EXPECT_EQ(before["totals"]["searches"].GetInt64(), 3);
  EXPECT_EQ(before["totals"]["visitors"].GetInt64(), 2);

  HttpResult deleted = Fetch(server.port(), "DELETE", "/profiles/alice");
  ASSERT_EQ(deleted.status, 200) << deleted.body;

  rapidjson::Document after = Analytics(server.port());
  EXPECT_EQ(after["totals"]["searches"].GetInt64(), 1);  // bob's
  EXPECT_EQ(after["totals"]["visitors"].GetInt64(), 1);
  EXPECT_DOUBLE_EQ(after["totals"]["click_through_rate"].GetDouble(), 0);
  EXPECT_EQ(after["no_results"].Size(), 0u);
  const rapidjson::Value* parka = QueryEntry(after["top_queries"], "parka");
  ASSERT_NE(parka, nullptr);
  EXPECT_EQ((*parka)["searches"].GetInt64(), 1);
}

TEST(AnalyticsEndToEnd, RefusesBadRequestsNamingTheParameter) {
  RunningServer server(AdminWithState());
  ASSERT_TRUE(server.ok());
  const struct {
    const char* query;
    const char* field;
  } cases[] = {
      {"from=yesterday", "from: "},
      {"to=2026-11-23", "to: "},
      {"from=2000&to=1000", "from: must not be after to"},
      {"from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", "from: must not be after to"},
      {"limit=0", "limit: "},
      {"limit=1001", "limit: "},
      {"limit=20&limit=30", "limit: given more than once"},
      {"q=parka", "q: unknown parameter"},
  };
  for (const auto& c : cases) {
    HttpResult result = Admin(server.port(), "GET", std::string("/admin/analytics?") + c.query);
    EXPECT_EQ(result.status, 400) << c.query << ": " << result.body;
    EXPECT_EQ(ErrorCodeOf(result), "invalid_argument") << c.query;
    EXPECT_NE(result.body.find(c.field), std::string::npos) << c.query << ": " << result.body;
  }
  HttpResult limits = Admin(server.port(), "GET", "/admin/analytics?limit=1000&from=0");
  EXPECT_EQ(limits.status, 200) << limits.body;

  HttpResult anonymous = Fetch(server.port(), "GET", "/admin/analytics");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(ErrorCodeOf(anonymous), "unauthenticated");
  EXPECT_EQ(anonymous.headers["www-authenticate"], "Bearer");
  HttpClient wrong(server.port());
  HttpResult guessed =
      wrong.Send("GET", "/admin/analytics", "", {{"Authorization", "Bearer not-the-token"}});
  EXPECT_EQ(guessed.status, 401);
  HttpResult posted = Admin(server.port(), "POST", "/admin/analytics");
  EXPECT_EQ(posted.status, 405);
}

TEST(AnalyticsEndToEnd, DisabledWithoutAnAdminTokenAndUnavailableWithoutState) {
  RunningServer no_admin(WithState());
  ASSERT_TRUE(no_admin.ok());
  EXPECT_EQ(Fetch(no_admin.port(), "GET", "/admin/analytics").status, 404);
  RunningServerOptions stateless;
  stateless.admin_token = kToken;
  RunningServer no_state(stateless);
  ASSERT_TRUE(no_state.ok());
  HttpResult result = Admin(no_state.port(), "GET", "/admin/analytics");
  EXPECT_EQ(result.status, 503) << result.body;
}

}  // namespace
}  // namespace tailor::testing
