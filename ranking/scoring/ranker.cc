#include "ranking/scoring/ranker.h"

#include <algorithm>
#include <random>
#include <tuple>
#include <utility>

namespace tailor::ranking {

Scoring::Scoring(ScoringConfig config, std::map<std::string, std::shared_ptr<const Model>> models,
                 std::map<std::string, std::shared_ptr<const Model>> first_phase_models)
    : config_(std::move(config)),
      models_(std::move(models)),
      first_phase_models_(std::move(first_phase_models)),
      cache_(config_.variants().size()) {}

std::shared_ptr<const Scoring> Scoring::WithModels(
    ScoringConfig config, std::map<std::string, std::shared_ptr<const Model>> models,
    std::map<std::string, std::shared_ptr<const Model>> first_phase_models) {
  return std::make_shared<const Scoring>(std::move(config), std::move(models),
                                         std::move(first_phase_models));
}

Result<std::shared_ptr<const Scoring>> Scoring::FromConfig(ScoringConfig config) {
  std::map<std::string, std::shared_ptr<const Model>> models;
  std::map<std::string, std::shared_ptr<const Model>> first_phase_models;
  for (const VariantConfig& variant : config.variants()) {
    for (auto [path, key, into] :
         {std::tuple{&variant.model_path, ".model", &models},
          std::tuple{&variant.first_phase_model_path, ".first_phase_model", &first_phase_models}}) {
      if (path->empty()) continue;
      Result<std::shared_ptr<const Model>> model = Model::Load(*path);
      if (!model.ok()) {
        return model.error().WithPrefix(config.origin() + ": variants." + variant.name + key);
      }
      into->emplace(variant.name, std::move(*model));
    }
  }
  return WithModels(std::move(config), std::move(models), std::move(first_phase_models));
}

Result<std::shared_ptr<const Scoring>> Scoring::Load(const std::string& config_path) {
  Result<ScoringConfig> config = LoadScoringConfig(config_path);
  if (!config.ok()) return config.error();
  return FromConfig(std::move(*config));
}

const Model* Scoring::ModelOf(const VariantConfig& variant) const {
  auto it = models_.find(variant.name);
  return it == models_.end() ? nullptr : it->second.get();
}

const Model* Scoring::FirstPhaseOf(const VariantConfig& variant) const {
  auto it = first_phase_models_.find(variant.name);
  return it == first_phase_models_.end() ? nullptr : it->second.get();
}

std::shared_ptr<const CompiledRules> Scoring::RulesFor(const VariantConfig& variant,
                                                       const ItemTable& items) const {
  const size_t slot = static_cast<size_t>(&variant - config_.variants().data());
  std::shared_ptr<const CacheEntry> entry = cache_[slot].load(std::memory_order_acquire);
  if (entry != nullptr && entry->table == &items && entry->revision == items.revision()) {
    return entry->rules;
  }
  // Two requests may compile at once after a swap; both results are equal, one is kept.
  auto fresh = std::make_shared<CacheEntry>();
  fresh->table = &items;
  fresh->revision = items.revision();
  fresh->rules = std::make_shared<const CompiledRules>(Compile(variant, items));
  cache_[slot].store(fresh, std::memory_order_release);
  return fresh->rules;
}

namespace {

// The fit the size_in and size_out features recorded (FitOf's, without computing it again).
SizeFit FitInRow(const FeatureMatrix& features, int row) {
  if (features.at(row, kSizeIn) != 0) return SizeFit::kInSize;
  if (features.at(row, kSizeOut) != 0) return SizeFit::kOutOfSize;
  return SizeFit::kUnknown;
}

void Explore(const VariantConfig& variant, uint64_t seed, BusinessOutcome& outcome) {
  std::vector<size_t>& order = outcome.order;
  const auto end = order.begin() + std::min<size_t>(order.size(), variant.explore_top);
  std::mt19937_64 random(seed);
  // Fisher-Yates with our own draws: the same seed shuffles the same way on any library.
  for (auto it = end; it - order.begin() > 1; --it) {
    const size_t n = static_cast<size_t>(it - order.begin());
    std::swap(order[n - 1], order[random() % n]);
  }
  if (variant.guardrails.size_guard) {
    std::stable_partition(order.begin(), end,
                          [&](size_t i) { return outcome.candidates[i].fits; });
  }
}

}  // namespace

Ranked Rank(const Scoring& scoring, const VariantConfig& variant, const RankInput& input) {
  Ranked ranked;
  PreparedProfile profile(input.profile, *input.items,
                          FeatureOptions{.min_size_share = variant.min_size_share});
  ranked.features = ComputeFeatures(profile, input.query, input.candidates);
  ranked.model = input.apply_model ? scoring.ModelOf(variant) : nullptr;
  if (ranked.model != nullptr) ranked.model_scores = ranked.model->Score(ranked.features);
  ranked.fits.reserve(input.candidates.size());
  for (int row = 0; row < ranked.features.rows; ++row) {
    ranked.fits.push_back(FitInRow(ranked.features, row));
  }
  std::shared_ptr<const CompiledRules> rules = scoring.RulesFor(variant, *input.items);
  ranked.business = Apply(*rules, *input.items, input.candidates, ranked.model_scores,
                          ranked.fits, input.query, input.now_ms);
  if (variant.explore_top > 0) Explore(variant, input.seed, ranked.business);
  return ranked;
}

}  // namespace tailor::ranking
