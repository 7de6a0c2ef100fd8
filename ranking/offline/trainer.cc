#include "ranking/offline/trainer.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <utility>

#include "ranking/offline/internal/ranknet.h"
#include "ranking/offline/metrics.h"

namespace tailor::ranking {
namespace {

constexpr int kNdcgDepth = 10;
constexpr int kMaxHiddenWidth = 1024;

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
  if (!std::isfinite(query.weight) || query.weight <= 0) {
    return Error::InvalidArgument(path + ".weight: must be a finite number > 0");
  }
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

}  // namespace

std::vector<bool> UsableRows(const TrainingQuery& query, Negatives negatives) {
  const int rows = query.features.rows;
  std::vector<bool> usable(static_cast<size_t>(rows), true);
  if (negatives == Negatives::kAllShown || !query.position_bias) return usable;
  int lowest = -1;
  for (int r = 0; r < rows; ++r) {
    if (query.gains[r] > 0) lowest = std::max(lowest, PositionOf(query, r));
  }
  if (lowest < 0) return usable;
  for (int r = 0; r < rows; ++r) usable[r] = PositionOf(query, r) <= lowest + 1;
  return usable;
}

namespace {

// The rows of query best first: by the model's score (ties in row order, NaN last), or by
// position when model is null.
std::vector<int> RankedRows(const Model* model, const TrainingQuery& query) {
  std::vector<double> keys;
  if (model != nullptr) {
    keys = model->Score(query.features);
    for (double& key : keys) {
      if (std::isnan(key)) key = -std::numeric_limits<double>::infinity();
    }
  } else {
    for (int r = 0; r < query.features.rows; ++r) keys.push_back(-PositionOf(query, r));
  }
  std::vector<int> order(keys.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return keys[a] > keys[b]; });
  return order;
}

struct Figures {
  double ndcg10 = -1;
  double debiased_ndcg10 = -1;
};

// Plain and debiased NDCG@10 of each query ranked by model (by position when model is null),
// averaged over the queries with any gain, each counting its TrainingQuery::weight.
Figures MeanFigures(const Model* model, const std::vector<const TrainingQuery*>& queries,
                    const TrainerOptions& options) {
  double plain = 0, debiased = 0, counted = 0;
  for (const TrainingQuery* query : queries) {
    std::vector<double> gains, inverse_propensities;
    const std::vector<bool> usable = UsableRows(*query, options.negatives);
    for (int row : RankedRows(model, *query)) {
      if (!usable[row]) continue;
      gains.push_back(query->gains[row]);
      inverse_propensities.push_back(query->position_bias
                                         ? InversePropensity(PositionOf(*query, row),
                                                             options.position_bias_eta,
                                                             options.max_inverse_propensity)
                                         : 1.0);
    }
    const double ndcg = NdcgAtK(gains, kNdcgDepth);
    if (ndcg < 0) continue;
    plain += query->weight * ndcg;
    debiased += query->weight * DebiasedNdcgAtK(gains, inverse_propensities, kNdcgDepth);
    counted += query->weight;
  }
  if (counted == 0) return {};
  return {plain / counted, debiased / counted};
}

std::vector<const TrainingQuery*> Pointers(const std::vector<TrainingQuery>& queries) {
  std::vector<const TrainingQuery*> pointers;
  for (const TrainingQuery& query : queries) pointers.push_back(&query);
  return pointers;
}

struct Split {
  std::vector<const TrainingQuery*> train;
  std::vector<const TrainingQuery*> validation;
};

// One source's usable queries: its latest validation_share go to validation (at least one
// for a share > 0, never all of them), the rest to training.
void SplitSource(std::vector<const TrainingQuery*> usable, const TrainerOptions& options,
                 Split& split, ValidationSource& source) {
  std::stable_sort(usable.begin(), usable.end(),
                   [](const TrainingQuery* a, const TrainingQuery* b) {
                     return a->timestamp_ms < b->timestamp_ms;
                   });
  const auto n = static_cast<int64_t>(usable.size());
  int64_t held_out = std::llround(options.validation_share * static_cast<double>(n));
  if (options.validation_share > 0) held_out = std::max<int64_t>(held_out, 1);
  held_out = std::max<int64_t>(0, std::min<int64_t>(held_out, n - 1));
  split.train.insert(split.train.end(), usable.begin(), usable.end() - held_out);
  split.validation.insert(split.validation.end(), usable.end() - held_out, usable.end());
  source.train_queries = static_cast<int>(n - held_out);
  source.validation_queries = static_cast<int>(held_out);
  source.validation_from_ms = held_out > 0 ? (*(usable.end() - held_out))->timestamp_ms : 0;
}

// Checks every query, leaves out those without a gain and splits each source on its own
// clock; fills the report's sources and query counts.
Result<Split> CheckAndSplit(const std::vector<TrainingQuery>& queries,
                            const TrainerOptions& options, TrainReport& report) {
  if (queries.empty()) return Error::InvalidArgument("queries: none given, nothing to learn from");
  std::vector<std::vector<const TrainingQuery*>> usable;
  for (size_t i = 0; i < queries.size(); ++i) {
    if (Status valid = CheckQuery(queries[i], i); !valid.ok()) return valid.error();
    auto it = std::find_if(report.sources.begin(), report.sources.end(),
                           [&](const ValidationSource& s) { return s.name == queries[i].source; });
    if (it == report.sources.end()) {
      report.sources.push_back({queries[i].source, true, 0, 0, 0, 0});
      usable.emplace_back();
      it = report.sources.end() - 1;
    }
    it->replay = it->replay && !queries[i].position_bias;
    if (HasGain(queries[i])) {
      usable[it - report.sources.begin()].push_back(&queries[i]);
    } else {
      ++it->skipped_queries;
    }
  }
  Split split;
  for (size_t s = 0; s < usable.size(); ++s) {
    SplitSource(usable[s], options, split, report.sources[s]);
    report.skipped_queries += report.sources[s].skipped_queries;
    if (report.sources[s].validation_queries > 0 &&
        (report.validation_from_ms == 0 ||
         report.sources[s].validation_from_ms < report.validation_from_ms)) {
      report.validation_from_ms = report.sources[s].validation_from_ms;
    }
  }
  if (split.train.empty()) {
    return Error::InvalidArgument("queries: none of the " + std::to_string(queries.size()) +
                                  " has a gain > 0, nothing to learn from");
  }
  report.train_queries = static_cast<int>(split.train.size());
  report.validation_queries = static_cast<int>(split.validation.size());
  for (const TrainingQuery* query : split.validation) {
    report.validation_pairs += static_cast<int64_t>(internal::JudgedPairs(*query, options).size());
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

// One training run per seed; the parameters of the run whose best epoch has the best
// validation debiased NDCG@10 (the first on ties; only the first seed without validation).
// Fills the report's seeds and the kept run's epochs.
Result<ModelParameters> TrainSeeds(const internal::Prepared& prepared,
                                   const std::vector<const TrainingQuery*>& validation,
                                   const TrainerOptions& options,
                                   const std::function<void(std::string_view)>& progress,
                                   TrainReport& report) {
  std::function<internal::EpochValidation(const Model&)> validate;
  if (!validation.empty()) {
    validate = [&](const Model& model) {
      const Figures figures = MeanFigures(&model, validation, options);
      return internal::EpochValidation{figures.debiased_ndcg10, figures.ndcg10};
    };
  }
  const int runs = validation.empty() ? 1 : options.seeds;
  ModelParameters kept;
  for (int run = 0; run < runs; ++run) {
    const uint64_t seed = options.seed + static_cast<uint64_t>(run);
    Result<internal::Fitted> fitted = internal::Fit(prepared, options, seed, validate, progress);
    if (!fitted.ok()) return fitted.error();
    Result<std::shared_ptr<const Model>> model = Model::Create(fitted->parameters);
    if (!model.ok()) return model.error();
    const Figures figures = MeanFigures(model->get(), validation, options);
    report.seeds.push_back({seed, figures.debiased_ndcg10, figures.ndcg10, fitted->best_epoch});
    if (run == 0 || figures.debiased_ndcg10 > report.validation_debiased_ndcg10) {
      report.validation_debiased_ndcg10 = figures.debiased_ndcg10;
      report.seed = seed;
      report.best_epoch = fitted->best_epoch;
      report.epochs_run = fitted->epochs_run;
      kept = std::move(fitted->parameters);
    }
  }
  return kept;
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
  writer.Uint64(report.seed);
  integer("seeds", options.seeds);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// The model file's "validation" object; nullopt without validation queries.
std::optional<ValidationFigures> FiguresOf(const TrainReport& report,
                                           const TrainerOptions& options) {
  if (report.validation_queries == 0) return std::nullopt;
  ValidationFigures figures;
  figures.debiased_ndcg10 = report.validation_debiased_ndcg10;
  figures.ndcg10 = report.validation_ndcg10;
  figures.logged_debiased_ndcg10 = report.logged_validation_debiased_ndcg10;
  figures.logged_ndcg10 = report.logged_validation_ndcg10;
  figures.queries = report.validation_queries;
  figures.pairs = report.validation_pairs;
  figures.best_epoch = report.best_epoch;
  figures.seed = report.seed;
  figures.position_bias_eta = options.position_bias_eta;
  figures.validation_from_ms = report.validation_from_ms;
  figures.seeds = report.seeds;
  figures.sources = report.sources;
  return figures;
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
        CheckAtLeast("seeds", options.seeds, 1, Bound::kInclusive),
        CheckAtLeast("validation_share", options.validation_share, 0, Bound::kInclusive),
        CheckAtLeast("position_bias_eta", options.position_bias_eta, 0, Bound::kInclusive),
        CheckAtLeast("max_inverse_propensity", options.max_inverse_propensity, 1,
                     Bound::kInclusive)}) {
    if (!status.ok()) return status;
  }
  if (options.seeds > kMaxSeeds) {
    return Error::InvalidArgument("seeds: must be at most " + std::to_string(kMaxSeeds));
  }
  if (!(options.validation_share < 1)) {
    return Error::InvalidArgument("validation_share: must be < 1");
  }
  return Status::Ok();
}

double MeanNdcgAt10(const Model& model, const std::vector<TrainingQuery>& queries) {
  return MeanFigures(&model, Pointers(queries), TrainerOptions{}).ndcg10;
}

double MeanLoggedNdcgAt10(const std::vector<TrainingQuery>& queries) {
  return MeanFigures(nullptr, Pointers(queries), TrainerOptions{}).ndcg10;
}

double MeanDebiasedNdcgAt10(const Model& model, const std::vector<TrainingQuery>& queries,
                            const TrainerOptions& options) {
  return MeanFigures(&model, Pointers(queries), options).debiased_ndcg10;
}

double MeanLoggedDebiasedNdcgAt10(const std::vector<TrainingQuery>& queries,
                                  const TrainerOptions& options) {
  return MeanFigures(nullptr, Pointers(queries), options).debiased_ndcg10;
}

Result<TrainReport> Train(const std::vector<TrainingQuery>& queries, const TrainerOptions& options,
                          const std::function<void(std::string_view)>& progress) {
  if (Status valid = ValidateTrainerOptions(options); !valid.ok()) return valid.error();
  TrainReport report;
  Result<Split> split = CheckAndSplit(queries, options, report);
  if (!split.ok()) return split.error();
  const internal::Prepared prepared =
      internal::Prepare(split->train, ModelColumns(options), options);
  report.train_pairs = prepared.pair_count;
  if (prepared.pair_count == 0) {
    return Error::InvalidArgument(
        "queries: no training query has two rows with different gains, nothing to learn from");
  }
  const Figures logged = MeanFigures(nullptr, split->validation, options);
  report.logged_validation_ndcg10 = logged.ndcg10;
  report.logged_validation_debiased_ndcg10 = logged.debiased_ndcg10;
  Result<ModelParameters> parameters =
      TrainSeeds(prepared, split->validation, options, progress, report);
  if (!parameters.ok()) return parameters.error();

  Result<std::shared_ptr<const Model>> scored = Model::Create(*parameters);
  if (!scored.ok()) return scored.error();
  report.train_ndcg10 = MeanFigures(scored->get(), split->train, options).ndcg10;
  const Figures validation = MeanFigures(scored->get(), split->validation, options);
  report.validation_ndcg10 = validation.ndcg10;
  report.validation_debiased_ndcg10 = validation.debiased_ndcg10;
  for (const ValidationSource& source : report.sources) {
    std::vector<const TrainingQuery*> own;
    for (const TrainingQuery* query : split->validation) {
      if (query->source == source.name) own.push_back(query);
    }
    report.source_figures.push_back(
        {own.empty() ? -1 : MeanFigures(scored->get(), own, options).debiased_ndcg10,
         own.empty() ? -1 : MeanFigures(nullptr, own, options).debiased_ndcg10});
  }
  parameters->trained_json = TrainedJson(report, options);
  parameters->validation = FiguresOf(report, options);
  Result<std::shared_ptr<const Model>> model = Model::Create(std::move(*parameters));
  if (!model.ok()) return model.error();
  report.model = std::move(*model);
  return report;
}

}  // namespace tailor::ranking
