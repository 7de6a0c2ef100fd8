// The shopper model of tailor-simulate: visitors with hidden preferences, the true utility
// of an item for a visitor, how they pose queries, examine a result page, click, add to
// cart and buy, and the true graded relevance that scores a served ranking. The weights and
// ranges below are those of the run's World (bench/simulator/world.h); the figures in
// brackets are world 0's, the fixed world the simulator had before worlds were drawn.
//
// Visitors. Each has a preferred top category (Men, Women, Boys, ... drawn by item count,
// among tops of at least kMinTopItems items); World::min_brands..max_brands [1-3] favourite
// brands and 1-2 favourite colours drawn by item count within that top; per top category a
// price level, lognormal around the top's median price (sigma World::price_level_sigma
// [0.4] in log), and one price sensitivity in [0, 1]; one size per size system
// (ranking::SizeSystemOf: letter, shoe_uk, age, numeric, ...) drawn from the sizes the
// preferred top offers in that system; and 3-5 category paths (top, leaf) they shop most.
// Kids: a visitor whose preferred top is Boys, Girls or Kids is a parent; another is one
// with probability World::parent_share [1]; parents get 1..World::parent_kids_paths [0]
// extra interests in a kids' top, and only parents keep a size in the "age" system.
//
// Utility of an item for a visitor (kept below ~5):
//   brand: +first_brand [1.5] the first favourite, +other_brand [1.0] another favourite
//   colour: +color [0.6] when one of the item's colours is a favourite
//   price: +price_fit [1.0] exp(-x^2 / (2 price_fit_sigma^2 [0.4])) - over_price [1.5]
//          sensitivity max(0, x), where x is, for PriceTaste::kRelative [world 0], the item's
//          log price moved to its top category (CatalogItem::top_log_price) minus the log
//          price level of that top (a premium shirt and a premium watch fit the same
//          visitor), and for kAbsolute the item's log price minus the visitor's own log level
//          in the item's category path (lognormal around the path's median, drawn per path)
//   reduced: +discount [2.0] sensitivity discount (discount = 1 - price / list_price)
//   category: +preferred_top [0.6] the preferred top, +0.3 Unisex
//   rating: +0.2 (rating - 4), within [-0.4, 0.2], when rated
//   taste: a fixed N(0, 0.3) per visitor and item (what no feature explains)
//   re-visit: +revisit [0] when the visitor viewed the item in an earlier search
// An item the visitor cannot buy (sized but not in stock in their size, or sold out) keeps
// its utility for clicks but is never added to cart and has gain 0.
//
// All functions are pure (random draws come from the Rng passed in) and thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "bench/simulator/catalog_model.h"
#include "bench/simulator/rng.h"
#include "bench/simulator/world.h"

namespace tailor::simulator {

// Tops with fewer items are not drawn as a visitor's preferred top.
inline constexpr size_t kMinTopItems = 100;
// Category paths with fewer items are not used as query intents.
inline constexpr size_t kMinPathItems = 5;

struct Visitor {
  int index = 0;
  int top = -1;                              // preferred top category, index into Catalog::tops
  std::vector<std::string> brands;           // favourites, the first one strongest
  std::vector<std::string> colors;           // favourites
  std::vector<double> price_level;           // per top category (Catalog::tops), in currency units
  double price_sensitivity = 0;              // 0..1
  std::map<std::string, std::string> sizes;  // size system -> the visitor's size
  std::vector<int> interests;                // category paths shopped most
  bool parent = false;                       // shops kids' sizes too (header comment)
  // Items viewed in earlier searches: the simulation adds to it as the visitor clicks, and
  // Utility adds World::revisit for them.
  std::unordered_set<size_t> viewed;
};

// Draws visitor `index`'s hidden preferences in `world`. Deterministic in (catalog, world,
// seed, index); in world 0 the same visitors as before worlds existed.
// Requires: catalog has at least one top category.
Visitor MakeVisitor(const Catalog& catalog, const World& world, uint64_t seed, int index);

// True for tops named Boys, Girls or Kids (any case).
bool IsKidsTop(std::string_view top);

// The true utility of products[item] for the visitor in `world` (header comment), `seed`
// being the one MakeVisitor was given.
double Utility(const Catalog& catalog, const World& world, const Visitor& visitor, uint64_t seed,
               size_t item);

// The size the visitor would put in the cart: their size of the item's system when it is in
// stock; "" for an unsized item in stock; nullopt when the visitor cannot buy the item.
std::optional<std::string> SizeToBuy(const Catalog& catalog, const Visitor& visitor, size_t item);

// Graded relevance 0..3 of an item of utility `utility` (thresholds kGain1..kGain3), 0 when
// the visitor cannot buy it.
inline constexpr double kGain1 = 1.5, kGain2 = 2.1, kGain3 = 2.7;
int GainOf(double utility, bool can_buy);

// Probability that position (0-based) is examined: (1 / (position + 1))^eta.
double ExaminationProbability(int position, double eta);

// One visitor's scan of one result page under World::click_model. Each position has one
// uniform draw in [0, 1): Examines reads it under kPositionBased (examined when draw <
// ExaminationProbability), After reads it under kCascade (after a click the scan stops when
// draw < cascade_stop; after an item examined and not clicked, when draw >= patience). Once
// stopped, no later position is examined. Not thread-safe; one per page.
class PageScan {
 public:
  explicit PageScan(const World& world) : world_(world) {}
  // Whether the visitor looks at `position`; positions are asked in increasing order.
  bool Examines(int position, double draw) const;
  // What the visitor did at an examined position, with that position's draw.
  void After(bool clicked, double draw);
  bool stopped() const { return stopped_; }

 private:
  const World& world_;
  bool stopped_ = false;
};
// Probability of a click on an examined item: sigmoid(1.8 (utility - 2.4)).
double ClickProbability(double utility);
// Probability that a clicked item the visitor can buy goes into the cart:
// 0.6 sigmoid(2 (utility - 2.4)).
double CartProbability(double utility);
// Probability that a carted item is bought at the end of the session:
// 0.3 + 0.6 sigmoid(2 (utility - 2.7)).
double PurchaseProbability(double utility);

// A query and the intent behind it: the items of category paths with leaf `leaf`, only in
// top category `top` when top >= 0, only of `brand` when it is not empty.
struct Query {
  std::string text;
  std::string leaf;
  int top = -1;
  std::string brand;
};

// True when products[item] is one of the items `query` asks for.
bool Matches(const Catalog& catalog, const Query& query, size_t item);

// The category path a session is about: one of the visitor's interests with probability
// 0.8, else any path of at least kMinPathItems items by item count.
int PickSessionPath(const Catalog& catalog, const Visitor& visitor, Rng& rng);

// One search of a session about `path`: the leaf name in lower case ("t-shirts", 40%), with
// the top category in front when it is a gender or age group ("men t-shirts", 30%), or a
// brand in front ("puma sneakers", 30%; a favourite brand that sells the path's leaf when
// there is one, else a brand of the path by item count).
Query PickQuery(const Catalog& catalog, const Visitor& visitor, int path, Rng& rng);

// The visitor's true gain of products[item] for `query`: GainOf(utility, can buy) when it
// matches the query, else 0.
int TrueGain(const Catalog& catalog, const World& world, const Visitor& visitor, uint64_t seed,
             const Query& query, size_t item);

// NDCG@k (ranking::NdcgAtK, gain 2^g - 1) of the served order against the visitor's true
// gains (TrueGain). The ideal order takes the best k of every matching item of the catalog,
// served or not. `served` holds product indices, -1 for ids not in the catalog. Returns -1
// when no item of the catalog has a gain above 0 for this visitor and query.
double TrueNdcgAtK(const Catalog& catalog, const World& world, const Visitor& visitor,
                   uint64_t seed, const Query& query, const std::vector<long>& served, int k);

// The visitor's ideal top k for `query`: the matching items of gain > 0, best gain first,
// ties by higher utility, then by lower index; fewer when fewer have a gain.
std::vector<size_t> IdealTopK(const Catalog& catalog, const World& world, const Visitor& visitor,
                              uint64_t seed, const Query& query, int k);

// Items of the catalog `query` matches.
size_t MatchCount(const Catalog& catalog, const Query& query);

}  // namespace tailor::simulator
