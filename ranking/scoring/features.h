// Ranking features: the one place that defines what the learned scoring layer sees of a
// (query, item, visitor profile, context) tuple.
//
// The registry is a fixed, ordered list of named features (FeatureNames()). ComputeFeatures
// fills a FeatureMatrix for a batch of candidates at once: one row per candidate, one column
// per registry feature, in registry order. Live ranking scores that matrix with a Model
// (ranking/scoring/model.h), the feature log stores the same rows as computed, and tailor-ranker
// trains and replays from those rows: nothing is computed twice and no feature has two
// definitions. The definitions (all 0 when the profile is absent unless said otherwise):
//   text_score          BM25 score / the best score in the batch, in [0, 1]
//   text_rank           1 / log2(text rank + 2): the text ranking's position discount
//   strict              1 when the item matched every query word (AND), 0 for OR-only
//   title_match         share of the query's words that appear in the title, in [0, 1]
//   brand_match         1 when the query names the item's brand
//   category_match      1 when the query names a level of the item's category path
//   brand_affinity      the visitor's affinity for the item's brand, in [0, 1)
//   category_affinity   strongest affinity among the item's category levels (root level half)
//   color_affinity      strongest affinity among the item's colours
//   price_fit           exp(-z^2 / 2) * confidence, z = (log price - level) / spread against
//                       the visitor's level for the item's top category (else overall),
//                       confidence = w / (w + prior_strength); 0 when no level is known
//   price_above_level   max(0, z - 1) clipped to 3: spreads above the visitor's level
//   relative_price_fit  the same fit for prices relative to their category: r = log price -
//                       the median log price of the item's deepest category, against the
//                       visitor's level of r over the items they viewed (weight 1), have in
//                       the cart (2) and bought (3), at the prices they saw; so a visitor
//                       who buys premium shirts is at home with premium watches too
//   relative_price_above  max(0, z - 1) clipped to 3 for that relative level
//   sensitivity_x_discount  the visitor's price sensitivity times the item's discount
//   discount            1 - price / list_price when reduced, else 0 (no profile needed)
//   size_in             1 when one of the visitor's sizes is in stock (SizeFit::kInSize)
//   size_out            1 when sized in a system where the visitor has a size but none of
//                       theirs is in stock (kOutOfSize); both 0: unknown
//   seen                1 when the item is among the visitor's recent views
//   in_cart             1 when the item is in the visitor's cart
//   bought              1 when the visitor bought the item
//   popularity          log(1 + popularity), 0 when unknown
//   popularity_missing  1 when the catalog gives no popularity
//   rating              the catalog rating, 0 when unknown
//   rating_missing      1 when the catalog gives no rating
//   margin              the catalog margin (0..1), 0 when unknown
//   margin_missing      1 when the catalog gives no margin
//   in_stock            1 when the item has stock (or its stock is unknown)
//   stock               log(1 + units in stock), 0 when unknown
//   event_popularity    the item's popularity learned from the shop's events
//                       (ranking/recommend/item_popularity.h, Candidate::event_popularity); no
//                       profile
//   view_count          log(1 + times the visitor viewed or clicked the item)
//   view_recency        1 / (1 + the item's place among the visitor's recent views, newest
//                       first): 1 for the item they looked at last, 0 when not among them
//   viewed_this_session 1 when the visitor's last view of the item is within 30 minutes
//                       of their latest event
//   last_views_brand    share of the visitor's last 5 viewed items (the item itself left
//                       out) that have the item's brand
//   last_views_category share of them in the item's deepest category
//   last_views_price    closeness of the price to the nearest price seen among those of
//                       them in the item's deepest category: exp(-|log(price / seen)| / 0.25)
//   brand_concentration how loyal the visitor is: the Herfindahl index of their brand
//                       weights (1: one brand), times confidence w / (w + 3)
//   brand_x_concentration  brand_affinity * brand_concentration: a loyal shopper's brand
//                       counts more than a browser's (a linear model cannot multiply)
//   co_viewed           how often other visitors looked at the item together with one of
//                       the visitor's last viewed items: the strongest co-view score
//                       (ranking/recommend/co_occurrence.h, CoSource::kViews) with any of
//                       them, in [0, 1] (Candidate::co_viewed, filled by the server)
// Newness is not a feature: catalog records carry no date (DESIGN.md), so there is nothing
// honest to compute it from.
#pragma once

#include <bitset>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/item_table.h"
#include "ranking/profiles/profile.h"

namespace tailor::ranking {

// The registry, in column order. Stable within a build; models name their features, so a
// model keeps working when features are added (and is refused when one it needs is gone).
enum Feature : int {
  kTextScore,
  kTextRank,
  kStrict,
  kTitleMatch,
  kBrandMatch,
  kCategoryMatch,
  kBrandAffinity,
  kCategoryAffinity,
  kColorAffinity,
  kPriceFit,
  kPriceAboveLevel,
  kRelativePriceFit,
  kRelativePriceAbove,
  kSensitivityXDiscount,
  kDiscount,
  kSizeIn,
  kSizeOut,
  kSeen,
  kInCart,
  kBought,
  kPopularity,
  kPopularityMissing,
  kRating,
  kRatingMissing,
  kMargin,
  kMarginMissing,
  kInStock,
  kStock,
  kEventPopularity,
  kViewCount,
  kViewRecency,
  kViewedThisSession,
  kLastViewsBrand,
  kLastViewsCategory,
  kLastViewsPrice,
  kBrandConcentration,
  kBrandXConcentration,
  kCoViewed,
  kFeatureCount,
};

// A set of registry features, a bit per Feature.
using FeatureSet = std::bitset<kFeatureCount>;

// The names of the registry's features, in column order ("text_score", ...).
const std::vector<std::string>& FeatureNames();
// The column of a feature name, -1 when the registry has no such feature.
int FeatureIndex(std::string_view name);

// A dense row-major matrix of feature values: rows = candidates, cols = features.
struct FeatureMatrix {
  int rows = 0;
  int cols = 0;
  std::vector<float> values;  // rows * cols, row-major

  FeatureMatrix() = default;
  FeatureMatrix(int rows_, int cols_)
      : rows(rows_), cols(cols_), values(static_cast<size_t>(rows_) * cols_, 0.0f) {}
  float& at(int row, int col) { return values[static_cast<size_t>(row) * cols + col]; }
  float at(int row, int col) const { return values[static_cast<size_t>(row) * cols + col]; }
  std::span<const float> row(int r) const {
    return {values.data() + static_cast<size_t>(r) * cols, static_cast<size_t>(cols)};
  }
};

// One candidate of a ranking: an item of the table and what retrieval said of it.
struct Candidate {
  ItemTable::Row row = 0;  // the item's row in the table (its Xapian docid)
  double text_score = 0;   // BM25 score from the searcher (0 for /rerank lists)
  int text_rank = 0;       // position in the text ranking (or in the list given)
  bool strict = true;      // matched every query word (false: relaxed OR-only match)
  float event_popularity = 0;  // ItemPopularity::Lookup's value (0: no events known)
  float co_viewed = 0;         // CoOccurrence::Affinity with the visitor's last views (0: none)
};

enum class SizeFit {
  kUnknown,    // the visitor has no size in any system the item is sized in
  kInSize,     // one of the visitor's sizes is in stock
  kOutOfSize,  // sized in a system where the visitor has a size, but none of theirs in stock
};
// "unknown", "in_size", "out_of_size".
const char* SizeFitName(SizeFit fit);

struct FeatureOptions {
  // A size counts as the visitor's when its share of the visitor's weight in its size
  // system is at least this.
  double min_size_share = 0.25;
};

// The visitor's profile prepared against one item table (ids resolved once per request).
// Build one per ranking; cheap (linear in the profile's size; the size system of a table size
// is parsed when FitOf first meets it, not for every size of the table). Thread-safe to read.
class PreparedProfile {
 public:
  // profile may be null (anonymous or personalize=false): every profile feature is 0 and
  // every size fit unknown.
  PreparedProfile(const ProfileView* profile, const ItemTable& items, FeatureOptions options);
  ~PreparedProfile();
  PreparedProfile(PreparedProfile&&) noexcept;
  PreparedProfile& operator=(PreparedProfile&&) noexcept;

  // The item's fit for the visitor's sizes (size_in / size_out). Requires: row present.
  SizeFit FitOf(ItemTable::Row row) const;
  bool has_profile() const;
  const ItemTable& items() const { return *items_; }

 private:
  friend FeatureMatrix ComputeFeatures(const PreparedProfile&, std::string_view,
                                       std::span<const Candidate>, const FeatureSet&);
  struct Data;
  // Which of the costlier profile features SetProfileFeatures computes (the others always).
  struct FeatureGroups {
    bool price = true;           // price_fit, price_above_level
    bool relative_price = true;  // relative_price_fit, relative_price_above
    bool size = true;            // size_in, size_out
    bool views = true;           // view_count ... last_views_price (SetViewFeatures)
  };
  // Writes the profile features of row into values (one matrix row, registry order).
  void SetProfileFeatures(ItemTable::Row row, std::span<float> values,
                          const FeatureGroups& groups) const;
  // The re-visit and closeness features of row (brand, categories and log price its own).
  void SetViewFeatures(ItemTable::Row row, int32_t brand, std::span<const int32_t> categories,
                       double log_price, std::span<float> values) const;
  const ItemTable* items_;
  std::unique_ptr<Data> data_;
};

// The features of every candidate for one query, rows in the order given. Requires: every
// candidate's row is present in the profile's item table. Thread-safe.
FeatureMatrix ComputeFeatures(const PreparedProfile& profile, std::string_view query,
                              std::span<const Candidate> candidates);
// The same for a model that reads only `needed` (a first phase, VariantConfig's
// first_phase_model_path): the needed columns hold ComputeFeatures' values; the query-word
// matches (title_match, brand_match, category_match), the price fits, the relative price
// fits, the size fit and the re-visit and closeness features (view_count ...
// last_views_price) are each computed only when one of their group is needed, else read 0;
// the other columns may hold their values or 0.
FeatureMatrix ComputeFeatures(const PreparedProfile& profile, std::string_view query,
                              std::span<const Candidate> candidates, const FeatureSet& needed);
// The registry features among names (a model's feature_names()); unknown names are left out.
FeatureSet FeatureSetOf(std::span<const std::string> names);

}  // namespace tailor::ranking
