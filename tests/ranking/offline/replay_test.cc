// Replay (ranking/offline/replay.h) on joined rankings built in memory: the variants chosen
// for it, what it measures, and what it leaves out.
#include "ranking/offline/replay.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace tailor::ranking {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::shared_ptr<const Scoring> Config(const std::string& variants_json) {
  Result<ScoringConfig> config = ParseScoringConfig(
      R"({"default_variant": "text", "variants": )" + variants_json + "}", "test.json", "/");
  EXPECT_TRUE(config.ok()) << config.error().message;
  return Scoring::WithModels(*config, {});
}

std::vector<std::string> Labels(const std::vector<ReplayVariant>& variants) {
  std::vector<std::string> labels;
  for (const ReplayVariant& v : variants) labels.push_back(v.label);
  return labels;
}

// Items "a".."d" at prices 10, 20, 30, 40.
std::shared_ptr<const ItemTable> Items() {
  ItemTableBuilder builder;
  for (int i = 0; i < 4; ++i) {
    Product product;
    product.id = std::string(1, static_cast<char>('a' + i));
    product.title = "Parka " + product.id;
    product.price = 10.0 * (i + 1);
    builder.Set(static_cast<ItemTable::Row>(i + 1), product);
  }
  return builder.Finish();
}

// A logged ranking of `ids` in that order with the gains given; text_score falls with the
// position, so the text variant replays the logged order.
JoinedRanking Logged(const std::string& query, const std::vector<std::string>& ids,
                     const std::vector<double>& gains) {
  JoinedRanking ranking;
  ranking.record.request_id = "r-" + query;
  ranking.record.visitor = "v";
  ranking.record.variant = "text";
  ranking.record.query = query;
  ranking.features = FeatureMatrix(static_cast<int>(ids.size()), kFeatureCount);
  for (size_t i = 0; i < ids.size(); ++i) {
    LoggedItem item;
    item.id = ids[i];
    item.position = static_cast<int>(i);
    item.price = 10;
    ranking.record.items.push_back(item);
    ranking.features.at(static_cast<int>(i), kTextScore) = static_cast<float>(10 - i);
  }
  ranking.gains = gains;
  return ranking;
}

TEST(Replay, ChoosesEveryVariantOrTheLabelledOnesInOrder) {
  std::shared_ptr<const Scoring> one = Config(R"({"text": {}, "other": {}})");
  std::shared_ptr<const Scoring> two = Config(R"({"text": {}})");
  Result<std::vector<ReplayVariant>> all = ChooseReplayVariants({one}, {});
  ASSERT_TRUE(all.ok());
  EXPECT_THAT(Labels(*all), ElementsAre("text", "other"));
  Result<std::vector<ReplayVariant>> both = ChooseReplayVariants({one, two}, {});
  ASSERT_TRUE(both.ok());
  EXPECT_THAT(Labels(*both), ElementsAre("1:text", "1:other", "2:text"));
  Result<std::vector<ReplayVariant>> chosen = ChooseReplayVariants({one, two}, {"2:text", "1:other"});
  ASSERT_TRUE(chosen.ok());
  EXPECT_THAT(Labels(*chosen), ElementsAre("2:text", "1:other"));
  EXPECT_EQ(chosen->at(0).scoring, two.get());
  Result<std::vector<ReplayVariant>> unknown = ChooseReplayVariants({one}, {"nope"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message, "no variant \"nope\"");
}

TEST(Replay, TheLoggedOrderIsMeasuredAndABoostMovesIt) {
  std::shared_ptr<const Scoring> scoring = Config(
      R"({"text": {}, "boost_d": {"business": {"rules": [{"action": "boost", "weight": 99,
          "match": {"ids": ["d"]}}]}}})");
  Result<std::vector<ReplayVariant>> variants = ChooseReplayVariants({scoring}, {});
  ASSERT_TRUE(variants.ok());
  // The purchase (gain 3) was shown last; a click (gain 1) first.
  std::vector<JoinedRanking> rankings = {Logged("parka", {"a", "b", "c", "d"}, {1, 0, 0, 3})};
  std::shared_ptr<const ItemTable> items = Items();
  ReplayReport report = Replay(rankings, *variants, *items, ReplayOptions{});
  ASSERT_EQ(report.variants.size(), 2u);
  const ReplayMetrics& text = report.variants[0];
  const ReplayMetrics& boosted = report.variants[1];
  EXPECT_EQ(text.rankings, 1);
  EXPECT_EQ(text.judged, 1);
  const double ideal = 7 + 1 / std::log2(3.0);
  EXPECT_NEAR(text.ndcg10, (1 + 7 / std::log2(5.0)) / ideal, 1e-9);
  EXPECT_NEAR(boosted.ndcg10, 1.0, 1e-9) << "d first, then a";
  EXPECT_DOUBLE_EQ(text.mrr10, 1.0);
  EXPECT_NEAR(boosted.boosted_share, 1.0 / 4, 1e-9);
  ASSERT_EQ(report.changed[1].size(), 1u);
  EXPECT_EQ(report.changed[1][0].query, "parka");
  EXPECT_GT(report.changed[1][0].changed, 0);
  // The ranking that changed, before and after.
  EXPECT_THAT(report.changed[1][0].first_top, ElementsAre("a", "b", "c", "d"));
  EXPECT_THAT(report.changed[1][0].top, ElementsAre("d", "a", "b", "c"));
}

TEST(Replay, StopsWhenAskedAndSaysSo) {
  std::shared_ptr<const Scoring> scoring = Config(R"({"text": {}})");
  Result<std::vector<ReplayVariant>> variants = ChooseReplayVariants({scoring}, {});
  ASSERT_TRUE(variants.ok());
  std::vector<JoinedRanking> rankings = {Logged("parka", {"a", "b"}, {1, 0}),
                                         Logged("boots", {"c", "d"}, {0, 1})};
  int asked = 0;
  ReplayOptions options;
  options.keep_going = [&asked] { return ++asked <= 1; };
  std::shared_ptr<const ItemTable> items = Items();
  const ReplayReport report = Replay(rankings, *variants, *items, options);
  EXPECT_TRUE(report.stopped);
  EXPECT_EQ(report.variants[0].rankings, 1);
}

TEST(Replay, TheModelRanksOnlyPagesServedWithAProfileAsServingDoes) {
  // A model that ranks by the lowest text score: the reverse of the logged order.
  Result<std::shared_ptr<const Model>> reverse = Model::FromJson(
      R"({"format": "tailor-model", "version": 1, "kind": "linear", "name": "reverse",
          "features": ["text_score"], "normalization": {"mean": [0], "std": [1]},
          "linear": {"weights": [-1], "bias": 0}})",
      "reverse.json");
  ASSERT_TRUE(reverse.ok()) << reverse.error().message;
  Result<ScoringConfig> config = ParseScoringConfig(
      R"({"default_variant": "model", "variants": {"model": {}}})", "test.json", "/");
  ASSERT_TRUE(config.ok());
  std::shared_ptr<const Scoring> scoring = Scoring::WithModels(*config, {{"model", *reverse}});
  Result<std::vector<ReplayVariant>> variants = ChooseReplayVariants({scoring}, {});
  ASSERT_TRUE(variants.ok());
  // The click was on the first item shown: in the logged order it is first, reversed last.
  JoinedRanking anonymous = Logged("parka", {"a", "b", "c", "d"}, {1, 0, 0, 0});
  JoinedRanking known = anonymous;
  known.record.personalized = true;
  std::shared_ptr<const ItemTable> items = Items();
  const ReplayReport text_order = Replay({anonymous}, *variants, *items, ReplayOptions{});
  EXPECT_DOUBLE_EQ(text_order.variants[0].mrr10, 1.0) << "no profile: text order, as served";
  const ReplayReport modelled = Replay({known}, *variants, *items, ReplayOptions{});
  EXPECT_DOUBLE_EQ(modelled.variants[0].mrr10, 1.0 / 4) << "a profile: the model's order";
}

TEST(Replay, ItemsGoneFromTheTableAreLeftOutAndCounted) {
  std::shared_ptr<const Scoring> scoring = Config(R"({"text": {}})");
  Result<std::vector<ReplayVariant>> variants = ChooseReplayVariants({scoring}, {});
  ASSERT_TRUE(variants.ok());
  std::vector<JoinedRanking> rankings = {Logged("parka", {"a", "gone", "b"}, {0, 3, 1})};
  std::shared_ptr<const ItemTable> items = Items();
  ReplayReport report = Replay(rankings, *variants, *items, ReplayOptions{});
  EXPECT_EQ(report.skipped_items, 1);
  EXPECT_NEAR(report.variants[0].mrr10, 0.5, 1e-9) << "b, now second, is the first judged";
  EXPECT_THAT(FormatReplayReport(report), HasSubstr("ndcg@10"));
}

TEST(Replay, TheDebiasedNdcgDiscountsClicksNearTheTop) {
  std::shared_ptr<const Scoring> scoring = Config(R"({"text": {}})");
  Result<std::vector<ReplayVariant>> variants = ChooseReplayVariants({scoring}, {});
  ASSERT_TRUE(variants.ok());
  // A click at the top and one lower down; weighting by (position + 1) makes the lower one
  // count more, so the logged order, which has it second, scores below its plain NDCG.
  std::vector<JoinedRanking> rankings = {Logged("parka", {"a", "b", "c"}, {1, 0, 1})};
  std::shared_ptr<const ItemTable> items = Items();
  ReplayReport report = Replay(rankings, *variants, *items, ReplayOptions{});
  EXPECT_LT(report.variants[0].ndcg10_ipw, report.variants[0].ndcg10);
}

}  // namespace
}  // namespace tailor::ranking
