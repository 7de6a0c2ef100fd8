#include "ranking/offline/next_purchase.h"

#include <algorithm>
#include <map>
#include <utility>

#include "ranking/profiles/profile_state.h"

namespace tailor::ranking {
namespace {

constexpr size_t kBestsellers = 10;

}  // namespace

Status ReadNextPurchases(const std::string& state, std::vector<NextPurchase>& cases) {
  // Per visitor, their carts and purchases in log order.
  std::map<std::string, std::vector<Event>> baskets;
  Status read = ForEachLoggedEvent(state, [&](const Event& event) {
    if (event.type == EventType::kAddToCart || event.type == EventType::kPurchase) {
      baskets[event.visitor].push_back(event);
    }
  });
  for (const auto& [visitor, events] : baskets) {
    for (size_t i = 1; i < events.size(); ++i) {
      if (events[i].type != EventType::kPurchase || events[i].item == events[i - 1].item) continue;
      cases.push_back({events[i - 1].item, events[i].item});
    }
  }
  return read;
}

Result<PurchaseHistory> LearnPurchases(const std::string& train_state) {
  PurchaseHistory history;
  history.co_occurrence = std::make_unique<CoOccurrence>();
  std::map<std::string, double> sold;
  Status trained = ForEachLoggedEvent(train_state, [&](const Event& event) {
    history.co_occurrence->Apply(event);
    if (event.type == EventType::kPurchase) sold[event.item] += 1;
    history.last_ms = std::max(history.last_ms, event.timestamp_ms);
  });
  if (!trained.ok()) return trained.error();
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [item, count] : sold) ranked.push_back({count, item});
  std::sort(ranked.rbegin(), ranked.rend());
  for (size_t i = 0; i < ranked.size() && i < kBestsellers; ++i) {
    history.bestsellers.push_back(ranked[i].second);
  }
  return history;
}

std::vector<double> HitRates(const std::vector<NextPurchase>& cases,
                             const std::vector<SlotUnderTest>& slots) {
  std::vector<int> hits(slots.size(), 0);
  for (const NextPurchase& c : cases) {
    for (size_t s = 0; s < slots.size(); ++s) {
      const std::vector<std::string> top = slots[s].top10(c.context);
      hits[s] += std::find(top.begin(), top.end(), c.next) != top.end();
    }
  }
  std::vector<double> rates;
  for (int h : hits) {
    rates.push_back(cases.empty() ? 0.0 : static_cast<double>(h) / static_cast<double>(cases.size()));
  }
  return rates;
}

}  // namespace tailor::ranking
