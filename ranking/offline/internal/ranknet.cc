#include "ranking/offline/internal/ranknet.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <numeric>
#include <random>
#include <utility>

#include "ranking/offline/metrics.h"

namespace tailor::ranking::internal {
namespace {

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

// The network as it starts: random for an MLP, zero for a linear model, and zero weights for
// constant features.
Network StartingNetwork(const Prepared& prepared, const TrainerOptions& options, Random& random) {
  Network network =
      InitialNetwork(static_cast<Eigen::Index>(prepared.columns.size()), options, random);
  // Training never moves the weights of a constant feature (its normalized value is always 0):
  // start them at 0, or a value seen only when serving would meet random weights.
  for (size_t k = 0; k < prepared.constant.size(); ++k) {
    if (prepared.constant[k]) network.weights[0].row(static_cast<Eigen::Index>(k)).setZero();
  }
  return network;
}

}  // namespace

std::vector<Pair> JudgedPairs(const TrainingQuery& query, const TrainerOptions& options) {
  std::vector<Pair> pairs;
  const int rows = query.features.rows;
  const std::vector<bool> usable = UsableRows(query, options.negatives);
  for (int i = 0; i < rows; ++i) {
    if (!usable[i]) continue;
    const int position = query.positions.empty() ? i : query.positions[i];
    const double propensity_inverse =
        query.weight * (query.position_bias ? InversePropensity(position, options.position_bias_eta,
                                                                options.max_inverse_propensity)
                                            : 1.0);
    for (int j = 0; j < rows; ++j) {
      if (!usable[j]) continue;
      const double delta = query.gains[i] - query.gains[j];
      if (delta > 0) pairs.push_back({i, j, delta * propensity_inverse});
    }
  }
  return pairs;
}

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

Result<Fitted> Fit(const Prepared& prepared, const TrainerOptions& options, uint64_t seed,
                   const std::function<EpochValidation(const Model&)>& validate,
                   const std::function<void(std::string_view)>& progress) {
  Random random(seed);
  Network network = StartingNetwork(prepared, options, random);
  Adam adam(network, options.learning_rate);
  Fitted fitted;
  double best = -std::numeric_limits<double>::infinity();
  for (int epoch = 1; epoch <= options.max_epochs; ++epoch) {
    const double loss = RunEpoch(prepared, options, random, network, adam);
    fitted.epochs_run = epoch;
    ModelParameters parameters = ToParameters(network, prepared, options);
    Result<std::shared_ptr<const Model>> model = Model::Create(parameters);
    if (!model.ok()) {
      return Error::InvalidArgument("learning_rate: training diverged at epoch " +
                                    std::to_string(epoch) + " (" + model.error().message + ")");
    }
    const EpochValidation figures = validate ? validate(**model) : EpochValidation{};
    if (progress) {
      char line[160];
      std::snprintf(line, sizeof(line),
                    "seed %llu, epoch %d: loss %.4f, validation debiased ndcg@10 %.4f, "
                    "ndcg@10 %.4f",
                    static_cast<unsigned long long>(seed), epoch, loss, figures.debiased_ndcg10,
                    figures.ndcg10);
      progress(line);
    }
    if (!validate || figures.debiased_ndcg10 > best) {
      best = figures.debiased_ndcg10;
      fitted.parameters = std::move(parameters);
      fitted.best_epoch = epoch;
    } else if (epoch - fitted.best_epoch >= options.patience) {
      break;
    }
  }
  return fitted;
}

}  // namespace tailor::ranking::internal
