#include "ranking/trainer.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <numeric>
#include <random>
#include <utility>

#include "ranking/metrics.h"

namespace tailor::ranking {
namespace {

constexpr int kNdcgDepth = 10;
constexpr int kMaxHiddenWidth = 1024;
// A feature whose training rows vary less than this is treated as constant (std 1).
constexpr double kMinStd = 1e-6;

// std::mt19937_64 is specified exactly, the standard distributions are not: draw from the
// engine's bits directly so a seed gives the same model with any standard library.
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  double Normal() {                                                              // Box-Muller
    const double u = 1.0 - Uniform();                                            // (0, 1]
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * Uniform());
  }
  size_t Below(size_t n) { return static_cast<size_t>(engine_() % n); }

 private:
  std::mt19937_64 engine_;
};

// Whether the lower bound itself is allowed.
enum class Bound { kInclusive, kExclusive };

// "NAME: must be > MIN" (or ">=") unless value is a finite number above the bound.
Status CheckAtLeast(const char* name, double value, double min_value, Bound bound) {
  const bool exclusive = bound == Bound::kExclusive;
  const bool below = exclusive ? !(value > min_value) : !(value >= min_value);
  if (!below && std::isfinite(value)) return Status::Ok();
  char text[64];
  std::snprintf(text, sizeof(text), "must be %s %g", exclusive ? ">" : ">=", min_value);
  return Error::InvalidArgument(std::string(name) + ": " + text);
}

Status CheckFeatureNames(const std::vector<std::string>& names) {
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string path = "features[" + std::to_string(i) + "]";
    if (FeatureIndex(names[i]) < 0) {
      return Error::InvalidArgument(path + ": unknown feature \"" + names[i] + "\"");
    }
    if (std::find(names.begin(), names.begin() + i, names[i]) != names.begin() + i) {
      return Error::InvalidArgument(path + ": duplicate feature \"" + names[i] + "\"");
    }
  }
  return Status::Ok();
}

Status CheckQuery(const TrainingQuery& query, size_t index) {
  const std::string path = "queries[" + std::to_string(index) + "]";
  const FeatureMatrix& features = query.features;
  if (features.cols != kFeatureCount || features.rows < 0 ||
      features.values.size() != static_cast<size_t>(features.rows) * features.cols) {
    return Error::InvalidArgument(path + ".features: " + std::to_string(features.rows) + " x " +
                                  std::to_string(features.cols) + " with " +
                                  std::to_string(features.values.size()) + " values, expected " +
                                  std::to_string(kFeatureCount) + " columns (the registry)");
  }
  const auto rows = static_cast<size_t>(features.rows);
  if (query.gains.size() != rows) {
    return Error::InvalidArgument(path + ".gains: " + std::to_string(query.gains.size()) +
                                  " values for " + std::to_string(rows) + " rows");
  }
  if (!query.positions.empty() && query.positions.size() != rows) {
    return Error::InvalidArgument(path + ".positions: " + std::to_string(query.positions.size()) +
                                  " values for " + std::to_string(rows) + " rows");
  }
  for (size_t r = 0; r < rows; ++r) {
    const std::string row = "[" + std::to_string(r) + "]";
    if (!std::isfinite(query.gains[r]) || query.gains[r] < 0) {
      return Error::InvalidArgument(path + ".gains" + row + ": must be a finite number >= 0");
    }
    if (!query.positions.empty() && query.positions[r] < 0) {
      return Error::InvalidArgument(path + ".positions" + row + ": must be >= 0");
    }
    for (int c = 0; c < kFeatureCount; ++c) {
      if (!std::isfinite(features.at(static_cast<int>(r), c))) {
        return Error::InvalidArgument(path + ".features" + row + "." + FeatureNames()[c] +
                                      ": must be a finite number");
      }
    }
  }
  return Status::Ok();
}

bool HasGain(const TrainingQuery& query) {
  return std::any_of(query.gains.begin(), query.gains.end(), [](double g) { return g > 0; });
}

int PositionOf(const TrainingQuery& query, int row) {
  return query.positions.empty() ? row : query.positions[row];
}

// NDCG@10 of each query ranked by model (by position when model is null), averaged over the
// queries with any gain.
double MeanNdcg(const Model* model, const std::vector<const TrainingQuery*>& queries) {
  double sum = 0;
  int counted = 0;
  for (const TrainingQuery* query : queries) {
    std::vector<double> keys;
    if (model != nullptr) {
      keys = model->Score(query->features);
      for (double& key : keys)
        key = std::isnan(key) ? -std::numeric_limits<double>::infinity() : key;
    } else {
      for (int r = 0; r < query->features.rows; ++r) keys.push_back(-PositionOf(*query, r));
    }
    std::vector<int> order(keys.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return keys[a] > keys[b]; });
    std::vector<double> gains;
    for (int row : order) gains.push_back(query->gains[row]);
    const double ndcg = NdcgAtK(gains, kNdcgDepth);
    if (ndcg < 0) continue;
    sum += ndcg;
    ++counted;
  }
  return counted == 0 ? -1 : sum / counted;
}

std::vector<const TrainingQuery*> Pointers(const std::vector<TrainingQuery>& queries) {
  std::vector<const TrainingQuery*> pointers;
  for (const TrainingQuery& query : queries) pointers.push_back(&query);
  return pointers;
}

struct Pair {
  int better = 0;
  int worse = 0;
  double weight = 0;
};

std::vector<Pair> JudgedPairs(const TrainingQuery& query, const TrainerOptions& options) {
  std::vector<Pair> pairs;
  const int rows = query.features.rows;
  for (int i = 0; i < rows; ++i) {
    const double propensity_inverse =
        std::min(options.max_inverse_propensity,
                 std::pow(PositionOf(query, i) + 1.0, options.position_bias_eta));
    for (int j = 0; j < rows; ++j) {
      const double delta = query.gains[i] - query.gains[j];
      if (delta > 0) pairs.push_back({i, j, delta * propensity_inverse});
    }
  }
  return pairs;
}

// The data of training: the queries as normalized matrices of the model's features.
struct Prepared {
  std::vector<int> columns;
  Eigen::RowVectorXd mean;
  Eigen::RowVectorXd stddev;
  // Per feature: the training rows leave it (nearly) constant, so nothing can be learned of it.
  std::vector<bool> constant;
  std::vector<Eigen::MatrixXd> x;
  std::vector<std::vector<Pair>> pairs;
  int64_t pair_count = 0;
};

Prepared Prepare(const std::vector<const TrainingQuery*>& train, const std::vector<int>& columns,
                 const TrainerOptions& options) {
  Prepared prepared;
  prepared.columns = columns;
  const auto count = static_cast<Eigen::Index>(columns.size());
  Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(count);
  int64_t rows = 0;
  for (const TrainingQuery* query : train) {
    Eigen::MatrixXd x(query->features.rows, count);
    for (int r = 0; r < query->features.rows; ++r) {
      for (Eigen::Index k = 0; k < count; ++k) x(r, k) = query->features.at(r, columns[k]);
    }
    sum += x.colwise().sum();
    rows += x.rows();
    prepared.x.push_back(std::move(x));
    prepared.pairs.push_back(JudgedPairs(*query, options));
    prepared.pair_count += static_cast<int64_t>(prepared.pairs.back().size());
  }
  const double row_count = static_cast<double>(std::max<int64_t>(rows, 1));
  prepared.mean = sum / row_count;
  Eigen::RowVectorXd square_sum = Eigen::RowVectorXd::Zero(count);
  for (Eigen::MatrixXd& x : prepared.x) {
    x.rowwise() -= prepared.mean;
    square_sum += x.array().square().matrix().colwise().sum();
  }
  prepared.stddev.resize(count);
  prepared.constant.assign(static_cast<size_t>(count), false);
  for (Eigen::Index k = 0; k < count; ++k) {
    const double stddev = std::sqrt(square_sum[k] / row_count);
    prepared.constant[k] = stddev < kMinStd;
    prepared.stddev[k] = prepared.constant[k] ? 1.0 : stddev;
  }
  for (Eigen::MatrixXd& x : prepared.x) x = x.array().rowwise() / prepared.stddev.array();
  return prepared;
}

// The parameters being learned, layer by layer; also used for their gradients and Adam's
// moments.
struct Network {
  std::vector<Eigen::MatrixXd> weights;  // inputs x outputs
  std::vector<Eigen::RowVectorXd> bias;

  Network ZerosLike() const {
    Network zeros;
    for (const Eigen::MatrixXd& w : weights)
      zeros.weights.push_back(Eigen::MatrixXd::Zero(w.rows(), w.cols()));
    for (const Eigen::RowVectorXd& b : bias)
      zeros.bias.push_back(Eigen::RowVectorXd::Zero(b.size()));
    return zeros;
  }
};

// He initialization for the hidden ReLU layers; a linear model starts at zero.
Network InitialNetwork(Eigen::Index inputs, const TrainerOptions& options, Random& random) {
  std::vector<int> widths;
  if (options.kind == ModelKind::kMlp) widths = options.hidden_layers;
  widths.push_back(1);
  Network network;
  for (size_t l = 0; l < widths.size(); ++l) {
    Eigen::MatrixXd w(inputs, widths[l]);
    const bool output = l + 1 == widths.size();
    const double scale =
        options.kind == ModelKind::kLinear ? 0.0 : std::sqrt((output ? 1.0 : 2.0) / inputs);
    for (Eigen::Index o = 0; o < w.cols(); ++o) {
      for (Eigen::Index i = 0; i < w.rows(); ++i) w(i, o) = scale * random.Normal();
    }
    network.weights.push_back(std::move(w));
    network.bias.push_back(Eigen::RowVectorXd::Zero(widths[l]));
    inputs = widths[l];
  }
  return network;
}

double Softplus(double t) { return t > 0 ? t + std::log1p(std::exp(-t)) : std::log1p(std::exp(t)); }

// Adds the gradient of one query's weighted pairwise loss to gradient and returns the loss.
double AddGradient(const Network& network, const Eigen::MatrixXd& x, const std::vector<Pair>& pairs,
                   Network& gradient) {
  const size_t layers = network.weights.size();
  std::vector<Eigen::MatrixXd> inputs(layers);
  Eigen::MatrixXd h = x;
  for (size_t l = 0; l < layers; ++l) {
    inputs[l] = h;
    h = inputs[l] * network.weights[l];
    h.rowwise() += network.bias[l];
    if (l + 1 < layers) h = h.cwiseMax(0.0);
  }
  Eigen::MatrixXd d_score = Eigen::MatrixXd::Zero(x.rows(), 1);
  double loss = 0;
  for (const Pair& pair : pairs) {
    const double margin = h(pair.better, 0) - h(pair.worse, 0);
    loss += pair.weight * Softplus(-margin);
    const double pull = pair.weight / (1.0 + std::exp(margin));
    d_score(pair.better, 0) -= pull;
    d_score(pair.worse, 0) += pull;
  }
  Eigen::MatrixXd d = std::move(d_score);
  for (size_t l = layers; l-- > 0;) {
    gradient.weights[l] += inputs[l].transpose() * d;
    gradient.bias[l] += d.colwise().sum();
    if (l > 0) {
      d = (d * network.weights[l].transpose())
              .cwiseProduct((inputs[l].array() > 0).cast<double>().matrix());
    }
  }
  return loss;
}

class Adam {
 public:
  Adam(const Network& network, double learning_rate)
      : m_(network.ZerosLike()), v_(network.ZerosLike()), learning_rate_(learning_rate) {}

  void Step(Network& network, const Network& gradient) {
    ++t_;
    const double c1 = 1.0 - std::pow(kBeta1, t_);
    const double c2 = 1.0 - std::pow(kBeta2, t_);
    for (size_t l = 0; l < network.weights.size(); ++l) {
      Update(network.weights[l], gradient.weights[l], m_.weights[l], v_.weights[l], c1, c2);
      Update(network.bias[l], gradient.bias[l], m_.bias[l], v_.bias[l], c1, c2);
    }
  }

 private:
  static constexpr double kBeta1 = 0.9;
  static constexpr double kBeta2 = 0.999;
  static constexpr double kEpsilon = 1e-8;

  template <typename M>
  void Update(M& parameter, const M& gradient, M& m, M& v, double c1, double c2) const {
    m = kBeta1 * m + (1 - kBeta1) * gradient;
    v = kBeta2 * v + (1 - kBeta2) * gradient.cwiseProduct(gradient);
    parameter.array() -= learning_rate_ * (m.array() / c1) / ((v.array() / c2).sqrt() + kEpsilon);
  }

  Network m_, v_;
  double learning_rate_;
  int t_ = 0;
};

// One pass over the training queries in a shuffled order; returns the mean loss per unit of
// pair weight.
double RunEpoch(const Prepared& prepared, const TrainerOptions& options, Random& random,
                Network& network, Adam& adam) {
  std::vector<size_t> order(prepared.x.size());
  std::iota(order.begin(), order.end(), 0);
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[random.Below(i)]);
  double loss = 0, total_weight = 0;
  for (size_t start = 0; start < order.size(); start += options.queries_per_step) {
    Network gradient = network.ZerosLike();
    double weight = 0;
    const size_t end = std::min(order.size(), start + options.queries_per_step);
    for (size_t i = start; i < end; ++i) {
      loss += AddGradient(network, prepared.x[order[i]], prepared.pairs[order[i]], gradient);
      for (const Pair& pair : prepared.pairs[order[i]]) weight += pair.weight;
    }
    if (weight == 0) continue;
    total_weight += weight;
    for (size_t l = 0; l < network.weights.size(); ++l) {
      gradient.weights[l] = gradient.weights[l] / weight + options.l2 * network.weights[l];
      gradient.bias[l] /= weight;
    }
    adam.Step(network, gradient);
  }
  return total_weight > 0 ? loss / total_weight : 0;
}

ModelParameters ToParameters(const Network& network, const Prepared& prepared,
                             const TrainerOptions& options) {
  ModelParameters p;
  p.kind = options.kind;
  p.name = options.name;
  for (int column : prepared.columns) p.features.push_back(FeatureNames()[column]);
  p.mean.assign(prepared.mean.data(), prepared.mean.data() + prepared.mean.size());
  p.stddev.assign(prepared.stddev.data(), prepared.stddev.data() + prepared.stddev.size());
  for (size_t l = 0; l < network.weights.size(); ++l) {
    const Eigen::MatrixXd& w = network.weights[l];
    ModelLayer layer;
    for (Eigen::Index i = 0; i < w.rows(); ++i) {
      layer.weights.emplace_back();
      for (Eigen::Index o = 0; o < w.cols(); ++o) layer.weights.back().push_back(w(i, o));
    }
    layer.bias.assign(network.bias[l].data(), network.bias[l].data() + network.bias[l].size());
    p.layers.push_back(std::move(layer));
  }
  return p;
}

std::string TrainedJson(const TrainReport& report, const TrainerOptions& options) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  auto number = [&](const char* key, double value) {
    writer.Key(key);
    writer.Double(value);
  };
  auto integer = [&](const char* key, int64_t value) {
    writer.Key(key);
    writer.Int64(value);
  };
  writer.StartObject();
  writer.Key("loss");
  writer.String("ranknet_pairwise_ipw");
  integer("train_queries", report.train_queries);
  integer("validation_queries", report.validation_queries);
  integer("skipped_queries", report.skipped_queries);
  integer("train_pairs", report.train_pairs);
  integer("validation_from_ms", report.validation_from_ms);
  integer("epochs_run", report.epochs_run);
  integer("best_epoch", report.best_epoch);
  number("train_ndcg10", report.train_ndcg10);
  number("validation_ndcg10", report.validation_ndcg10);
  number("logged_validation_ndcg10", report.logged_validation_ndcg10);
  writer.Key("hidden_layers");
  writer.StartArray();
  if (options.kind == ModelKind::kMlp) {
    for (int width : options.hidden_layers) writer.Int(width);
  }
  writer.EndArray();
  number("learning_rate", options.learning_rate);
  number("l2", options.l2);
  number("position_bias_eta", options.position_bias_eta);
  number("max_inverse_propensity", options.max_inverse_propensity);
  writer.Key("seed");
  writer.Uint64(options.seed);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

struct Split {
  std::vector<const TrainingQuery*> train;
  std::vector<const TrainingQuery*> validation;
};

// Checks every query, leaves out those without a gain and holds out the latest
// validation_share of the rest (ties in input order); fills the report's query counts.
Result<Split> CheckAndSplit(const std::vector<TrainingQuery>& queries,
                            const TrainerOptions& options, TrainReport& report) {
  if (queries.empty()) return Error::InvalidArgument("queries: none given, nothing to learn from");
  std::vector<const TrainingQuery*> usable;
  for (size_t i = 0; i < queries.size(); ++i) {
    if (Status valid = CheckQuery(queries[i], i); !valid.ok()) return valid.error();
    if (HasGain(queries[i])) {
      usable.push_back(&queries[i]);
    } else {
      ++report.skipped_queries;
    }
  }
  if (usable.empty()) {
    return Error::InvalidArgument("queries: none of the " + std::to_string(queries.size()) +
                                  " has a gain > 0, nothing to learn from");
  }
  std::stable_sort(usable.begin(), usable.end(),
                   [](const TrainingQuery* a, const TrainingQuery* b) {
                     return a->timestamp_ms < b->timestamp_ms;
                   });
  const auto n = static_cast<int64_t>(usable.size());
  int64_t held_out = std::llround(options.validation_share * static_cast<double>(n));
  // Any share > 0 validates on at least one query, but never on all of them.
  if (options.validation_share > 0) held_out = std::max<int64_t>(held_out, 1);
  held_out = std::min<int64_t>(held_out, n - 1);
  Split split;
  split.train.assign(usable.begin(), usable.end() - held_out);
  split.validation.assign(usable.end() - held_out, usable.end());
  report.train_queries = static_cast<int>(split.train.size());
  report.validation_queries = static_cast<int>(split.validation.size());
  report.validation_from_ms = split.validation.empty() ? 0 : split.validation.front()->timestamp_ms;
  for (const TrainingQuery* query : split.validation) {
    report.validation_pairs += static_cast<int64_t>(JudgedPairs(*query, options).size());
  }
  return split;
}

// The registry columns the model reads.
std::vector<int> ModelColumns(const TrainerOptions& options) {
  std::vector<int> columns;
  for (const std::string& name : options.features) columns.push_back(FeatureIndex(name));
  if (columns.empty()) {
    columns.resize(kFeatureCount);
    std::iota(columns.begin(), columns.end(), 0);
  }
  return columns;
}

// Runs epochs until max_epochs or `patience` epochs without a better validation NDCG@10
// (every epoch counts as better without validation); returns the best epoch's network and
// fills the report's epoch counts.
Result<Network> Fit(const Prepared& prepared, const std::vector<const TrainingQuery*>& validation,
                    const TrainerOptions& options,
                    const std::function<void(std::string_view)>& progress, TrainReport& report) {
  Random random(options.seed);
  Network network =
      InitialNetwork(static_cast<Eigen::Index>(prepared.columns.size()), options, random);
  // Training never moves the weights of a constant feature (its normalized value is always 0):
  // start them at 0, or a value seen only when serving would meet random weights.
  for (size_t k = 0; k < prepared.constant.size(); ++k) {
    if (prepared.constant[k]) network.weights[0].row(static_cast<Eigen::Index>(k)).setZero();
  }
  Adam adam(network, options.learning_rate);
  Network best = network;
  double best_ndcg = -std::numeric_limits<double>::infinity();
  for (int epoch = 1; epoch <= options.max_epochs; ++epoch) {
    const double loss = RunEpoch(prepared, options, random, network, adam);
    report.epochs_run = epoch;
    Result<std::shared_ptr<const Model>> model =
        Model::Create(ToParameters(network, prepared, options));
    if (!model.ok()) {
      return Error::InvalidArgument("learning_rate: training diverged at epoch " +
                                    std::to_string(epoch) + " (" + model.error().message + ")");
    }
    const double ndcg = MeanNdcg(model->get(), validation);
    if (progress) {
      char line[128];
      std::snprintf(line, sizeof(line), "epoch %d: loss %.4f, validation ndcg@10 %.4f", epoch, loss,
                    ndcg);
      progress(line);
    }
    if (validation.empty() || ndcg > best_ndcg) {
      best_ndcg = ndcg;
      best = network;
      report.best_epoch = epoch;
    } else if (epoch - report.best_epoch >= options.patience) {
      break;
    }
  }
  return best;
}

}  // namespace

Status ValidateTrainerOptions(const TrainerOptions& options) {
  if (options.kind == ModelKind::kMlp) {
    const size_t depth = options.hidden_layers.size();
    if (depth < 1 || depth > 2) {
      return Error::InvalidArgument("hidden_layers: an mlp has 1 or 2 hidden layers, not " +
                                    std::to_string(depth));
    }
    for (size_t i = 0; i < depth; ++i) {
      if (options.hidden_layers[i] < 1 || options.hidden_layers[i] > kMaxHiddenWidth) {
        return Error::InvalidArgument("hidden_layers[" + std::to_string(i) + "]: must be in 1.." +
                                      std::to_string(kMaxHiddenWidth));
      }
    }
  }
  for (Status status :
       {CheckFeatureNames(options.features),
        CheckAtLeast("learning_rate", options.learning_rate, 0, Bound::kExclusive),
        CheckAtLeast("l2", options.l2, 0, Bound::kInclusive),
        CheckAtLeast("queries_per_step", options.queries_per_step, 1, Bound::kInclusive),
        CheckAtLeast("max_epochs", options.max_epochs, 1, Bound::kInclusive),
        CheckAtLeast("patience", options.patience, 1, Bound::kInclusive),
        CheckAtLeast("validation_share", options.validation_share, 0, Bound::kInclusive),
        CheckAtLeast("position_bias_eta", options.position_bias_eta, 0, Bound::kInclusive),
        CheckAtLeast("max_inverse_propensity", options.max_inverse_propensity, 1,
                     Bound::kInclusive)}) {
    if (!status.ok()) return status;
  }
  if (!(options.validation_share < 1)) {
    return Error::InvalidArgument("validation_share: must be < 1");
  }
  return Status::Ok();
}

double MeanNdcgAt10(const Model& model, const std::vector<TrainingQuery>& queries) {
  return MeanNdcg(&model, Pointers(queries));
}

double MeanLoggedNdcgAt10(const std::vector<TrainingQuery>& queries) {
  return MeanNdcg(nullptr, Pointers(queries));
}

Result<TrainReport> Train(const std::vector<TrainingQuery>& queries, const TrainerOptions& options,
                          const std::function<void(std::string_view)>& progress) {
  if (Status valid = ValidateTrainerOptions(options); !valid.ok()) return valid.error();
  TrainReport report;
  Result<Split> split = CheckAndSplit(queries, options, report);
  if (!split.ok()) return split.error();
  const std::vector<const TrainingQuery*>& train = split->train;
  const std::vector<const TrainingQuery*>& validation = split->validation;

  const Prepared prepared = Prepare(train, ModelColumns(options), options);
  report.train_pairs = prepared.pair_count;
  if (prepared.pair_count == 0) {
    return Error::InvalidArgument(
        "queries: no training query has two rows with different gains, nothing to learn from");
  }
  report.logged_validation_ndcg10 = MeanNdcg(nullptr, validation);
  Result<Network> best = Fit(prepared, validation, options, progress, report);
  if (!best.ok()) return best.error();

  ModelParameters parameters = ToParameters(*best, prepared, options);
  Result<std::shared_ptr<const Model>> scored = Model::Create(parameters);
  if (!scored.ok()) return scored.error();
  report.train_ndcg10 = MeanNdcg(scored->get(), train);
  report.validation_ndcg10 = MeanNdcg(scored->get(), validation);
  parameters.trained_json = TrainedJson(report, options);
  Result<std::shared_ptr<const Model>> model = Model::Create(std::move(parameters));
  if (!model.ok()) return model.error();
  report.model = std::move(*model);
  return report;
}

}  // namespace tailor::ranking
