#include "bench/simulator/shopper.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_set>

#include "ranking/metrics.h"

namespace tailor::simulator {
namespace {

// Names of the random streams, so that no two purposes share draws.
constexpr uint64_t kProfileStream = 0x70726f66;  // "prof"
constexpr uint64_t kTasteStream = 0x74617374;    // "tast"

constexpr double kFirstBrand = 1.5;
constexpr double kOtherBrand = 1.0;
constexpr double kColor = 0.6;
constexpr double kPriceFit = 1.0;
constexpr double kPriceFitSigma = 0.4;
constexpr double kOverPrice = 1.5;
constexpr double kDiscount = 2.0;
constexpr double kPreferredTop = 0.6;
constexpr double kUnisexTop = 0.3;
constexpr double kRating = 0.2;
constexpr double kTaste = 0.3;
constexpr double kPriceLevelSigma = 0.4;

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Up to n distinct indices drawn by weight, without replacement.
std::vector<int> DrawDistinct(Rng& rng, std::vector<double> weights, int n) {
  std::vector<int> out;
  while (static_cast<int>(out.size()) < n) {
    int i = rng.Weighted(weights);
    if (i < 0) break;
    out.push_back(i);
    weights[i] = 0;
  }
  return out;
}

std::vector<double> Weights(const std::vector<Counted>& counted) {
  std::vector<double> weights;
  weights.reserve(counted.size());
  for (const Counted& c : counted) weights.push_back(c.count);
  return weights;
}

std::vector<std::string> DrawValues(Rng& rng, const std::vector<Counted>& counted, int n) {
  std::vector<std::string> out;
  for (int i : DrawDistinct(rng, Weights(counted), n)) out.push_back(counted[i].value);
  return out;
}

// Tops named after who wears the item read naturally in front of a leaf: "men jeans".
bool IsGroupTop(std::string_view top) {
  const std::string lower = Lower(top);
  return lower == "men" || lower == "women" || lower == "boys" || lower == "girls" ||
         lower == "kids";
}

int DrawTop(const Catalog& catalog, Rng& rng) {
  std::vector<double> weights;
  for (const TopCategory& top : catalog.tops) {
    weights.push_back(top.items.size() >= kMinTopItems ? static_cast<double>(top.items.size()) : 0);
  }
  int top = rng.Weighted(weights);
  return top >= 0 ? top : 0;
}

std::vector<int> DrawInterests(const Catalog& catalog, const TopCategory& top, Rng& rng) {
  std::vector<double> weights;
  for (int path : top.paths) {
    const size_t n = catalog.paths[path].items.size();
    weights.push_back(n >= kMinPathItems ? static_cast<double>(n) : 0);
  }
  std::vector<int> interests;
  for (int i : DrawDistinct(rng, weights, rng.Between(3, 5))) interests.push_back(top.paths[i]);
  return interests;
}

double Taste(const Visitor& visitor, uint64_t seed, const CatalogItem& item) {
  const uint64_t base =
      StreamSeed({seed, static_cast<uint64_t>(visitor.index), item.id_hash, kTasteStream});
  return kTaste * ToNormal(Mix64(base), Mix64(base + 1));
}

}  // namespace

Visitor MakeVisitor(const Catalog& catalog, uint64_t seed, int index) {
  Rng rng(StreamSeed({seed, static_cast<uint64_t>(index), kProfileStream}));
  Visitor visitor;
  visitor.index = index;
  visitor.top = DrawTop(catalog, rng);
  const TopCategory& top = catalog.tops[visitor.top];
  visitor.brands = DrawValues(rng, top.brands, rng.Between(1, 3));
  visitor.colors = DrawValues(rng, top.colors, rng.Between(1, 2));
  for (const TopCategory& each : catalog.tops) {
    visitor.price_level.push_back(each.median_price * std::exp(kPriceLevelSigma * rng.Normal()));
  }
  visitor.price_sensitivity = rng.Uniform();
  for (const auto& [system, catalog_sizes] : catalog.sizes) {
    auto own = top.sizes.find(system);
    const std::vector<Counted>& offered = own != top.sizes.end() ? own->second : catalog_sizes;
    std::vector<std::string> drawn = DrawValues(rng, offered, 1);
    if (!drawn.empty()) visitor.sizes[system] = drawn.front();
  }
  visitor.interests = DrawInterests(catalog, top, rng);
  return visitor;
}

double Utility(const Catalog& catalog, const Visitor& visitor, uint64_t seed, size_t item) {
  const Product& product = catalog.products[item];
  const CatalogItem& facts = catalog.items[item];
  double utility = 0;
  if (!product.brand.empty() && !visitor.brands.empty()) {
    if (product.brand == visitor.brands.front()) {
      utility += kFirstBrand;
    } else if (std::find(visitor.brands.begin(), visitor.brands.end(), product.brand) !=
               visitor.brands.end()) {
      utility += kOtherBrand;
    }
  }
  for (const std::string& color : product.colors) {
    if (std::find(visitor.colors.begin(), visitor.colors.end(), color) != visitor.colors.end()) {
      utility += kColor;
      break;
    }
  }
  if (facts.top >= 0) {
    const double x = facts.top_log_price - std::log(visitor.price_level[facts.top]);
    utility += kPriceFit * std::exp(-x * x / (2 * kPriceFitSigma * kPriceFitSigma));
    utility -= kOverPrice * visitor.price_sensitivity * std::max(0.0, x);
    if (facts.top == visitor.top) {
      utility += kPreferredTop;
    } else if (Lower(catalog.tops[facts.top].name) == "unisex") {
      utility += kUnisexTop;
    }
  }
  utility += kDiscount * visitor.price_sensitivity * facts.discount;
  if (product.rating) utility += std::clamp(kRating * (*product.rating - 4), -0.4, 0.2);
  return utility + Taste(visitor, seed, facts);
}

std::optional<std::string> SizeToBuy(const Catalog& catalog, const Visitor& visitor, size_t item) {
  const CatalogItem& facts = catalog.items[item];
  if (!facts.in_stock) return std::nullopt;
  if (!facts.sized) return std::string();
  for (const auto& [system, size] : facts.sizes_in_stock) {
    auto own = visitor.sizes.find(system);
    if (own != visitor.sizes.end() && own->second == size) return size;
  }
  return std::nullopt;
}

int GainOf(double utility, bool can_buy) {
  if (!can_buy) return 0;
  return utility >= kGain3 ? 3 : utility >= kGain2 ? 2 : utility >= kGain1 ? 1 : 0;
}

double ExaminationProbability(int position, double eta) {
  return std::pow(1.0 / (position + 1.0), eta);
}

double ClickProbability(double utility) { return Sigmoid(1.8 * (utility - 2.4)); }

double CartProbability(double utility) { return 0.6 * Sigmoid(2.0 * (utility - 2.4)); }

double PurchaseProbability(double utility) { return 0.3 + 0.6 * Sigmoid(2.0 * (utility - 2.7)); }

bool Matches(const Catalog& catalog, const Query& query, size_t item) {
  const CatalogItem& facts = catalog.items[item];
  if (facts.path < 0 || catalog.paths[facts.path].leaf != query.leaf) return false;
  if (query.top >= 0 && facts.top != query.top) return false;
  return query.brand.empty() || catalog.products[item].brand == query.brand;
}

int PickSessionPath(const Catalog& catalog, const Visitor& visitor, Rng& rng) {
  const bool from_interests = rng.Bernoulli(0.8);
  if (from_interests && !visitor.interests.empty()) {
    return visitor.interests[rng.Between(0, static_cast<int>(visitor.interests.size()) - 1)];
  }
  std::vector<double> weights;
  for (const CategoryPath& path : catalog.paths) {
    weights.push_back(path.items.size() >= kMinPathItems ? static_cast<double>(path.items.size())
                                                         : 0);
  }
  const int path = rng.Weighted(weights);
  if (path >= 0) return path;
  return visitor.interests.empty() ? 0 : visitor.interests.front();
}

Query PickQuery(const Catalog& catalog, const Visitor& visitor, int path, Rng& rng) {
  const CategoryPath& intent = catalog.paths[path];
  Query query;
  query.leaf = intent.leaf;
  query.text = Lower(intent.leaf);
  const double form = rng.Uniform();
  if (form < 0.4) return query;
  if (form < 0.7 && IsGroupTop(intent.top)) {
    query.top = intent.top_index;
    query.text = Lower(intent.top) + " " + query.text;
    return query;
  }
  std::vector<std::string> favourites;
  for (const Counted& brand : intent.brands) {
    if (std::find(visitor.brands.begin(), visitor.brands.end(), brand.value) !=
        visitor.brands.end()) {
      favourites.push_back(brand.value);
    }
  }
  if (!favourites.empty() && rng.Bernoulli(0.7)) {
    query.brand = favourites[rng.Between(0, static_cast<int>(favourites.size()) - 1)];
  } else if (!intent.brands.empty()) {
    query.brand = intent.brands[rng.Weighted(Weights(intent.brands))].value;
  }
  if (!query.brand.empty()) query.text = Lower(query.brand) + " " + query.text;
  return query;
}

double TrueNdcgAtK(const Catalog& catalog, const Visitor& visitor, uint64_t seed,
                   const Query& query, const std::vector<long>& served, int k) {
  auto gain = [&](size_t item) -> double {
    if (!Matches(catalog, query, item)) return 0;
    const bool can_buy = SizeToBuy(catalog, visitor, item).has_value();
    return can_buy ? GainOf(Utility(catalog, visitor, seed, item), can_buy) : 0;
  };
  std::vector<double> gains;
  std::unordered_set<long> shown;
  for (long item : served) {
    gains.push_back(item >= 0 ? gain(static_cast<size_t>(item)) : 0);
    shown.insert(item);
  }
  std::vector<double> unseen;
  auto paths = catalog.paths_by_leaf.find(query.leaf);
  if (paths != catalog.paths_by_leaf.end()) {
    for (int path : paths->second) {
      if (query.top >= 0 && catalog.paths[path].top_index != query.top) continue;
      for (size_t item : catalog.paths[path].items) {
        if (shown.count(static_cast<long>(item)) > 0) continue;
        const double g = gain(item);
        if (g > 0) unseen.push_back(g);
      }
    }
  }
  return ranking::NdcgAtK(gains, k, unseen);
}

}  // namespace tailor::simulator
