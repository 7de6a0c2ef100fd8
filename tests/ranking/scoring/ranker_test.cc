// ranking::Rank and Scoring: the one function every ranked answer goes through.
#include "ranking/scoring/ranker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace tailor::ranking {
namespace {

using ::testing::ElementsAre;

// A linear model on brand affinity alone: the liked brand goes first.
std::shared_ptr<const Model> BrandModel() {
  Result<std::shared_ptr<const Model>> model = Model::FromJson(
      R"({"format": "tailor-model", "version": 1, "kind": "linear", "name": "brand",
          "features": ["brand_affinity"], "normalization": {"mean": [0], "std": [1]},
          "linear": {"weights": [2.0], "bias": 0}})",
      "brand.json");
  EXPECT_TRUE(model.ok()) << model.error().message;
  return model.ok() ? *model : nullptr;
}

std::shared_ptr<const Scoring> TwoVariants(int explore_top = 0) {
  Result<ScoringConfig> config = ParseScoringConfig(
      R"({"default_variant": "learned", "variants": {"learned": {"model": null, "explore_top": )" +
          std::to_string(explore_top) + R"(}, "text": {"model": null}}})",
      "test.json", ".");
  EXPECT_TRUE(config.ok()) << config.error().message;
  return Scoring::WithModels(*config, {{"learned", BrandModel()}});
}

std::shared_ptr<const ItemTable> Items(int count) {
  ItemTableBuilder builder;
  for (int i = 1; i <= count; ++i) {
    Product p;
    p.id = "p" + std::to_string(i);
    p.title = "Parka " + p.id;
    p.brand = i % 2 == 0 ? "Borealis" : "Acme";
    p.price = 100;
    p.category = {"Men", "Jackets", "Parkas"};
    builder.Set(static_cast<ItemTable::Row>(i), p);
  }
  return builder.Finish();
}

std::vector<Candidate> InTextOrder(int count) {
  std::vector<Candidate> candidates;
  for (int i = 1; i <= count; ++i) {
    candidates.push_back({static_cast<ItemTable::Row>(i), 10.0 - i, i - 1, true});
  }
  return candidates;
}

ProfileView LikesBorealis() {
  ProfileView view;
  view.events = 5;
  view.brands = {{"borealis", "Borealis", 0.8, 5}};
  return view;
}

std::vector<ItemTable::Row> RowsInOrder(const Ranked& ranked,
                                        const std::vector<Candidate>& candidates) {
  std::vector<ItemTable::Row> rows;
  for (size_t index : ranked.business.order) rows.push_back(candidates[index].row);
  return rows;
}

TEST(Ranker, TheModelOrdersAPersonalRankingAndEveryRowIsKept) {
  std::shared_ptr<const Scoring> scoring = TwoVariants();
  auto items = Items(4);
  std::vector<Candidate> candidates = InTextOrder(4);
  ProfileView view = LikesBorealis();
  RankInput input{items.get(), candidates, &view, "parka", 0, 0};
  const VariantConfig& learned = scoring->config().ChooseVariant("");
  Ranked ranked = Rank(*scoring, learned, input);
  ASSERT_NE(ranked.model, nullptr);
  EXPECT_EQ(ranked.model->name(), "brand");
  EXPECT_EQ(ranked.features.rows, 4);
  EXPECT_EQ(ranked.model_scores.size(), 4u);
  EXPECT_THAT(RowsInOrder(ranked, candidates), ElementsAre(2u, 4u, 1u, 3u));
}

TEST(Ranker, WithoutAModelOrWithApplyModelOffTheTextOrderDecides) {
  std::shared_ptr<const Scoring> scoring = TwoVariants();
  auto items = Items(4);
  std::vector<Candidate> candidates = InTextOrder(4);
  ProfileView view = LikesBorealis();
  RankInput input{items.get(), candidates, &view, "parka", 0, 0};
  Ranked text = Rank(*scoring, *scoring->config().Find("text"), input);
  EXPECT_EQ(text.model, nullptr);
  EXPECT_TRUE(text.model_scores.empty());
  EXPECT_THAT(RowsInOrder(text, candidates), ElementsAre(1u, 2u, 3u, 4u));
  input.apply_model = false;
  Ranked off = Rank(*scoring, scoring->config().ChooseVariant(""), input);
  EXPECT_THAT(RowsInOrder(off, candidates), ElementsAre(1u, 2u, 3u, 4u));
}

TEST(Ranker, ExplorationShufflesTheTopTheSameWayForTheSameSeed) {
  std::shared_ptr<const Scoring> scoring = TwoVariants(/*explore_top=*/6);
  auto items = Items(10);
  std::vector<Candidate> candidates = InTextOrder(10);
  RankInput input{items.get(), candidates, nullptr, "parka", 0, 42};
  input.apply_model = false;
  const VariantConfig& learned = scoring->config().ChooseVariant("");
  const std::vector<ItemTable::Row> first = RowsInOrder(Rank(*scoring, learned, input), candidates);
  EXPECT_EQ(RowsInOrder(Rank(*scoring, learned, input), candidates), first);
  // Only the top 6 move: the tail keeps the text order.
  EXPECT_THAT(std::vector<ItemTable::Row>(first.begin() + 6, first.end()),
              ElementsAre(7u, 8u, 9u, 10u));
  std::vector<ItemTable::Row> top(first.begin(), first.begin() + 6);
  std::sort(top.begin(), top.end());
  EXPECT_THAT(top, ElementsAre(1u, 2u, 3u, 4u, 5u, 6u));
  bool some_seed_differs = false;
  for (uint64_t seed = 1; seed < 20 && !some_seed_differs; ++seed) {
    input.seed = seed;
    some_seed_differs = RowsInOrder(Rank(*scoring, learned, input), candidates) != first;
  }
  EXPECT_TRUE(some_seed_differs);
}

TEST(Ranker, CompiledRulesAreCachedPerTable) {
  std::shared_ptr<const Scoring> scoring = TwoVariants();
  auto items = Items(2);
  auto other = Items(3);
  const VariantConfig& learned = scoring->config().ChooseVariant("");
  std::shared_ptr<const CompiledRules> rules = scoring->RulesFor(learned, *items);
  ASSERT_NE(rules, nullptr);
  EXPECT_EQ(scoring->RulesFor(learned, *items), rules);
  EXPECT_NE(scoring->RulesFor(learned, *other), rules);
  EXPECT_EQ(scoring->ModelOf(*scoring->config().Find("text")), nullptr);
}

}  // namespace
}  // namespace tailor::ranking
