// Learning to rank from logged, judged rankings: what tailor-ranker runs to build a Model
// (ranking/scoring/model.h) from the rankings the server served and what visitors did with them.
//
// The loss is pairwise RankNet: for every pair (i, j) of one ranking with gain_i > gain_j,
// log(1 + exp(-(s_i - s_j))), weighted by |gain_i - gain_j| and by the inverse propensity of
// the position the better item was shown at, so clicks low in the list (seen by fewer
// visitors) count more (position-bias correction as in unbiased learning to rank), plus L2
// on the weights. Features are normalized with the mean and standard deviation of the
// training rows. Adam optimizes it on mini-batches of queries.
//
// Choosing honestly. The validation set is made of the LATEST queries of each source (a time
// split per source, as the model will be used on the future and each source has its own
// clock). Every model is judged there by the position-debiased NDCG@10 (DebiasedNdcgAtK in
// ranking/offline/metrics.h, the estimator tailor-ranker eval reports as "ndcg@10 (ipw)"): plain
// NDCG@10 against the logged judgments favours the logged order, whose top positions got the
// clicks partly for being on top. Training stops when it has not improved for `patience`
// epochs and keeps the best epoch; this runs for `seeds` seeds and keeps the seed whose best
// epoch is best. The kept model carries its figures (Model::validation()). Queries marked
// position_bias = false (replayed traffic no visitor saw) get propensity 1 in the loss and in
// the debiased figure. Deterministic for given options.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "ranking/scoring/features.h"
#include "ranking/scoring/model.h"

namespace tailor::ranking {

// One served ranking and what happened to it.
struct TrainingQuery {
  std::string request_id;
  int64_t timestamp_ms = 0;
  // Registry layout (cols == kFeatureCount), one row per item shown.
  FeatureMatrix features;
  // Per row: 0 skipped, 1 click, 2 add to cart, 3 purchase (any finite value >= 0 works).
  std::vector<double> gains;
  // Per row: the 0-based position the item was shown at. Empty: rows are in position order.
  std::vector<int> positions;
  // The state directory the query was logged in, by name: each source is split for
  // validation on its own clock. Queries with the same source form one source.
  std::string source;
  // false for traffic no visitor saw (rankings logged by replaying a clickstream through the
  // server): positions say nothing of what was examined, so no position-bias correction.
  bool position_bias = true;
  // How much the query counts, > 0: its pairs' weights in the loss and its NDCG in the
  // validation means are multiplied by it (tailor-ranker train --replay-weight gives a
  // replayed real clickstream more say beside many simulated shoppers).
  double weight = 1;
};

// Which unjudged rows of a served query count as worse than its judged ones. The default
// is kAllShown for now: kExamined is there to be measured (tailor-ranker train
// --negatives examined) before it becomes the default.
enum class Negatives {
  // Those the visitor saw: every row down to one past the lowest judged position (a visitor
  // who clicked at position p scanned down to p and glanced at p + 1). Rows below are
  // unknown: pairing them with the clicks, or judging an order by them, rewards whatever put
  // them low (the logged order) instead of what the visitor wanted.
  kExamined,
  // Every shown row (replayed traffic, position_bias false, always uses all rows).
  kAllShown,
};

struct TrainerOptions {
  // The model to train: linear or a multi-layer perceptron.
  ModelKind kind = ModelKind::kLinear;
  // kMlp: the widths of the 1 or 2 hidden ReLU layers, each 1..1024.
  std::vector<int> hidden_layers = {16};
  // The registry features the model reads, by name; empty: every registry feature.
  std::vector<std::string> features;
  // The name written into the model.
  std::string name = "default";
  // Adam's step size, > 0.
  double learning_rate = 0.01;
  // L2 penalty on the weights (not the biases), >= 0.
  double l2 = 1e-4;
  // Queries whose gradients make one optimizer step, >= 1.
  int queries_per_step = 8;
  // Passes over the training queries at most, >= 1.
  int max_epochs = 100;
  // Stop after this many epochs without a better validation debiased NDCG@10, >= 1.
  int patience = 8;
  // Share of each source's usable queries, its latest by timestamp, held out for validation,
  // in [0, 1). With no validation query every epoch runs, the last one is kept and only the
  // first seed is trained (there is nothing to choose by).
  double validation_share = 0.2;
  // Propensity of position p is (1 / (p + 1))^eta; 0 turns the correction off. >= 0.
  double position_bias_eta = 1.0;
  // Inverse-propensity weights are clipped at this, >= 1, so a click far down the list
  // cannot dominate.
  double max_inverse_propensity = 20.0;
  // Seeds weight initialization and the order of queries in each epoch: the runs use seed,
  // seed + 1, ..., seed + seeds - 1.
  uint64_t seed = 1;
  // Full training runs with early stopping, one per seed, 1..kMaxSeeds; the best on
  // validation is kept.
  int seeds = 3;
  // The rows of a served query that train and validation pair with its judged rows.
  Negatives negatives = Negatives::kAllShown;
};

// Per row of query, whether it takes part under `negatives` (Negatives::kExamined: rows at
// positions up to one past the lowest judged one; all rows for kAllShown, for a query with
// position_bias false, or for a query without any judged row).
std::vector<bool> UsableRows(const TrainingQuery& query, Negatives negatives);

inline constexpr int kMaxSeeds = 100;

struct TrainReport {
  // The model of the kept seed's best epoch; "trained" metadata describes this run and, with
  // validation queries, validation() holds the figures below.
  std::shared_ptr<const Model> model;
  // On the validation queries, -1 without any: position-debiased NDCG@10
  // (MeanDebiasedNdcgAt10) and plain NDCG@10 (MeanNdcgAt10) of the kept model, and of the
  // logged order (rows by position).
  double validation_debiased_ndcg10 = -1;
  double validation_ndcg10 = -1;
  double logged_validation_debiased_ndcg10 = -1;
  double logged_validation_ndcg10 = -1;
  // Plain NDCG@10 of the kept model on the training queries.
  double train_ndcg10 = -1;
  // The kept seed's run: epochs run and the epoch (1-based) whose model was kept.
  int epochs_run = 0;
  int best_epoch = 0;
  uint64_t seed = 0;
  // Every seed tried, in order, with its best epoch's validation figures (-1 without
  // validation).
  std::vector<ValidationSeed> seeds;
  // Per source, in order of first appearance: queries used and its validation time split.
  std::vector<ValidationSource> sources;
  // Per source, in the order of `sources`: the kept model's and the logged order's
  // position-debiased NDCG@10 on that source's validation queries alone (-1 without any), so
  // a mix of simulated and real traffic shows what the model does on each.
  struct SourceFigures {
    double model_debiased_ndcg10 = -1;
    double logged_debiased_ndcg10 = -1;
  };
  std::vector<SourceFigures> source_figures;
  // Over all sources: queries used for training / validation, and left out because no row
  // has a gain > 0.
  int train_queries = 0;
  int validation_queries = 0;
  int skipped_queries = 0;
  // Judged pairs (gain_i > gain_j) in each set.
  int64_t train_pairs = 0;
  int64_t validation_pairs = 0;
  // The earliest timestamp of a validation query of any source (each source's training
  // queries are at or before its own split, sources[i].validation_from_ms); 0 without
  // validation.
  int64_t validation_from_ms = 0;
};

// Checks options against the bounds above. Errors: invalid_argument naming the field
// ("learning_rate: must be > 0", "features[2]: unknown feature \"newness\"").
Status ValidateTrainerOptions(const TrainerOptions& options);

// Trains a model on queries. progress, when given, receives one line per epoch ("seed 2,
// epoch 3: loss 0.4123, validation debiased ndcg@10 0.7012, ndcg@10 0.6500"). Blocking and
// CPU-bound: never call it on an io_context thread. Thread-safe (no shared state). Errors:
// invalid_argument for bad options, a malformed query ("queries[3].gains: 5 values for 6
// rows", non-finite features, negative gains or positions), when no query has a gain > 0 or
// no training query has two different gains (nothing to learn from), or "learning_rate:
// training diverged ..." when the weights stop being finite.
Result<TrainReport> Train(const std::vector<TrainingQuery>& queries, const TrainerOptions& options,
                          const std::function<void(std::string_view)>& progress = {});

// NDCG@10 of the model's ranking of each query (rows sorted by score, ties in row order),
// averaged over the queries with any gain > 0; -1 when there is none. Requires: every
// query's features.cols == kFeatureCount and gains.size() == features.rows.
double MeanNdcgAt10(const Model& model, const std::vector<TrainingQuery>& queries);

// The same for the logged order: each query's rows sorted by position (row order when
// positions is empty).
double MeanLoggedNdcgAt10(const std::vector<TrainingQuery>& queries);

// The position-debiased versions (DebiasedNdcgAtK): each row's inverse propensity is that of
// its position under options.position_bias_eta and options.max_inverse_propensity, 1 for a
// query with position_bias false. What Train validates and chooses by.
double MeanDebiasedNdcgAt10(const Model& model, const std::vector<TrainingQuery>& queries,
                            const TrainerOptions& options);
double MeanLoggedDebiasedNdcgAt10(const std::vector<TrainingQuery>& queries,
                                  const TrainerOptions& options);

}  // namespace tailor::ranking
