// Item-to-item co-occurrence from carts and purchases: "others also bought" and "fits your
// cart" (recommendation slots of DESIGN.md).
//
// Each add_to_cart or purchase event pairs its item with the items the same visitor carted
// or bought within the window before it (the visitor's basket). A purchase counts more than a
// cart (ranking/offline/training_data.h's gains: 3 and 2, times the quantity up to 3). Counts decay
// exponentially (half_life_days), read at the time asked. A neighbour's score is the cosine
// of the two items' counts, c(x, y) / sqrt(n(x) n(y)), so a bestseller in every basket does
// not top every list. Kept incrementally as events arrive; memory is bounded by the caps
// (neighbours per item, basket per visitor), evicting the weakest.
//
// Thread-safe: items and visitors are kept in sharded maps, each locked on its own.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"

namespace tailor::ranking {

struct CoOccurrenceOptions {
  // Weights halve every this many days.
  double half_life_days = 30;
  // A basket holds what a visitor carted or bought in this many days before an event.
  double window_days = 30;
  // Items remembered per visitor basket, most recent kept.
  int max_basket = 20;
  // Neighbours kept per item, strongest kept.
  int max_neighbors = 100;
};

struct Neighbor {
  std::string item;
  double score = 0;  // cosine of the counts, clamped to (0, 1]
  double count = 0;  // decayed co-occurrence weight
};

class CoOccurrence {
 public:
  explicit CoOccurrence(CoOccurrenceOptions options = {});
  ~CoOccurrence();
  CoOccurrence(const CoOccurrence&) = delete;
  CoOccurrence& operator=(const CoOccurrence&) = delete;

  // Counts an add_to_cart or purchase event against the visitor's basket; other events are
  // ignored. Events should come in time order per visitor. Thread-safe.
  void Apply(const Event& event);

  // The item's neighbours at now_ms, best first, at most limit, leaving out those whose
  // decayed weight is below min_count. Thread-safe.
  std::vector<Neighbor> Neighbors(std::string_view item, int64_t now_ms, int limit,
                                  double min_count = 0.5) const;

  // The decayed weight of carts and purchases of an item at now_ms (0 when unknown).
  double Count(std::string_view item, int64_t now_ms) const;

  // Forgets the visitor's basket (the counts they contributed stay, as anonymous sums).
  void ForgetVisitor(std::string_view visitor);

 private:
  struct Shards;
  CoOccurrenceOptions options_;
  std::unique_ptr<Shards> shards_;
};

}  // namespace tailor::ranking
