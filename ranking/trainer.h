// Learning to rank from logged, judged rankings: what tailor-ranker runs to build a Model
// (ranking/model.h) from the rankings the server served and what visitors did with them.
//
// The loss is pairwise RankNet: for every pair (i, j) of one ranking with gain_i > gain_j,
// log(1 + exp(-(s_i - s_j))), weighted by |gain_i - gain_j| and by the inverse propensity of
// the position the better item was shown at, so clicks low in the list (seen by fewer
// visitors) count more (position-bias correction as in unbiased learning to rank), plus L2
// on the weights. Features are normalized with the mean and standard deviation of the
// training rows. Adam optimizes it on mini-batches of queries; after each epoch the model is
// scored on a validation set made of the LATEST queries (a time split, as the model will be
// used on the future), training stops when validation NDCG@10 has not improved for
// `patience` epochs, and the best epoch's model is returned. Deterministic for a given seed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "ranking/features.h"
#include "ranking/model.h"

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
  // Stop after this many epochs without a better validation NDCG@10, >= 1.
  int patience = 8;
  // Share of the usable queries, the latest by timestamp, held out for validation, in
  // [0, 1). With no validation query every epoch runs and the last one is kept.
  double validation_share = 0.2;
  // Propensity of position p is (1 / (p + 1))^eta; 0 turns the correction off. >= 0.
  double position_bias_eta = 1.0;
  // Inverse-propensity weights are clipped at this, >= 1, so a click far down the list
  // cannot dominate.
  double max_inverse_propensity = 20.0;
  // Seeds weight initialization and the order of queries in each epoch.
  uint64_t seed = 1;
};

struct TrainReport {
  // The model of the best epoch; "trained" metadata describes this run.
  std::shared_ptr<const Model> model;
  // Mean NDCG@10 (see MeanNdcgAt10) of the logged order (rows by position) on validation.
  double logged_validation_ndcg10 = -1;
  // Mean NDCG@10 of the trained model on the training and the validation queries.
  double train_ndcg10 = -1;
  double validation_ndcg10 = -1;
  int epochs_run = 0;
  // The epoch (1-based) whose model was kept.
  int best_epoch = 0;
  // Queries used for training / validation, and left out because no row has a gain > 0.
  int train_queries = 0;
  int validation_queries = 0;
  int skipped_queries = 0;
  // Judged pairs (gain_i > gain_j) in each set.
  int64_t train_pairs = 0;
  int64_t validation_pairs = 0;
  // The earliest timestamp of a validation query (every training query is at or before it);
  // 0 without validation.
  int64_t validation_from_ms = 0;
};

// Checks options against the bounds above. Errors: invalid_argument naming the field
// ("learning_rate: must be > 0", "features[2]: unknown feature \"newness\"").
Status ValidateTrainerOptions(const TrainerOptions& options);

// Trains a model on queries. progress, when given, receives one line per epoch ("epoch 3:
// loss 0.4123, validation ndcg@10 0.7012"). Blocking and CPU-bound: never call it on an
// io_context thread. Thread-safe (no shared state). Errors: invalid_argument for bad options,
// a malformed query ("queries[3].gains: 5 values for 6 rows", non-finite features, negative
// gains or positions), when no query has a gain > 0 or no training query has two different
// gains (nothing to learn from), or "learning_rate: training diverged ..." when the weights
// stop being finite.
Result<TrainReport> Train(const std::vector<TrainingQuery>& queries, const TrainerOptions& options,
                          const std::function<void(std::string_view)>& progress = {});

// NDCG@10 of the model's ranking of each query (rows sorted by score, ties in row order),
// averaged over the queries with any gain > 0; -1 when there is none. Requires: every
// query's features.cols == kFeatureCount and gains.size() == features.rows.
double MeanNdcgAt10(const Model& model, const std::vector<TrainingQuery>& queries);

// The same for the logged order: each query's rows sorted by position (row order when
// positions is empty).
double MeanLoggedNdcgAt10(const std::vector<TrainingQuery>& queries);

}  // namespace tailor::ranking
