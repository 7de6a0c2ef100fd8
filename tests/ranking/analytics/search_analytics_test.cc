#include "ranking/analytics/search_analytics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "ranking/feature_log/ranking_log.h"
#include "ranking/profiles/profile_state.h"
#include "tests/common/temp_dir.h"

namespace tailor::ranking {
namespace {

using tailor::testing::TempDir;
using ::testing::HasSubstr;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A day ago: the log segments are written now, after every record's time, as in a server.
const int64_t kT0 = NowMs() - 24 * 3600 * 1000;
constexpr int64_t kMinute = 60 * 1000;

struct Shown {
  std::string id;
  int position;
};

RankingRecord Search(std::string request_id, std::string visitor, std::string variant,
                     std::string query, std::optional<int64_t> total, std::vector<Shown> shown,
                     int64_t at_ms) {
  RankingRecord record;
  record.request_id = std::move(request_id);
  record.visitor = std::move(visitor);
  record.variant = std::move(variant);
  record.query = std::move(query);
  record.timestamp_ms = at_ms;
  record.total = total;
  record.feature_names = {"text_score"};
  for (const Shown& s : shown) {
    LoggedItem item;
    item.id = s.id;
    item.position = s.position;
    item.features = {1.0f};
    record.items.push_back(item);
  }
  return record;
}

Event Did(EventType type, std::string visitor, std::string item, std::string request_id,
          int64_t at_ms) {
  Event event;
  event.type = type;
  event.visitor = std::move(visitor);
  event.item = std::move(item);
  event.request_id = std::move(request_id);
  event.timestamp_ms = at_ms;
  return event;
}

const std::vector<Shown> kParkas = {{"P1", 0}, {"P2", 1}, {"P3", 2}};

// Ten logged rankings and eleven events, through the real writers; the expected figures in
// the tests below are counted by hand from this list.
std::string HandMadeState(const TempDir& dir) {
  const std::string state = (dir.path() / "state").string();
  {
    auto log = RankingLog::Open(state + "/rankings", RankingLogOptions{});
    EXPECT_TRUE(log.ok());
    RankingRecord s1 = Search("s1", "alice", "default", "Parka", 5, kParkas, kT0);
    s1.filters.brands = {"Puma"};
    RankingRecord s2 = Search("s2", "bob", "text", "  parka ", 5, kParkas, kT0 + 1000);
    s2.filters.brands = {"puma"};
    s2.filters.price_max = 1500;
    RankingRecord s4 = Search("s4", "carol", "default", "boots", 0, {}, kT0 + 3000);
    s4.filters.sizes = {"M"};
    RankingRecord s7 = Search("s7", "erin", "default", "", 100, {{"P1", 0}}, kT0 + 6000);
    s7.filters.categories = {"Men/Topwear"};
    s7.filters.in_stock = true;
    // Outside the window (before it).
    (*log)->Append(Search("s9", "alice", "default", "parka", 5, kParkas, kT0 - 120 * kMinute));
    (*log)->Append(s1);
    (*log)->Append(s2);
    (*log)->Append(Search("s3", "alice", "default", "PARKA", 5, kParkas, kT0 + 2000));
    (*log)->Append(s4);
    (*log)->Append(Search("s5", "dave", "text", "boots", 0, {}, kT0 + 4000));
    (*log)->Append(
        Search("s6", "carol", "default", "shirt", 2, {{"S1", 0}, {"S2", 1}}, kT0 + 5000));
    (*log)->Append(s7);
    // A rerank: no total, no query; not a search.
    (*log)->Append(Search("s8", "alice", "default", "", std::nullopt, {{"P1", 0}}, kT0 + 6500));
    // As logged before total existed: a search by its query, found something by its items.
    (*log)->Append(
        Search("s10", "frank", "default", "jacket", std::nullopt, {{"J1", 0}}, kT0 + 7000));
  }
  auto profiles = ProfileState::Open(state, StateOptions{}, ProfileOptions{});
  EXPECT_TRUE(profiles.ok());
  std::vector<Event> events = {
      Did(EventType::kClick, "alice", "P2", "s1", kT0 + 100),                   // s1 clicked at 2
      Did(EventType::kAddToCart, "alice", "P2", "s1", kT0 + 200),               // s1 carted
      Did(EventType::kClick, "bob", "P1", "s2", kT0 + 1100),                    // s2 clicked at 1
      Did(EventType::kPurchase, "bob", "P1", "", kT0 + 1000 + 10 * kMinute),    // s2 bought
      Did(EventType::kClick, "mallory", "P3", "s3", kT0 + 2100),                // another visitor
      Did(EventType::kPurchase, "alice", "P3", "", kT0 + 2000 + 40 * kMinute),  // too late
      Did(EventType::kAddToCart, "alice", "P9", "s1", kT0 + 300),               // not shown
      Did(EventType::kClick, "alice", "P1", "s3", kT0 + 2200),                  // s3 clicked at 1
      Did(EventType::kPurchase, "alice", "P1", "", kT0 + 2000 + 5 * kMinute),   // s3 bought
      Did(EventType::kView, "alice", "P1", "s1", kT0 + 400),                    // a view, no click
      Did(EventType::kClick, "frank", "J1", "s10", kT0 + 7100),                 // s10 clicked at 1
  };
  EXPECT_TRUE((*profiles)->AppendAndWait(events).ok());
  return state;
}

AnalyticsQuery Window() {
  AnalyticsQuery query;
  query.from_ms = kT0 - 60 * kMinute;
  query.to_ms = kT0 + 60 * kMinute;
  return query;
}

const QueryFigures* Find(const std::vector<QueryFigures>& list, const std::string& query) {
  for (const QueryFigures& q : list) {
    if (q.query == query) return &q;
  }
  return nullptr;
}

TEST(SearchAnalytics, CountsAHandMadeLog) {
  TempDir dir;
  const std::string state = HandMadeState(dir);
  Result<AnalyticsReport> report = ComputeAnalytics(state, Window(), AnalyticsOptions{});
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_FALSE(report->truncated);
  EXPECT_EQ(report->rankings_read, 10);
  EXPECT_EQ(report->events_read, 11);
  const SearchFigures& t = report->totals;
  EXPECT_EQ(t.searches, 8);  // s1-s7 and s10, not the rerank s8 nor s9 before the window
  EXPECT_EQ(t.visitors, 6);  // alice, bob, carol, dave, erin, frank
  EXPECT_EQ(t.with_results, 6);
  EXPECT_EQ(t.clicked, 4);    // s1, s2, s3, s10
  EXPECT_EQ(t.carted, 1);     // s1
  EXPECT_EQ(t.purchased, 2);  // s2 and s3, both without request_id within 30 minutes
  EXPECT_EQ(t.clicks, 4);
  EXPECT_EQ(t.click_position_sum, 2 + 1 + 1 + 1);

  std::vector<std::string> order;
  for (const QueryFigures& q : report->top_queries) order.push_back(q.query);
  EXPECT_EQ(order, (std::vector<std::string>{"parka", "boots", "jacket", "shirt"}));
  const QueryFigures& parka = report->top_queries[0];
  EXPECT_EQ(parka.figures.searches, 3);
  EXPECT_EQ(parka.figures.visitors, 2);
  EXPECT_EQ(parka.figures.clicked, 3);
  EXPECT_EQ(parka.figures.carted, 1);
  EXPECT_EQ(parka.figures.purchased, 2);
  EXPECT_EQ(parka.figures.clicks, 3);
  EXPECT_EQ(parka.figures.click_position_sum, 4);

  ASSERT_EQ(report->no_results.size(), 1u);
  EXPECT_EQ(report->no_results[0].query, "boots");
  EXPECT_EQ(report->no_results[0].figures.searches, 2);
  ASSERT_EQ(report->no_clicks.size(), 1u);
  EXPECT_EQ(report->no_clicks[0].query, "shirt");
  EXPECT_EQ(report->no_clicks[0].figures.searches, 1);

  std::vector<std::pair<std::string, int64_t>> filters;
  for (const FilterCount& f : report->filters) filters.emplace_back(f.filter, f.searches);
  EXPECT_EQ(filters, (std::vector<std::pair<std::string, int64_t>>{{"brand=puma", 2},
                                                                   {"category=men/topwear", 1},
                                                                   {"in_stock=true", 1},
                                                                   {"price=..1500", 1},
                                                                   {"size=m", 1}}));

  ASSERT_EQ(report->variants.size(), 2u);
  const VariantFigures& def = report->variants[0];
  const VariantFigures& text = report->variants[1];
  EXPECT_EQ(def.variant, "default");
  EXPECT_EQ(def.figures.searches, 6);
  EXPECT_EQ(def.figures.visitors, 4);
  EXPECT_EQ(def.figures.clicked, 3);
  EXPECT_EQ(def.figures.purchased, 1);
  EXPECT_EQ(text.variant, "text");
  EXPECT_EQ(text.figures.searches, 2);
  EXPECT_EQ(text.figures.clicked, 1);
  EXPECT_EQ(text.figures.purchased, 1);
  ASSERT_NE(Find(text.top_queries, "boots"), nullptr);
  EXPECT_EQ(Find(text.top_queries, "boots")->figures.searches, 1);
}

TEST(SearchAnalytics, JsonHasTheRatesAndSections) {
  TempDir dir;
  const std::string state = HandMadeState(dir);
  Result<AnalyticsReport> report = ComputeAnalytics(state, Window(), AnalyticsOptions{});
  ASSERT_TRUE(report.ok());
  rapidjson::Document json;
  json.Parse(AnalyticsReportToJson(*report).c_str());
  ASSERT_TRUE(json.IsObject());
  EXPECT_EQ(json["window"]["from"].GetInt64(), kT0 - 60 * kMinute);
  EXPECT_FALSE(json["truncated"].GetBool());
  EXPECT_TRUE(json["variant"].IsNull());
  const rapidjson::Value& totals = json["totals"];
  EXPECT_EQ(totals["searches"].GetInt64(), 8);
  EXPECT_EQ(totals["searches_without_results"].GetInt64(), 2);
  EXPECT_DOUBLE_EQ(totals["click_through_rate"].GetDouble(), 0.5);
  EXPECT_DOUBLE_EQ(totals["add_to_cart_rate"].GetDouble(), 0.125);
  EXPECT_DOUBLE_EQ(totals["purchase_rate"].GetDouble(), 0.25);
  EXPECT_DOUBLE_EQ(totals["mean_click_position"].GetDouble(), 1.25);
  const rapidjson::Value& parka = json["top_queries"][0];
  EXPECT_STREQ(parka["query"].GetString(), "parka");
  EXPECT_DOUBLE_EQ(parka["click_through_rate"].GetDouble(), 1.0);
  EXPECT_DOUBLE_EQ(parka["purchase_rate"].GetDouble(), 0.6667);  // 2 of 3, 4 decimals
  EXPECT_DOUBLE_EQ(parka["mean_click_position"].GetDouble(), 1.3333);
  EXPECT_TRUE(json["top_queries"][1]["mean_click_position"].IsNull());  // boots: no click
  EXPECT_STREQ(json["no_results"][0]["query"].GetString(), "boots");
  EXPECT_STREQ(json["filters"][0]["filter"].GetString(), "brand=puma");
  EXPECT_STREQ(json["variants"][1]["variant"].GetString(), "text");
  EXPECT_DOUBLE_EQ(json["variants"][1]["purchase_rate"].GetDouble(), 0.5);
}

TEST(SearchAnalytics, VariantLimitAndWindowNarrowIt) {
  TempDir dir;
  const std::string state = HandMadeState(dir);
  AnalyticsQuery text = Window();
  text.variant = "text";
  Result<AnalyticsReport> only_text = ComputeAnalytics(state, text, AnalyticsOptions{});
  ASSERT_TRUE(only_text.ok());
  EXPECT_EQ(only_text->totals.searches, 2);
  ASSERT_EQ(only_text->variants.size(), 1u);

  AnalyticsQuery two = Window();
  two.limit = 2;
  Result<AnalyticsReport> top_two = ComputeAnalytics(state, two, AnalyticsOptions{});
  ASSERT_TRUE(top_two.ok());
  ASSERT_EQ(top_two->top_queries.size(), 2u);
  EXPECT_EQ(top_two->top_queries[1].query, "boots");
  EXPECT_EQ(top_two->filters.size(), 2u);

  AnalyticsQuery earlier = Window();
  earlier.from_ms = kT0 - 180 * kMinute;
  earlier.to_ms = kT0 - 1;  // only s9
  Result<AnalyticsReport> before = ComputeAnalytics(state, earlier, AnalyticsOptions{});
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->totals.searches, 1);
  EXPECT_EQ(before->totals.clicked, 0);  // the later click on P1 names s3, not s9
}

TEST(SearchAnalytics, AFullerWindowIsCutAndSaysSo) {
  TempDir dir;
  const std::string state = HandMadeState(dir);
  AnalyticsOptions options;
  options.max_searches = 3;
  Result<AnalyticsReport> report = ComputeAnalytics(state, Window(), options);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->truncated);
  EXPECT_EQ(report->totals.searches, 3);  // s1, s2, s3, the oldest of the window
  EXPECT_EQ(report->covered_to_ms, kT0 + 2000);
}

TEST(SearchAnalytics, AnEmptyStateHasNoSearches) {
  TempDir dir;
  Result<AnalyticsReport> report =
      ComputeAnalytics((dir.path() / "nothing").string(), Window(), AnalyticsOptions{});
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->totals.searches, 0);
  EXPECT_TRUE(report->top_queries.empty());
}

using Params = std::vector<std::pair<std::string, std::string>>;

TEST(AnalyticsQuery, DefaultsToTheLastSevenDaysAndTwenty) {
  Result<AnalyticsQuery> query = ParseAnalyticsQuery({}, 1764500000000);
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->to_ms, 1764500000000);
  EXPECT_EQ(query->from_ms, 1764500000000 - kDefaultAnalyticsWindowMs);
  EXPECT_EQ(query->limit, 20);
  EXPECT_TRUE(query->variant.empty());
}

TEST(AnalyticsQuery, ReadsEpochMillisecondsAndIso8601) {
  Result<AnalyticsQuery> query = ParseAnalyticsQuery(Params{{"from", "1764500000000"},
                                                            {"to", "2025-11-30T12:00:00Z"},
                                                            {"limit", "1000"},
                                                            {"variant", "text"}},
                                                     0);
  ASSERT_TRUE(query.ok()) << query.error().message;
  EXPECT_EQ(query->from_ms, 1764500000000);
  EXPECT_EQ(query->to_ms, 1764504000000);
  EXPECT_EQ(query->limit, 1000);
  EXPECT_EQ(query->variant, "text");
  // "+01:00" in a URL decodes to " 01:00": the same instant as 11:00Z.
  Result<AnalyticsQuery> zoned =
      ParseAnalyticsQuery(Params{{"to", "2025-11-30T12:00:00 01:00"}}, 0);
  ASSERT_TRUE(zoned.ok()) << zoned.error().message;
  EXPECT_EQ(zoned->to_ms, 1764504000000 - 3600000);
}

TEST(AnalyticsQuery, RefusesBadParametersNamingThem) {
  const struct {
    Params params;
    const char* message;
  } cases[] = {
      {{{"from", "yesterday"}}, "from: must be epoch milliseconds or an ISO 8601 date-time"},
      {{{"from", "-5"}}, "from: must be epoch milliseconds or an ISO 8601 date-time"},
      {{{"to", "noon"}}, "to: "},
      {{{"from", "99999999999999999999"}}, "from: out of range"},
      {{{"from", "2000"}, {"to", "1000"}}, "from: must not be after to"},
      {{{"limit", "0"}}, "limit: must be an integer in [1, 1000]"},
      {{{"limit", "1001"}}, "limit: must be an integer in [1, 1000]"},
      {{{"limit", "ten"}}, "limit: must be an integer"},
      {{{"limit", "5"}, {"limit", "6"}}, "limit: given more than once"},
      {{{"q", "parka"}}, "q: unknown parameter"},
  };
  for (const auto& c : cases) {
    Result<AnalyticsQuery> query = ParseAnalyticsQuery(c.params, 1764500000000);
    ASSERT_FALSE(query.ok()) << c.message;
    EXPECT_EQ(query.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(query.error().message, HasSubstr(c.message));
  }
}

}  // namespace
}  // namespace tailor::ranking
