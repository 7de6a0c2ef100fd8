#include "ranking/recommend/item_popularity.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/decay.h"
#include "core/text.h"

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

// Each row's slot in Data::weights for one item table, found by id on the row's first
// Lookup and kept: a ranking looks up hundreds of candidates, and hashing their ids into a
// map of every item with events cost more than the rest of the ranking's features. An entry
// is 0 (not looked up yet), slot + 1, or -(n + 1): no events for the item when n items had
// some, so it is looked up again once new items got events. Within an epoch slots are only
// added, so the number of weights says whether any were.
struct RowSlots {
  RowSlots(uint64_t table, uint32_t epoch, size_t rows)
      : table(table), epoch(epoch), entries(rows) {}
  const uint64_t table;  // ItemTable::instance()
  const uint32_t epoch;  // Data::epoch
  std::vector<std::atomic<int64_t>> entries;
};

struct ItemPopularity::Data {
  explicit Data(double half_life_hours) : decay(half_life_hours) {}
  const Decay decay;
  mutable std::shared_mutex mutex;
  std::unordered_map<std::string, uint32_t> slots;  // item id -> index into weights
  std::vector<Decayed> weights;
  uint32_t epoch = 0;  // slots renumbered (items dropped) so many times
  std::unordered_map<std::string, Category> categories;
  uint32_t latest = 0;  // the newest event's time
  // The row slots of the table looked up last.
  mutable std::mutex row_slots_mutex;
  mutable std::shared_ptr<RowSlots> row_slots;

  // The row slots for items; requires: mutex held (shared), so epoch is stable.
  std::shared_ptr<RowSlots> RowSlotsFor(const ItemTable& items) const {
    std::lock_guard lock(row_slots_mutex);
    if (row_slots == nullptr || row_slots->table != items.instance() || row_slots->epoch != epoch) {
      row_slots = std::make_shared<RowSlots>(items.instance(), epoch, items.rows());
    }
    return row_slots;
  }
  // The item's weight, null when it has no events; requires: mutex held (shared).
  const Decayed* WeightOf(const ItemTable& items, ItemTable::Row row, RowSlots& cache) const {
    std::atomic<int64_t>& entry = cache.entries[row];
    int64_t known = entry.load(std::memory_order_relaxed);
    if (known > 0) return &weights[static_cast<size_t>(known - 1)];
    const auto items_with_events = static_cast<int64_t>(weights.size());
    if (known < 0 && -known - 1 == items_with_events) return nullptr;
    auto it = slots.find(items.id(row));
    known = it == slots.end() ? -(items_with_events + 1) : int64_t{it->second} + 1;
    entry.store(known, std::memory_order_relaxed);
    return known > 0 ? &weights[it->second] : nullptr;
  }
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
  auto [item, inserted] = d.slots.try_emplace(event.item, static_cast<uint32_t>(d.weights.size()));
  if (inserted) d.weights.emplace_back();
  d.decay.Add(d.weights[item->second], amount, t);
  if (!category.empty()) {
    Category& c = d.categories[category];
    d.decay.Add(c.weight, amount, t);
    if (inserted) ++c.items;
  }
  if (d.slots.size() > options_.max_items) {
    // Keep the stronger half, compared at one time; categories keep their sums and counts
    // (a mean, not a census). The kept items get new slots: every row cache starts over.
    std::vector<double> now;
    now.reserve(d.weights.size());
    for (const Decayed& w : d.weights) now.push_back(d.decay.At(w, d.latest));
    std::vector<double> sorted = now;
    std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
    const double median = sorted[sorted.size() / 2];
    std::vector<Decayed> kept;
    for (auto it = d.slots.begin(); it != d.slots.end();) {
      if (now[it->second] < median) {
        it = d.slots.erase(it);
        continue;
      }
      kept.push_back(d.weights[it->second]);
      it->second = static_cast<uint32_t>(kept.size() - 1);
      ++it;
    }
    d.weights = std::move(kept);
    ++d.epoch;
  }
}

void ItemPopularity::Lookup(const ItemTable& items, std::span<const ItemTable::Row> rows,
                            int64_t now_ms, std::span<float> out) const {
  const double k = options_.prior_strength;
  const uint32_t now = Seconds(now_ms);
  const Decay& decay = data_->decay;
  std::shared_lock lock(data_->mutex);
  if (data_->slots.empty()) {
    std::fill(out.begin(), out.end(), 0.0f);
    return;
  }
  const std::shared_ptr<RowSlots> row_slots = data_->RowSlotsFor(items);
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
    const Decayed* weight = data_->WeightOf(items, rows[i], *row_slots);
    const double own = weight == nullptr ? 0 : decay.At(*weight, now);
    out[i] = static_cast<float>(std::log1p((own + k * mean) / (1 + k)));
  }
}

size_t ItemPopularity::size() const {
  std::shared_lock lock(data_->mutex);
  return data_->slots.size();
}

}  // namespace tailor::ranking
