#include "ranking/recommend/slot_candidates.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <unordered_map>
#include <unordered_set>

namespace tailor::ranking {
namespace {

constexpr double kMinDrop = 0.01;  // a price under 99% of the one seen counts as a drop

bool Shares(std::span<const int32_t> a, std::span<const int32_t> b) {
  return std::any_of(a.begin(), a.end(),
                     [&](int32_t x) { return std::find(b.begin(), b.end(), x) != b.end(); });
}

int32_t LeafOf(const ItemTable& items, ItemTable::Row row) {
  std::span<const int32_t> categories = items.categories(row);
  return categories.empty() ? ItemTable::kNone : categories.back();
}

// The name of the item's deepest category level ("parkas" for men's and women's parkas
// alike), what "another category" means for complements.
std::string_view LeafName(const ItemTable& items, ItemTable::Row row) {
  const int32_t leaf = LeafOf(items, row);
  if (leaf == ItemTable::kNone) return {};
  std::string_view key = items.Key(ItemTable::kCategory, leaf);
  const size_t slash = key.rfind('/');
  return slash == std::string_view::npos ? key : key.substr(slash + 1);
}

// Text similarity plus what the candidate shares with its closest seed.
double Similarity(const ItemTable& items, ItemTable::Row row, double text,
                  const std::vector<ItemTable::Row>& seeds, const SimilarityWeights& w) {
  double best = 0;
  const std::string_view leaf = LeafName(items, row);
  for (ItemTable::Row seed : seeds) {
    double shared = 0;
    if (!leaf.empty() && leaf == LeafName(items, seed)) shared += w.same_category;
    if (items.brand(row) != ItemTable::kNone && items.brand(row) == items.brand(seed)) {
      shared += w.same_brand;
    }
    if (Shares(items.colors(row), items.colors(seed))) shared += w.shared_color;
    if (items.price(row) > 0 && items.price(seed) > 0 &&
        std::abs(std::log(items.price(row) / items.price(seed))) <= w.price_band) {
      shared += w.same_price_band;
    }
    best = std::max(best, shared);
  }
  return text + best;
}

// Orders candidates by score (descending) and numbers their text_rank accordingly.
std::vector<Candidate> Ordered(std::vector<Candidate> candidates) {
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     return a.text_score > b.text_score;
                   });
  for (size_t i = 0; i < candidates.size(); ++i) candidates[i].text_rank = static_cast<int>(i);
  return candidates;
}

}  // namespace

Result<SlotType> ParseSlotType(std::string_view name) {
  for (SlotType type :
       {SlotType::kAlsoBought, SlotType::kComplements, SlotType::kReduced, SlotType::kSimilar}) {
    if (name == SlotTypeName(type)) return type;
  }
  return Error::InvalidArgument("type: unknown \"" + std::string(name) +
                                "\" (also_bought, complements, reduced, similar)");
}

const char* SlotTypeName(SlotType type) {
  switch (type) {
    case SlotType::kAlsoBought: return "also_bought";
    case SlotType::kComplements: return "complements";
    case SlotType::kReduced: return "reduced";
    case SlotType::kSimilar: return "similar";
  }
  return "similar";
}

std::vector<Candidate> SimilarCandidates(const ItemTable& items,
                                         std::span<const std::pair<ItemTable::Row, double>> hits,
                                         const std::vector<ItemTable::Row>& seeds,
                                         const SimilarityWeights& weights) {
  double best = 0;
  for (const auto& [row, score] : hits) best = std::max(best, score);
  std::vector<Candidate> candidates;
  for (const auto& [row, score] : hits) {
    if (!items.present(row)) continue;
    const double text = best > 0 ? score / best : 0;
    candidates.push_back({row, Similarity(items, row, text, seeds, weights), 0, true});
  }
  return Ordered(std::move(candidates));
}

std::vector<Candidate> ReducedCandidates(const ItemTable& items, const ProfileView& profile) {
  std::vector<Candidate> candidates;
  std::unordered_set<ItemTable::Row> seen;
  for (const ProfileView::ItemRef& view : profile.recent_views) {
    std::optional<ItemTable::Row> row = items.Find(view.item);
    if (!row || !seen.insert(*row).second) continue;
    const double price = items.price(*row);
    const double since_seen = view.price_seen > 0 ? 1 - price / view.price_seen : 0;
    const double drop = std::max(since_seen, items.discount(*row));
    if (drop >= kMinDrop) candidates.push_back({*row, drop, 0, true});
  }
  return Ordered(std::move(candidates));
}

std::vector<ItemTable::Row> BasketSeeds(const ItemTable& items, const ProfileView& profile,
                                        SlotType type) {
  std::vector<ItemTable::Row> seeds;
  for (const auto& line : profile.cart) {
    if (auto row = items.Find(line.item)) seeds.push_back(*row);
  }
  for (const auto& bought : profile.purchases) {
    if (type == SlotType::kAlsoBought && seeds.size() < kMaxSlotSeeds) {
      if (auto row = items.Find(bought.item)) seeds.push_back(*row);
    }
  }
  return seeds;
}

void AddBestsellers(const ItemTable& items, const CoOccurrence& co,
                    const std::vector<ItemTable::Row>& seeds, int64_t now_ms, size_t wanted,
                    std::vector<Candidate>& candidates) {
  std::unordered_set<int32_t> leaves;
  for (ItemTable::Row seed : seeds) leaves.insert(LeafOf(items, seed));
  leaves.erase(ItemTable::kNone);
  if (leaves.empty()) return;
  std::unordered_set<ItemTable::Row> have(seeds.begin(), seeds.end());
  for (const Candidate& c : candidates) have.insert(c.row);
  std::vector<std::pair<double, ItemTable::Row>> sellers;
  for (ItemTable::Row row = 0; row < items.rows(); ++row) {
    if (!items.present(row) || have.count(row) || !leaves.count(LeafOf(items, row))) continue;
    const double sold = co.Count(items.id(row), now_ms);
    sellers.push_back({sold + 1e-3 * std::log1p(items.popularity(row).value_or(0)), row});
  }
  std::sort(sellers.begin(), sellers.end(), std::greater<>());
  if (sellers.size() > wanted) sellers.resize(wanted);
  double best = 0;
  for (const auto& [sold, row] : sellers) best = std::max(best, sold);
  // Below any co-occurrence score (those are > 0.01 for a pair of weight 2 among 400).
  for (const auto& [sold, row] : sellers) {
    candidates.push_back({row, 0.01 * (best > 0 ? sold / best : 0), 0, true});
  }
}

std::vector<Candidate> BasketCandidates(const ItemTable& items, const CoOccurrence& co,
                                        const std::vector<ItemTable::Row>& seeds, int64_t now_ms,
                                        int depth, SlotType type, size_t limit) {
  const bool complements = type == SlotType::kComplements;
  std::unordered_set<std::string_view> seed_leaves;
  for (ItemTable::Row seed : seeds) seed_leaves.insert(LeafName(items, seed));
  std::unordered_map<ItemTable::Row, double> best;
  for (ItemTable::Row seed : seeds) {
    for (const Neighbor& n : co.Neighbors(items.id(seed), now_ms, depth)) {
      std::optional<ItemTable::Row> row = items.Find(n.item);
      if (!row) continue;
      if (complements && seed_leaves.count(LeafName(items, *row))) continue;
      double& score = best[*row];
      score = std::max(score, n.score);
    }
  }
  std::vector<Candidate> candidates;
  for (const auto& [row, score] : best) candidates.push_back({row, score, 0, true});
  if (type == SlotType::kAlsoBought && candidates.size() < limit) {
    AddBestsellers(items, co, seeds, now_ms, limit * 2, candidates);
  }
  return Ordered(std::move(candidates));
}

bool Repurchased(const ItemTable& items, ItemTable::Row row,
                 const std::vector<std::string>& repurchase_categories) {
  for (int32_t category : items.categories(row)) {
    const std::string& key = items.Key(ItemTable::kCategory, category);
    for (const std::string& wanted : repurchase_categories) {
      if (key == wanted) return true;
    }
  }
  return false;
}

}  // namespace tailor::ranking
