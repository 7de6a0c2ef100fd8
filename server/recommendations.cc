// Engine::Recommend: the recommendation slots of DESIGN.md's GET /recommendations. The
// slots' candidates come from ranking/recommend/slot_candidates.h; here they are composed
// with the searcher and ranked by the same scoring layer as search.
#include <algorithm>
#include <unordered_set>

#include "ranking/recommend/slot_candidates.h"
#include "server/engine.h"
#include "server/internal/ranked_hits.h"

namespace tailor::server {
namespace {

constexpr int kMaxLimit = 100;

}  // namespace

Result<RerankResponse> Engine::Recommend(const RecommendRequest& request,
                                         const SearchContext& context) {
  if (request.limit < 1 || request.limit > kMaxLimit) {
    return Error::InvalidArgument("limit: must be in [1, " + std::to_string(kMaxLimit) + "]");
  }
  Result<ranking::SlotType> type = ranking::ParseSlotType(request.type);
  if (!type.ok()) return type.error();
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
  Status found = *type == ranking::SlotType::kSimilar
                     ? SimilarSlot(request, variant, profile, items, seeds, candidates)
                     : BasketSlot(request, *type, variant, profile, items, seeds, candidates);
  if (!found.ok()) return found.error();

  ranking::Ranked ranked = RankCandidates(*ranking, *items, candidates, "");
  // Left out: the seeds, the durable goods the visitor bought, what is sold out or not in
  // their size.
  std::unordered_set<ItemTable::Row> excluded(seeds.begin(), seeds.end());
  if (profile) {
    for (const auto& bought : profile->purchases) {
      std::optional<ItemTable::Row> row = items->Find(bought.item);
      if (row && !ranking::Repurchased(*items, *row, variant.repurchase_categories)) {
        excluded.insert(*row);
      }
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

Status Engine::SimilarSlot(const RecommendRequest& request, const ranking::VariantConfig& variant,
                          const std::optional<ranking::ProfileView>& profile,
                          std::shared_ptr<const ItemTable>& items,
                          std::vector<ItemTable::Row>& seeds,
                          std::vector<ranking::Candidate>& candidates) {
  std::vector<std::string> seed_ids;
  if (!request.item.empty()) {
    seed_ids.push_back(request.item);
  } else if (profile) {
    for (const auto& view : profile->recent_views) {
      if (seed_ids.size() < ranking::kMaxSlotSeeds) seed_ids.push_back(view.item);
    }
  }
  Result<searcher::CandidateResult> found = searcher_->Similar(seed_ids, variant.candidate_depth);
  if (!found.ok()) return found.error();
  items = found->items;
  if (items == nullptr) return Error::Unavailable("index: no item table");
  for (const std::string& id : seed_ids) {
    if (std::optional<ItemTable::Row> row = items->Find(id)) seeds.push_back(*row);
  }
  if (!request.item.empty() && seeds.empty()) {
    return Error::NotFound("item: unknown product \"" + request.item + "\"");
  }
  std::vector<std::pair<ItemTable::Row, double>> hits;
  for (const searcher::Hit& hit : found->result.hits) {
    if (items->present(hit.docid) && items->id(hit.docid) == hit.id) {
      hits.push_back({hit.docid, hit.score});
    }
  }
  candidates = ranking::SimilarCandidates(*items, hits, seeds);
  return Status::Ok();
}

Status Engine::BasketSlot(const RecommendRequest& request, ranking::SlotType type,
                         const ranking::VariantConfig& variant,
                         const std::optional<ranking::ProfileView>& profile,
                         std::shared_ptr<const ItemTable>& items,
                         std::vector<ItemTable::Row>& seeds,
                         std::vector<ranking::Candidate>& candidates) {
  items = searcher_->Items();
  if (items == nullptr) return Error::Unavailable("index: no item table");
  const bool reduced = type == ranking::SlotType::kReduced;
  if (!request.item.empty()) {
    std::optional<ItemTable::Row> row = items->Find(request.item);
    if (!row) return Error::NotFound("item: unknown product \"" + request.item + "\"");
    if (!reduced) seeds.push_back(*row);
  }
  if (reduced) {
    if (profile) candidates = ranking::ReducedCandidates(*items, *profile);
    return Status::Ok();
  }
  if (co_occurrence_ == nullptr) {
    return Error::Unavailable("type: " + request.type + " needs a state directory");
  }
  // Without an item: the visitor's cart, and for also_bought their purchases too.
  if (seeds.empty() && profile) seeds = ranking::BasketSeeds(*items, *profile, type);
  candidates = ranking::BasketCandidates(*items, *co_occurrence_, seeds, NowMs(),
                                         variant.candidate_depth, type,
                                         static_cast<size_t>(request.limit));
  return Status::Ok();
}

}  // namespace tailor::server
