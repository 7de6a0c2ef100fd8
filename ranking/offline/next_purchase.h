// Recommendation slots judged by what visitors bought next (tailor-ranker recs): for each
// purchase in a state's event log after the visitor's first cart or purchase, the item
// carted or bought just before is the context, and a slot "hits" when its top 10 for that
// context holds the purchase. Slots are functions, so the tool can judge the candidate
// sources alone and the slots an Engine serves, side by side.
//
// Not thread-safe: one evaluation per caller.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "ranking/recommend/co_occurrence.h"

namespace tailor::ranking {

struct NextPurchase {
  std::string context;  // the item carted or bought just before
  std::string next;     // the item bought, another than the context
};

// The cases of a state directory's event log, per visitor in log order. What was read
// before an error is kept in `cases`. Errors: ForEachLoggedEvent's.
Status ReadNextPurchases(const std::string& state, std::vector<NextPurchase>& cases);

// What a training state teaches the slots: co-occurrence of its carts and purchases, the
// 10 most bought items, and its latest event time (the "now" of the evaluation).
struct PurchaseHistory {
  std::unique_ptr<CoOccurrence> co_occurrence;
  std::vector<std::string> bestsellers;  // most purchases first, ties by id descending
  int64_t last_ms = 0;
};
// Errors: ForEachLoggedEvent's.
Result<PurchaseHistory> LearnPurchases(const std::string& train_state);

// A slot under test: its name and its top 10 for a context item.
struct SlotUnderTest {
  std::string name;
  std::function<std::vector<std::string>(const std::string& context)> top10;
};

// Per slot, in the order given, the share of cases whose next purchase its top 10 holds
// (0 without cases).
std::vector<double> HitRates(const std::vector<NextPurchase>& cases,
                             const std::vector<SlotUnderTest>& slots);

}  // namespace tailor::ranking
