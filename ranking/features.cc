#include "ranking/features.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace tailor::ranking {
namespace {

constexpr double kMinSpread = 0.1;
constexpr double kRootCategoryFactor = 0.5;
constexpr double kMaxSpreadsAbove = 3;
// The shrinkage prior of a price level's confidence, as the profile's prior_strength default.
constexpr double kPricePrior = 3;

const std::vector<std::string> kNames = {
    "text_score",    "text_rank",         "strict",       "title_match",
    "brand_match",   "category_match",    "brand_affinity", "category_affinity",
    "color_affinity", "price_fit",        "price_above_level", "sensitivity_x_discount",
    "discount",      "size_in",           "size_out",     "seen",
    "in_cart",       "bought",            "popularity",   "popularity_missing",
    "rating",        "rating_missing",    "margin",       "margin_missing",
    "in_stock",      "stock",
};

std::unordered_map<int32_t, double> AffinityById(const std::vector<ProfileView::Affinity>& list,
                                                 const ItemTable& items, ItemTable::Dict dict) {
  std::unordered_map<int32_t, double> by_id;
  for (const ProfileView::Affinity& affinity : list) {
    int32_t id = items.FindKey(dict, affinity.key);
    if (id != ItemTable::kNone) by_id[id] = affinity.affinity;
  }
  return by_id;
}

double Lookup(const std::unordered_map<int32_t, double>& map, int32_t id) {
  auto it = map.find(id);
  return it == map.end() ? 0 : it->second;
}

std::unordered_set<ItemTable::Row> RowsOf(const std::vector<ProfileView::ItemRef>& refs,
                                          const ItemTable& items) {
  std::unordered_set<ItemTable::Row> rows;
  for (const ProfileView::ItemRef& ref : refs) {
    if (std::optional<ItemTable::Row> row = items.Find(ref.item)) rows.insert(*row);
  }
  return rows;
}

std::vector<std::string_view> SplitWords(std::string_view words) {
  std::vector<std::string_view> out;
  while (!words.empty()) {
    size_t space = words.find(' ');
    out.push_back(words.substr(0, space));
    if (space == std::string_view::npos) break;
    words.remove_prefix(space + 1);
  }
  return out;
}

// Equal, or one is the other's plural ("shirt"/"shirts", "dress"/"dresses").
bool SameWord(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.substr(0, a.size()) != a) return false;
  std::string_view rest = b.substr(a.size());
  return rest.empty() || rest == "s" || rest == "es";
}

bool HasWord(std::string_view words, std::string_view word) {
  while (!words.empty()) {
    size_t space = words.find(' ');
    if (SameWord(words.substr(0, space), word)) return true;
    if (space == std::string_view::npos) break;
    words.remove_prefix(space + 1);
  }
  return false;
}

// Whether every word of `phrase` (TitleWords form) is among the query words.
bool QueryNames(const std::vector<std::string_view>& query_words, std::string_view phrase) {
  if (phrase.empty()) return false;
  for (std::string_view word : SplitWords(phrase)) {
    bool found = std::any_of(query_words.begin(), query_words.end(),
                             [word](std::string_view q) { return SameWord(q, word); });
    if (!found) return false;
  }
  return true;
}

}  // namespace

struct PreparedProfile::Data {
  bool has_profile = false;
  std::unordered_map<int32_t, double> brands, categories, colors;
  // Size systems where the visitor has a size: system -> the visitor's size ids there.
  std::unordered_map<std::string, std::vector<int32_t>> sizes_by_system;
  std::vector<std::string> system_of_size;  // by the table's size id
  // Price levels by the table's category id of a top category; overall as fallback.
  std::unordered_map<int32_t, ProfileView::PriceLevel> levels;
  std::optional<ProfileView::PriceLevel> overall;
  double sensitivity = 0.5;
  std::unordered_set<ItemTable::Row> seen, in_cart, bought;
};

PreparedProfile::PreparedProfile(const ProfileView* profile, const ItemTable& items,
                                 FeatureOptions options)
    : items_(&items), data_(std::make_unique<Data>()) {
  if (profile == nullptr) return;
  Data& d = *data_;
  d.has_profile = true;
  d.brands = AffinityById(profile->brands, items, ItemTable::kBrand);
  d.categories = AffinityById(profile->categories, items, ItemTable::kCategory);
  d.colors = AffinityById(profile->colors, items, ItemTable::kColor);
  for (const ProfileView::SizePreference& size : profile->sizes) {
    if (size.share < options.min_size_share) continue;
    // A size no item has still marks its system as one where the visitor has a size.
    d.sizes_by_system[size.system].push_back(items.FindKey(ItemTable::kSize, size.key));
  }
  if (!d.sizes_by_system.empty()) {
    d.system_of_size.reserve(items.DictSize(ItemTable::kSize));
    for (size_t id = 0; id < items.DictSize(ItemTable::kSize); ++id) {
      d.system_of_size.emplace_back(
          SizeSystemOf(items.Display(ItemTable::kSize, static_cast<int32_t>(id))));
    }
  }
  for (const ProfileView::PriceLevel& level : profile->price_levels) {
    if (level.key.empty()) {
      d.overall = level;
      continue;
    }
    int32_t id = items.FindKey(ItemTable::kCategory, level.key);
    if (id != ItemTable::kNone) d.levels[id] = level;
  }
  d.sensitivity = profile->price_sensitivity;
  d.seen = RowsOf(profile->recent_views, items);
  d.in_cart = RowsOf(profile->cart, items);
  d.bought = RowsOf(profile->purchases, items);
}

PreparedProfile::~PreparedProfile() = default;
PreparedProfile::PreparedProfile(PreparedProfile&&) noexcept = default;
PreparedProfile& PreparedProfile::operator=(PreparedProfile&&) noexcept = default;

bool PreparedProfile::has_profile() const { return data_->has_profile; }

SizeFit PreparedProfile::FitOf(ItemTable::Row row) const {
  const Data& d = *data_;
  if (d.sizes_by_system.empty()) return SizeFit::kUnknown;
  bool out_of_size = false;
  for (const auto& [system, wanted] : d.sizes_by_system) {
    bool sized_here = false;
    for (int32_t size : items_->sizes(row)) {
      if (d.system_of_size[size] == system) sized_here = true;
    }
    if (!sized_here) continue;
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

// The query-dependent features: text and the words the query shares with the item.
class QueryMatcher {
 public:
  QueryMatcher(const ItemTable& items, std::string_view query)
      : items_(items), words_(TitleWords(query)), query_words_(SplitWords(words_)) {}

  double TitleMatch(ItemTable::Row row) const {
    if (query_words_.empty()) return 0;
    int found = 0;
    for (std::string_view word : query_words_) found += HasWord(items_.title_words(row), word);
    return static_cast<double>(found) / query_words_.size();
  }
  bool BrandMatch(ItemTable::Row row) {
    const int32_t brand = items_.brand(row);
    if (brand == ItemTable::kNone || query_words_.empty()) return false;
    return Cached(brand_named_, brand, items_.Display(ItemTable::kBrand, brand));
  }
  bool CategoryMatch(ItemTable::Row row) {
    if (query_words_.empty()) return false;
    for (int32_t category : items_.categories(row)) {
      // A category id's display is its path; the query names the path's last level.
      std::string_view path = items_.Display(ItemTable::kCategory, category);
      size_t slash = path.rfind('/');
      std::string_view level = slash == std::string_view::npos ? path : path.substr(slash + 1);
      if (Cached(category_named_, category, level)) return true;
    }
    return false;
  }

 private:
  bool Cached(std::unordered_map<int32_t, bool>& cache, int32_t id, std::string_view display) {
    auto [it, inserted] = cache.emplace(id, false);
    if (inserted) it->second = QueryNames(query_words_, TitleWords(display));
    return it->second;
  }

  const ItemTable& items_;
  std::string words_;
  std::vector<std::string_view> query_words_;
  std::unordered_map<int32_t, bool> brand_named_, category_named_;
};

}  // namespace

FeatureMatrix ComputeFeatures(const PreparedProfile& profile, std::string_view query,
                              std::span<const Candidate> candidates) {
  const ItemTable& items = *profile.items_;
  const PreparedProfile::Data& p = *profile.data_;
  FeatureMatrix m(static_cast<int>(candidates.size()), kFeatureCount);
  QueryMatcher matcher(items, query);
  double best_text = 0;
  for (const Candidate& c : candidates) best_text = std::max(best_text, c.text_score);
  for (int i = 0; i < m.rows; ++i) {
    const Candidate& c = candidates[i];
    const ItemTable::Row row = c.row;
    auto set = [&](Feature f, double value) { m.at(i, f) = static_cast<float>(value); };
    set(kTextScore, best_text > 0 ? c.text_score / best_text : 0);
    set(kTextRank, 1.0 / std::log2(c.text_rank + 2.0));
    set(kStrict, c.strict ? 1 : 0);
    set(kTitleMatch, matcher.TitleMatch(row));
    set(kBrandMatch, matcher.BrandMatch(row) ? 1 : 0);
    set(kCategoryMatch, matcher.CategoryMatch(row) ? 1 : 0);
    set(kDiscount, items.discount(row));
    std::optional<double> popularity = items.popularity(row);
    set(kPopularity, popularity ? std::log1p(std::max(0.0, *popularity)) : 0);
    set(kPopularityMissing, popularity ? 0 : 1);
    std::optional<double> rating = items.rating(row);
    set(kRating, rating.value_or(0));
    set(kRatingMissing, rating ? 0 : 1);
    std::optional<double> margin = items.margin(row);
    set(kMargin, margin.value_or(0));
    set(kMarginMissing, margin ? 0 : 1);
    set(kInStock, items.in_stock(row) ? 1 : 0);
    std::optional<long> stock = items.stock(row);
    set(kStock, stock ? std::log1p(static_cast<double>(std::max(0L, *stock))) : 0);
    if (!p.has_profile) continue;

    if (items.brand(row) != ItemTable::kNone) set(kBrandAffinity, Lookup(p.brands, items.brand(row)));
    std::span<const int32_t> categories = items.categories(row);
    double category = 0;
    for (size_t level = 0; level < categories.size(); ++level) {
      const double factor = level == 0 ? kRootCategoryFactor : 1.0;
      category = std::max(category, factor * Lookup(p.categories, categories[level]));
    }
    set(kCategoryAffinity, category);
    double color = 0;
    for (int32_t id : items.colors(row)) color = std::max(color, Lookup(p.colors, id));
    set(kColorAffinity, color);
    const ProfileView::PriceLevel* level = p.overall ? &*p.overall : nullptr;
    if (!categories.empty()) {
      if (auto it = p.levels.find(categories[0]); it != p.levels.end()) level = &it->second;
    }
    if (level != nullptr && items.price(row) > 0) {
      const double spread = std::max(level->spread_log_price, kMinSpread);
      const double z = (std::log(items.price(row)) - level->mean_log_price) / spread;
      const double confidence = level->weight / (level->weight + kPricePrior);
      set(kPriceFit, confidence * std::exp(-z * z / 2));
      set(kPriceAboveLevel, std::clamp(z - 1, 0.0, kMaxSpreadsAbove));
    }
    set(kSensitivityXDiscount, p.sensitivity * items.discount(row));
    const SizeFit fit = profile.FitOf(row);
    set(kSizeIn, fit == SizeFit::kInSize ? 1 : 0);
    set(kSizeOut, fit == SizeFit::kOutOfSize ? 1 : 0);
    set(kSeen, p.seen.count(row) ? 1 : 0);
    set(kInCart, p.in_cart.count(row) ? 1 : 0);
    set(kBought, p.bought.count(row) ? 1 : 0);
  }
  return m;
}

}  // namespace tailor::ranking
