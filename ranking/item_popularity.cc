#include "ranking/item_popularity.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/text.h"

namespace tailor::ranking {
namespace {

// A weight decayed to the time it was last touched.
struct Decayed {
  double weight = 0;
  int64_t t_ms = 0;
};

struct Category {
  Decayed weight;
  long items = 0;  // distinct items with events in it
};

double WeightOf(const Event& event) {
  const double quantity = std::clamp(event.quantity, 1, 3);
  switch (event.type) {
    case EventType::kView:
    case EventType::kClick: return 1;
    case EventType::kAddToCart: return 3 * quantity;
    case EventType::kPurchase: return 5 * quantity;
    case EventType::kRemoveFromCart:
    case EventType::kSizeFilter: break;
  }
  return 0;
}

// The key ItemTable gives a category path: levels normalized and joined by '/'.
std::string CategoryKey(const std::vector<std::string>& path) {
  std::string key;
  for (const std::string& level : path) {
    std::string normalized = NormalizeKeyword(level);
    if (normalized.empty()) continue;
    if (!key.empty()) key += '/';
    key += normalized;
  }
  return key;
}

}  // namespace

struct ItemPopularity::Data {
  mutable std::shared_mutex mutex;
  std::unordered_map<std::string, Decayed> items;
  std::unordered_map<std::string, Category> categories;

  double At(const Decayed& d, int64_t now_ms, double half_life_ms) const {
    if (now_ms <= d.t_ms) return d.weight;
    return d.weight * std::exp2(-static_cast<double>(now_ms - d.t_ms) / half_life_ms);
  }
  void Add(Decayed& d, double amount, int64_t t_ms, double half_life_ms) const {
    if (t_ms >= d.t_ms) {
      d.weight = At(d, t_ms, half_life_ms) + amount;
      d.t_ms = t_ms;
    } else {  // an older event: its weight as of the entry's time
      d.weight += amount * std::exp2(-static_cast<double>(d.t_ms - t_ms) / half_life_ms);
    }
  }
};

ItemPopularity::ItemPopularity(ItemPopularityOptions options)
    : options_(options), data_(std::make_unique<Data>()) {}
ItemPopularity::~ItemPopularity() = default;

void ItemPopularity::Apply(const Event& event) {
  const double amount = WeightOf(event);
  if (event.item.empty() || amount <= 0) return;
  const double half_life_ms = options_.half_life_hours * 3600e3;
  std::string category = event.facts ? CategoryKey(event.facts->category) : std::string();
  std::unique_lock lock(data_->mutex);
  auto [item, inserted] = data_->items.try_emplace(event.item);
  data_->Add(item->second, amount, event.timestamp_ms, half_life_ms);
  if (!category.empty()) {
    Category& c = data_->categories[category];
    data_->Add(c.weight, amount, event.timestamp_ms, half_life_ms);
    if (inserted) ++c.items;
  }
  if (data_->items.size() > options_.max_items) {
    // Keep the stronger half; categories keep their sums (a mean, not a census).
    std::vector<double> weights;
    weights.reserve(data_->items.size());
    for (const auto& [id, d] : data_->items) weights.push_back(d.weight);
    std::nth_element(weights.begin(), weights.begin() + weights.size() / 2, weights.end());
    const double median = weights[weights.size() / 2];
    std::erase_if(data_->items, [median](const auto& entry) { return entry.second.weight < median; });
  }
}

void ItemPopularity::Lookup(const ItemTable& items, std::span<const ItemTable::Row> rows,
                            int64_t now_ms, std::span<float> out) const {
  const double half_life_ms = options_.half_life_hours * 3600e3;
  const double k = options_.prior_strength;
  std::shared_lock lock(data_->mutex);
  if (data_->items.empty()) {
    std::fill(out.begin(), out.end(), 0.0f);
    return;
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    double mean = 0;
    std::span<const int32_t> categories = items.categories(rows[i]);
    if (!categories.empty()) {
      auto c = data_->categories.find(items.Key(ItemTable::kCategory, categories.back()));
      if (c != data_->categories.end() && c->second.items > 0) {
        mean = data_->At(c->second.weight, now_ms, half_life_ms) / c->second.items;
      }
    }
    auto it = data_->items.find(items.id(rows[i]));
    const double own = it == data_->items.end() ? 0 : data_->At(it->second, now_ms, half_life_ms);
    out[i] = static_cast<float>(std::log1p((own + k * mean) / (1 + k)));
  }
}

size_t ItemPopularity::size() const {
  std::shared_lock lock(data_->mutex);
  return data_->items.size();
}

}  // namespace tailor::ranking
