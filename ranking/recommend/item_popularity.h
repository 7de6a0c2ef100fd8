// Item popularity learned from the shop's own events: real catalogs rarely carry a
// popularity field (the bundled sample has none), but every view, click, cart and purchase
// the shop sends says which items people want.
//
// Each event adds its type's weight (view and click 1, add to cart 3, purchase 5, times the
// quantity up to 3 for carts and purchases; remove_from_cart nothing) to the item's decayed
// weight (half_life_hours) and to its deepest category's. An item's popularity is the
// Poisson-gamma smoothed rate log(1 + (w_item + k m_category) / (1 + k)): an item seen once
// moves half way from its category's mean m (the mean weight of the category's items that
// have events), so a new item in a busy category is not a stranger and one lucky click does
// not make a bestseller. Weights and counts hold no visitor id.
//
// Thread-safe: Apply takes an exclusive lock for microseconds, Lookup a shared one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "core/event.h"
#include "core/item_table.h"

namespace tailor::ranking {

struct ItemPopularityOptions {
  // Weights halve every this many hours.
  double half_life_hours = 168;
  // k of the smoothing: how many "items' worth" of the category's mean an item starts with.
  double prior_strength = 1;
  // Items remembered at most; beyond, the weakest half is dropped (rarely reached).
  size_t max_items = 1'000'000;
};

class ItemPopularity {
 public:
  explicit ItemPopularity(ItemPopularityOptions options = {});
  ~ItemPopularity();
  ItemPopularity(const ItemPopularity&) = delete;
  ItemPopularity& operator=(const ItemPopularity&) = delete;

  // Counts one event (its item and, when event.facts is set, its deepest category). Events
  // without an item are ignored. Thread-safe.
  void Apply(const Event& event);

  // The smoothed popularity (header comment) of each row at now_ms, written to out (same
  // size as rows); 0 for an item and category with no events. Requires: every row present in
  // items. Thread-safe.
  void Lookup(const ItemTable& items, std::span<const ItemTable::Row> rows, int64_t now_ms,
              std::span<float> out) const;

  // Items with events. Thread-safe.
  size_t size() const;

 private:
  struct Data;
  ItemPopularityOptions options_;
  std::unique_ptr<Data> data_;
};

}  // namespace tailor::ranking
