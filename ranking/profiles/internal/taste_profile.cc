#include "ranking/profiles/internal/taste_profile.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/text.h"

namespace tailor::ranking::internal {
namespace {

constexpr double kMinSpread = 0.1;     // of log(price): prices within ~10 % look alike
constexpr double kClipSpreads = 3;     // a price further out moves the level as if it were here
constexpr double kReducedAbove = 1.05;  // list_price above price * this: a reduced item
constexpr double kDiscountPrior = 0.25;
constexpr double kAbovePrior = 0.16;
constexpr int kMaxWeightQuantity = 10;
constexpr float kDropBelow = 1e-4f;

double EventWeight(const Event& event, const ProfileOptions& options) {
  const double quantity = std::min(event.quantity, kMaxWeightQuantity);
  switch (event.type) {
    case EventType::kView: return options.view_weight;
    case EventType::kClick: return options.click_weight;
    case EventType::kAddToCart: return options.add_to_cart_weight * quantity;
    case EventType::kPurchase: return options.purchase_weight * quantity;
    case EventType::kRemoveFromCart: return options.remove_from_cart_weight * quantity;
    case EventType::kSizeFilter: return 0;
  }
  return 0;
}

// Adds weight to id's entry of a capped map; a new id in a full map evicts the entry with
// the lowest decayed weight at time t. Entries that fall to ~0 are dropped.
void AddTo(std::vector<Entry>& entries, uint32_t id, double weight, uint32_t t, size_t cap,
           const Decay& decay) {
  auto it = std::find_if(entries.begin(), entries.end(), [id](const Entry& e) { return e.id == id; });
  if (it == entries.end()) {
    if (weight <= 0) return;
    if (entries.size() >= cap) {
      auto weakest = std::min_element(entries.begin(), entries.end(),
                                      [&](const Entry& a, const Entry& b) {
                                        return decay.At(a.value, t) < decay.At(b.value, t);
                                      });
      entries.erase(weakest);
    }
    entries.push_back(Entry{id, {}});
    it = entries.end() - 1;
  }
  decay.Add(it->value, weight, t);
  if (it->value.weight < kDropBelow) entries.erase(it);
}

std::string CategoryKey(const std::vector<std::string>& levels, size_t depth) {
  std::string key;
  for (size_t i = 0; i < depth; ++i) {
    if (i > 0) key += '/';
    key += NormalizeKeyword(levels[i]);
  }
  return key;
}

std::string CategoryDisplay(const std::vector<std::string>& levels, size_t depth) {
  std::string display;
  for (size_t i = 0; i < depth; ++i) {
    if (i > 0) display += '/';
    display += levels[i];
  }
  return display;
}

// Inserts or refreshes an item in a newest-first list capped at cap. With Count::kViews the
// entry's quantity counts the times the item was seen (recent views are never in a cart, so
// the field is free and the snapshot format stays as it was).
enum class Count { kNone, kViews };
void Remember(std::vector<ItemEntry>& list, ItemEntry entry, size_t cap, Count count) {
  if (count == Count::kViews) entry.quantity = 1;
  auto same = std::find_if(list.begin(), list.end(),
                           [&](const ItemEntry& e) { return e.item == entry.item; });
  if (same != list.end()) {
    if (count == Count::kViews) {
      same->quantity = std::max(same->quantity, 1) + 1;  // snapshots before counts held 0
      entry.quantity = same->quantity;
    }
    if (same->t > entry.t) return;  // an older event than what is known
    list.erase(same);
  }
  auto at = std::find_if(list.begin(), list.end(), [&](const ItemEntry& e) { return e.t <= entry.t; });
  list.insert(at, entry);
  if (list.size() > cap) list.pop_back();
}

template <typename T>
void PutVector(BinaryWriter& writer, const std::vector<T>& items, auto put) {
  writer.Put<uint32_t>(static_cast<uint32_t>(items.size()));
  for (const T& item : items) put(item);
}

template <typename T>
bool GetVector(BinaryReader& reader, std::vector<T>& items, auto get) {
  uint32_t count = 0;
  if (!reader.Get(count) || count > 100000) return false;
  items.resize(count);
  for (T& item : items) {
    if (!get(item)) return false;
  }
  return true;
}

void PutDecayed(BinaryWriter& writer, const Decayed& d) {
  writer.Put(d.weight);
  writer.Put(d.t);
}
bool GetDecayed(BinaryReader& reader, Decayed& d) { return reader.Get(d.weight) && reader.Get(d.t); }

}  // namespace


void TasteProfile::Apply(const Event& event, const ProfileOptions& options,
                         Vocabulary& vocabulary) {
  const Decay decay(options.half_life_hours);
  const uint32_t t = Seconds(event.timestamp_ms);
  updated_ms_ = std::max(updated_ms_, event.timestamp_ms);
  decay.Add(events_, 1, t);
  if (event.type == EventType::kSizeFilter) {
    for (const std::string& size : event.sizes) {
      std::string key = NormalizeKeyword(size);
      if (key.empty()) continue;
      LearnSize(vocabulary.Intern(VocabularyKind::kSize, key, size), options.size_filter_weight, t,
                options);
    }
    return;
  }
  const double weight = EventWeight(event, options);
  if (event.facts) LearnItem(event, *event.facts, weight, t, options, vocabulary);
  if (!event.size.empty() && (event.type == EventType::kAddToCart ||
                              event.type == EventType::kPurchase ||
                              event.type == EventType::kRemoveFromCart)) {
    std::string key = NormalizeKeyword(event.size);
    if (!key.empty()) {
      LearnSize(vocabulary.Intern(VocabularyKind::kSize, key, event.size), weight, t, options);
    }
  }
  TrackItems(event, t, options, vocabulary);
}

void TasteProfile::LearnItem(const Event& /*event*/, const ItemFacts& facts, double weight,
                             uint32_t t, const ProfileOptions& options, Vocabulary& vocabulary) {
  const Decay decay(options.half_life_hours);
  if (weight > 0) {
    decay.Add(brand_total_, facts.brand.empty() ? 0 : weight, t);
    decay.Add(category_total_, facts.category.empty() ? 0 : weight, t);
    decay.Add(color_total_, facts.colors.empty() ? 0 : weight, t);
  }
  std::string brand_key = NormalizeKeyword(facts.brand);
  if (!brand_key.empty()) {
    AddTo(brands_, vocabulary.Intern(VocabularyKind::kBrand, brand_key, facts.brand), weight, t,
          options.max_brands, decay);
  }
  for (size_t depth = 1; depth <= facts.category.size(); ++depth) {
    std::string key = CategoryKey(facts.category, depth);
    if (key.empty() || key.back() == '/') break;
    uint32_t id = vocabulary.Intern(VocabularyKind::kCategory, key,
                                    CategoryDisplay(facts.category, depth));
    AddTo(categories_, id, weight, t, options.max_categories, decay);
  }
  for (const std::string& color : facts.colors) {
    std::string key = NormalizeKeyword(color);
    if (key.empty()) continue;
    AddTo(colors_, vocabulary.Intern(VocabularyKind::kColor, key, color),
          weight / static_cast<double>(facts.colors.size()), t, options.max_colors, decay);
  }
  if (weight > 0 && facts.price > 0) LearnPrice(facts, weight, t, options, vocabulary);
}

void TasteProfile::LearnPrice(const ItemFacts& facts, double weight, uint32_t t,
                              const ProfileOptions& options, Vocabulary& vocabulary) {
  const Decay decay(options.half_life_hours);
  const double x = std::log(facts.price);
  uint32_t category = Vocabulary::kNone;
  if (!facts.category.empty()) {
    std::string key = NormalizeKeyword(facts.category[0]);
    if (!key.empty()) category = vocabulary.Intern(VocabularyKind::kCategory, key, facts.category[0]);
  }
  auto level_of = [&](uint32_t id) -> PriceLevelEntry* {
    auto it = std::find_if(price_levels_.begin(), price_levels_.end(),
                           [id](const PriceLevelEntry& l) { return l.category == id; });
    return it == price_levels_.end() ? nullptr : &*it;
  };
  // Sensitivity: judged against the level the visitor had before this item.
  const PriceLevelEntry* before = category != Vocabulary::kNone ? level_of(category) : nullptr;
  if (before == nullptr) before = level_of(Vocabulary::kNone);
  const bool above = before != nullptr && before->weight.weight > 0 &&
                     x - before->mean > std::max<double>(before->spread, kMinSpread);
  decay.Add(engaged_, weight, t);
  decay.Add(discounted_, facts.list_price > facts.price * kReducedAbove ? weight : 0, t);
  decay.Add(above_level_, above ? weight : 0, t);

  auto update = [&](uint32_t id) {
    PriceLevelEntry* level = level_of(id);
    if (level == nullptr) {
      // The overall level comes first and is never evicted.
      if (price_levels_.size() >= static_cast<size_t>(options.max_price_levels)) {
        if (price_levels_.size() < 2) return;
        auto weakest = std::min_element(
            price_levels_.begin() + 1, price_levels_.end(),
            [&](const PriceLevelEntry& a, const PriceLevelEntry& b) {
              return decay.At(a.weight, t) < decay.At(b.weight, t);
            });
        price_levels_.erase(weakest);
      }
      price_levels_.push_back(PriceLevelEntry{id, static_cast<float>(x), 0, {}});
      decay.Add(price_levels_.back().weight, weight, t);
      return;
    }
    const double old_weight = decay.At(level->weight, t);
    decay.Add(level->weight, weight, t);
    const double share = weight / std::max(old_weight + weight, 1e-9);
    const double clip = kClipSpreads * std::max<double>(level->spread, kMinSpread);
    const double deviation = std::clamp(x - level->mean, -clip, clip);
    level->mean = static_cast<float>(level->mean + share * deviation);
    level->spread =
        static_cast<float>(level->spread + share * (std::abs(deviation) - level->spread));
  };
  update(Vocabulary::kNone);
  if (category != Vocabulary::kNone) update(category);
}

void TasteProfile::LearnSize(uint32_t size, double weight, uint32_t t,
                             const ProfileOptions& options) {
  AddTo(sizes_, size, weight, t, options.max_sizes, Decay(options.half_life_hours));
}

void TasteProfile::TrackItems(const Event& event, uint32_t t, const ProfileOptions& options,
                              Vocabulary& vocabulary) {
  if (event.item.empty()) return;
  const uint32_t item = vocabulary.Intern(VocabularyKind::kItem, event.item, event.item);
  const float price = event.facts ? static_cast<float>(event.facts->price) : 0.0f;
  uint32_t size = Vocabulary::kNone;
  if (std::string key = NormalizeKeyword(event.size); !key.empty()) {
    size = vocabulary.Intern(VocabularyKind::kSize, key, event.size);
  }
  auto in_cart = std::find_if(cart_.begin(), cart_.end(), [&](const ItemEntry& e) {
    return e.item == item && e.size == size;
  });
  switch (event.type) {
    case EventType::kView:
    case EventType::kClick:
      Remember(recent_views_, ItemEntry{item, Vocabulary::kNone, 0, price, t},
               static_cast<size_t>(options.max_recent_views), Count::kViews);
      break;
    case EventType::kAddToCart:
      if (in_cart != cart_.end()) {
        in_cart->quantity += event.quantity;
        in_cart->t = std::max(in_cart->t, t);
        if (price > 0) in_cart->price = price;
      } else {
        if (cart_.size() >= static_cast<size_t>(options.max_cart)) {
          cart_.erase(std::min_element(cart_.begin(), cart_.end(),
                                       [](const ItemEntry& a, const ItemEntry& b) {
                                         return a.t < b.t;
                                       }));
        }
        cart_.push_back(ItemEntry{item, size, event.quantity, price, t});
      }
      break;
    case EventType::kRemoveFromCart:
      if (in_cart != cart_.end()) {
        in_cart->quantity -= event.quantity;
        if (in_cart->quantity <= 0) cart_.erase(in_cart);
      }
      break;
    case EventType::kPurchase:
      if (in_cart != cart_.end()) cart_.erase(in_cart);
      Remember(purchases_, ItemEntry{item, Vocabulary::kNone, 0, price, t},
               static_cast<size_t>(options.max_purchases), Count::kNone);
      break;
    case EventType::kSizeFilter:
      break;
  }
}

namespace {

std::vector<ProfileView::Affinity> Affinities(const std::vector<Entry>& entries,
                                              const Decayed& total, uint32_t t,
                                              const ProfileOptions& options, const Decay& decay,
                                              const Vocabulary& vocabulary) {
  std::vector<ProfileView::Affinity> out;
  const double denominator = decay.At(total, t) + options.prior_strength;
  for (const Entry& entry : entries) {
    const double weight = decay.At(entry.value, t);
    out.push_back({vocabulary.Key(entry.id), vocabulary.Display(entry.id),
                   denominator > 0 ? weight / denominator : 0, weight});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.key < b.key;
  });
  return out;
}

ProfileView::ItemRef ItemRefOf(const ItemEntry& entry, const Vocabulary& vocabulary) {
  ProfileView::ItemRef ref;
  ref.item = vocabulary.Display(entry.item);
  ref.price_seen = entry.price;
  if (entry.size != Vocabulary::kNone) ref.size = vocabulary.Display(entry.size);
  ref.quantity = entry.quantity;
  ref.at_ms = static_cast<int64_t>(entry.t) * 1000;
  return ref;
}

}  // namespace

ProfileView TasteProfile::View(const std::string& visitor, int64_t now_ms,
                               const ProfileOptions& options,
                               const Vocabulary& vocabulary) const {
  const Decay decay(options.half_life_hours);
  const uint32_t t = Seconds(now_ms);
  ProfileView view;
  view.visitor = visitor;
  view.updated_ms = updated_ms_;
  view.events = decay.At(events_, t);
  view.brands = Affinities(brands_, brand_total_, t, options, decay, vocabulary);
  view.categories = Affinities(categories_, category_total_, t, options, decay, vocabulary);
  view.colors = Affinities(colors_, color_total_, t, options, decay, vocabulary);
  for (const PriceLevelEntry& level : price_levels_) {
    ProfileView::PriceLevel out;
    if (level.category != Vocabulary::kNone) {
      out.category = vocabulary.Display(level.category);
      out.key = vocabulary.Key(level.category);
    }
    out.mean_log_price = level.mean;
    out.spread_log_price = std::max<double>(level.spread, kMinSpread);
    out.weight = decay.At(level.weight, t);
    view.price_levels.push_back(std::move(out));
  }
  std::stable_sort(view.price_levels.begin(), view.price_levels.end(),
                   [](const auto& a, const auto& b) {
                     if (a.key.empty() != b.key.empty()) return a.key.empty();
                     return a.weight > b.weight;
                   });
  const double prior = options.prior_strength;
  const double engaged = decay.At(engaged_, t);
  view.discount_share = (decay.At(discounted_, t) + kDiscountPrior * prior) / (engaged + prior);
  view.above_level_share = (decay.At(above_level_, t) + kAbovePrior * prior) / (engaged + prior);
  if (engaged + prior <= 0) view.discount_share = kDiscountPrior, view.above_level_share = kAbovePrior;
  view.price_sensitivity = std::clamp(
      0.5 + (view.discount_share - kDiscountPrior) - (view.above_level_share - kAbovePrior), 0.0, 1.0);
  // Sizes: each size's share of its system's weight.
  for (const Entry& entry : sizes_) {
    ProfileView::SizePreference size;
    size.key = vocabulary.Key(entry.id);
    size.display = vocabulary.Display(entry.id);
    size.system = std::string(SizeSystemOf(size.display));
    size.weight = decay.At(entry.value, t);
    view.sizes.push_back(std::move(size));
  }
  for (ProfileView::SizePreference& size : view.sizes) {
    double system_total = 0;
    for (const ProfileView::SizePreference& other : view.sizes) {
      if (other.system == size.system) system_total += other.weight;
    }
    size.share = system_total > 0 ? size.weight / system_total : 0;
  }
  std::sort(view.sizes.begin(), view.sizes.end(), [](const auto& a, const auto& b) {
    if (a.system != b.system) return a.system < b.system;
    return a.weight != b.weight ? a.weight > b.weight : a.key < b.key;
  });
  for (const ItemEntry& entry : recent_views_) {
    view.recent_views.push_back(ItemRefOf(entry, vocabulary));
    view.recent_views.back().views = std::max(entry.quantity, 1);
    view.recent_views.back().quantity = 0;
  }
  for (const ItemEntry& entry : cart_) view.cart.push_back(ItemRefOf(entry, vocabulary));
  for (const ItemEntry& entry : purchases_) view.purchases.push_back(ItemRefOf(entry, vocabulary));
  return view;
}

size_t TasteProfile::HeapBytes() const {
  return (brands_.capacity() + categories_.capacity() + colors_.capacity() + sizes_.capacity()) *
             sizeof(Entry) +
         price_levels_.capacity() * sizeof(PriceLevelEntry) +
         (recent_views_.capacity() + cart_.capacity() + purchases_.capacity()) * sizeof(ItemEntry);
}

void TasteProfile::Save(BinaryWriter& writer) const {
  writer.Put(updated_ms_);
  for (const Decayed* d : {&events_, &engaged_, &discounted_, &above_level_, &brand_total_,
                           &category_total_, &color_total_}) {
    PutDecayed(writer, *d);
  }
  auto put_entry = [&](const Entry& e) {
    writer.Put(e.id);
    PutDecayed(writer, e.value);
  };
  for (const std::vector<Entry>* entries : {&brands_, &categories_, &colors_, &sizes_}) {
    PutVector(writer, *entries, put_entry);
  }
  PutVector(writer, price_levels_, [&](const PriceLevelEntry& l) {
    writer.Put(l.category);
    writer.Put(l.mean);
    writer.Put(l.spread);
    PutDecayed(writer, l.weight);
  });
  auto put_item = [&](const ItemEntry& e) {
    writer.Put(e.item);
    writer.Put(e.size);
    writer.Put(e.quantity);
    writer.Put(e.price);
    writer.Put(e.t);
  };
  for (const std::vector<ItemEntry>* items : {&recent_views_, &cart_, &purchases_}) {
    PutVector(writer, *items, put_item);
  }
}

bool TasteProfile::Load(BinaryReader& reader, uint32_t vocabulary_size) {
  auto known = [vocabulary_size](uint32_t id) {
    return id == Vocabulary::kNone || id < vocabulary_size;
  };
  if (!reader.Get(updated_ms_)) return false;
  for (Decayed* d : {&events_, &engaged_, &discounted_, &above_level_, &brand_total_,
                     &category_total_, &color_total_}) {
    if (!GetDecayed(reader, *d)) return false;
  }
  auto get_entry = [&](Entry& e) {
    return reader.Get(e.id) && e.id < vocabulary_size && GetDecayed(reader, e.value);
  };
  for (std::vector<Entry>* entries : {&brands_, &categories_, &colors_, &sizes_}) {
    if (!GetVector(reader, *entries, get_entry)) return false;
  }
  if (!GetVector(reader, price_levels_, [&](PriceLevelEntry& l) {
        return reader.Get(l.category) && known(l.category) && reader.Get(l.mean) &&
               reader.Get(l.spread) && GetDecayed(reader, l.weight);
      })) {
    return false;
  }
  auto get_item = [&](ItemEntry& e) {
    return reader.Get(e.item) && e.item < vocabulary_size && reader.Get(e.size) &&
           known(e.size) && reader.Get(e.quantity) && reader.Get(e.price) && reader.Get(e.t);
  };
  for (std::vector<ItemEntry>* items : {&recent_views_, &cart_, &purchases_}) {
    if (!GetVector(reader, *items, get_item)) return false;
  }
  return true;
}

}  // namespace tailor::ranking::internal
