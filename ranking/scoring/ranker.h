// The learned scoring layer put together: a loaded scoring config (its variants' models)
// and the one function that ranks a batch of candidates with it.
//
// Rank() computes the candidates' features once (ranking/scoring/features.h), scores them with the
// variant's model in one batched evaluation (ranking/scoring/model.h; a variant without a model
// scores 0 so the text order decides), and applies the variant's business blend and
// guardrails (ranking/scoring/business_rules.h). The features, scores and business outcome it
// returns are what the engine serves, explains and logs: nothing is computed twice.
// Live search, /rerank, tailor-ranker eval and the tests all rank through it.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/item_table.h"
#include "core/result.h"
#include "ranking/scoring/business_rules.h"
#include "ranking/scoring/features.h"
#include "ranking/scoring/model.h"
#include "ranking/profiles/profile.h"
#include "ranking/scoring/scoring_config.h"

namespace tailor::ranking {

// One scoring config with the models of its variants loaded. Immutable once built (the
// compiled-rules cache is internally synchronized without a lock), so any number of
// threads share it; a reload builds a new one and swaps a std::shared_ptr.
class Scoring {
 public:
  // Reads the config file and every model it names. Errors: those of LoadScoringConfig,
  // and of Model::Load prefixed "PATH: variants.NAME.model: " or
  // "PATH: variants.NAME.first_phase_model: " (a model whose features the registry lacks is
  // refused here, so a bad model never starts serving).
  static Result<std::shared_ptr<const Scoring>> Load(const std::string& config_path);
  // The same for a config already parsed.
  static Result<std::shared_ptr<const Scoring>> FromConfig(ScoringConfig config);
  // The same with the models given (variant name -> model; variants not in the map have
  // none), for tools and tests that hold models in memory.
  static std::shared_ptr<const Scoring> WithModels(
      ScoringConfig config, std::map<std::string, std::shared_ptr<const Model>> models,
      std::map<std::string, std::shared_ptr<const Model>> first_phase_models = {});

  const ScoringConfig& config() const { return config_; }
  // The variant's model, null when it has none.
  const Model* ModelOf(const VariantConfig& variant) const;
  // The variant's first-phase model (VariantConfig::first_phase_model_path), null when none.
  const Model* FirstPhaseOf(const VariantConfig& variant) const;
  // The variant's rules compiled against items; cached per (variant, table revision).
  std::shared_ptr<const CompiledRules> RulesFor(const VariantConfig& variant,
                                                const ItemTable& items) const;

  Scoring(ScoringConfig config, std::map<std::string, std::shared_ptr<const Model>> models,
          std::map<std::string, std::shared_ptr<const Model>> first_phase_models = {});

 private:
  struct CacheEntry {
    const ItemTable* table = nullptr;
    uint64_t revision = 0;
    std::shared_ptr<const CompiledRules> rules;
  };
  ScoringConfig config_;
  std::map<std::string, std::shared_ptr<const Model>> models_;
  std::map<std::string, std::shared_ptr<const Model>> first_phase_models_;
  // One slot per variant, in config order.
  mutable std::vector<std::atomic<std::shared_ptr<const CacheEntry>>> cache_;
};

struct RankInput {
  const ItemTable* items = nullptr;        // required; the candidates' table
  std::span<const Candidate> candidates;   // in text order
  const ProfileView* profile = nullptr;    // null: non-personalized features
  std::string_view query;                  // as typed ("" for /rerank)
  int64_t now_ms = 0;                      // request time, for rule windows
  uint64_t seed = 0;                       // per request, for VariantConfig::explore_top
  // false: skip the model (every model score 0, the text order decides), e.g. for a visitor
  // without a profile, whose ranking is non-personalized but still gets business rules.
  bool apply_model = true;
};

struct Ranked {
  FeatureMatrix features;            // one row per candidate, in the order given
  std::vector<double> model_scores;  // per candidate; empty when the variant has no model
  std::vector<SizeFit> fits;         // per candidate
  BusinessOutcome business;          // the order and each candidate's final score
  const Model* model = nullptr;      // the model used (owned by the Scoring), or null
};

// Ranks input.candidates for one variant of scoring (with VariantConfig::explore_top, the
// top of business.order is then shuffled with input.seed). Requires: input.items holds every
// candidate's row; variant belongs to scoring's config. Thread-safe. Cost: features and
// rules linear in the candidates, one batched model evaluation, one sort.
Ranked Rank(const Scoring& scoring, const VariantConfig& variant, const RankInput& input);

}  // namespace tailor::ranking
