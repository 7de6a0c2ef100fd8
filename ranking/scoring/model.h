// The learned scoring model: turns the feature rows of a batch of candidates
// (ranking/scoring/features.h) into one score per candidate.
//
// Two kinds. A linear model scores x . w + b; an MLP has one or two hidden ReLU layers and a
// linear output layer. Either way the whole batch is evaluated as matrix products: the model
// picks its own features from the registry matrix by name, normalizes each with the mean and
// standard deviation of the training rows, x' = (x - mean) / std, then computes
// H = X' W + b layer by layer. A linear model is the one-layer case.
//
// A model file (JSON, written by tailor-ranker, read by the server):
//   {"format": "tailor-model", "version": 1, "kind": "linear", "name": "default",
//    "features": ["text_score", "brand_affinity"],
//    "normalization": {"mean": [0.5, 0.1], "std": [0.2, 0.3]},
//    "linear": {"weights": [1.0, 0.6], "bias": 0.0},
//    "trained": {"...": "free-form metadata object, kept and written back"},
//    "validation": {"debiased_ndcg10": 0.41, "ndcg10": 0.37, "logged_debiased_ndcg10": 0.35,
//                   "logged_ndcg10": 0.56, "queries": 300, "pairs": 5400, "best_epoch": 4,
//                   "seed": 2, "position_bias_eta": 1.0, "validation_from_ms": 1796143015701,
//                   "seeds": [{"seed": 1, "debiased_ndcg10": 0.40, "ndcg10": 0.36,
//                              "best_epoch": 3}, ...],
//                   "sources": [{"name": "train", "replay": false, "train_queries": 1200,
//                                "validation_queries": 300, "skipped_queries": 40,
//                                "validation_from_ms": 1796143015701}, ...]}}
// For "kind": "mlp" the "linear" member is replaced by
//    "mlp": {"layers": [{"weights": [[...], ...], "bias": [...]}, ..., {"weights": [[w], ...],
//            "bias": [b]}]}
// where each layer's "weights" has one row per input (the first layer: one per feature; the
// next: one per output of the previous layer) and one value per output in each row, "bias"
// one value per output; 2 or 3 layers (1 or 2 hidden), the last with exactly one output.
// "name", "trained" and "validation" are optional; every other member is required and unknown
// members are refused, in "validation" too (ModelValidation below says what each member is). Features are referred to by name, so a model keeps working when the registry
// gains features, and is refused when one it needs is gone.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "ranking/scoring/features.h"

namespace tailor::ranking {

enum class ModelKind { kLinear, kMlp };
// "linear" or "mlp".
std::string_view ModelKindName(ModelKind kind);

// One dense layer: output = input . weights + bias.
struct ModelLayer {
  // One row per input, one value per output in each row.
  std::vector<std::vector<double>> weights;
  // One value per output.
  std::vector<double> bias;

  bool operator==(const ModelLayer&) const = default;
};

// One seed the trainer tried: a full training run with early stopping, and how its best epoch
// did on the validation queries.
struct ValidationSeed {
  uint64_t seed = 0;
  double debiased_ndcg10 = 0;  // in [0, 1]
  double ndcg10 = 0;           // in [0, 1]
  int best_epoch = 0;          // >= 1

  bool operator==(const ValidationSeed&) const = default;
};

// One state directory the model was trained on.
struct ValidationSource {
  // The directory's name as the trainer was told it (not a machine path).
  std::string name;
  // Replayed traffic no visitor saw: its positions were not corrected for (propensity 1).
  bool replay = false;
  // Queries with a gain > 0 used for training and for validation, and those without a gain.
  int train_queries = 0;
  int validation_queries = 0;
  int skipped_queries = 0;
  // The earliest timestamp of this source's validation queries (its own time split); 0
  // without validation queries.
  int64_t validation_from_ms = 0;

  bool operator==(const ValidationSource&) const = default;
};

// How the trainer chose the model: its figures on the held-out (latest) queries. The choice
// (early stopping and the seed kept) is made on debiased_ndcg10.
struct ValidationFigures {
  // Position-debiased NDCG@10 (ranking/offline/metrics.h, DebiasedNdcgAtK) and plain NDCG@10 of the
  // model, and of the logged order, on the validation queries; each in [0, 1].
  double debiased_ndcg10 = 0;
  double ndcg10 = 0;
  double logged_debiased_ndcg10 = 0;
  double logged_ndcg10 = 0;
  // Validation queries (>= 1) and their judged pairs (>= 0).
  int queries = 0;
  int64_t pairs = 0;
  // The kept seed's best epoch (>= 1) and the seed.
  int best_epoch = 0;
  uint64_t seed = 0;
  // The examination exponent of the debiased figures (>= 0).
  double position_bias_eta = 1.0;
  // The earliest timestamp of any validation query (each source splits on its own clock).
  int64_t validation_from_ms = 0;
  // Every seed tried, in the order tried (at least one).
  std::vector<ValidationSeed> seeds;
  // The training sources (at least one).
  std::vector<ValidationSource> sources;

  bool operator==(const ValidationFigures&) const = default;
};

// Everything a model is; what the trainer builds and a model file holds.
struct ModelParameters {
  ModelKind kind = ModelKind::kLinear;
  // Free text naming the model ("default").
  std::string name;
  // The registry features the model reads, in the order of its first layer's rows.
  std::vector<std::string> features;
  // Per feature: the training rows' mean and standard deviation (> 0).
  std::vector<double> mean;
  std::vector<double> stddev;
  // kLinear: exactly one layer with one output. kMlp: 2 or 3 layers (hidden ones ReLU), the
  // last with one output.
  std::vector<ModelLayer> layers;
  // The "trained" metadata as a compact JSON object ("" when the file has none).
  std::string trained_json;
  // The "validation" object; nullopt when the file has none (older files, no validation).
  std::optional<ValidationFigures> validation;

  bool operator==(const ModelParameters&) const = default;
};

// Immutable after construction, so thread-safe to share: hold it by
// std::shared_ptr<const Model> and swap the pointer to reload.
class Model {
 public:
  // Checks and compiles parameters. Errors: invalid_argument naming the problem by its path
  // in the model file: "features[3]: unknown feature \"newness\"", "features[4]: duplicate
  // feature \"rating\"", "normalization.std: 3 values for 4 features",
  // "normalization.std[1]: must be > 0", "linear.weights[2]: must be a finite number",
  // "mlp.layers[1].weights: 8 rows, expected 16", "trained: must be a JSON object",
  // "validation.seeds[1].ndcg10: must be in [0, 1]".
  static Result<std::shared_ptr<const Model>> Create(ModelParameters parameters);

  // Parses a model file's text. Errors: invalid_argument prefixed with origin (e.g. the path):
  // "models/x.json: invalid JSON at offset 17: ...", "models/x.json: version: 2 is not
  // supported (this build reads 1)", "models/x.json: kind: unknown \"tree\"", an unknown or
  // mistyped member ("models/x.json: normalization.mean[2]: must be a number") or any
  // error of Create.
  static Result<std::shared_ptr<const Model>> FromJson(std::string_view json,
                                                       const std::string& origin);
  // Reads and parses the file at path (errors prefixed with the path). Errors: unavailable
  // when it cannot be read; invalid_argument as FromJson.
  static Result<std::shared_ptr<const Model>> Load(const std::string& path);

  ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  // The model file's text (pretty-printed). FromJson(ToJson()) gives a model with equal
  // parameters(): numbers are written so they read back exactly.
  std::string ToJson() const;
  // Writes ToJson() to path atomically (a temporary file beside it, fsync, rename), so a
  // reader sees the old file or the new one. Errors: unavailable naming the system's reason.
  Status Save(const std::string& path) const;

  // One score per row of features, in row order. Requires: features.cols == kFeatureCount
  // (registry layout); the model reads its own columns by name. Non-finite feature values
  // give non-finite scores.
  std::vector<double> Score(const FeatureMatrix& features) const;

  // How much each registry feature contributes to row's score: kFeatureCount entries in
  // registry order, 0 for features the model does not read. Linear: weight * normalized
  // value, exactly, so they sum to score - bias. MLP: score(x) minus the score of x with that
  // feature set to its training mean (occlusion); they need not sum to anything.
  // Requires: features.cols == kFeatureCount and 0 <= row < features.rows.
  std::vector<double> Contributions(const FeatureMatrix& features, int row) const;

  const ModelParameters& parameters() const { return parameters_; }
  const std::vector<std::string>& feature_names() const { return parameters_.features; }
  // The registry features the model reads (ComputeFeatures' `needed` for it alone).
  const FeatureSet& feature_set() const { return feature_set_; }
  const std::string& name() const { return parameters_.name; }
  // How the trainer chose this model; nullopt for a file without "validation".
  const std::optional<ValidationFigures>& validation() const { return parameters_.validation; }
  // "linear" or "mlp".
  std::string_view kind() const { return ModelKindName(parameters_.kind); }

 private:
  struct Compiled;  // the parameters as Eigen matrices
  Model(ModelParameters parameters, std::vector<int> columns, std::unique_ptr<Compiled> compiled);

  ModelParameters parameters_;
  std::vector<int> columns_;  // registry column of each of the model's features
  FeatureSet feature_set_;    // the same columns as a set
  std::unique_ptr<const Compiled> compiled_;
};

}  // namespace tailor::ranking
