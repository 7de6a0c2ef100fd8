#include "ranking/recommend/co_occurrence.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace tailor::ranking {
namespace {

constexpr int kShards = 64;
constexpr double kMsPerDay = 86400000.0;
constexpr int kMaxQuantity = 3;

// A weight that decays: its value at `at_ms`, read at any later time by Decay().
struct Decayed {
  double value = 0;
  int64_t at_ms = 0;
};

double ValueAt(const Decayed& d, int64_t now_ms, double half_life_ms) {
  if (now_ms <= d.at_ms) return d.value;
  return d.value * std::exp2(-static_cast<double>(now_ms - d.at_ms) / half_life_ms);
}

void Add(Decayed& d, double weight, int64_t now_ms, double half_life_ms) {
  d.value = ValueAt(d, now_ms, half_life_ms) + weight;
  d.at_ms = std::max(d.at_ms, now_ms);
}

size_t ShardOf(std::string_view key) { return std::hash<std::string_view>{}(key) % kShards; }

}  // namespace

struct CoOccurrence::Shards {
  struct ItemEntry {
    Decayed count;                                      // carts and purchases of the item
    std::unordered_map<std::string, Decayed> neighbors;  // other item -> pair weight
  };
  struct BasketEntry {
    std::string item;
    int64_t at_ms = 0;
  };
  struct ItemShard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, ItemEntry> items;
  };
  struct VisitorShard {
    std::mutex mutex;
    std::unordered_map<std::string, std::vector<BasketEntry>> baskets;
  };
  ItemShard items[kShards];
  VisitorShard visitors[kShards];
};

CoOccurrenceOptions CoViewOptions() {
  CoOccurrenceOptions options;
  options.source = CoSource::kViews;
  options.window_days = 1;
  options.max_basket = kCoViewSeeds;
  options.max_neighbors = kCoViewNeighbors;
  return options;
}

CoOccurrence::CoOccurrence(CoOccurrenceOptions options)
    : options_(options), shards_(std::make_unique<Shards>()) {}
CoOccurrence::~CoOccurrence() = default;

double CoOccurrence::WeightOf(const Event& event) const {
  if (event.item.empty()) return 0;
  if (options_.source == CoSource::kViews) {
    return event.type == EventType::kView || event.type == EventType::kClick ? 1.0 : 0;
  }
  if (event.type != EventType::kAddToCart && event.type != EventType::kPurchase) return 0;
  return (event.type == EventType::kPurchase ? 3.0 : 2.0) * std::min(event.quantity, kMaxQuantity);
}

void CoOccurrence::Apply(const Event& event) {
  const double weight = WeightOf(event);
  if (weight <= 0) return;
  const double half_life_ms = options_.half_life_days * kMsPerDay;
  const int64_t now = event.timestamp_ms;
  // The basket before this event, then this item joins it.
  std::vector<std::string> partners;
  {
    auto& shard = shards_->visitors[ShardOf(event.visitor)];
    std::lock_guard lock(shard.mutex);
    std::vector<Shards::BasketEntry>& basket = shard.baskets[event.visitor];
    const int64_t oldest = now - static_cast<int64_t>(options_.window_days * kMsPerDay);
    std::erase_if(basket, [&](const Shards::BasketEntry& e) {
      return e.at_ms < oldest || e.item == event.item;
    });
    for (const Shards::BasketEntry& entry : basket) partners.push_back(entry.item);
    basket.push_back({event.item, now});
    if (static_cast<int>(basket.size()) > options_.max_basket) basket.erase(basket.begin());
  }
  auto count = [&](const std::string& item, const std::string* partner) {
    auto& shard = shards_->items[ShardOf(item)];
    std::lock_guard lock(shard.mutex);
    Shards::ItemEntry& entry = shard.items[item];
    if (partner == nullptr) return Add(entry.count, weight, now, half_life_ms);
    Add(entry.neighbors[*partner], weight, now, half_life_ms);
    if (static_cast<int>(entry.neighbors.size()) > options_.max_neighbors) {
      auto weakest = std::min_element(
          entry.neighbors.begin(), entry.neighbors.end(), [&](const auto& a, const auto& b) {
            return ValueAt(a.second, now, half_life_ms) < ValueAt(b.second, now, half_life_ms);
          });
      entry.neighbors.erase(weakest);
    }
  };
  count(event.item, nullptr);
  for (const std::string& partner : partners) {
    count(event.item, &partner);
    count(partner, &event.item);
  }
}

double CoOccurrence::Count(std::string_view item, int64_t now_ms) const {
  const auto& shard = shards_->items[ShardOf(item)];
  std::lock_guard lock(shard.mutex);
  auto it = shard.items.find(std::string(item));
  return it == shard.items.end()
             ? 0
             : ValueAt(it->second.count, now_ms, options_.half_life_days * kMsPerDay);
}

std::vector<Neighbor> CoOccurrence::Neighbors(std::string_view item, int64_t now_ms, int limit,
                                              double min_count) const {
  const double half_life_ms = options_.half_life_days * kMsPerDay;
  std::vector<Neighbor> neighbors;
  double own = 0;
  {
    const auto& shard = shards_->items[ShardOf(item)];
    std::lock_guard lock(shard.mutex);
    auto it = shard.items.find(std::string(item));
    if (it == shard.items.end()) return neighbors;
    own = ValueAt(it->second.count, now_ms, half_life_ms);
    for (const auto& [other, pair] : it->second.neighbors) {
      const double count = ValueAt(pair, now_ms, half_life_ms);
      if (count >= min_count) neighbors.push_back({other, 0, count});
    }
  }
  // The partners' own counts, each under its shard's lock, after this item's was released.
  for (Neighbor& neighbor : neighbors) {
    const double theirs = Count(neighbor.item, now_ms);
    // A pair can outweigh a partner's own count when the partner was carted (2) and the
    // item bought (3) with it: clamp to 1.
    neighbor.score =
        own > 0 && theirs > 0 ? std::min(1.0, neighbor.count / std::sqrt(own * theirs)) : 0;
  }
  std::sort(neighbors.begin(), neighbors.end(), [](const Neighbor& a, const Neighbor& b) {
    return a.score != b.score ? a.score > b.score : a.item < b.item;
  });
  if (static_cast<int>(neighbors.size()) > limit) neighbors.resize(std::max(0, limit));
  return neighbors;
}

void CoOccurrence::Affinity(std::span<const std::string> seeds, const ItemTable& items,
                            std::span<const ItemTable::Row> rows, int64_t now_ms,
                            std::span<float> out, double min_count) const {
  std::fill(out.begin(), out.end(), 0.0f);
  if (seeds.empty() || rows.empty()) return;
  const double half_life_ms = options_.half_life_days * kMsPerDay;
  // A row's product id -> its place; built when a seed first has neighbours.
  std::unordered_map<std::string_view, size_t> index;
  std::vector<std::pair<size_t, double>> pairs;  // place, decayed pair weight
  for (const std::string& seed : seeds) {
    double own = 0;
    pairs.clear();
    {
      const auto& shard = shards_->items[ShardOf(seed)];
      std::lock_guard lock(shard.mutex);
      auto it = shard.items.find(seed);
      if (it == shard.items.end() || it->second.neighbors.empty()) continue;
      if (index.empty()) {
        index.reserve(rows.size());
        for (size_t i = 0; i < rows.size(); ++i) index.emplace(items.id(rows[i]), i);
      }
      own = ValueAt(it->second.count, now_ms, half_life_ms);
      for (const auto& [other, pair] : it->second.neighbors) {
        auto place = index.find(other);
        if (place == index.end()) continue;
        const double count = ValueAt(pair, now_ms, half_life_ms);
        if (count >= min_count) pairs.push_back({place->second, count});
      }
    }
    if (own <= 0) continue;
    // The partners' own counts, each under its shard's lock, after the seed's was released;
    // the cosine as Neighbors computes it.
    for (const auto& [place, count] : pairs) {
      const double theirs = Count(items.id(rows[place]), now_ms);
      if (theirs <= 0) continue;
      const float score = static_cast<float>(std::min(1.0, count / std::sqrt(own * theirs)));
      out[place] = std::max(out[place], score);
    }
  }
}

void CoOccurrence::ForgetVisitor(std::string_view visitor) {
  auto& shard = shards_->visitors[ShardOf(visitor)];
  std::lock_guard lock(shard.mutex);
  shard.baskets.erase(std::string(visitor));
}

}  // namespace tailor::ranking
