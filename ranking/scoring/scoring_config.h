// Scoring configs: which ranking variants exist, how traffic is split among them, and the
// business rules and guardrails each variant applies after its model (DESIGN.md, "Ranking").
//
// A scoring config file (config/scoring.json is the documented default) is JSON:
//
//   {
//     "default_variant": "default",            // optional, "default" when absent
//     "variants": {                            // required, at least one
//       "default": {
//         "candidate_depth": 200,              // text candidates reranked, in [1, 1000]
//         "personal_depth": 100,               // in [0, 1000]: candidates the visitor
//                                              // likes added to them (VariantConfig)
//         "personal_scan_depth": 1000,         // in [1, 1000]: how deep in the text
//                                              // order they are looked for
//         "first_phase_model": "models/first_phase.json",  // optional: what picks them
//                                              // (VariantConfig::first_phase_model_path)
//         "model": "models/default.json",      // relative to the config file's directory;
//                                              // null or absent: no model (text order)
//         "min_size_share": 0.25,              // in [0, 1], see FeatureOptions
//         "explore_top": 0,                    // in [0, 1000]: shuffle the top N (see
//                                              // VariantConfig::explore_top)
//         "repurchase_categories": ["Beverages"],  // category paths whose items are bought
//                                              // again: recommendations keep them after a
//                                              // purchase (absent: none)
//         "business": {
//           "margin_weight": 0.0,              // in [0, 100]: score += weight * margin
//           "rules": [                         // applied by ranking/scoring/business_rules.h
//             {"name": "puma-week",            // optional, unique; else "rule[i]"
//              "action": "boost",              // boost | bury | pin
//              "weight": 0.5,                  // boost only (required): in (0, 1000]
//              "position": 0,                  // pin only (required): in [0, 99]
//              "match": {"brand": "Puma"},     // required, see below
//              "queries": ["parka"],           // optional: only for these queries
//              "from": "2026-11-27T00:00:00Z", // optional: ISO 8601 or epoch ms,
//              "until": 1796083200000}         //   active in [from, until)
//           ]
//         },
//         "guardrails": {"max_boosted_in_top10": 3,   // in [0, 10]
//                        "size_guard": true}
//       },
//       "text": {"model": null}
//     },
//     "split": [{"variant": "default", "share": 0.9},  // optional: absent sends every
//               {"variant": "text", "share": 0.1}]     // visitor to default_variant
//   }
//
// A variant's absent keys take the defaults of VariantConfig below (not the values of
// another variant). A rule's match holds any of "ids" (array of product ids), "brand"
// (string) and "category" ("Women/Shoes", a category path prefix, or the same as an array of
// levels ["Women", "Shoes"]); with several keys all must hold; an empty match is refused.
// Brands, category levels and queries compare NormalizeKeyword()ed (core/text.h). The split
// shares are each in (0, 1] and sum to 1 (within 1e-6); each variant appears at most once.
//
// Every error is invalid_argument, prefixed with the origin (file name) and naming the JSON
// path: "scoring.json: variants.default.business.rules[2].action: unknown \"boots\" (boost,
// bury, pin)", "scoring.json: split: shares sum to 0.8, must be 1". Unknown keys are refused.
//
// The parser does not load models: it resolves each model path to an absolute one and leaves
// loading to its caller. A ScoringConfig is immutable; a reload parses a new one and swaps a
// std::shared_ptr<const ScoringConfig>, so any number of threads may read it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tailor::ranking {

enum class RuleAction {
  kBoost,  // add the rule's weight to the score
  kBury,   // send the item below every non-buried candidate of its tier
  kPin,    // place the item at the rule's position when it is a candidate
};
// "boost", "bury", "pin".
const char* RuleActionName(RuleAction action);

// What a rule applies to. Every non-empty field must hold (AND); at least one is set.
struct RuleMatch {
  std::vector<std::string> ids;  // product ids as given; the item is one of them
  std::string brand;             // normalized brand key ("puma")
  std::string category;          // normalized category path key ("women/shoes"), a prefix
};

struct BusinessRule {
  std::string name;  // as given; empty when the rule has none
  RuleAction action = RuleAction::kBoost;
  double weight = 0;  // kBoost: > 0, added to the score; else 0
  int position = -1;  // kPin: 0-based target position, in [0, 99]; else -1
  RuleMatch match;
  std::vector<std::string> queries;  // normalized; empty: every query
  std::optional<int64_t> from_ms;    // epoch ms; active from this instant on
  std::optional<int64_t> until_ms;   // epoch ms; active before this instant

  // True when now_ms is inside [from_ms, until_ms) (open ends when absent).
  bool ActiveAt(int64_t now_ms) const;
  // True when queries is empty or holds normalized_query (already NormalizeKeyword()ed).
  bool AppliesToQuery(std::string_view normalized_query) const;
};

struct BusinessConfig {
  // score += margin_weight * the item's margin (0..1); unknown margins add nothing.
  double margin_weight = 0.0;
  // In file order; the order decides precedence among pins with the same position.
  std::vector<BusinessRule> rules;
};

struct Guardrails {
  // Most boosted items allowed among the top 10; an excess one loses its boost.
  int max_boosted_in_top10 = 3;
  // Items that do not fit the visitor (out of stock, or out of the visitor's size) are never
  // ranked above items that do, within a tier, whatever their score, boost or pin.
  bool size_guard = true;
};

struct VariantConfig {
  // The variant's key in "variants".
  std::string name;
  // Number of text candidates the searcher retrieves and the variant reranks.
  int candidate_depth = 200;
  // Personalized retrieval, a first phase over a deeper text list: for a visitor with a
  // profile, when the text window (candidate_depth) is full of matches of every word, the
  // variant ranks those matches down to personal_scan_depth with the same features, model
  // and rules, and its
  // best personal_depth of those below the window join the candidates (after the window,
  // without duplicates), so a broad query's pool holds what the visitor likes and not only
  // the top candidate_depth by text. The deeper list is a text result like any other, shared
  // by every visitor through the searcher's cache. personal_depth 0: off.
  int personal_depth = 0;
  int personal_scan_depth = 1000;
  // Absolute path of a cheaper model for that first phase, as Vespa's first-phase ranking
  // expression: when set, the scanned matches are scored with it alone (only the features
  // it reads are computed; no business rules), and its best personal_depth join. Empty: the
  // variant's own features, model and rules pick them, at the full cost per match.
  std::string first_phase_model_path;
  // Absolute path of the model file; empty when the variant has no model (text order).
  std::string model_path;
  // A size counts as the visitor's when its share of the visitor's weight in its size
  // system is at least this (FeatureOptions::min_size_share).
  double min_size_share = 0.25;
  // Exploration: when > 0, the top explore_top of the ranking are shown in a random order
  // (seeded per request; with the size guard, fitting items still come first). Traffic
  // logged this way judges items independently of the order they were ranked in, which is
  // what offline replay (tailor-ranker eval) and training need to compare rankings without
  // favouring the one that was live. Costs relevance for the visitors it serves: give it a
  // small share of the split.
  int explore_top = 0;
  // Normalized category path keys ("beverages", "women/beauty") whose items are consumables,
  // bought again: recommendation slots keep them after the visitor bought them (durable
  // goods are left out once bought).
  std::vector<std::string> repurchase_categories;
  BusinessConfig business;
  Guardrails guardrails;
};

struct VariantShare {
  std::string variant;  // names a variant of the config
  double share = 1.0;   // in (0, 1]
};

// One parsed scoring config. Immutable after parsing; thread-safe to read.
class ScoringConfig {
 public:
  // The file (or other origin) it was parsed from, as given to the parser.
  const std::string& origin() const { return origin_; }
  const std::string& default_variant() const { return default_variant_; }
  // Every variant, in file order.
  const std::vector<VariantConfig>& variants() const { return variants_; }
  // The traffic split, in file order; {{default_variant, 1}} when the file has none.
  const std::vector<VariantShare>& split() const { return split_; }

  // The variant named `name`, nullptr when there is none (a request naming an unknown
  // variant is the caller's invalid_argument). The pointer lives as long as this config.
  const VariantConfig* Find(std::string_view name) const;
  // The variant of a visitor: sticky (the same visitor gets the same variant for as long as
  // the split is unchanged, across processes and builds) and proportional to the shares
  // over many visitors. The visitor is hashed with 64-bit FNV-1a plus a final mix into
  // [0, 1), which picks the first split entry whose cumulative share exceeds it. An empty
  // visitor gets default_variant. The reference lives as long as this config.
  const VariantConfig& ChooseVariant(std::string_view visitor) const;

 private:
  friend Result<ScoringConfig> ParseScoringConfig(std::string_view json, const std::string& origin,
                                                  const std::string& base_dir);
  ScoringConfig() = default;

  std::string origin_;
  std::string default_variant_;
  std::vector<VariantConfig> variants_;
  std::vector<VariantShare> split_;
};

// Parses a scoring config (the schema above). Relative model paths are resolved against
// base_dir (the config file's directory; the current directory when empty) into absolute,
// normalized paths; the model files are not opened. Errors: invalid_argument "ORIGIN: PATH:
// what", including "ORIGIN: invalid JSON at offset N: ..." for malformed JSON.
Result<ScoringConfig> ParseScoringConfig(std::string_view json, const std::string& origin,
                                         const std::string& base_dir);

// Reads the file at path and parses it with origin = path and base_dir = the file's
// directory. Errors: not_found "PATH: cannot be read", or ParseScoringConfig's.
Result<ScoringConfig> LoadScoringConfig(const std::string& path);

}  // namespace tailor::ranking
