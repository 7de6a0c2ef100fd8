#include "ranking/recommend/item_popularity.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/text.h"
#include "core/decay.h"

namespace tailor::ranking {
namespace {

// The profiles' decay arithmetic (seconds since the epoch, float weights).

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
  explicit Data(double half_life_hours) : decay(half_life_hours) {}
  const Decay decay;
  mutable std::shared_mutex mutex;
  std::unordered_map<std::string, Decayed> items;
  std::unordered_map<std::string, Category> categories;
  uint32_t latest = 0;  // the newest event's time
};

ItemPopularity::ItemPopularity(ItemPopularityOptions options)
    : options_(options), data_(std::make_unique<Data>(options.half_life_hours)) {}
ItemPopularity::~ItemPopularity() = default;

void ItemPopularity::Apply(const Event& event) {
  const double amount = WeightOf(event);
  if (event.item.empty() || amount <= 0) return;
  const uint32_t t = Seconds(event.timestamp_ms);
  std::string category = event.facts ? CategoryKey(event.facts->category) : std::string();
  Data& d = *data_;
  std::unique_lock lock(d.mutex);
  d.latest = std::max(d.latest, t);
  auto [item, inserted] = d.items.try_emplace(event.item);
  d.decay.Add(item->second, amount, t);
  if (!category.empty()) {
    Category& c = d.categories[category];
    d.decay.Add(c.weight, amount, t);
    if (inserted) ++c.items;
  }
  if (d.items.size() > options_.max_items) {
    // Keep the stronger half, compared at one time; categories keep their sums and counts
    // (a mean, not a census).
    std::vector<double> weights;
    weights.reserve(d.items.size());
    for (const auto& [id, w] : d.items) weights.push_back(d.decay.At(w, d.latest));
    std::nth_element(weights.begin(), weights.begin() + weights.size() / 2, weights.end());
    const double median = weights[weights.size() / 2];
    std::erase_if(d.items, [&](const auto& entry) {
      return d.decay.At(entry.second, d.latest) < median;
    });
  }
}

void ItemPopularity::Lookup(const ItemTable& items, std::span<const ItemTable::Row> rows,
                            int64_t now_ms, std::span<float> out) const {
  const double k = options_.prior_strength;
  const uint32_t now = Seconds(now_ms);
  const Decay& decay = data_->decay;
  std::shared_lock lock(data_->mutex);
  if (data_->items.empty()) {
    std::fill(out.begin(), out.end(), 0.0f);
    return;
  }
  // Candidates share few leaf categories: each one's mean is looked up once per call.
  std::unordered_map<int32_t, double> category_means;
  for (size_t i = 0; i < rows.size(); ++i) {
    double mean = 0;
    std::span<const int32_t> categories = items.categories(rows[i]);
    if (!categories.empty()) {
      auto [known, added] = category_means.try_emplace(categories.back(), 0.0);
      if (added) {
        auto c = data_->categories.find(items.Key(ItemTable::kCategory, categories.back()));
        if (c != data_->categories.end() && c->second.items > 0) {
          known->second = decay.At(c->second.weight, now) / c->second.items;
        }
      }
      mean = known->second;
    }
    auto it = data_->items.find(items.id(rows[i]));
    const double own = it == data_->items.end() ? 0 : decay.At(it->second, now);
    out[i] = static_cast<float>(std::log1p((own + k * mean) / (1 + k)));
  }
}

size_t ItemPopularity::size() const {
  std::shared_lock lock(data_->mutex);
  return data_->items.size();
}

}  // namespace tailor::ranking
