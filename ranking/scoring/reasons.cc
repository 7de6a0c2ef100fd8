#include "ranking/scoring/reasons.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "ranking/profiles/profile_words.h"
#include "ranking/scoring/features.h"

namespace tailor::ranking {
namespace {

// Without a model, a feature's value times this orders the reasons (the baseline's taste).
double DefaultWeight(int feature) {
  switch (feature) {
    case kBrandAffinity: return 1.0;
    case kViewCount: case kViewRecency: case kSeen: return 0.6;
    case kInCart: return 0.6;
    case kSizeIn: return 0.5;
    case kCategoryAffinity: case kColorAffinity: case kPriceFit: return 0.5;
    case kDiscount: return 0.4;
    case kEventPopularity: return 0.2;
    case kCoViewed: return 0.4;
    case kTitleMatch: return 0.3;
    default: return 0;
  }
}

// What a reason needs to know about the item and the visitor.
struct Context {
  const ItemTable& items;
  ItemTable::Row row;
  const ProfileView* profile;
};

int RecentViewsOfBrand(const Context& c) {
  const int32_t brand = c.items.brand(c.row);
  int count = 0;
  for (const ProfileView::ItemRef& view : c.profile->recent_views) {
    std::optional<ItemTable::Row> row = c.items.Find(view.item);
    if (row && c.items.brand(*row) == brand) count += std::max(view.views, 1);
  }
  return count;
}

std::string BrandReason(const Context& c) {
  const int32_t brand = c.items.brand(c.row);
  if (brand == ItemTable::kNone || c.profile == nullptr) return "";
  const std::string& name = c.items.Display(ItemTable::kBrand, brand);
  const int views = RecentViewsOfBrand(c);
  return views > 0 ? name + ", a brand you looked at " + TimesInWords(views)
                   : name + ", a brand you like";
}

std::string CategoryLeafInWords(const Context& c) {
  std::span<const int32_t> categories = c.items.categories(c.row);
  if (categories.empty()) return "";
  return LeafInWords(c.items.Display(ItemTable::kCategory, categories.back()));
}

std::string ColorReason(const Context& c) {
  if (c.profile == nullptr) return "";
  for (int32_t color : c.items.colors(c.row)) {
    const std::string& key = c.items.Key(ItemTable::kColor, color);
    for (const ProfileView::Affinity& liked : c.profile->colors) {
      if (liked.key == key) return "in " + liked.display + ", a colour you like";
    }
  }
  return "";
}

std::string PriceReason(const Context& c) {
  if (c.profile == nullptr || c.profile->price_levels.empty()) return "";
  std::span<const int32_t> categories = c.items.categories(c.row);
  const ProfileView::PriceLevel* level = &c.profile->price_levels.front();
  if (!categories.empty()) {
    const std::string& top = c.items.Key(ItemTable::kCategory, categories.front());
    for (const ProfileView::PriceLevel& l : c.profile->price_levels) {
      if (l.key == top) level = &l;
    }
  }
  std::string where = level->category.empty() ? "" : " in " + level->category;
  return "near the price you usually pay" + where + " (about " +
         PriceInWords(level->typical_price()) + ")";
}

std::string SizeReason(const Context& c) {
  if (c.profile == nullptr) return "";
  for (int32_t size : c.items.sizes_in_stock(c.row)) {
    const std::string& key = c.items.Key(ItemTable::kSize, size);
    for (const ProfileView::SizePreference& mine : c.profile->sizes) {
      if (mine.key == key && mine.share >= 0.25) return "in your size " + mine.display;
    }
  }
  return "in your size";
}

std::string ViewReason(const Context& c, int feature) {
  if (c.profile == nullptr) return "";
  const std::string& id = c.items.id(c.row);
  for (size_t place = 0; place < c.profile->recent_views.size(); ++place) {
    const ProfileView::ItemRef& view = c.profile->recent_views[place];
    if (view.item != id) continue;
    if (feature == kViewedThisSession) return "you looked at it earlier in this visit";
    if (feature == kViewRecency && place == 0) return "the item you looked at last";
    return "you looked at it " + TimesInWords(std::max(view.views, 1));
  }
  return "";
}

std::string Percent(double share) {
  return std::to_string(static_cast<int>(std::lround(share * 100))) + " %";
}

std::string ReasonOf(const Context& c, int feature) {
  switch (feature) {
    case kBrandAffinity: case kBrandXConcentration: return BrandReason(c);
    case kLastViewsBrand: {
      const int32_t brand = c.items.brand(c.row);
      return brand == ItemTable::kNone ? "" : "the same brand as what you just looked at (" +
                                                  c.items.Display(ItemTable::kBrand, brand) + ")";
    }
    case kCategoryAffinity: {
      const std::string leaf = CategoryLeafInWords(c);
      return leaf.empty() ? "" : leaf + ", a kind of product you shop";
    }
    case kLastViewsCategory: case kLastViewsPrice: {
      const std::string leaf = CategoryLeafInWords(c);
      return leaf.empty() ? "" : "like the " + leaf + " you just looked at";
    }
    case kColorAffinity: return ColorReason(c);
    case kPriceFit: case kRelativePriceFit: return PriceReason(c);
    case kSizeIn: return SizeReason(c);
    case kSeen: case kViewCount: case kViewRecency: case kViewedThisSession:
      return ViewReason(c, feature);
    case kInCart: return "in your cart";
    case kBought: return "you bought it before";
    case kDiscount: case kSensitivityXDiscount:
      return c.items.discount(c.row) > 0 ? "reduced by " + Percent(c.items.discount(c.row)) : "";
    case kEventPopularity: case kPopularity: return "popular with other shoppers";
    case kCoViewed: return "shoppers who looked at what you looked at also looked at this";
    case kRating: {
      std::optional<double> rating = c.items.rating(c.row);
      if (!rating) return "";
      char buffer[32];
      std::snprintf(buffer, sizeof(buffer), "rated %.1f", *rating);
      return buffer;
    }
    case kTextScore: case kTitleMatch: case kStrict: case kTextRank:
      return "matches your search";
    case kBrandMatch: return "the brand you searched for";
    case kCategoryMatch: return "the kind of product you searched for";
    default: return "";
  }
}

}  // namespace

std::vector<std::string> ReasonsFor(const ItemTable& items, ItemTable::Row row,
                                    std::span<const float> features,
                                    std::span<const double> contributions,
                                    const ProfileView* profile, size_t max_reasons) {
  const Context context{items, row, profile};
  std::vector<std::pair<double, int>> ranked;  // strength, feature
  for (size_t f = 0; f < features.size() && f < static_cast<size_t>(kFeatureCount); ++f) {
    const double strength = contributions.empty() ? features[f] * DefaultWeight(static_cast<int>(f))
                                                  : (f < contributions.size() ? contributions[f] : 0);
    if (strength > 1e-6 && features[f] != 0) ranked.push_back({strength, static_cast<int>(f)});
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> reasons;
  if (static_cast<size_t>(kSizeOut) < features.size() && features[kSizeOut] > 0) {
    reasons.push_back("not in stock in your size");
  }
  for (const auto& [strength, feature] : ranked) {
    if (reasons.size() >= max_reasons) break;
    std::string reason = ReasonOf(context, feature);
    if (reason.empty() || std::find(reasons.begin(), reasons.end(), reason) != reasons.end()) {
      continue;
    }
    reasons.push_back(std::move(reason));
  }
  return reasons;
}

}  // namespace tailor::ranking
