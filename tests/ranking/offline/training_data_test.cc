#include "ranking/offline/training_data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "ranking/profiles/profile_state.h"
#include "ranking/offline/replay.h"
#include "tests/common/temp_dir.h"

namespace tailor::ranking {
namespace {

using tailor::testing::TempDir;

constexpr int64_t kStartMs = 1764500000000;

// A ranking of items "a", "b", "c" (positions 0..2) for a visitor; brand_affinity is 0.9
// for "c" only, text_rank the position's discount.
RankingRecord Shown(std::string request_id, std::string visitor, int64_t at_ms) {
  RankingRecord record;
  record.request_id = std::move(request_id);
  record.visitor = std::move(visitor);
  record.variant = "explore";
  record.query = "parka";
  record.timestamp_ms = at_ms;
  record.personalized = true;
  record.feature_names = FeatureNames();
  for (int i = 0; i < 3; ++i) {
    LoggedItem item;
    item.id = std::string(1, static_cast<char>('a' + i));
    item.position = i;
    item.price = 10.0 * (i + 1);
    item.features.assign(kFeatureCount, 0.0f);
    item.features[kTextScore] = 1.0f;
    item.features[kTextRank] = static_cast<float>(1 / std::log2(i + 2.0));
    item.features[kStrict] = 1.0f;
    item.features[kInStock] = 1.0f;
    item.features[kBrandAffinity] = i == 2 ? 0.9f : 0.0f;
    record.items.push_back(item);
  }
  return record;
}

Event Did(EventType type, std::string visitor, std::string item, std::string request_id) {
  Event event;
  event.type = type;
  event.visitor = std::move(visitor);
  event.item = std::move(item);
  event.request_id = std::move(request_id);
  event.timestamp_ms = kStartMs + 1000;
  if (type == EventType::kAddToCart || type == EventType::kPurchase) event.size = "M";
  return event;
}

// A state directory with two logged rankings and events on them.
std::string LoggedState(const TempDir& dir) {
  const std::string state = (dir.path() / "state").string();
  {
    auto log = RankingLog::Open(state + "/rankings", RankingLogOptions{});
    EXPECT_TRUE(log.ok());
    (*log)->Append(Shown("r1", "alice", kStartMs));
    (*log)->Append(Shown("r2", "bob", kStartMs + 10));
  }
  auto profiles = ProfileState::Open(state, StateOptions{}, ProfileOptions{});
  EXPECT_TRUE(profiles.ok());
  std::vector<Event> events = {
      Did(EventType::kClick, "alice", "c", "r1"),
      Did(EventType::kAddToCart, "alice", "c", "r1"),
      Did(EventType::kPurchase, "alice", "c", "r1"),
      Did(EventType::kClick, "alice", "a", "r1"),
      Did(EventType::kClick, "mallory", "b", "r1"),      // another visitor's click
      Did(EventType::kClick, "alice", "b", ""),          // no request id
      Did(EventType::kClick, "bob", "b", "r2"),
  };
  EXPECT_TRUE((*profiles)->AppendAndWait(events).ok());
  return state;
}

TEST(TrainingData, EventsJoinToTheRankingThatShowedTheItem) {
  TempDir dir;
  const std::string state = LoggedState(dir);
  Result<std::vector<JoinedRanking>> joined = JoinLogs(state, JoinOptions{});
  ASSERT_TRUE(joined.ok()) << joined.error().message;
  ASSERT_EQ(joined->size(), 2u);
  const JoinedRanking& r1 = (*joined)[0];
  EXPECT_EQ(r1.record.request_id, "r1");
  // purchase 3 beats cart and click on "c"; "a" was clicked; "b" clicked by someone else or
  // without the request id.
  EXPECT_EQ(r1.gains, (std::vector<double>{1, 0, 3}));
  EXPECT_TRUE(r1.judged());
  EXPECT_EQ((*joined)[1].gains, (std::vector<double>{0, 1, 0}));
  EXPECT_FLOAT_EQ(r1.features.at(2, kBrandAffinity), 0.9f);

  TrainingQuery query = ToTrainingQuery(r1);
  EXPECT_EQ(query.positions, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(query.features.cols, kFeatureCount);
}

// One ranking r1 of alice's and the events given, joined.
std::vector<double> GainsAfter(const std::vector<Event>& events) {
  TempDir dir;
  const std::string state = (dir.path() / "state").string();
  {
    auto log = RankingLog::Open(state + "/rankings", RankingLogOptions{});
    EXPECT_TRUE(log.ok());
    (*log)->Append(Shown("r1", "alice", kStartMs));
  }
  {
    auto profiles = ProfileState::Open(state, StateOptions{}, ProfileOptions{});
    EXPECT_TRUE(profiles.ok());
    EXPECT_TRUE((*profiles)->AppendAndWait(events).ok());
  }
  Result<std::vector<JoinedRanking>> joined = JoinLogs(state, JoinOptions{});
  EXPECT_TRUE(joined.ok() && joined->size() == 1u);
  return joined.ok() && joined->size() == 1u ? (*joined)[0].gains : std::vector<double>{};
}

TEST(TrainingData, AViewNamingItsSearchJudgesLikeAClick) {
  EXPECT_EQ(GainsAfter({Did(EventType::kView, "alice", "b", "r1")}),
            (std::vector<double>{0, 1, 0}));
  // Without the request id, of another visitor, or of an item the ranking did not show, a view
  // says nothing of this ranking.
  EXPECT_EQ(GainsAfter({Did(EventType::kView, "alice", "b", ""),
                        Did(EventType::kView, "mallory", "a", "r1"),
                        Did(EventType::kView, "alice", "z", "r1")}),
            (std::vector<double>{0, 0, 0}));
  // purchase 3 > cart 2 > click or view 1, whatever the order of the events.
  EXPECT_EQ(GainsAfter({Did(EventType::kPurchase, "alice", "a", "r1"),
                        Did(EventType::kView, "alice", "a", "r1"),
                        Did(EventType::kAddToCart, "alice", "b", "r1"),
                        Did(EventType::kView, "alice", "b", "r1"),
                        Did(EventType::kView, "alice", "c", "r1"),
                        Did(EventType::kClick, "alice", "c", "r1")}),
            (std::vector<double>{3, 2, 1}));
  EXPECT_EQ(GainOf(EventType::kView), GainOf(EventType::kClick));
  EXPECT_EQ(GainOf(EventType::kRemoveFromCart), 0);
}

TEST(TrainingData, FiltersByVariantAndTime) {
  TempDir dir;
  const std::string state = LoggedState(dir);
  JoinOptions options;
  options.from_ms = kStartMs + 5;
  Result<std::vector<JoinedRanking>> later = JoinLogs(state, options);
  ASSERT_TRUE(later.ok());
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ((*later)[0].record.request_id, "r2");
  options = JoinOptions{};
  options.variant = "default";
  EXPECT_TRUE(JoinLogs(state, options)->empty());
}

TEST(TrainingData, FeaturesLoggedUnderOtherNamesMapByName) {
  RankingRecord record = Shown("r", "v", kStartMs);
  record.feature_names = {"brand_affinity", "retired_feature"};
  for (LoggedItem& item : record.items) item.features = {0.5f, 7.0f};
  TempDir dir;
  const std::string state = (dir.path() / "state").string();
  {
    auto log = RankingLog::Open(state + "/rankings", RankingLogOptions{});
    ASSERT_TRUE(log.ok());
    (*log)->Append(record);
  }
  Result<std::vector<JoinedRanking>> joined = JoinLogs(state, JoinOptions{});
  ASSERT_TRUE(joined.ok()) << joined.error().message;
  ASSERT_EQ(joined->size(), 1u);
  EXPECT_FLOAT_EQ((*joined)[0].features.at(0, kBrandAffinity), 0.5f);
  EXPECT_FLOAT_EQ((*joined)[0].features.at(0, kTextScore), 0.0f) << "not logged: 0";
}

TEST(TrainingData, SearchesThatShowedNothingAreLeftOut) {
  TempDir dir;
  const std::string state = (dir.path() / "state").string();
  {
    auto log = RankingLog::Open(state + "/rankings", RankingLogOptions{});
    ASSERT_TRUE(log.ok());
    RankingRecord nothing = Shown("empty", "v", kStartMs);
    nothing.items.clear();
    nothing.total = 0;
    (*log)->Append(nothing);
    (*log)->Append(Shown("r", "v", kStartMs + 1));
  }
  Result<std::vector<JoinedRanking>> joined = JoinLogs(state, JoinOptions{});
  ASSERT_TRUE(joined.ok()) << joined.error().message;
  ASSERT_EQ(joined->size(), 1u);
  EXPECT_EQ((*joined)[0].record.request_id, "r");
}

// Each source's queries carry its name, whether they carry position bias and its weight.
TEST(TrainingData, QueriesCarryTheirSourcesNameBiasAndWeight) {
  TempDir dir;
  const std::string state = LoggedState(dir);
  Result<std::vector<TrainingQuery>> queries = ReadTrainingQueries(
      {{state, true, 1.0}, {state, false, 4.0}}, JoinOptions{}, [](std::string_view) {});
  ASSERT_TRUE(queries.ok()) << queries.error().message;
  ASSERT_EQ(queries->size(), 4u);  // r1 and r2, twice
  for (size_t i = 0; i < queries->size(); ++i) {
    const TrainingQuery& query = (*queries)[i];
    const bool served = i < 2;
    EXPECT_EQ(query.source, served ? "state" : "state#2");
    EXPECT_EQ(query.position_bias, served);
    EXPECT_EQ(query.weight, served ? 1.0 : 4.0);
  }
}

TEST(TrainingData, BalancedReplayWeightMakesBothKindsWeighAlike) {
  auto query = [](bool served, std::vector<double> gains) {
    TrainingQuery q;
    q.position_bias = served;
    q.gains = std::move(gains);
    return q;
  };
  // Six judged served queries and one unjudged; two judged replayed and one unjudged.
  std::vector<TrainingQuery> queries;
  for (int i = 0; i < 6; ++i) queries.push_back(query(true, {0, 1}));
  queries.push_back(query(true, {0, 0}));
  queries.push_back(query(false, {1, 0}));
  queries.push_back(query(false, {0, 0}));
  queries.push_back(query(false, {0, 3}));
  const std::optional<double> weight = BalanceReplayWeight(queries);
  ASSERT_TRUE(weight.has_value());
  EXPECT_DOUBLE_EQ(*weight, 3.0);
  double served = 0, replayed = 0;
  for (const TrainingQuery& q : queries) {
    const bool judged = q.gains[0] > 0 || q.gains[1] > 0;
    if (judged) (q.position_bias ? served : replayed) += q.weight;
    EXPECT_EQ(q.weight, q.position_bias ? 1.0 : 3.0);
  }
  EXPECT_DOUBLE_EQ(served, replayed);
  // Nothing replayed with a judgment: no weight, nothing changed.
  std::vector<TrainingQuery> only_served = {query(true, {1}), query(false, {0})};
  EXPECT_FALSE(BalanceReplayWeight(only_served).has_value());
  EXPECT_EQ(only_served[1].weight, 1.0);
}

std::shared_ptr<const ItemTable> Items() {
  ItemTableBuilder builder;
  for (int i = 0; i < 3; ++i) {
    Product product;
    product.id = std::string(1, static_cast<char>('a' + i));
    product.title = "Parka " + product.id;
    product.price = 10.0 * (i + 1);
    product.brand = i == 2 ? "Boost" : "Other";
    builder.Set(static_cast<ItemTable::Row>(i + 1), product);
  }
  return builder.Finish();
}

TEST(Replay, ComparesVariantsSideBySideOnLoggedTraffic) {
  TempDir dir;
  Result<std::vector<JoinedRanking>> joined = JoinLogs(LoggedState(dir), JoinOptions{});
  ASSERT_TRUE(joined.ok());
  Result<ScoringConfig> config = ParseScoringConfig(
      R"({"default_variant": "text", "variants": {"text": {}, "brand": {},
          "boost_b": {"business": {"rules": [{"action": "boost", "weight": 9,
                                              "match": {"ids": ["b"]}}]}}}})",
      "test.json", "/");
  ASSERT_TRUE(config.ok()) << config.error().message;
  ModelParameters parameters;
  parameters.name = "brand";
  parameters.features = {"brand_affinity"};
  parameters.mean = {0};
  parameters.stddev = {1};
  parameters.layers = {ModelLayer{{{1.0}}, {0.0}}};
  Result<std::shared_ptr<const Model>> model = Model::Create(parameters);
  ASSERT_TRUE(model.ok()) << model.error().message;
  std::shared_ptr<const Scoring> scoring =
      Scoring::WithModels(*config, {{"brand", *model}});
  std::vector<ReplayVariant> variants;
  for (const VariantConfig& variant : scoring->config().variants()) {
    variants.push_back({variant.name, scoring.get(), &variant});
  }
  std::shared_ptr<const ItemTable> items = Items();
  ReplayReport report = Replay(*joined, variants, *items, ReplayOptions{});
  ASSERT_EQ(report.variants.size(), 3u);
  const ReplayMetrics& text = report.variants[0];
  const ReplayMetrics& brand = report.variants[1];
  const ReplayMetrics& boosted = report.variants[2];
  EXPECT_EQ(text.judged, 2);
  // r1: text order a(1) b(0) c(3); the brand model puts c first: gains 3 1 0, ideal.
  // r2: text order a(0) b(1) c(0); the brand model's c a b puts b last.
  EXPECT_NEAR(brand.ndcg10, (1.0 + 0.5) / 2, 1e-9);
  EXPECT_NEAR(text.ndcg10, (4.5 / (7 + 1 / std::log2(3.0)) + 1 / std::log2(3.0)) / 2, 1e-9);
  EXPECT_DOUBLE_EQ(brand.mrr10, (1.0 + 1.0 / 3) / 2);
  EXPECT_DOUBLE_EQ(text.mrr10, (1.0 + 0.5) / 2);
  // Revenue of purchased items in view: c (30) at position 2 under text, at 0 under brand.
  EXPECT_NEAR(text.revenue10, 30 / std::log2(4.0) / 2, 1e-9);
  EXPECT_NEAR(brand.revenue10, 30.0 / 2, 1e-9);
  EXPECT_NEAR(boosted.boosted_share, 2.0 / 6, 1e-9);  // b boosted in both rankings
  EXPECT_EQ(text.boosted_share, 0);
  ASSERT_EQ(report.changed[1].size(), 1u);
  EXPECT_EQ(report.changed[1][0].query, "parka");
  std::string table = FormatReplayReport(report);
  EXPECT_NE(table.find("ndcg@10"), std::string::npos);
  EXPECT_NE(table.find("boost_b"), std::string::npos);
  EXPECT_NE(table.find("queries whose top 10 changed most, brand vs text"), std::string::npos)
      << table;
}

}  // namespace
}  // namespace tailor::ranking
