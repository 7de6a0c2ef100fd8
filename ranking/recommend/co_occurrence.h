// Item-to-item co-occurrence: from carts and purchases, "others also bought" and "fits your
// cart" (recommendation slots of DESIGN.md); from views and clicks, "others who looked at this
// also looked at" (the co_viewed ranking feature, ranking/scoring/features.h).
//
// Each counted event pairs its item with the items the same visitor counted within the window
// before it (the visitor's basket: what they carted and bought, or their last views). A
// purchase counts more than a cart (ranking/offline/training_data.h's gains: 3 and 2, times
// the quantity up to 3); a view or a click counts 1. Counts decay
// exponentially (half_life_days), read at the time asked. A neighbour's score is the cosine
// of the two items' counts, c(x, y) / sqrt(n(x) n(y)), so a bestseller in every basket does
// not top every list. Kept incrementally as events arrive; memory is bounded by the caps
// (neighbours per item, basket per visitor), evicting the weakest.
//
// Thread-safe: items and visitors are kept in sharded maps, each locked on its own.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/item_table.h"

namespace tailor::ranking {

// Which events a CoOccurrence counts.
enum class CoSource {
  kBaskets,  // add_to_cart and purchase
  kViews,    // view and click
};

struct CoOccurrenceOptions {
  CoSource source = CoSource::kBaskets;
  // Weights halve every this many days.
  double half_life_days = 30;
  // A basket holds what a visitor carted or bought in this many days before an event.
  double window_days = 30;
  // Items remembered per visitor basket, most recent kept.
  int max_basket = 20;
  // Neighbours kept per item, strongest kept.
  int max_neighbors = 100;
};

// The co_viewed ranking feature's co-views, as the server keeps them: a view or click pairs
// with the visitor's last kCoViewSeeds views of the day before it, and a candidate's score is
// its strongest pair with the visitor's last kCoViewSeeds views. Views pair far more than
// carts, so an item keeps its kCoViewNeighbors strongest partners: at most about 100 bytes
// each, 200 MB for 100k viewed products at the cap.
inline constexpr int kCoViewSeeds = 5;
inline constexpr int kCoViewNeighbors = 20;
CoOccurrenceOptions CoViewOptions();

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

  // The decayed weight of the counted events of an item at now_ms (0 when unknown).
  double Count(std::string_view item, int64_t now_ms) const;

  // For each of rows (items of `items`, no product twice), its strongest neighbour score
  // (Neighbor::score) with any of `seeds` at now_ms, pairs whose decayed weight is below
  // min_count left out; else 0. An item is not its own neighbour. out has rows.size()
  // values. Costs a hash lookup per row, per seed and per stored neighbour of a seed, and a
  // count lookup per pair found among the rows. Thread-safe.
  void Affinity(std::span<const std::string> seeds, const ItemTable& items,
                std::span<const ItemTable::Row> rows, int64_t now_ms, std::span<float> out,
                double min_count = 0.5) const;

  // Forgets the visitor's basket (the counts they contributed stay, as anonymous sums).
  void ForgetVisitor(std::string_view visitor);

 private:
  struct Shards;
  // What an event adds to its item's counts and pairs; 0 when this source does not count it.
  double WeightOf(const Event& event) const;
  CoOccurrenceOptions options_;
  std::unique_ptr<Shards> shards_;
};

}  // namespace tailor::ranking
