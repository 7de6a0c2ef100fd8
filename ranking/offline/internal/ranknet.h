// The optimizer behind ranking/offline/trainer.h: pairwise RankNet loss weighted by inverse
// propensity, Adam on mini-batches of queries, early stopping on a validation figure. The
// trainer decides what to train on and which run to keep; this runs one training.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "ranking/scoring/model.h"
#include "ranking/offline/trainer.h"

namespace tailor::ranking::internal {

// A judged pair of rows of one query: gains[better] > gains[worse].
struct Pair {
  int better = 0;
  int worse = 0;
  // (gain_better - gain_worse) times the inverse propensity of the better row's position
  // (1 for a query without position bias).
  double weight = 0;
};

// Every judged pair of query among its UsableRows (options.negatives). Requires: query
// passed the trainer's checks.
std::vector<Pair> JudgedPairs(const TrainingQuery& query, const TrainerOptions& options);

// The data of training: the queries as normalized matrices of the model's features.
struct Prepared {
  std::vector<int> columns;  // registry columns the model reads
  Eigen::RowVectorXd mean;
  Eigen::RowVectorXd stddev;
  // Per feature: the training rows leave it (nearly) constant, so nothing can be learned of it.
  std::vector<bool> constant;
  std::vector<Eigen::MatrixXd> x;
  std::vector<std::vector<Pair>> pairs;
  int64_t pair_count = 0;
};

// Normalizes train's rows over columns with their own mean and standard deviation.
Prepared Prepare(const std::vector<const TrainingQuery*>& train, const std::vector<int>& columns,
                 const TrainerOptions& options);

// How one epoch's model does on the validation queries; debiased_ndcg10 decides.
struct EpochValidation {
  double debiased_ndcg10 = -1;
  double ndcg10 = -1;
};

struct Fitted {
  ModelParameters parameters;  // of the best epoch; no "trained" metadata yet
  int best_epoch = 0;
  int epochs_run = 0;
};

// One training run seeded with seed: epochs until options.max_epochs or options.patience
// epochs without a better validate(model).debiased_ndcg10; the best epoch's parameters. With
// an empty validate every epoch counts as better (the last is kept). progress gets one line
// per epoch ("seed 2, epoch 3: loss 0.4123, validation debiased ndcg@10 0.7012, ndcg@10
// 0.6500"). Errors: invalid_argument "learning_rate: training diverged at epoch N (...)".
Result<Fitted> Fit(const Prepared& prepared, const TrainerOptions& options, uint64_t seed,
                   const std::function<EpochValidation(const Model&)>& validate,
                   const std::function<void(std::string_view)>& progress);

}  // namespace tailor::ranking::internal
