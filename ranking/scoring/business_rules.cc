#include "ranking/scoring/business_rules.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "core/text.h"

namespace tailor::ranking {
namespace {

using Rule = CompiledRules::Rule;

constexpr size_t kGuardedTop = 10;
constexpr const char* kCapLabel = "guardrails.max_boosted_in_top10";

Rule CompileRule(const BusinessRule& rule, size_t index, const ItemTable& items) {
  Rule compiled;
  compiled.label = rule.name.empty() ? "rule[" + std::to_string(index) + "]" : rule.name;
  compiled.action = rule.action;
  compiled.weight = rule.weight;
  compiled.position = rule.position;
  compiled.queries = rule.queries;
  compiled.from_ms = rule.from_ms;
  compiled.until_ms = rule.until_ms;
  if (!rule.match.brand.empty()) {
    compiled.brand = items.FindKey(ItemTable::kBrand, rule.match.brand);
    compiled.never |= compiled.brand == ItemTable::kNone;
  }
  if (!rule.match.category.empty()) {
    compiled.category = items.FindKey(ItemTable::kCategory, rule.match.category);
    compiled.never |= compiled.category == ItemTable::kNone;
  }
  if (!rule.match.ids.empty()) {
    for (const std::string& id : rule.match.ids) {
      if (std::optional<ItemTable::Row> row = items.Find(id)) compiled.rows.push_back(*row);
    }
    std::sort(compiled.rows.begin(), compiled.rows.end());
    compiled.rows.erase(std::unique(compiled.rows.begin(), compiled.rows.end()),
                        compiled.rows.end());
    compiled.never |= compiled.rows.empty();
  }
  return compiled;
}

bool RuleActive(const Rule& rule, std::string_view normalized_query, int64_t now_ms) {
  if (rule.from_ms && now_ms < *rule.from_ms) return false;
  if (rule.until_ms && now_ms >= *rule.until_ms) return false;
  return rule.queries.empty() || std::find(rule.queries.begin(), rule.queries.end(),
                                           normalized_query) != rule.queries.end();
}

// Per-request state shared by the three steps.
struct Work {
  Work(std::span<const Candidate> candidates_in, bool size_guard_in,
       std::vector<CandidateOutcome>& outcomes_in)
      : candidates(candidates_in),
        size_guard(size_guard_in),
        outcomes(outcomes_in),
        boost(candidates_in.size(), 0.0),
        pin_rule(candidates_in.size(), -1),
        order(candidates_in.size()) {
    std::iota(order.begin(), order.end(), size_t{0});
  }

  std::span<const Candidate> candidates;
  bool size_guard;
  std::vector<CandidateOutcome>& outcomes;
  std::vector<double> boost;  // per candidate: the sum of its boosts
  std::vector<int> pin_rule;  // per candidate: its first pin rule, -1 when none
  std::vector<size_t> order;

  // Step 1's order (see the header); NaN scores sort last rather than break the sort.
  bool Before(size_t a, size_t b) const {
    const Candidate& x = candidates[a];
    const Candidate& y = candidates[b];
    const CandidateOutcome& p = outcomes[a];
    const CandidateOutcome& q = outcomes[b];
    if (size_guard && p.fits != q.fits) return p.fits;
    if (x.strict != y.strict) return x.strict;
    if (p.buried != q.buried) return q.buried;
    const double s = Score(p), t = Score(q);
    if (s != t) return s > t;
    if (x.text_rank != y.text_rank) return x.text_rank < y.text_rank;
    return a < b;
  }
  static double Score(const CandidateOutcome& outcome) {
    return std::isnan(outcome.final_score) ? -std::numeric_limits<double>::infinity()
                                           : outcome.final_score;
  }
  void Sort() {
    std::sort(order.begin(), order.end(), [this](size_t a, size_t b) { return Before(a, b); });
  }
};

void ScoreCandidates(const CompiledRules& rules, const ItemTable& items,
                     std::span<const double> model_scores, std::span<const SizeFit> size_fits,
                     const std::vector<size_t>& active, Work& work) {
  for (size_t i = 0; i < work.candidates.size(); ++i) {
    const ItemTable::Row row = work.candidates[i].row;
    CandidateOutcome& outcome = work.outcomes[i];
    outcome.model_score = model_scores.empty() ? 0.0 : model_scores[i];
    std::optional<double> margin = items.margin(row);
    outcome.margin = margin ? rules.margin_weight() * *margin : 0.0;
    outcome.fits =
        items.in_stock(row) && (size_fits.empty() || size_fits[i] != SizeFit::kOutOfSize);
    for (size_t index : active) {
      const Rule& rule = rules.rules()[index];
      if (!rule.Matches(items, row)) continue;
      if (rule.action == RuleAction::kBoost) {
        work.boost[i] += rule.weight;
        outcome.adjustments.push_back(
            {rule.label, AdjustmentAction::kBoost, rule.weight, -1, -1, ""});
      } else if (rule.action == RuleAction::kBury) {
        outcome.buried = true;
        outcome.adjustments.push_back({rule.label, AdjustmentAction::kBury, 0, -1, -1, ""});
      } else if (work.pin_rule[i] < 0) {
        work.pin_rule[i] = static_cast<int>(index);
      }
    }
    outcome.boosted = work.boost[i] > 0;
    outcome.final_score = outcome.model_score + outcome.margin + work.boost[i];
  }
}

// Step 2. Capping lowers only the capped items' scores, so the boosted items kept stay in the
// top 10; each round caps at least one item, so this ends.
void CapBoosts(int max_boosted, Work& work) {
  for (bool capped = true; capped;) {
    capped = false;
    int seen = 0;
    for (size_t pos = 0; pos < std::min(kGuardedTop, work.order.size()); ++pos) {
      const size_t i = work.order[pos];
      CandidateOutcome& outcome = work.outcomes[i];
      if (!outcome.boosted || ++seen <= max_boosted) continue;
      outcome.final_score -= work.boost[i];
      outcome.boosted = false;
      outcome.adjustments.push_back(
          {kCapLabel, AdjustmentAction::kCapped, -work.boost[i], -1, -1,
           "more than " + std::to_string(max_boosted) + " boosted items in the top 10"});
      capped = true;
    }
    if (capped) work.Sort();
  }
}

struct Pin {
  size_t candidate;
  int position;
  int rule;
};

// With size_guard, the first index of list an unfitting candidate may take: just below the
// last item that fits and ranked above it after step 2.
size_t GuardFloor(const Work& work, const std::vector<size_t>& list,
                  const std::vector<size_t>& rank, size_t candidate) {
  size_t floor = 0;
  if (!work.size_guard || work.outcomes[candidate].fits) return floor;
  for (size_t j = 0; j < list.size(); ++j) {
    if (work.outcomes[list[j]].fits && rank[list[j]] < rank[candidate]) floor = j + 1;
  }
  return floor;
}

// Step 3: pins are inserted in order of position, so an insertion never moves an earlier pin
// that is where it asked to be.
void PlacePins(const CompiledRules& rules, Work& work) {
  const size_t n = work.order.size();
  std::vector<Pin> pins;
  for (size_t i = 0; i < n; ++i) {
    const int rule = work.pin_rule[i];
    if (rule >= 0) pins.push_back({i, rules.rules()[rule].position, rule});
  }
  if (pins.empty()) return;
  std::stable_sort(pins.begin(), pins.end(), [](const Pin& a, const Pin& b) {
    return a.position != b.position ? a.position < b.position : a.rule < b.rule;
  });
  std::vector<size_t> rank(n);
  for (size_t pos = 0; pos < n; ++pos) rank[work.order[pos]] = pos;
  std::vector<bool> pinned(n, false);
  for (const Pin& pin : pins) pinned[pin.candidate] = true;
  std::vector<size_t> list;
  for (size_t i : work.order) {
    if (!pinned[i]) list.push_back(i);
  }
  std::vector<std::string> notes(n);
  std::fill(pinned.begin(), pinned.end(), false);  // now: placed already
  for (const Pin& pin : pins) {
    size_t at = std::min(static_cast<size_t>(pin.position), list.size());
    if (static_cast<size_t>(pin.position) > list.size()) {
      notes[pin.candidate] = "only " + std::to_string(n) + " candidates";
    }
    if (size_t floor = GuardFloor(work, list, rank, pin.candidate); floor > at) {
      at = floor;
      notes[pin.candidate] = "size guard: does not fit the visitor, kept below items that fit";
    }
    for (; at < list.size() && pinned[list[at]]; ++at) {
      if (notes[pin.candidate].empty()) notes[pin.candidate] = "position taken by an earlier pin";
    }
    list.insert(list.begin() + static_cast<std::ptrdiff_t>(at), pin.candidate);
    pinned[pin.candidate] = true;
  }
  work.order = std::move(list);
  for (size_t pos = 0; pos < n; ++pos) rank[work.order[pos]] = pos;
  for (const Pin& pin : pins) {
    CandidateOutcome& outcome = work.outcomes[pin.candidate];
    outcome.pinned = true;
    outcome.adjustments.push_back({rules.rules()[pin.rule].label, AdjustmentAction::kPin, 0,
                                   pin.position, static_cast<int>(rank[pin.candidate]),
                                   std::move(notes[pin.candidate])});
  }
}

}  // namespace

bool CompiledRules::Rule::Matches(const ItemTable& items, ItemTable::Row row) const {
  if (never) return false;
  if (brand != ItemTable::kNone && items.brand(row) != brand) return false;
  if (category != ItemTable::kNone) {
    std::span<const int32_t> levels = items.categories(row);
    if (std::find(levels.begin(), levels.end(), category) == levels.end()) return false;
  }
  return rows.empty() || std::binary_search(rows.begin(), rows.end(), row);
}

CompiledRules Compile(const VariantConfig& variant, const ItemTable& items) {
  CompiledRules compiled;
  compiled.variant_ = variant.name;
  compiled.revision_ = items.revision();
  compiled.margin_weight_ = variant.business.margin_weight;
  compiled.guardrails_ = variant.guardrails;
  for (size_t i = 0; i < variant.business.rules.size(); ++i) {
    compiled.rules_.push_back(CompileRule(variant.business.rules[i], i, items));
  }
  return compiled;
}

const char* AdjustmentActionName(AdjustmentAction action) {
  switch (action) {
    case AdjustmentAction::kBury:
      return "bury";
    case AdjustmentAction::kPin:
      return "pin";
    case AdjustmentAction::kCapped:
      return "capped";
    case AdjustmentAction::kBoost:
      break;
  }
  return "boost";
}

BusinessOutcome Apply(const CompiledRules& rules, const ItemTable& items,
                      std::span<const Candidate> candidates, std::span<const double> model_scores,
                      std::span<const SizeFit> size_fits, std::string_view query, int64_t now_ms) {
  assert(model_scores.empty() || model_scores.size() == candidates.size());
  assert(size_fits.empty() || size_fits.size() == candidates.size());
  BusinessOutcome outcome;
  outcome.candidates.resize(candidates.size());
  Work work(candidates, rules.guardrails().size_guard, outcome.candidates);

  const std::string normalized_query = NormalizeKeyword(query);
  std::vector<size_t> active;
  for (size_t i = 0; i < rules.rules().size(); ++i) {
    if (RuleActive(rules.rules()[i], normalized_query, now_ms)) active.push_back(i);
  }
  ScoreCandidates(rules, items, model_scores, size_fits, active, work);
  work.Sort();
  CapBoosts(rules.guardrails().max_boosted_in_top10, work);
  PlacePins(rules, work);
  outcome.order = std::move(work.order);
  return outcome;
}

}  // namespace tailor::ranking
