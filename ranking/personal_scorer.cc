#include "ranking/personal_scorer.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "core/json_options.h"

namespace tailor::ranking {
namespace {

constexpr double kMinSpread = 0.1;
constexpr double kRootCategoryFactor = 0.5;
constexpr double kAbovePenaltyPerSpread = 0.25;

// Maps the view's affinities onto the table's dictionary ids.
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

}  // namespace

struct PersonalScorer::Prepared {
  std::unordered_map<int32_t, double> brands, categories, colors;
  // Size systems where the visitor has a size: system -> the visitor's size ids there.
  std::unordered_map<std::string, std::vector<int32_t>> sizes_by_system;
  std::vector<std::string> system_of_size;  // by the table's size id
  // Price levels by the table's category id of a top category; overall as fallback.
  std::unordered_map<int32_t, ProfileView::PriceLevel> levels;
  std::optional<ProfileView::PriceLevel> overall;
  double prior_strength = 3;
  double sensitivity = 0.5;
};

PersonalScorer::PersonalScorer(const ProfileView& profile, const ItemTable& items,
                               PersonalWeights weights)
    : items_(items), weights_(weights) {
  auto prepared = std::make_shared<Prepared>();
  prepared->brands = AffinityById(profile.brands, items, ItemTable::kBrand);
  prepared->categories = AffinityById(profile.categories, items, ItemTable::kCategory);
  prepared->colors = AffinityById(profile.colors, items, ItemTable::kColor);
  for (const ProfileView::SizePreference& size : profile.sizes) {
    if (size.share < weights.min_size_share) continue;
    int32_t id = items.FindKey(ItemTable::kSize, size.key);
    // A size no item has still marks its system as one where the visitor has a size.
    prepared->sizes_by_system[size.system].push_back(id);
  }
  if (!prepared->sizes_by_system.empty()) {
    prepared->system_of_size.reserve(items.DictSize(ItemTable::kSize));
    for (size_t id = 0; id < items.DictSize(ItemTable::kSize); ++id) {
      prepared->system_of_size.emplace_back(
          SizeSystemOf(items.Display(ItemTable::kSize, static_cast<int32_t>(id))));
    }
  }
  for (const ProfileView::PriceLevel& level : profile.price_levels) {
    if (level.key.empty()) {
      prepared->overall = level;
      continue;
    }
    int32_t id = items.FindKey(ItemTable::kCategory, level.key);
    if (id != ItemTable::kNone) prepared->levels[id] = level;
  }
  prepared->sensitivity = profile.price_sensitivity;
  prepared_ = std::move(prepared);
}

SizeFit PersonalScorer::FitOf(ItemTable::Row row) const {
  const Prepared& p = *prepared_;
  if (p.sizes_by_system.empty()) return SizeFit::kUnknown;
  bool out_of_size = false;
  for (const auto& [system, wanted] : p.sizes_by_system) {
    bool sized_here = false;
    for (int32_t size : items_.sizes(row)) {
      if (p.system_of_size[size] == system) sized_here = true;
    }
    if (!sized_here) continue;
    for (int32_t size : items_.sizes_in_stock(row)) {
      if (std::find(wanted.begin(), wanted.end(), size) != wanted.end()) return SizeFit::kInSize;
    }
    out_of_size = true;
  }
  return out_of_size ? SizeFit::kOutOfSize : SizeFit::kUnknown;
}

std::vector<PersonalScore> PersonalScorer::Score(std::span<const Candidate> candidates) const {
  const Prepared& p = *prepared_;
  double best_text = 0;
  for (const Candidate& candidate : candidates) best_text = std::max(best_text, candidate.text_score);
  std::vector<PersonalScore> scores(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    const ItemTable::Row row = candidates[i].row;
    PersonalScore& s = scores[i];
    s.text = best_text > 0 ? candidates[i].text_score / best_text : 0;
    if (items_.brand(row) != ItemTable::kNone) s.brand = Lookup(p.brands, items_.brand(row));
    std::span<const int32_t> categories = items_.categories(row);
    for (size_t level = 0; level < categories.size(); ++level) {
      const double factor = level == 0 ? kRootCategoryFactor : 1.0;
      s.category = std::max(s.category, factor * Lookup(p.categories, categories[level]));
    }
    for (int32_t color : items_.colors(row)) s.color = std::max(s.color, Lookup(p.colors, color));
    const ProfileView::PriceLevel* level = p.overall ? &*p.overall : nullptr;
    if (!categories.empty()) {
      if (auto it = p.levels.find(categories[0]); it != p.levels.end()) level = &it->second;
    }
    if (level != nullptr && items_.price(row) > 0) {
      const double spread = std::max(level->spread_log_price, kMinSpread);
      const double z = (std::log(items_.price(row)) - level->mean_log_price) / spread;
      const double confidence = level->weight / (level->weight + p.prior_strength);
      s.price = confidence * std::exp(-z * z / 2) -
                p.sensitivity * kAbovePenaltyPerSpread * std::max(0.0, z - 1);
      s.price = std::clamp(s.price, -1.0, 1.0);
    }
    s.discount = p.sensitivity * items_.discount(row);
    s.size_fit = FitOf(row);
    s.size = s.size_fit == SizeFit::kInSize ? 1 : 0;
    s.in_stock = items_.in_stock(row);
    s.score = weights_.text * s.text + weights_.brand * s.brand + weights_.category * s.category +
              weights_.color * s.color + weights_.price * s.price +
              weights_.discount * s.discount + weights_.size * s.size;
  }
  return scores;
}

std::vector<size_t> PersonalScorer::Order(std::span<const Candidate> candidates,
                                          const std::vector<PersonalScore>& scores) const {
  std::vector<size_t> order(candidates.size());
  std::iota(order.begin(), order.end(), 0);
  auto fits = [&](size_t i) {
    return scores[i].in_stock && scores[i].size_fit != SizeFit::kOutOfSize;
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (candidates[a].strict != candidates[b].strict) return candidates[a].strict;
    if (fits(a) != fits(b)) return fits(a);
    if (scores[a].score != scores[b].score) return scores[a].score > scores[b].score;
    return candidates[a].text_rank < candidates[b].text_rank;
  });
  return order;
}

Result<PersonalWeights> ParsePersonalWeights(const rapidjson::Value& json) {
  json_options::Reader<PersonalWeights> reader;
  for (auto [key, member] : {std::pair{"text", &PersonalWeights::text},
                             std::pair{"brand", &PersonalWeights::brand},
                             std::pair{"category", &PersonalWeights::category},
                             std::pair{"color", &PersonalWeights::color},
                             std::pair{"price", &PersonalWeights::price},
                             std::pair{"discount", &PersonalWeights::discount},
                             std::pair{"size", &PersonalWeights::size}}) {
    reader.Double(key, member, 0, 100);
  }
  reader.Double("min_size_share", &PersonalWeights::min_size_share, 0, 1)
      .Int("depth", &PersonalWeights::depth, 1, 1000);
  PersonalWeights weights;
  if (Status status = reader.Read(json, "personalization", weights); !status.ok()) {
    return status.error();
  }
  return weights;
}

}  // namespace tailor::ranking
