// The business blend: what a variant's business rules and guardrails (ranking/scoring/scoring_config.h)
// do to the model's scores and order, applied after the model, per request.
//
// Compile() resolves a variant's rules against one item table once (brand and category keys
// to dictionary ids, product ids to rows); Apply() then costs O(candidates * rules) plus a
// sort. For each candidate:
//   final score = model score + margin_weight * margin (0 when the margin is unknown)
//                 + the weight of every active boost rule that matches it.
// A rule is active when the request time is inside its [from, until) window and, when it
// names queries, the NormalizeKeyword()ed query equals one of them. A rule matches an item
// when every key of its match holds (one of the ids; the brand; the category path prefix).
//
// The order, step by step:
//  1. Sort by, in turn: when guardrails.size_guard is on, items that fit (in stock and not
//     kOutOfSize) before those that do not, so an out-of-size item is never above an in-size
//     one, not even a stricter text match; tier (strict AND matches before relaxed OR-only
//     ones); buried items after the others of their fit group and tier; final score,
//     descending; text_rank.
//  2. Guardrail: at most guardrails.max_boosted_in_top10 boosted items in the top 10. The
//     highest-placed ones keep their boost; each excess one loses all its boosts (an
//     adjustment kCapped with the negative delta), and the order is sorted again with its
//     unboosted score, until the top 10 holds no excess. Pins (step 3) are not counted.
//  3. Pins: each pinned candidate (its first active matching pin rule) is taken out and put
//     back at its position, in order of position, ties in rule order (the earlier rule keeps
//     the position, the later one takes the next). A position past the end means last. With
//     size_guard, a pinned item that does not fit is not placed above an item that fits and
//     ranked above it after step 2: it lands just below the last such item instead (the pin's
//     adjustment says why). A pin overrides a bury and the tiers. A pin that moves an item that
//     fits down below items that do not is allowed: the merchant asked for that position.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/item_table.h"
#include "ranking/scoring/features.h"
#include "ranking/scoring/scoring_config.h"

namespace tailor::ranking {

// A variant's rules resolved against one item table. Self-contained (copies what it needs of
// the config; holds no pointer to the config or the table), immutable and thread-safe to
// read: build it once per (config snapshot, table) pair and share it, e.g. as a
// std::shared_ptr<const CompiledRules> cached next to the table (revision() tells which).
class CompiledRules {
 public:
  // One rule, resolved.
  struct Rule {
    std::string label;  // the rule's name, or "rule[i]" (its index in the config)
    RuleAction action = RuleAction::kBoost;
    double weight = 0;                 // kBoost
    int position = -1;                 // kPin
    std::vector<std::string> queries;  // normalized; empty: every query
    std::optional<int64_t> from_ms, until_ms;
    bool never = false;                   // a key of the match names nothing in the table
    int32_t brand = ItemTable::kNone;     // kNone: any brand
    int32_t category = ItemTable::kNone;  // kNone: any category
    std::vector<ItemTable::Row> rows;     // sorted; empty: any item

    // True when the rule's match holds for row. Requires: row present in the table compiled
    // against.
    bool Matches(const ItemTable& items, ItemTable::Row row) const;
  };

  CompiledRules() = default;  // no rules, default guardrails, margin weight 0

  // The variant compiled and the revision of the table it was compiled against.
  const std::string& variant() const { return variant_; }
  uint64_t revision() const { return revision_; }
  double margin_weight() const { return margin_weight_; }
  const Guardrails& guardrails() const { return guardrails_; }
  // In the config's order.
  const std::vector<Rule>& rules() const { return rules_; }

 private:
  friend CompiledRules Compile(const VariantConfig& variant, const ItemTable& items);

  std::string variant_;
  uint64_t revision_ = 0;
  double margin_weight_ = 0;
  Guardrails guardrails_;
  std::vector<Rule> rules_;
};

// Resolves variant's rules against items: brands and category paths the table does not know,
// and rules whose ids are all absent, match nothing (ids partly absent keep the others).
// Never fails. Cost: O(rules + ids) hash lookups. The result does not refer to variant or
// items afterwards, but Apply() must be given a table whose rows mean the same (the same
// table, or one of the same revision).
CompiledRules Compile(const VariantConfig& variant, const ItemTable& items);

enum class AdjustmentAction {
  kBoost,   // a boost rule added its weight
  kBury,    // a bury rule sent the item down its tier
  kPin,     // a pin rule placed the item
  kCapped,  // the guardrail took the item's boosts away (too many boosted in the top 10)
};
// "boost", "bury", "pin", "capped".
const char* AdjustmentActionName(AdjustmentAction action);

struct Adjustment {
  std::string rule;  // the rule's name or "rule[i]"; kCapped: "guardrails.max_boosted_in_top10"
  AdjustmentAction action = AdjustmentAction::kBoost;
  double delta = 0;   // kBoost: +weight; kCapped: minus the boosts removed; else 0
  int position = -1;  // kPin: the position asked for; else -1
  int placed = -1;    // kPin: the position taken in the final order; else -1
  std::string note;   // kPin when placed != position, kCapped: why
};

struct CandidateOutcome {
  double model_score = 0;  // as given (0 when no model scores were given)
  double margin = 0;       // margin_weight * margin, 0 when unknown
  double final_score = 0;  // model_score + margin + the boosts kept
  bool boosted = false;    // a boost was applied and kept
  bool buried = false;
  bool pinned = false;
  bool fits = true;  // in stock and not out of size (whether or not size_guard is on)
  std::vector<Adjustment> adjustments;  // in the order they happened
};

struct BusinessOutcome {
  std::vector<size_t> order;                 // indexes into candidates, best first
  std::vector<CandidateOutcome> candidates;  // per candidate, in the order given
};

// Applies compiled rules to one ranking (see the file comment for the semantics).
// model_scores: one per candidate, or empty when the variant has no model (every model
// score is then 0 and the text order decides among equal scores). size_fits: one per
// candidate, or empty when the visitor is unknown (every fit kUnknown). query as the visitor
// typed it; now_ms the request time in epoch ms. Requires: every candidate's row is present
// in items; the spans are empty or as long as candidates. Thread-safe; no allocation beyond
// the outcome and O(candidates) scratch.
BusinessOutcome Apply(const CompiledRules& rules, const ItemTable& items,
                      std::span<const Candidate> candidates, std::span<const double> model_scores,
                      std::span<const SizeFit> size_fits, std::string_view query, int64_t now_ms);

}  // namespace tailor::ranking
