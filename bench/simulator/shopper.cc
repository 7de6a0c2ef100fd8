#include "bench/simulator/shopper.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_set>

#include "ranking/offline/metrics.h"

namespace tailor::simulator {
namespace {

// Names of the random streams, so that no two purposes share draws.
constexpr uint64_t kProfileStream = 0x70726f66;    // "prof"
constexpr uint64_t kTasteStream = 0x74617374;      // "tast"
constexpr uint64_t kKidsStream = 0x6b696473;       // "kids"
constexpr uint64_t kPathPriceStream = 0x70617468;  // "path"

// The terms no world draws (the others are World's).
constexpr double kUnisexTop = 0.3;
constexpr double kRating = 0.2;
constexpr double kTaste = 0.3;
// The size system only parents keep a size in.
constexpr std::string_view kKidsSizeSystem = "age";

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

// The visitor's log price level in category path `path` (PriceTaste::kAbsolute): lognormal
// around the path's median, one draw per visitor and path.
double PathLogLevel(const Catalog& catalog, const World& world, const Visitor& visitor,
                    uint64_t seed, int path) {
  const uint64_t base = StreamSeed(
      {seed, static_cast<uint64_t>(visitor.index), static_cast<uint64_t>(path), kPathPriceStream});
  return std::log(catalog.paths[path].median_price) +
         world.price_level_sigma * ToNormal(Mix64(base), Mix64(base + 1));
}

// Log distance of the item's price from the visitor's level (World::price_taste).
double PriceDistance(const Catalog& catalog, const World& world, const Visitor& visitor,
                     uint64_t seed, size_t item) {
  const CatalogItem& facts = catalog.items[item];
  if (world.price_taste == PriceTaste::kAbsolute && facts.path >= 0) {
    const double log_price = std::log(std::max(catalog.products[item].price, 0.01));
    return log_price - PathLogLevel(catalog, world, visitor, seed, facts.path);
  }
  return facts.top_log_price - std::log(visitor.price_level[facts.top]);
}

// Parents (World::parent_share) keep their kids' size and shop a kids' top too; the others
// lose the kids' size. Its own stream, so world 0's other draws are those of old.
void DrawParent(const Catalog& catalog, const World& world, uint64_t seed, Visitor& visitor) {
  Rng rng(StreamSeed({seed, static_cast<uint64_t>(visitor.index), kKidsStream}));
  const bool kids_top = IsKidsTop(catalog.tops[visitor.top].name);
  visitor.parent = kids_top || rng.Bernoulli(world.parent_share);
  if (!visitor.parent) {
    visitor.sizes.erase(std::string(kKidsSizeSystem));
    return;
  }
  if (kids_top || world.parent_kids_paths <= 0) return;
  std::vector<double> weights;
  for (const TopCategory& top : catalog.tops) {
    weights.push_back(IsKidsTop(top.name) ? static_cast<double>(top.items.size()) : 0);
  }
  const int kids = rng.Weighted(weights);
  if (kids < 0) return;
  std::vector<int> extra = DrawInterests(catalog, catalog.tops[kids], rng);
  extra.resize(
      std::min(extra.size(), static_cast<size_t>(rng.Between(1, world.parent_kids_paths))));
  visitor.interests.insert(visitor.interests.end(), extra.begin(), extra.end());
}

// Calls visit(item) for every item of the catalog `query` matches.
template <typename Visit>
void ForEachMatch(const Catalog& catalog, const Query& query, Visit visit) {
  auto paths = catalog.paths_by_leaf.find(query.leaf);
  if (paths == catalog.paths_by_leaf.end()) return;
  for (int path : paths->second) {
    if (query.top >= 0 && catalog.paths[path].top_index != query.top) continue;
    for (size_t item : catalog.paths[path].items) {
      if (query.brand.empty() || catalog.products[item].brand == query.brand) visit(item);
    }
  }
}

}  // namespace

bool IsKidsTop(std::string_view top) {
  const std::string lower = Lower(top);
  return lower == "boys" || lower == "girls" || lower == "kids";
}

Visitor MakeVisitor(const Catalog& catalog, const World& world, uint64_t seed, int index) {
  Rng rng(StreamSeed({seed, static_cast<uint64_t>(index), kProfileStream}));
  Visitor visitor;
  visitor.index = index;
  visitor.top = DrawTop(catalog, rng);
  const TopCategory& top = catalog.tops[visitor.top];
  visitor.brands = DrawValues(
      rng, top.brands, rng.Between(world.min_brands, std::max(world.min_brands, world.max_brands)));
  visitor.colors = DrawValues(rng, top.colors, rng.Between(1, 2));
  for (const TopCategory& each : catalog.tops) {
    visitor.price_level.push_back(each.median_price *
                                  std::exp(world.price_level_sigma * rng.Normal()));
  }
  visitor.price_sensitivity = rng.Uniform();
  for (const auto& [system, catalog_sizes] : catalog.sizes) {
    auto own = top.sizes.find(system);
    const std::vector<Counted>& offered = own != top.sizes.end() ? own->second : catalog_sizes;
    std::vector<std::string> drawn = DrawValues(rng, offered, 1);
    if (!drawn.empty()) visitor.sizes[system] = drawn.front();
  }
  visitor.interests = DrawInterests(catalog, top, rng);
  DrawParent(catalog, world, seed, visitor);
  return visitor;
}

double Utility(const Catalog& catalog, const World& world, const Visitor& visitor, uint64_t seed,
               size_t item) {
  const Product& product = catalog.products[item];
  const CatalogItem& facts = catalog.items[item];
  double utility = 0;
  if (!product.brand.empty() && !visitor.brands.empty()) {
    if (product.brand == visitor.brands.front()) {
      utility += world.first_brand;
    } else if (std::find(visitor.brands.begin(), visitor.brands.end(), product.brand) !=
               visitor.brands.end()) {
      utility += world.other_brand;
    }
  }
  for (const std::string& color : product.colors) {
    if (std::find(visitor.colors.begin(), visitor.colors.end(), color) != visitor.colors.end()) {
      utility += world.color;
      break;
    }
  }
  if (facts.top >= 0) {
    const double x = PriceDistance(catalog, world, visitor, seed, item);
    const double sigma = world.price_fit_sigma;
    utility += world.price_fit * std::exp(-x * x / (2 * sigma * sigma));
    utility -= world.over_price * visitor.price_sensitivity * std::max(0.0, x);
    if (facts.top == visitor.top) {
      utility += world.preferred_top;
    } else if (Lower(catalog.tops[facts.top].name) == "unisex") {
      utility += kUnisexTop;
    }
  }
  utility += world.discount * visitor.price_sensitivity * facts.discount;
  if (product.rating) utility += std::clamp(kRating * (*product.rating - 4), -0.4, 0.2);
  if (visitor.viewed.count(item) > 0) utility += world.revisit;
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

bool PageScan::Examines(int position, double draw) const {
  if (stopped_) return false;
  if (world_.click_model == ClickModel::kCascade) return true;
  return draw < ExaminationProbability(position, world_.eta);
}

void PageScan::After(bool clicked, double draw) {
  if (world_.click_model != ClickModel::kCascade) return;
  stopped_ = clicked ? draw < world_.cascade_stop : draw >= world_.cascade_patience;
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

int TrueGain(const Catalog& catalog, const World& world, const Visitor& visitor, uint64_t seed,
             const Query& query, size_t item) {
  if (!Matches(catalog, query, item)) return 0;
  const bool can_buy = SizeToBuy(catalog, visitor, item).has_value();
  return can_buy ? GainOf(Utility(catalog, world, visitor, seed, item), can_buy) : 0;
}

size_t MatchCount(const Catalog& catalog, const Query& query) {
  size_t count = 0;
  ForEachMatch(catalog, query, [&](size_t) { ++count; });
  return count;
}

double TrueNdcgAtK(const Catalog& catalog, const World& world, const Visitor& visitor,
                   uint64_t seed, const Query& query, const std::vector<long>& served, int k) {
  std::vector<double> gains;
  std::unordered_set<long> shown;
  for (long item : served) {
    gains.push_back(item >= 0 ? TrueGain(catalog, world, visitor, seed, query, item) : 0);
    shown.insert(item);
  }
  std::vector<double> unseen;
  ForEachMatch(catalog, query, [&](size_t item) {
    if (shown.count(static_cast<long>(item)) > 0) return;
    const double g = TrueGain(catalog, world, visitor, seed, query, item);
    if (g > 0) unseen.push_back(g);
  });
  return ranking::NdcgAtK(gains, k, unseen);
}

std::vector<size_t> IdealTopK(const Catalog& catalog, const World& world, const Visitor& visitor,
                              uint64_t seed, const Query& query, int k) {
  struct Scored {
    int gain;
    double utility;
    size_t item;
  };
  std::vector<Scored> relevant;
  ForEachMatch(catalog, query, [&](size_t item) {
    const int gain = TrueGain(catalog, world, visitor, seed, query, item);
    if (gain > 0) relevant.push_back({gain, Utility(catalog, world, visitor, seed, item), item});
  });
  std::sort(relevant.begin(), relevant.end(), [](const Scored& a, const Scored& b) {
    if (a.gain != b.gain) return a.gain > b.gain;
    if (a.utility != b.utility) return a.utility > b.utility;
    return a.item < b.item;
  });
  std::vector<size_t> top;
  for (size_t i = 0; i < relevant.size() && static_cast<int>(i) < k; ++i) {
    top.push_back(relevant[i].item);
  }
  return top;
}

}  // namespace tailor::simulator
