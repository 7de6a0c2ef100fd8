// The bundled `baseline` variant (config/models/baseline.json): the naive, hand-weighted
// profile reranker every figure of the learned layer is a ratio against (issue 10).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "ranking/scoring/ranker.h"

namespace tailor::ranking {
namespace {

Product Item(std::string id, std::string brand, std::map<std::string, long> sizes) {
  Product product;
  product.id = std::move(id);
  product.title = brand + " Parka";
  product.brand = std::move(brand);
  product.price = 100;
  product.category = {"Men", "Jackets", "Parkas"};
  product.sizes = std::move(sizes);
  return product;
}

std::shared_ptr<const Scoring> Bundled() {
  Result<std::shared_ptr<const Scoring>> scoring =
      Scoring::Load(TAILOR_SOURCE_DIR "/config/scoring.json");
  EXPECT_TRUE(scoring.ok()) << scoring.error().message;
  return scoring.ok() ? *scoring : nullptr;
}

TEST(BaselineVariant, LoadsAsConfiguredWithItsHandSetModel) {
  std::shared_ptr<const Scoring> scoring = Bundled();
  ASSERT_NE(scoring, nullptr);
  const VariantConfig* baseline = scoring->config().Find("baseline");
  ASSERT_NE(baseline, nullptr);
  EXPECT_EQ(baseline->candidate_depth, 200);
  EXPECT_EQ(baseline->personal_depth, 100);
  const Model* model = scoring->ModelOf(*baseline);
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->name(), "baseline");
  EXPECT_EQ(model->kind(), "linear");
  // The learned default ranks the same pool: personal retrieval on for both.
  EXPECT_EQ(scoring->config().Find("default")->personal_depth, 100);
  // Each picks what joins the pool with a linear first phase: the baseline with its own
  // hand-set model, the default with config/models/first_phase.json.
  const Model* first = scoring->FirstPhaseOf(*baseline);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->name(), "baseline");
  const Model* default_first = scoring->FirstPhaseOf(*scoring->config().Find("default"));
  ASSERT_NE(default_first, nullptr);
  EXPECT_EQ(default_first->name(), "first_phase");
  EXPECT_EQ(default_first->kind(), "linear");
  // What the first phase computes: the model's own features, known once it is loaded.
  EXPECT_EQ(default_first->feature_set().count(), default_first->feature_names().size());
  EXPECT_FALSE(default_first->feature_set()[kTitleMatch]);
  EXPECT_TRUE(default_first->feature_set()[kBrandAffinity]);
  EXPECT_EQ(scoring->FirstPhaseOf(*scoring->config().Find("text")), nullptr);
}

TEST(BaselineVariant, AFirstPhaseModelThatCannotBeReadStopsTheLoadAndIsNamed) {
  Result<ScoringConfig> config = ParseScoringConfig(
      R"({"variants": {"default": {"first_phase_model": "/nonexistent/first.json"}}})",
      "scoring.json", "");
  ASSERT_TRUE(config.ok()) << config.error().message;
  Result<std::shared_ptr<const Scoring>> scoring = Scoring::FromConfig(std::move(*config));
  ASSERT_FALSE(scoring.ok());
  EXPECT_NE(scoring.error().message.find("scoring.json: variants.default.first_phase_model: "),
            std::string::npos)
      << scoring.error().message;
}

TEST(BaselineVariant, RanksTheLikedBrandUpAndTheOutOfSizeItemDown) {
  std::shared_ptr<const Scoring> scoring = Bundled();
  ASSERT_NE(scoring, nullptr);
  ItemTableBuilder builder;
  builder.Set(1, Item("text-best", "Acme", {{"M", 2}}));
  builder.Set(2, Item("liked", "Borealis", {{"M", 2}}));
  builder.Set(3, Item("liked-no-m", "Borealis", {{"M", 0}, {"L", 3}}));
  auto items = builder.Finish();
  ProfileView view;
  view.events = 8;
  view.brands = {{"borealis", "Borealis", 0.7, 7}};
  view.sizes = {{"letter", "m", "M", 1.0, 4}};
  std::vector<Candidate> candidates = {{1, 10, 0, true}, {2, 8, 1, true}, {3, 9.5, 2, true}};
  RankInput input{items.get(), candidates, &view, "parka", 0, 0};
  const VariantConfig& baseline = *scoring->config().Find("baseline");
  Ranked ranked = Rank(*scoring, baseline, input);
  ASSERT_EQ(ranked.business.order.size(), 3u);
  EXPECT_EQ(ranked.business.order[0], 1u) << "brand_affinity 0.7 outweighs 0.2 of text score";
  EXPECT_EQ(ranked.business.order[2], 2u) << "out of the visitor's size: last";
  // The score is the hand computation: text 0.8 + strict 0.5 + brand 0.7 (+ size 0).
  EXPECT_NEAR(ranked.model_scores[1], 0.8 + 0.5 + 0.7, 1e-5);
}

}  // namespace
}  // namespace tailor::ranking
