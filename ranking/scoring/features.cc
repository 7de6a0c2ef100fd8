#include "ranking/scoring/features.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <span>
#include <utility>

#include "ranking/scoring/internal/query_matcher.h"

namespace tailor::ranking {
namespace {

constexpr double kMinSpread = 0.1;
constexpr double kRootCategoryFactor = 0.5;
constexpr double kMaxSpreadsAbove = 3;
// The shrinkage prior of a price level's confidence, as the profile's prior_strength default.
constexpr double kPricePrior = 3;
// The last views that closeness features compare an item with.
constexpr size_t kLastViews = 5;
// A view this close to the visitor's latest event is of the same session.
constexpr int64_t kSessionMs = 30 * 60 * 1000;
// exp(-|log price ratio| / kPriceCloseness): a 25 % dearer item scores about 0.4.
constexpr double kPriceCloseness = 0.25;
// The confidence prior of brand_concentration, in event weight.
constexpr double kConcentrationPrior = 3;

const std::vector<std::string> kNames = {
    "text_score",    "text_rank",         "strict",       "title_match",
    "brand_match",   "category_match",    "brand_affinity", "category_affinity",
    "color_affinity", "price_fit",        "price_above_level", "relative_price_fit",
    "relative_price_above", "sensitivity_x_discount",
    "discount",      "size_in",           "size_out",     "seen",
    "in_cart",       "bought",            "popularity",   "popularity_missing",
    "rating",        "rating_missing",    "margin",       "margin_missing",
    "in_stock",      "stock",
    "event_popularity", "view_count",     "view_recency", "viewed_this_session",
    "last_views_brand", "last_views_category", "last_views_price",
    "brand_concentration", "brand_x_concentration", "co_viewed",
};

// A map by table id kept as one vector sorted by id. A profile has at most a few dozen
// entries per map, and one is built per request: a binary search over one allocation costs
// less than a hash map's node per entry.
template <typename Value>
class SmallMap {
 public:
  // Sets key's value; a later Set of the same key replaces it, as in a map.
  void Set(int32_t key, Value value) {
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [key](const Entry& entry) { return entry.first == key; });
    if (it != entries_.end()) {
      it->second = value;
    } else {
      entries_.push_back({key, value});
    }
  }
  // Call after the last Set, before any Find.
  void Seal() {
    std::sort(entries_.begin(), entries_.end(),
              [](const Entry& a, const Entry& b) { return a.first < b.first; });
  }
  // Null when key is absent.
  const Value* Find(int32_t key) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                               [](const Entry& entry, int32_t k) { return entry.first < k; });
    return it != entries_.end() && it->first == key ? &it->second : nullptr;
  }

 private:
  using Entry = std::pair<int32_t, Value>;
  std::vector<Entry> entries_;
};

using Affinities = SmallMap<double>;

Affinities AffinityById(const std::vector<ProfileView::Affinity>& list, const ItemTable& items,
                        ItemTable::Dict dict) {
  Affinities by_id;
  for (const ProfileView::Affinity& affinity : list) {
    int32_t id = items.FindKey(dict, affinity.key);
    if (id != ItemTable::kNone) by_id.Set(id, affinity.affinity);
  }
  by_id.Seal();
  return by_id;
}

double Lookup(const Affinities& map, int32_t id) {
  const double* affinity = map.Find(id);
  return affinity == nullptr ? 0 : *affinity;
}

// The rows of a profile's item list that the table has, with the price the visitor saw.
struct SeenRow {
  ItemTable::Row row;
  double price_seen;
  const ProfileView::ItemRef* ref;  // the profile's entry it was resolved from
};
std::vector<SeenRow> Resolve(const std::vector<ProfileView::ItemRef>& refs, const ItemTable& items) {
  std::vector<SeenRow> rows;
  rows.reserve(refs.size());
  for (const ProfileView::ItemRef& ref : refs) {
    if (std::optional<ItemTable::Row> row = items.Find(ref.item)) {
      rows.push_back({*row, ref.price_seen, &ref});
    }
  }
  return rows;
}

// Sorted and unique, for std::binary_search.
std::vector<ItemTable::Row> RowsOf(const std::vector<SeenRow>& seen) {
  std::vector<ItemTable::Row> rows;
  rows.reserve(seen.size());
  for (const SeenRow& s : seen) rows.push_back(s.row);
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  return rows;
}

bool Contains(const std::vector<ItemTable::Row>& rows, ItemTable::Row row) {
  return std::binary_search(rows.begin(), rows.end(), row);
}

// What price_fit needs of a ProfileView::PriceLevel (its strings are not copied per request).
struct Level {
  double mean_log_price = 0;
  double spread_log_price = 0;
  double weight = 0;
};

Level LevelOf(const ProfileView::PriceLevel& level) {
  return {level.mean_log_price, level.spread_log_price, level.weight};
}

// log_price minus the median log price of the item's deepest category; nullopt when the
// item has no priced category.
std::optional<double> RelativeTo(const ItemTable& items, ItemTable::Row row, double log_price) {
  std::span<const int32_t> categories = items.categories(row);
  if (categories.empty()) return std::nullopt;
  std::optional<double> median = items.category_median_log_price(categories.back());
  if (!median) return std::nullopt;
  return log_price - *median;
}

std::optional<double> RelativeLogPrice(const ItemTable& items, ItemTable::Row row, double price) {
  if (price <= 0) return std::nullopt;
  return RelativeTo(items, row, std::log(price));
}

// The weighted mean and mean absolute deviation of the relative log prices of the items the
// visitor viewed (weight 1), has in the cart (2) and bought (3), at the prices they saw.
std::optional<Level> RelativeLevel(const ItemTable& items, const std::vector<SeenRow>& views,
                                   const std::vector<SeenRow>& cart,
                                   const std::vector<SeenRow>& purchases) {
  std::vector<std::pair<double, double>> seen;  // relative log price, weight
  auto add = [&](const std::vector<SeenRow>& rows, double weight) {
    for (const SeenRow& s : rows) {
      if (std::optional<double> r = RelativeLogPrice(items, s.row, s.price_seen)) {
        seen.push_back({*r, weight});
      }
    }
  };
  add(views, 1);
  add(cart, 2);
  add(purchases, 3);
  if (seen.empty()) return std::nullopt;
  Level level;
  for (auto [r, w] : seen) {
    level.mean_log_price += r * w;
    level.weight += w;
  }
  level.mean_log_price /= level.weight;
  for (auto [r, w] : seen) level.spread_log_price += std::abs(r - level.mean_log_price) * w;
  level.spread_log_price /= level.weight;
  return level;
}

// The fit of log price x against a level: confidence * exp(-z^2 / 2), and the spreads above
// it, max(0, z - 1) clipped.
std::pair<double, double> Fit(const Level& level, double x) {
  const double spread = std::max(level.spread_log_price, kMinSpread);
  const double z = (x - level.mean_log_price) / spread;
  const double confidence = level.weight / (level.weight + kPricePrior);
  return {confidence * std::exp(-z * z / 2), std::clamp(z - 1, 0.0, kMaxSpreadsAbove)};
}

}  // namespace

struct PreparedProfile::Data {
  // A size system where the visitor has a size, and the visitor's size ids in it.
  struct SizeSystem {
    std::string name;             // SizeSystemOf
    std::vector<int32_t> wanted;  // may hold kNone: a size no item has
  };

  bool has_profile = false;
  Affinities brands, categories, colors;
  std::vector<SizeSystem> size_systems;
  // By the table's size id: SystemOf's answer, kUnresolved until first asked. Resolving only
  // the sizes candidates have spares parsing every size of the table per request; FitOf is
  // const and may run on several threads, hence atomics (each thread stores the same value).
  static constexpr int kUnresolved = -2;
  std::unique_ptr<std::atomic<int>[]> system_of_size;
  // Price levels by the table's category id of a top category; overall as fallback.
  SmallMap<Level> levels;
  std::optional<Level> overall;
  // The visitor's level of prices relative to their category (relative_price_fit).
  std::optional<Level> relative;
  double sensitivity = 0.5;
  std::vector<ItemTable::Row> in_cart, bought;  // sorted
  // The recent views the table has, by row (sorted): place newest first, times viewed.
  // `seen` is FindViewed(row) != nullptr.
  struct Viewed {
    ItemTable::Row row;
    int place;
    int views;
    bool this_session;
  };
  std::vector<Viewed> viewed;
  // The newest kLastViews views: what closeness features compare with.
  struct LastView {
    ItemTable::Row row;
    int32_t brand;
    int32_t category;  // deepest level, kNone when none
    double log_price;  // of the price seen, 0 when unknown
  };
  std::vector<LastView> last_views;
  double brand_concentration = 0;

  // views: the profile's recent views the table has (Resolve), newest first.
  void PrepareViews(const ProfileView& profile, const std::vector<SeenRow>& views,
                    const ItemTable& items);
  const Viewed* FindViewed(ItemTable::Row row) const;

  void PrepareSizes(const ProfileView& profile, const ItemTable& items, double min_share);
  // The index in size_systems of the system of a size of the table, -1 when the visitor has
  // no size in that system.
  int SystemOf(const ItemTable& items, int32_t size) const;
};

void PreparedProfile::Data::PrepareSizes(const ProfileView& profile, const ItemTable& items,
                                         double min_share) {
  for (const ProfileView::SizePreference& size : profile.sizes) {
    if (size.share < min_share) continue;
    auto system = std::find_if(size_systems.begin(), size_systems.end(),
                               [&size](const SizeSystem& s) { return s.name == size.system; });
    if (system == size_systems.end()) system = size_systems.insert(system, {size.system, {}});
    // A size no item has still marks its system as one where the visitor has a size.
    system->wanted.push_back(items.FindKey(ItemTable::kSize, size.key));
  }
  if (size_systems.empty()) return;
  const size_t table_sizes = items.DictSize(ItemTable::kSize);
  system_of_size = std::make_unique<std::atomic<int>[]>(table_sizes);
  for (size_t id = 0; id < table_sizes; ++id) system_of_size[id] = kUnresolved;
}

int PreparedProfile::Data::SystemOf(const ItemTable& items, int32_t size) const {
  std::atomic<int>& slot = system_of_size[static_cast<size_t>(size)];
  int system = slot.load(std::memory_order_relaxed);
  if (system != kUnresolved) return system;
  const std::string_view name = SizeSystemOf(items.Display(ItemTable::kSize, size));
  auto it = std::find_if(size_systems.begin(), size_systems.end(),
                         [name](const SizeSystem& s) { return s.name == name; });
  system = it == size_systems.end() ? -1 : static_cast<int>(it - size_systems.begin());
  slot.store(system, std::memory_order_relaxed);
  return system;
}

void PreparedProfile::Data::PrepareViews(const ProfileView& profile,
                                         const std::vector<SeenRow>& views,
                                         const ItemTable& items) {
  int place = 0;
  for (const SeenRow& seen_row : views) {
    const ProfileView::ItemRef& ref = *seen_row.ref;
    const ItemTable::Row row = seen_row.row;
    const bool session = profile.updated_ms - ref.at_ms <= kSessionMs;
    viewed.push_back({row, place++, std::max(ref.views, 1), session});
    if (last_views.size() < kLastViews) {
      std::span<const int32_t> categories = items.categories(row);
      last_views.push_back({row, items.brand(row),
                            categories.empty() ? ItemTable::kNone : categories.back(),
                            ref.price_seen > 0 ? std::log(ref.price_seen) : 0});
    }
  }
  std::sort(viewed.begin(), viewed.end(),
            [](const Viewed& a, const Viewed& b) { return a.row < b.row; });
  // Herfindahl index squares / total^2 times confidence total / (total + prior).
  double total = 0, squares = 0;
  for (const ProfileView::Affinity& brand : profile.brands) {
    const double weight = std::max(0.0, brand.weight);
    total += weight;
    squares += weight * weight;
  }
  if (total > 0) brand_concentration = squares / (total * (total + kConcentrationPrior));
}

const PreparedProfile::Data::Viewed* PreparedProfile::Data::FindViewed(ItemTable::Row row) const {
  auto it = std::lower_bound(viewed.begin(), viewed.end(), row,
                             [](const Viewed& v, ItemTable::Row r) { return v.row < r; });
  return it != viewed.end() && it->row == row ? &*it : nullptr;
}

PreparedProfile::PreparedProfile(const ProfileView* profile, const ItemTable& items,
                                 FeatureOptions options)
    : items_(&items), data_(std::make_unique<Data>()) {
  if (profile == nullptr) return;
  Data& d = *data_;
  d.has_profile = true;
  d.brands = AffinityById(profile->brands, items, ItemTable::kBrand);
  d.categories = AffinityById(profile->categories, items, ItemTable::kCategory);
  d.colors = AffinityById(profile->colors, items, ItemTable::kColor);
  d.PrepareSizes(*profile, items, options.min_size_share);
  for (const ProfileView::PriceLevel& level : profile->price_levels) {
    if (level.key.empty()) {
      d.overall = LevelOf(level);
      continue;
    }
    int32_t id = items.FindKey(ItemTable::kCategory, level.key);
    if (id != ItemTable::kNone) d.levels.Set(id, LevelOf(level));
  }
  d.levels.Seal();
  d.sensitivity = profile->price_sensitivity;
  const std::vector<SeenRow> views = Resolve(profile->recent_views, items);
  const std::vector<SeenRow> cart = Resolve(profile->cart, items);
  const std::vector<SeenRow> purchases = Resolve(profile->purchases, items);
  d.relative = RelativeLevel(items, views, cart, purchases);
  d.in_cart = RowsOf(cart);
  d.bought = RowsOf(purchases);
  d.PrepareViews(*profile, views, items);
}

PreparedProfile::~PreparedProfile() = default;
PreparedProfile::PreparedProfile(PreparedProfile&&) noexcept = default;
PreparedProfile& PreparedProfile::operator=(PreparedProfile&&) noexcept = default;

bool PreparedProfile::has_profile() const { return data_->has_profile; }

SizeFit PreparedProfile::FitOf(ItemTable::Row row) const {
  const Data& d = *data_;
  if (d.size_systems.empty()) return SizeFit::kUnknown;
  const std::span<const int32_t> sizes = items_->sizes(row);
  bool out_of_size = false;
  for (size_t s = 0; s < d.size_systems.size(); ++s) {
    const bool sized_here = std::any_of(sizes.begin(), sizes.end(), [&](int32_t size) {
      return d.SystemOf(*items_, size) == static_cast<int>(s);
    });
    if (!sized_here) continue;
    const std::vector<int32_t>& wanted = d.size_systems[s].wanted;
    for (int32_t size : items_->sizes_in_stock(row)) {
      if (std::find(wanted.begin(), wanted.end(), size) != wanted.end()) return SizeFit::kInSize;
    }
    out_of_size = true;
  }
  return out_of_size ? SizeFit::kOutOfSize : SizeFit::kUnknown;
}

const std::vector<std::string>& FeatureNames() { return kNames; }

int FeatureIndex(std::string_view name) {
  auto it = std::find(kNames.begin(), kNames.end(), name);
  return it == kNames.end() ? -1 : static_cast<int>(it - kNames.begin());
}

const char* SizeFitName(SizeFit fit) {
  switch (fit) {
    case SizeFit::kInSize: return "in_size";
    case SizeFit::kOutOfSize: return "out_of_size";
    case SizeFit::kUnknown: break;
  }
  return "unknown";
}

namespace {

// One row of a FeatureMatrix: values are computed in double and stored as float.
class RowWriter {
 public:
  explicit RowWriter(std::span<float> values) : values_(values) {}
  void Set(Feature feature, double value) { values_[feature] = static_cast<float>(value); }

 private:
  std::span<float> values_;
};

// The features that need no profile: text, query words and catalog values.
// The query-word matches only when matcher is not null.
void SetItemFeatures(const ItemTable& items, internal::QueryMatcher* matcher, double best_text,
                     const Candidate& c, RowWriter out) {
  const ItemTable::Row row = c.row;
  out.Set(kTextScore, best_text > 0 ? c.text_score / best_text : 0);
  out.Set(kTextRank, 1.0 / std::log2(c.text_rank + 2.0));
  out.Set(kStrict, c.strict ? 1 : 0);
  if (matcher != nullptr) {
    out.Set(kTitleMatch, matcher->TitleMatch(row));
    out.Set(kBrandMatch, matcher->BrandMatch(row) ? 1 : 0);
    out.Set(kCategoryMatch, matcher->CategoryMatch(row) ? 1 : 0);
  }
  out.Set(kDiscount, items.discount(row));
  std::optional<double> popularity = items.popularity(row);
  out.Set(kPopularity, popularity ? std::log1p(std::max(0.0, *popularity)) : 0);
  out.Set(kPopularityMissing, popularity ? 0 : 1);
  std::optional<double> rating = items.rating(row);
  out.Set(kRating, rating.value_or(0));
  out.Set(kRatingMissing, rating ? 0 : 1);
  std::optional<double> margin = items.margin(row);
  out.Set(kMargin, margin.value_or(0));
  out.Set(kMarginMissing, margin ? 0 : 1);
  // One stock() for both: in_stock(row) is !stock || *stock > 0.
  std::optional<long> stock = items.stock(row);
  out.Set(kInStock, !stock || *stock > 0 ? 1 : 0);
  out.Set(kStock, stock ? std::log1p(static_cast<double>(std::max(0L, *stock))) : 0);
  out.Set(kEventPopularity, c.event_popularity);
  out.Set(kCoViewed, c.co_viewed);
}

}  // namespace

void PreparedProfile::SetProfileFeatures(ItemTable::Row row, std::span<float> values,
                                         const FeatureGroups& groups) const {
  const ItemTable& items = *items_;
  const Data& p = *data_;
  RowWriter out(values);
  const int32_t brand = items.brand(row);
  if (brand != ItemTable::kNone) out.Set(kBrandAffinity, Lookup(p.brands, brand));
  std::span<const int32_t> categories = items.categories(row);
  double category = 0;
  for (size_t level = 0; level < categories.size(); ++level) {
    const double factor = level == 0 ? kRootCategoryFactor : 1.0;
    category = std::max(category, factor * Lookup(p.categories, categories[level]));
  }
  out.Set(kCategoryAffinity, category);
  double color = 0;
  for (int32_t id : items.colors(row)) color = std::max(color, Lookup(p.colors, id));
  out.Set(kColorAffinity, color);
  const Level* level = p.overall ? &*p.overall : nullptr;
  if (!categories.empty()) {
    if (const Level* top = p.levels.Find(categories[0])) level = top;
  }
  const double price = items.price(row);
  const double log_price =
      price > 0 && (groups.price || groups.relative_price || groups.views) ? std::log(price) : 0;
  if (groups.price && level != nullptr && price > 0) {
    auto [fit, above] = Fit(*level, log_price);
    out.Set(kPriceFit, fit);
    out.Set(kPriceAboveLevel, above);
  }
  if (groups.relative_price && p.relative && price > 0) {
    if (std::optional<double> r = RelativeTo(items, row, log_price)) {
      auto [fit, above] = Fit(*p.relative, *r);
      out.Set(kRelativePriceFit, fit);
      out.Set(kRelativePriceAbove, above);
    }
  }
  out.Set(kSensitivityXDiscount, p.sensitivity * items.discount(row));
  if (groups.size) {
    const SizeFit fit = FitOf(row);
    out.Set(kSizeIn, fit == SizeFit::kInSize ? 1 : 0);
    out.Set(kSizeOut, fit == SizeFit::kOutOfSize ? 1 : 0);
  }
  out.Set(kSeen, p.FindViewed(row) != nullptr ? 1 : 0);
  out.Set(kInCart, Contains(p.in_cart, row) ? 1 : 0);
  out.Set(kBought, Contains(p.bought, row) ? 1 : 0);
  if (groups.views) SetViewFeatures(row, brand, categories, log_price, values);
  out.Set(kBrandConcentration, p.brand_concentration);
  out.Set(kBrandXConcentration, values[kBrandAffinity] * p.brand_concentration);
}

void PreparedProfile::SetViewFeatures(ItemTable::Row row, int32_t brand,
                                      std::span<const int32_t> categories, double log_price,
                                      std::span<float> values) const {
  const Data& p = *data_;
  RowWriter out(values);
  if (const Data::Viewed* viewed = p.FindViewed(row)) {
    out.Set(kViewCount, std::log1p(viewed->views));
    out.Set(kViewRecency, 1.0 / (1.0 + viewed->place));
    out.Set(kViewedThisSession, viewed->this_session ? 1 : 0);
  }
  const int32_t category = categories.empty() ? ItemTable::kNone : categories.back();
  int compared = 0, same_brand = 0, same_category = 0;
  double nearest = -1;  // the smallest |log price ratio| in the same category, -1: none
  for (const Data::LastView& last : p.last_views) {
    if (last.row == row) continue;
    ++compared;
    if (brand != ItemTable::kNone && last.brand == brand) ++same_brand;
    if (category == ItemTable::kNone || last.category != category) continue;
    ++same_category;
    if (last.log_price != 0 && log_price != 0) {
      const double distance = std::abs(log_price - last.log_price);
      if (nearest < 0 || distance < nearest) nearest = distance;
    }
  }
  if (compared == 0) return;
  out.Set(kLastViewsBrand, static_cast<double>(same_brand) / compared);
  out.Set(kLastViewsCategory, static_cast<double>(same_category) / compared);
  out.Set(kLastViewsPrice, nearest < 0 ? 0 : std::exp(-nearest / kPriceCloseness));
}

FeatureMatrix ComputeFeatures(const PreparedProfile& profile, std::string_view query,
                              std::span<const Candidate> candidates) {
  return ComputeFeatures(profile, query, candidates, FeatureSet().set());
}

FeatureMatrix ComputeFeatures(const PreparedProfile& profile, std::string_view query,
                              std::span<const Candidate> candidates, const FeatureSet& needed) {
  const ItemTable& items = profile.items();
  FeatureMatrix m(static_cast<int>(candidates.size()), kFeatureCount);
  std::optional<internal::QueryMatcher> matcher;
  if (needed[kTitleMatch] || needed[kBrandMatch] || needed[kCategoryMatch]) {
    matcher.emplace(items, query);
  }
  const auto any = [&needed](std::initializer_list<int> features) {
    return std::any_of(features.begin(), features.end(), [&](int f) { return needed[f]; });
  };
  const PreparedProfile::FeatureGroups groups{
      .price = any({kPriceFit, kPriceAboveLevel}),
      .relative_price = any({kRelativePriceFit, kRelativePriceAbove}),
      .size = any({kSizeIn, kSizeOut}),
      .views = any({kViewCount, kViewRecency, kViewedThisSession, kLastViewsBrand,
                    kLastViewsCategory, kLastViewsPrice})};
  double best_text = 0;
  for (const Candidate& c : candidates) best_text = std::max(best_text, c.text_score);
  for (int i = 0; i < m.rows; ++i) {
    const std::span<float> values(m.values.data() + static_cast<size_t>(i) * m.cols,
                                  static_cast<size_t>(m.cols));
    SetItemFeatures(items, matcher ? &*matcher : nullptr, best_text, candidates[i],
                    RowWriter(values));
    if (profile.has_profile()) profile.SetProfileFeatures(candidates[i].row, values, groups);
  }
  return m;
}

FeatureSet FeatureSetOf(std::span<const std::string> names) {
  FeatureSet set;
  for (const std::string& name : names) {
    if (const int index = FeatureIndex(name); index >= 0) set.set(static_cast<size_t>(index));
  }
  return set;
}

}  // namespace tailor::ranking
