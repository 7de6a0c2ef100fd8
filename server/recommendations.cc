// Engine::Recommend: the recommendation slots of DESIGN.md's GET /recommendations, ranked by
// the same scoring layer as search.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "server/engine.h"
#include "server/internal/ranked_hits.h"

namespace tailor::server {
namespace {

constexpr int kMaxLimit = 100;
constexpr size_t kSeedViews = 5;       // recent views that seed "similar" without an item
constexpr double kMinDrop = 0.01;      // a price under 99% of the one seen counts as a drop
// How much sharing each trait with the seed adds to the text similarity (in units of the
// best text score) for "similar": the same deepest category, brand, a colour, price band.
constexpr double kSameCategory = 0.5, kSameBrand = 0.2, kSharedColor = 0.1, kSamePriceBand = 0.2;
constexpr double kPriceBand = 0.3;     // |log price difference| within this: same band

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
                  const std::vector<ItemTable::Row>& seeds) {
  double best = 0;
  for (ItemTable::Row seed : seeds) {
    double shared = 0;
    const std::string_view leaf = LeafName(items, row);
    if (!leaf.empty() && leaf == LeafName(items, seed)) shared += kSameCategory;
    if (items.brand(row) != ItemTable::kNone && items.brand(row) == items.brand(seed)) {
      shared += kSameBrand;
    }
    if (Shares(items.colors(row), items.colors(seed))) shared += kSharedColor;
    if (items.price(row) > 0 && items.price(seed) > 0 &&
        std::abs(std::log(items.price(row) / items.price(seed))) <= kPriceBand) {
      shared += kSamePriceBand;
    }
    best = std::max(best, shared);
  }
  return text + best;
}

// Orders candidates by score (descending) and numbers their text_rank accordingly.
std::vector<ranking::Candidate> Ordered(std::vector<ranking::Candidate> candidates) {
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const ranking::Candidate& a, const ranking::Candidate& b) {
                     return a.text_score > b.text_score;
                   });
  for (size_t i = 0; i < candidates.size(); ++i) candidates[i].text_rank = static_cast<int>(i);
  return candidates;
}

// Viewed items now cheaper than seen, or reduced; text_score is the share of the drop.
std::vector<ranking::Candidate> ReducedCandidates(const ItemTable& items,
                                                  const ranking::ProfileView& profile) {
  std::vector<ranking::Candidate> candidates;
  std::unordered_set<ItemTable::Row> seen;
  for (const ranking::ProfileView::ItemRef& view : profile.recent_views) {
    std::optional<ItemTable::Row> row = items.Find(view.item);
    if (!row || !seen.insert(*row).second) continue;
    const double price = items.price(*row);
    const double since_seen = view.price_seen > 0 ? 1 - price / view.price_seen : 0;
    const double drop = std::max(since_seen, items.discount(*row));
    if (drop >= kMinDrop) candidates.push_back({*row, drop, 0, true});
  }
  return Ordered(std::move(candidates));
}

// Bestsellers of the seeds' deepest categories (decayed carts and purchases, then the
// catalog's popularity), scored below every co-occurrence candidate: the fallback of
// also_bought for items with too little history.
void AddBestsellers(const ItemTable& items, const ranking::CoOccurrence& co,
                    const std::vector<ItemTable::Row>& seeds, int64_t now_ms, size_t wanted,
                    std::vector<ranking::Candidate>& candidates) {
  std::unordered_set<int32_t> leaves;
  for (ItemTable::Row seed : seeds) leaves.insert(LeafOf(items, seed));
  leaves.erase(ItemTable::kNone);
  if (leaves.empty()) return;
  std::unordered_set<ItemTable::Row> have(seeds.begin(), seeds.end());
  for (const ranking::Candidate& c : candidates) have.insert(c.row);
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

// The co-occurrence candidates of seeds (best score per item); complements keeps only items
// of other deepest categories than every seed's.
std::vector<ranking::Candidate> BasketCandidates(const ItemTable& items,
                                                 const ranking::CoOccurrence& co,
                                                 const std::vector<ItemTable::Row>& seeds,
                                                 int64_t now_ms, int depth, bool complements) {
  std::unordered_set<std::string_view> seed_leaves;
  for (ItemTable::Row seed : seeds) seed_leaves.insert(LeafName(items, seed));
  std::unordered_map<ItemTable::Row, double> best;
  for (ItemTable::Row seed : seeds) {
    for (const ranking::Neighbor& n : co.Neighbors(items.id(seed), now_ms, depth)) {
      std::optional<ItemTable::Row> row = items.Find(n.item);
      if (!row) continue;
      if (complements && seed_leaves.count(LeafName(items, *row))) continue;
      double& score = best[*row];
      score = std::max(score, n.score);
    }
  }
  std::vector<ranking::Candidate> candidates;
  for (const auto& [row, score] : best) candidates.push_back({row, score, 0, true});
  return candidates;
}

// Whether the item is in one of the variant's repurchase categories (a consumable).
bool Repurchased(const ItemTable& items, ItemTable::Row row, const ranking::VariantConfig& variant) {
  for (int32_t category : items.categories(row)) {
    const std::string& key = items.Key(ItemTable::kCategory, category);
    for (const std::string& wanted : variant.repurchase_categories) {
      if (key == wanted) return true;
    }
  }
  return false;
}

}  // namespace

Result<RerankResponse> Engine::Recommend(const RecommendRequest& request,
                                         const SearchContext& context) {
  if (request.limit < 1 || request.limit > kMaxLimit) {
    return Error::InvalidArgument("limit: must be in [1, " + std::to_string(kMaxLimit) + "]");
  }
  const bool similar = request.type == "similar", reduced = request.type == "reduced";
  const bool also_bought = request.type == "also_bought";
  const bool complements = request.type == "complements";
  if (!similar && !reduced && !also_bought && !complements) {
    return Error::InvalidArgument("type: unknown \"" + request.type +
                                  "\" (also_bought, complements, reduced, similar)");
  }
  // The visitor's views, cart and purchases seed and filter a slot even unpersonalized.
  Result<Ranking> ranking = BeginRanking(context, ProfileUse::kAlways);
  if (!ranking.ok()) return ranking.error();
  const ranking::VariantConfig& variant = *ranking->variant;
  const std::optional<ranking::ProfileView>& profile = ranking->profile;
  RerankResponse response;
  response.request_id = ranking->request_id;
  response.variant = ranking->variant->name;
  response.personalized = ranking->personal() != nullptr;

  std::shared_ptr<const ItemTable> items;
  std::vector<ranking::Candidate> candidates;
  std::vector<ItemTable::Row> seeds;
  if (similar) {
    std::vector<std::string> seed_ids;
    if (!request.item.empty()) {
      seed_ids.push_back(request.item);
    } else if (profile) {
      for (const auto& view : profile->recent_views) {
        if (seed_ids.size() < kSeedViews) seed_ids.push_back(view.item);
      }
    }
    Result<searcher::CandidateResult> found =
        searcher_->Similar(seed_ids, variant.candidate_depth);
    if (!found.ok()) return found.error();
    items = found->items;
    if (items == nullptr) return Error::Unavailable("index: no item table");
    for (const std::string& id : seed_ids) {
      if (std::optional<ItemTable::Row> row = items->Find(id)) seeds.push_back(*row);
    }
    if (!request.item.empty() && seeds.empty()) {
      return Error::NotFound("item: unknown product \"" + request.item + "\"");
    }
    double best = 0;
    for (const searcher::Hit& hit : found->result.hits) best = std::max(best, hit.score);
    for (const searcher::Hit& hit : found->result.hits) {
      if (!items->present(hit.docid) || items->id(hit.docid) != hit.id) continue;
      const double text = best > 0 ? hit.score / best : 0;
      candidates.push_back({hit.docid, Similarity(*items, hit.docid, text, seeds), 0, true});
    }
    candidates = Ordered(std::move(candidates));
  } else {
    items = searcher_->Items();
    if (items == nullptr) return Error::Unavailable("index: no item table");
    if (!request.item.empty()) {
      std::optional<ItemTable::Row> row = items->Find(request.item);
      if (!row) return Error::NotFound("item: unknown product \"" + request.item + "\"");
      if (!reduced) seeds.push_back(*row);
    }
    if (reduced) {
      if (profile) candidates = ReducedCandidates(*items, *profile);
    } else {
      if (co_occurrence_ == nullptr) {
        return Error::Unavailable("type: " + request.type + " needs a state directory");
      }
      // Without an item: the visitor's cart, and for also_bought their purchases too.
      if (seeds.empty() && profile) {
        for (const auto& line : profile->cart) {
          if (auto row = items->Find(line.item)) seeds.push_back(*row);
        }
        for (const auto& bought : profile->purchases) {
          if (also_bought && seeds.size() < kSeedViews) {
            if (auto row = items->Find(bought.item)) seeds.push_back(*row);
          }
        }
      }
      const int64_t now = NowMs();
      candidates = BasketCandidates(*items, *co_occurrence_, seeds, now,
                                    variant.candidate_depth, complements);
      if (also_bought && static_cast<int>(candidates.size()) < request.limit) {
        AddBestsellers(*items, *co_occurrence_, seeds, now,
                       static_cast<size_t>(request.limit) * 2, candidates);
      }
      candidates = Ordered(std::move(candidates));
    }
  }

  ranking::Ranked ranked = RankCandidates(*ranking, *items, candidates, "");
  // Left out: the seeds, the durable goods the visitor bought, what is sold out or not in
  // their size.
  std::unordered_set<ItemTable::Row> excluded(seeds.begin(), seeds.end());
  if (profile) {
    for (const auto& bought : profile->purchases) {
      std::optional<ItemTable::Row> row = items->Find(bought.item);
      if (row && !Repurchased(*items, *row, variant)) excluded.insert(*row);
    }
  }
  std::vector<size_t> shown;
  for (size_t index : ranked.business.order) {
    if (static_cast<int>(shown.size()) >= request.limit) break;
    const ranking::Candidate& candidate = candidates[index];
    if (excluded.count(candidate.row) || !ranked.business.candidates[index].fits) continue;
    shown.push_back(index);
    searcher::Hit hit;
    hit.docid = candidate.row;
    hit.id = items->id(candidate.row);
    hit.rank = candidate.text_rank;
    // With a model the final score orders the slot; without one, the slot's own score
    // (similarity, co-occurrence, price drop) does, plus any business rule.
    hit.score = ranked.business.candidates[index].final_score +
                (ranked.model == nullptr ? candidate.text_score : 0);
    response.hits.push_back(std::move(hit));
    if (context.explain) {
      response.explanations.push_back(internal::Explain(candidate, index, ranked, *items, true,
                                                              ranking->personal()));
    }
  }
  if (Status loaded = searcher_->LoadStored(response.hits); !loaded.ok()) return loaded.error();
  LogRanking(context, response.request_id, response.variant, "", response.personalized, *items,
             candidates, shown, 0, ranked);
  response.took_ms = ranking->TookMs();
  return response;
}

}  // namespace tailor::server
