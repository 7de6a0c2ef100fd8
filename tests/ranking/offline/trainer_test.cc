#include "ranking/offline/trainer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace tailor::ranking {
namespace {

constexpr int kRows = 20;
constexpr int64_t kT0 = 1795000000000;
// Visitors look at position p with probability (1 / (p + 1))^kExaminationEta.
constexpr double kExaminationEta = 0.5;

class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

 private:
  std::mt19937_64 engine_;
};

// How relevant an item really is, in [0, 1], from its feature row.
using Relevance = double (*)(const FeatureMatrix& features, int row);

// Relevance grows with brand affinity and rating (a linear ranker can learn it).
double BrandAndRating(const FeatureMatrix& f, int r) {
  const double z = 3.0 * f.at(r, kBrandAffinity) + 1.5 * f.at(r, kRating) / 5.0 - 3.5;
  return 1.0 / (1.0 + std::exp(-4.0 * z));
}

// Relevant when brand affinity and price fit are both high or both low (needs a hidden layer).
double BrandXorPrice(const FeatureMatrix& f, int r) {
  const double a = f.at(r, kBrandAffinity) - 0.5, b = f.at(r, kPriceFit) - 0.5;
  return 1.0 / (1.0 + std::exp(-60.0 * (a * b - 0.08)));
}

// Served rankings: random features, shown in a noisy order that knows relevance only a little;
// a visitor looks at position p with a probability falling with p and clicks (and maybe buys)
// what is relevant. So the logs have the position bias of real ones.
std::vector<TrainingQuery> ServedQueries(int count, Relevance relevance, uint64_t seed) {
  Random random(seed);
  std::vector<TrainingQuery> queries;
  for (int q = 0; q < count; ++q) {
    TrainingQuery query;
    query.request_id = "r" + std::to_string(q);
    query.timestamp_ms = kT0 + 1000 * q;
    query.features = FeatureMatrix(kRows, kFeatureCount);
    std::vector<double> truth(kRows), served(kRows);
    for (int r = 0; r < kRows; ++r) {
      for (int c = 0; c < kFeatureCount; ++c)
        query.features.at(r, c) = static_cast<float>(random.Uniform());
      query.features.at(r, kRating) *= 5.0f;
      truth[r] = relevance(query.features, r);
      served[r] = 0.3 * truth[r] + random.Uniform();
    }
    std::vector<int> order(kRows);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return served[a] > served[b]; });
    query.positions.assign(kRows, 0);
    query.gains.assign(kRows, 0);
    for (int p = 0; p < kRows; ++p) {
      const int r = order[p];
      query.positions[r] = p;
      const bool seen = random.Uniform() < std::pow(1.0 / (p + 1), kExaminationEta);
      if (!seen || random.Uniform() >= truth[r]) continue;
      query.gains[r] = random.Uniform() < truth[r] * 0.5 ? (random.Uniform() < 0.5 ? 3 : 2) : 1;
    }
    queries.push_back(std::move(query));
  }
  return queries;
}

TEST(Trainer, LinearModelBeatsTheLoggedOrder) {
  std::vector<TrainingQuery> queries = ServedQueries(300, BrandAndRating, 7);
  TrainerOptions options;
  options.position_bias_eta = kExaminationEta;
  Result<TrainReport> report = Train(queries, options);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->model->kind(), "linear");
  EXPECT_EQ(report->model->feature_names(), FeatureNames());
  EXPECT_GT(report->validation_ndcg10, report->logged_validation_ndcg10 + 0.05)
      << "logged " << report->logged_validation_ndcg10;
  // The features that matter get the weight.
  const std::vector<std::vector<double>>& weights = report->model->parameters().layers[0].weights;
  EXPECT_GT(weights[kBrandAffinity][0], 2 * std::abs(weights[kStock][0]));
  EXPECT_GT(weights[kRating][0], 2 * std::abs(weights[kMargin][0]));
  EXPECT_GE(report->best_epoch, 1);
  EXPECT_LE(report->best_epoch, report->epochs_run);
  EXPECT_GT(report->train_pairs, 0);
}

TEST(Trainer, MlpLearnsAnInteraction) {
  std::vector<TrainingQuery> queries = ServedQueries(300, BrandXorPrice, 3);
  TrainerOptions options;
  options.position_bias_eta = kExaminationEta;
  options.features = {"brand_affinity", "price_fit", "rating", "text_score"};
  Result<TrainReport> linear = Train(queries, options);
  options.kind = ModelKind::kMlp;
  options.hidden_layers = {16};
  Result<TrainReport> report = Train(queries, options);
  ASSERT_TRUE(report.ok() && linear.ok());
  EXPECT_EQ(report->model->kind(), "mlp");
  EXPECT_EQ(report->model->feature_names(), options.features);
  EXPECT_GT(report->validation_ndcg10, report->logged_validation_ndcg10 + 0.05)
      << "logged " << report->logged_validation_ndcg10;
  EXPECT_GT(report->validation_ndcg10, linear->validation_ndcg10 + 0.2)
      << "linear " << linear->validation_ndcg10;
  std::vector<TrainingQuery> validation;
  for (const TrainingQuery& query : queries) {
    if (query.timestamp_ms >= report->validation_from_ms) validation.push_back(query);
  }
  EXPECT_DOUBLE_EQ(MeanNdcgAt10(*report->model, validation), report->validation_ndcg10);
}

// Relevance depends on brand affinity only; the logs show items by popularity and visitors
// look at position p with probability 1 / (p + 1).
double BrandOnly(const FeatureMatrix& f, int r) {
  return 1.0 / (1.0 + std::exp(-12.0 * (f.at(r, kBrandAffinity) - 0.75)));
}

std::vector<TrainingQuery> ShownByPopularity(int count, uint64_t seed) {
  Random random(seed);
  std::vector<TrainingQuery> queries;
  for (int q = 0; q < count; ++q) {
    TrainingQuery query;
    query.timestamp_ms = kT0 + 1000 * q;
    query.features = FeatureMatrix(kRows, kFeatureCount);
    // Draws for the registry's first 28 features only, so features added later leave the
    // draws (and the margin of the assertions below) as they were.
    for (int r = 0; r < kRows; ++r) {
      for (int f = 0; f <= kStock; ++f) query.features.at(r, f) = static_cast<float>(random.Uniform());
    }
    std::vector<int> order(kRows);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      return query.features.at(a, kPopularity) > query.features.at(b, kPopularity);
    });
    query.positions.assign(kRows, 0);
    query.gains.assign(kRows, 0);
    for (int p = 0; p < kRows; ++p) {
      const int r = order[p];
      query.positions[r] = p;
      const bool seen = random.Uniform() < 1.0 / (p + 1);
      if (seen && random.Uniform() < BrandOnly(query.features, r)) query.gains[r] = 1;
    }
    queries.push_back(std::move(query));
  }
  return queries;
}

TEST(Trainer, InversePropensityWeightsUndoThePositionBias) {
  std::vector<TrainingQuery> queries = ShownByPopularity(400, 1);
  TrainerOptions options;
  options.features = {"brand_affinity", "popularity", "rating"};
  options.position_bias_eta = 0;
  Result<TrainReport> plain = Train(queries, options);
  options.position_bias_eta = 1;
  Result<TrainReport> corrected = Train(queries, options);
  ASSERT_TRUE(plain.ok() && corrected.ok());
  // Popularity only decided what visitors saw; without the correction it looks relevant.
  auto popularity_over_brand = [](const TrainReport& report) {
    const auto& weights = report.model->parameters().layers[0].weights;
    return weights[1][0] / weights[0][0];
  };
  EXPECT_GT(popularity_over_brand(*plain), 0.5);
  EXPECT_LT(popularity_over_brand(*corrected), 0.5 * popularity_over_brand(*plain));
}

TEST(Trainer, SameSeedSameModel) {
  std::vector<TrainingQuery> queries = ServedQueries(60, BrandXorPrice, 3);
  TrainerOptions options;
  options.kind = ModelKind::kMlp;
  options.hidden_layers = {8, 4};
  options.max_epochs = 5;
  Result<TrainReport> first = Train(queries, options);
  Result<TrainReport> second = Train(queries, options);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->model->parameters(), second->model->parameters());
  options.seed = 2;
  Result<TrainReport> other = Train(queries, options);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(first->model->parameters(), other->model->parameters());
}

TEST(Trainer, ConstantFeaturesGetUnitStdAndNoWeight) {
  std::vector<TrainingQuery> queries = ServedQueries(60, BrandXorPrice, 3);
  for (TrainingQuery& query : queries) {
    for (int r = 0; r < kRows; ++r) query.features.at(r, kInCart) = 0;
  }
  TrainerOptions options;
  options.kind = ModelKind::kMlp;
  options.max_epochs = 3;
  Result<TrainReport> report = Train(queries, options);
  ASSERT_TRUE(report.ok()) << report.error().message;
  const ModelParameters& parameters = report->model->parameters();
  EXPECT_EQ(parameters.mean[kInCart], 0.0);
  EXPECT_EQ(parameters.stddev[kInCart], 1.0);
  for (double weight : parameters.layers[0].weights[kInCart]) EXPECT_EQ(weight, 0.0);
  // A value never seen in training changes no score.
  FeatureMatrix row = queries[0].features;
  std::vector<double> before = report->model->Score(row);
  for (int r = 0; r < kRows; ++r) row.at(r, kInCart) = 1;
  EXPECT_EQ(report->model->Score(row), before);
}

// Ten queries given newest first; the two latest have their only click at position 0 (the
// logged order is perfect there), the others at position 5.
std::vector<TrainingQuery> TimedQueries() {
  std::vector<TrainingQuery> queries = ServedQueries(10, BrandAndRating, 5);
  for (int q = 0; q < 10; ++q) {
    TrainingQuery& query = queries[q];
    query.timestamp_ms = kT0 + 1000 * (10 - q);
    const int clicked_position = q < 2 ? 0 : 5;
    for (int r = 0; r < kRows; ++r) query.gains[r] = query.positions[r] == clicked_position ? 1 : 0;
  }
  return queries;
}

TEST(Trainer, ValidatesOnTheLatestQueries) {
  std::vector<TrainingQuery> queries = TimedQueries();
  queries.push_back(queries[4]);  // a query without any gain is left out
  std::fill(queries.back().gains.begin(), queries.back().gains.end(), 0.0);
  queries.back().timestamp_ms = kT0 + 100000;
  TrainerOptions options;
  options.max_epochs = 3;
  options.seeds = 1;
  std::vector<std::string> lines;
  Result<TrainReport> report =
      Train(queries, options, [&](std::string_view line) { lines.emplace_back(line); });
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->skipped_queries, 1);
  EXPECT_EQ(report->train_queries, 8);
  EXPECT_EQ(report->validation_queries, 2);
  EXPECT_EQ(report->validation_from_ms, kT0 + 9000);
  EXPECT_DOUBLE_EQ(report->logged_validation_ndcg10, 1.0);
  EXPECT_EQ(report->validation_pairs, 2 * (kRows - 1));
  EXPECT_EQ(report->train_pairs, 8 * (kRows - 1));
  ASSERT_EQ(lines.size(), static_cast<size_t>(report->epochs_run));
  EXPECT_EQ(lines[0].rfind("seed 1, epoch 1: loss ", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find("validation debiased ndcg@10 "), std::string::npos) << lines[0];
  EXPECT_NE(report->model->parameters().trained_json.find("\"validation_queries\":2"),
            std::string::npos);
}

TEST(Trainer, WithoutValidationRunsEveryEpoch) {
  TrainerOptions options;
  options.validation_share = 0;
  options.max_epochs = 4;
  Result<TrainReport> report = Train(TimedQueries(), options);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->validation_queries, 0);
  EXPECT_EQ(report->epochs_run, 4);
  EXPECT_EQ(report->best_epoch, 4);
  EXPECT_EQ(report->validation_ndcg10, -1);
}

void ExpectRefusal(const std::vector<TrainingQuery>& queries, const TrainerOptions& options,
                   const std::string& message) {
  Result<TrainReport> report = Train(queries, options);
  ASSERT_FALSE(report.ok()) << message;
  EXPECT_EQ(report.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(report.error().message.rfind(message, 0), 0u) << report.error().message;
}

TEST(Trainer, RefusesEmptyOrUnjudgedInput) {
  ExpectRefusal({}, {}, "queries: none given");
  std::vector<TrainingQuery> queries = TimedQueries();
  for (TrainingQuery& query : queries) std::fill(query.gains.begin(), query.gains.end(), 0.0);
  ExpectRefusal(queries, {}, "queries: none of the 10 has a gain > 0");
  for (TrainingQuery& query : queries) std::fill(query.gains.begin(), query.gains.end(), 1.0);
  ExpectRefusal(queries, {}, "queries: no training query has two rows with different gains");
}

TEST(Trainer, RefusesMalformedQueries) {
  std::vector<TrainingQuery> queries = TimedQueries();
  queries[1].gains.pop_back();
  ExpectRefusal(queries, {}, "queries[1].gains: 19 values for 20 rows");
  queries = TimedQueries();
  queries[2].gains[3] = -1;
  ExpectRefusal(queries, {}, "queries[2].gains[3]: must be a finite number >= 0");
  queries = TimedQueries();
  queries[0].positions[4] = -2;
  ExpectRefusal(queries, {}, "queries[0].positions[4]: must be >= 0");
  queries = TimedQueries();
  queries[3].features.at(6, kRating) = std::nanf("");
  ExpectRefusal(queries, {}, "queries[3].features[6].rating: must be a finite number");
  queries = TimedQueries();
  queries[3].features = FeatureMatrix(kRows, 3);
  ExpectRefusal(queries, {}, "queries[3].features: 20 x 3");
}

TEST(Trainer, RefusesBadOptions) {
  const std::vector<TrainingQuery> queries = TimedQueries();
  TrainerOptions options;
  options.learning_rate = 0;
  ExpectRefusal(queries, options, "learning_rate: must be > 0");
  options = {};
  options.validation_share = 1;
  ExpectRefusal(queries, options, "validation_share: must be < 1");
  options = {};
  options.features = {"rating", "newness"};
  ExpectRefusal(queries, options, "features[1]: unknown feature \"newness\"");
  options = {};
  options.kind = ModelKind::kMlp;
  options.hidden_layers = {8, 8, 8};
  ExpectRefusal(queries, options, "hidden_layers: an mlp has 1 or 2 hidden layers, not 3");
  options.hidden_layers = {0};
  ExpectRefusal(queries, options, "hidden_layers[0]: must be in 1..1024");
  options = {};
  options.max_inverse_propensity = 0.5;
  ExpectRefusal(queries, options, "max_inverse_propensity: must be >= 1");
  options = {};
  options.seeds = 0;
  ExpectRefusal(queries, options, "seeds: must be >= 1");
  options.seeds = kMaxSeeds + 1;
  ExpectRefusal(queries, options, "seeds: must be at most 100");
}

// A validation query on which plain and debiased NDCG@10 disagree: ten rows shown by
// popularity (position p has popularity 1 - p / 10), brand items at positions 5..9, clicks at
// positions 0, 1 and 2 and on the last brand item, at 9. Orders by popularity score well on
// plain NDCG (three clicks on top) and badly once the deep click weighs its inverse
// propensity (10); orders by ascending popularity the other way round.
TrainingQuery ClicksOnTopAndOneDeep(int64_t timestamp_ms) {
  TrainingQuery query;
  query.timestamp_ms = timestamp_ms;
  query.features = FeatureMatrix(10, kFeatureCount);
  query.gains.assign(10, 0);
  for (int p = 0; p < 10; ++p) {
    query.positions.push_back(p);
    query.features.at(p, kPopularity) = 1.0f - 0.1f * p;
    query.features.at(p, kBrandAffinity) = p >= 5 ? 1.0f : 0.0f;
    if (p <= 2 || p == 9) query.gains[p] = 1;
  }
  return query;
}

// count served queries with some gain each, a second apart from kT0.
std::vector<TrainingQuery> JudgedQueries(int count, uint64_t seed) {
  std::vector<TrainingQuery> judged;
  for (TrainingQuery& query : ServedQueries(3 * count, BrandAndRating, seed)) {
    if (std::none_of(query.gains.begin(), query.gains.end(), [](double g) { return g > 0; })) {
      continue;
    }
    if (static_cast<int>(judged.size()) == count) break;
    query.timestamp_ms = kT0 + 1000 * static_cast<int64_t>(judged.size());
    judged.push_back(std::move(query));
  }
  EXPECT_EQ(static_cast<int>(judged.size()), count);
  return judged;
}

// 20 judged served queries, then 5 validation queries of ClicksOnTopAndOneDeep.
std::vector<TrainingQuery> DisagreeingValidation() {
  std::vector<TrainingQuery> queries = JudgedQueries(20, 11);
  for (int q = 0; q < 5; ++q) queries.push_back(ClicksOnTopAndOneDeep(kT0 + 100000 + q));
  return queries;
}

// Seeds that only initialize: random MLPs, one epoch of a negligible step.
TrainerOptions RandomModels(int seeds) {
  TrainerOptions options;
  options.kind = ModelKind::kMlp;
  options.hidden_layers = {4};
  options.features = {"popularity", "brand_affinity"};
  options.learning_rate = 1e-9;
  options.max_epochs = 1;
  options.seeds = seeds;
  return options;
}

TEST(Trainer, KeepsTheSeedWithTheBestDebiasedValidation) {
  const std::vector<TrainingQuery> queries = DisagreeingValidation();
  const std::vector<TrainingQuery> validation(queries.end() - 5, queries.end());
  Result<TrainReport> report = Train(queries, RandomModels(8));
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->validation_queries, 5);
  ASSERT_EQ(report->seeds.size(), 8u);
  EXPECT_EQ(report->seeds.front().seed, 1u);
  EXPECT_EQ(report->seeds.back().seed, 8u);
  auto by = [](auto field) {
    return
        [field](const ValidationSeed& a, const ValidationSeed& b) { return a.*field < b.*field; };
  };
  const auto debiased_best = std::max_element(report->seeds.begin(), report->seeds.end(),
                                              by(&ValidationSeed::debiased_ndcg10));
  const auto plain_best =
      std::max_element(report->seeds.begin(), report->seeds.end(), by(&ValidationSeed::ndcg10));
  // The case this test is about: plain NDCG would have kept another seed.
  ASSERT_NE(debiased_best->seed, plain_best->seed);
  ASSERT_GT(plain_best->ndcg10, debiased_best->ndcg10);
  EXPECT_EQ(report->seed, debiased_best->seed);
  EXPECT_DOUBLE_EQ(report->validation_debiased_ndcg10, debiased_best->debiased_ndcg10);
  EXPECT_DOUBLE_EQ(MeanDebiasedNdcgAt10(*report->model, validation, RandomModels(1)),
                   debiased_best->debiased_ndcg10);
  EXPECT_DOUBLE_EQ(MeanNdcgAt10(*report->model, validation), debiased_best->ndcg10);
  // The logged order is that of the raw metric's favourite, not the debiased one's.
  EXPECT_GT(report->logged_validation_ndcg10, report->validation_ndcg10);
  EXPECT_LT(report->logged_validation_debiased_ndcg10, report->validation_debiased_ndcg10);
  // Each seed's figures are those of that seed trained alone.
  for (const ValidationSeed& tried : report->seeds) {
    TrainerOptions alone = RandomModels(1);
    alone.seed = tried.seed;
    Result<TrainReport> single = Train(queries, alone);
    ASSERT_TRUE(single.ok());
    EXPECT_DOUBLE_EQ(single->validation_debiased_ndcg10, tried.debiased_ndcg10) << tried.seed;
    EXPECT_DOUBLE_EQ(single->validation_ndcg10, tried.ndcg10) << tried.seed;
  }
}

TEST(Trainer, TheKeptModelCarriesItsValidationFigures) {
  std::vector<TrainingQuery> queries = DisagreeingValidation();
  for (TrainingQuery& query : queries) query.source = "shop";
  Result<TrainReport> report = Train(queries, RandomModels(3));
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_TRUE(report->model->validation().has_value());
  const ValidationFigures& v = *report->model->validation();
  EXPECT_EQ(v.debiased_ndcg10, report->validation_debiased_ndcg10);
  EXPECT_EQ(v.ndcg10, report->validation_ndcg10);
  EXPECT_EQ(v.logged_debiased_ndcg10, report->logged_validation_debiased_ndcg10);
  EXPECT_EQ(v.logged_ndcg10, report->logged_validation_ndcg10);
  EXPECT_EQ(v.queries, 5);
  EXPECT_EQ(v.pairs, report->validation_pairs);
  EXPECT_EQ(v.best_epoch, 1);
  EXPECT_EQ(v.seed, report->seed);
  EXPECT_EQ(v.seeds, report->seeds);
  EXPECT_EQ(v.validation_from_ms, kT0 + 100000);
  ASSERT_EQ(v.sources.size(), 1u);
  EXPECT_EQ(v.sources[0].name, "shop");
  EXPECT_FALSE(v.sources[0].replay);
  EXPECT_EQ(v.sources[0].train_queries, report->train_queries);
  // What Model::Load reads back.
  Result<std::shared_ptr<const Model>> again = Model::FromJson(report->model->ToJson(), "again");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ((*again)->validation(), report->model->validation());
  // Without validation there is nothing to choose by: one seed, no figures.
  TrainerOptions options = RandomModels(3);
  options.validation_share = 0;
  Result<TrainReport> unvalidated = Train(queries, options);
  ASSERT_TRUE(unvalidated.ok());
  EXPECT_EQ(unvalidated->seeds.size(), 1u);
  EXPECT_FALSE(unvalidated->model->validation().has_value());
}

TEST(Trainer, SplitsEachSourceOnItsOwnClock) {
  // Source "late" logged a day after "early"; a global time split would validate on "late"
  // only.
  std::vector<TrainingQuery> queries;
  const std::vector<TrainingQuery> early = JudgedQueries(10, 21);
  const std::vector<TrainingQuery> late = JudgedQueries(10, 22);
  for (int q = 0; q < 10; ++q) {
    queries.push_back(late[q]);
    queries.back().source = "late";
    queries.back().timestamp_ms += 86400000;
    queries.push_back(early[q]);
    queries.back().source = "early";
  }
  TrainerOptions options;
  options.max_epochs = 3;
  Result<TrainReport> report = Train(queries, options);
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->sources.size(), 2u);
  const ValidationSource& first = report->sources[0];
  const ValidationSource& second = report->sources[1];
  EXPECT_EQ(first.name, "late");
  EXPECT_EQ(second.name, "early");
  EXPECT_EQ(first.validation_queries, 2);
  EXPECT_EQ(second.validation_queries, 2);
  EXPECT_EQ(first.train_queries, 8);
  EXPECT_EQ(first.validation_from_ms, kT0 + 86400000 + 8000);
  EXPECT_EQ(second.validation_from_ms, kT0 + 8000);
  EXPECT_EQ(report->validation_queries, 4);
  EXPECT_EQ(report->train_queries, 16);
  EXPECT_EQ(report->validation_from_ms, kT0 + 8000);
  std::vector<TrainingQuery> validation;
  for (const TrainingQuery& query : queries) {
    const int64_t from =
        query.source == "late" ? first.validation_from_ms : second.validation_from_ms;
    if (query.timestamp_ms >= from) validation.push_back(query);
  }
  ASSERT_EQ(validation.size(), 4u);
  EXPECT_DOUBLE_EQ(MeanDebiasedNdcgAt10(*report->model, validation, options),
                   report->validation_debiased_ndcg10);
  // Each source's own figures are those of its own validation queries.
  ASSERT_EQ(report->source_figures.size(), 2u);
  for (size_t s = 0; s < 2; ++s) {
    std::vector<TrainingQuery> own;
    for (const TrainingQuery& query : validation) {
      if (query.source == report->sources[s].name) own.push_back(query);
    }
    ASSERT_EQ(own.size(), 2u);
    EXPECT_DOUBLE_EQ(report->source_figures[s].model_debiased_ndcg10,
                     MeanDebiasedNdcgAt10(*report->model, own, options));
    EXPECT_GE(report->source_figures[s].logged_debiased_ndcg10, 0);
  }
}

TEST(Trainer, ReplaySourcesTrainWithoutPositionWeights) {
  std::vector<TrainingQuery> queries = ShownByPopularity(200, 1);
  TrainerOptions options;
  options.features = {"brand_affinity", "popularity", "rating"};
  options.position_bias_eta = 0;
  Result<TrainReport> uncorrected = Train(queries, options);
  for (TrainingQuery& query : queries) {
    query.source = "rees46";
    query.position_bias = false;
  }
  options.position_bias_eta = 1;
  Result<TrainReport> replayed = Train(queries, options);
  ASSERT_TRUE(uncorrected.ok() && replayed.ok());
  // Propensity 1 for every position: the same pairs, weights, choices and model as eta 0.
  EXPECT_EQ(replayed->model->parameters().layers, uncorrected->model->parameters().layers);
  EXPECT_EQ(replayed->train_pairs, uncorrected->train_pairs);
  EXPECT_EQ(replayed->seed, uncorrected->seed);
  EXPECT_DOUBLE_EQ(replayed->validation_debiased_ndcg10, replayed->validation_ndcg10);
  EXPECT_DOUBLE_EQ(replayed->logged_validation_debiased_ndcg10, replayed->logged_validation_ndcg10);
  ASSERT_EQ(replayed->sources.size(), 1u);
  EXPECT_TRUE(replayed->sources[0].replay);
  EXPECT_EQ(replayed->sources[0].name, "rees46");
  // Served traffic with the same logs is corrected, so it learns another model.
  for (TrainingQuery& query : queries) query.position_bias = true;
  Result<TrainReport> served = Train(queries, options);
  ASSERT_TRUE(served.ok());
  EXPECT_NE(served->model->parameters().layers, replayed->model->parameters().layers);
  EXPECT_FALSE(served->sources[0].replay);
}

// Two replayed sources that disagree: "a" (60 queries) clicks the row of the strongest brand
// affinity, "b" (40) the weakest. Counted alike, "a" wins; with b's queries weighing 3, "b".
TEST(Trainer, QueryWeightsDecideBetweenSourcesThatDisagree) {
  Random random(7);
  std::vector<TrainingQuery> queries;
  for (int q = 0; q < 100; ++q) {
    TrainingQuery query;
    query.timestamp_ms = kT0 + 1000 * q;
    query.source = q < 60 ? "a" : "b";
    query.position_bias = false;
    query.features = FeatureMatrix(kRows, kFeatureCount);
    for (int r = 0; r < kRows; ++r) {
      query.features.at(r, kBrandAffinity) = static_cast<float>(random.Uniform());
    }
    query.gains.assign(kRows, 0);
    int clicked = 0;
    for (int r = 1; r < kRows; ++r) {
      const float a = query.features.at(r, kBrandAffinity);
      const float best = query.features.at(clicked, kBrandAffinity);
      if (query.source == "a" ? a > best : a < best) clicked = r;
    }
    query.gains[clicked] = 1;
    queries.push_back(std::move(query));
  }
  TrainerOptions options;
  options.features = {"brand_affinity"};
  options.seeds = 1;
  auto brand_weight = [&](double b_weight) {
    for (TrainingQuery& query : queries) query.weight = query.source == "b" ? b_weight : 1;
    Result<TrainReport> report = Train(queries, options);
    EXPECT_TRUE(report.ok()) << report.error().message;
    return report.ok() ? report->model->parameters().layers[0].weights[0][0] : 0.0;
  };
  EXPECT_GT(brand_weight(1), 0);
  EXPECT_LT(brand_weight(3), 0);
  queries[5].weight = 0;
  ExpectRefusal(queries, options, "queries[5].weight: must be a finite number > 0");
}

// A served page of 6 rows shown at positions 5..0 (rows in reverse), clicked at position 2.
TrainingQuery ClickedAtPositionTwo() {
  TrainingQuery query;
  query.features = FeatureMatrix(6, kFeatureCount);
  query.gains = {0, 0, 0, 1, 0, 0};
  query.positions = {5, 4, 3, 2, 1, 0};
  return query;
}

TEST(Trainer, UsableRowsStopOnePastTheLowestJudgedPosition) {
  TrainingQuery query = ClickedAtPositionTwo();
  EXPECT_EQ(UsableRows(query, Negatives::kExamined),
            (std::vector<bool>{false, false, true, true, true, true}));
  EXPECT_EQ(UsableRows(query, Negatives::kAllShown), std::vector<bool>(6, true));
  query.position_bias = false;  // replayed: nobody scanned it, every row counts
  EXPECT_EQ(UsableRows(query, Negatives::kExamined), std::vector<bool>(6, true));
  query.position_bias = true;
  query.gains = std::vector<double>(6, 0);  // nothing judged: nothing to cut at
  EXPECT_EQ(UsableRows(query, Negatives::kExamined), std::vector<bool>(6, true));
}

}  // namespace
}  // namespace tailor::ranking
