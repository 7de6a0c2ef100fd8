// Engine::Search: text retrieval, then for a visitor with a profile the scoring layer over
// the variant's candidates, widened by personalized retrieval (the variant's best of a
// deeper text list) and, when too few fit the visitor, by items in their size.
#include <algorithm>
#include <numeric>
#include <unordered_set>

#include "server/engine.h"
#include "server/internal/past_queries.h"
#include "server/internal/ranked_hits.h"

namespace tailor::server {

using internal::CandidatesOf;
using internal::Explain;
using internal::MergeBelowWindow;
using internal::TextExplanation;

Result<SearchResponse> Engine::Search(const searcher::SearchRequest& request,
                                      const SearchContext& context) {
  Result<Ranking> ranking = BeginRanking(context);
  if (!ranking.ok()) return ranking.error();
  SearchContext with_id = context;
  with_id.request_id = ranking->request_id;
  const ranking::VariantConfig& chosen = *ranking->variant;
  // Without a profile the ranking is the text one, plus the variant's business rules when
  // it has any (a merchant's pin holds for new visitors too); the model needs a profile.
  const bool has_rules = !chosen.business.rules.empty() || chosen.business.margin_weight > 0;
  Result<SearchResponse> response = ranking->personal() != nullptr || has_rules
                                        ? SearchRanked(request, with_id, *ranking)
                                        : SearchText(request, with_id, chosen);
  if (!response.ok()) return response;
  RecordSizeFilter(request, context);
  // What the visitor typed and whether it found anything as typed: past queries for /suggest.
  const searcher::SearchResult& found = response->result;
  past_queries_->Record(request.query, context.visitor, found.total > 0 && !found.corrected,
                        NowMs());
  response->request_id = ranking->request_id;
  response->variant = chosen.name;
  response->took_ms = ranking->TookMs();
  return response;
}

Result<SearchResponse> Engine::SearchText(const searcher::SearchRequest& request,
                                          const SearchContext& context,
                                          const ranking::VariantConfig& variant) {
  Result<searcher::SearchResult> result = searcher_->Search(request);
  if (!result.ok()) return result.error();
  SearchResponse response;
  response.result = std::move(*result);
  std::shared_ptr<const ItemTable> items = searcher_->Items();
  const bool log = ranking_log_ != nullptr && items != nullptr;
  if (!log && !context.explain) return response;
  // Features of the page only, without a profile: what the log and explain need. A hit
  // whose row names another product (the index was swapped in between) has none.
  std::vector<ranking::Candidate> candidates;
  std::vector<int> candidate_of;  // per hit, its candidate or -1
  for (const searcher::Hit& hit : response.result.hits) {
    const bool known = items != nullptr && items->present(hit.docid) && items->id(hit.docid) == hit.id;
    candidate_of.push_back(known ? static_cast<int>(candidates.size()) : -1);
    if (known) candidates.push_back({hit.docid, hit.score, hit.rank, hit.strict});
  }
  ranking::Ranked ranked;
  if (items != nullptr) {
    FillPopularity(*items, candidates);
    ranking::PreparedProfile no_profile(nullptr, *items, ranking::FeatureOptions{});
    ranked.features = ranking::ComputeFeatures(no_profile, request.query, candidates);
  }
  if (context.explain) {
    for (size_t i = 0; i < response.result.hits.size(); ++i) {
      const searcher::Hit& hit = response.result.hits[i];
      response.explanations.push_back(
          candidate_of[i] >= 0
              ? Explain(candidates[candidate_of[i]], candidate_of[i], ranked, *items, false,
                        nullptr)
              : TextExplanation(hit));
    }
  }
  if (log && candidates.size() == response.result.hits.size()) {
    std::vector<size_t> indexes(candidates.size());
    for (size_t i = 0; i < indexes.size(); ++i) indexes[i] = i;
    const SearchFacts search{response.result.total, &request};
    LogRanking(context, context.request_id, variant.name, request.query, false, *items, candidates,
               indexes, request.offset, ranked, &search);
  }
  return response;
}

Result<SearchResponse> Engine::SearchRanked(const searcher::SearchRequest& request,
                                            const SearchContext& context,
                                            const Ranking& ranking) {
  const ranking::VariantConfig& variant = *ranking.variant;
  const ranking::ProfileView* profile = ranking.personal();
  Result<searcher::CandidateResult> found =
      searcher_->SearchCandidates(request, variant.candidate_depth);
  if (!found.ok()) return found.error();
  if (found->items == nullptr) return SearchText(request, context, variant);
  // The ranked pool is the window of text candidates; the text order below it follows.
  std::vector<searcher::Hit>& hits = found->result.hits;
  const size_t window = std::min(hits.size(), static_cast<size_t>(variant.candidate_depth));
  std::vector<searcher::Hit> pool(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(window));
  std::vector<searcher::Hit> rest(hits.begin() + static_cast<std::ptrdiff_t>(window), hits.end());
  const ItemTable& items = *found->items;
  if (profile != nullptr) AddPersonalCandidates(request, ranking, items, pool, rest);
  std::vector<ranking::Candidate> candidates = CandidatesOf(pool, pool.size());
  ranking::Ranked ranked = RankCandidates(ranking, items, candidates, request.query);
  const size_t offset = static_cast<size_t>(request.offset);
  const size_t limit = static_cast<size_t>(request.limit.value_or(default_limit_));
  if (profile != nullptr &&
      AddFittingCandidates(request, variant, *profile, ranked, offset + limit, pool, rest)) {
    candidates = CandidatesOf(pool, pool.size());
    ranked = RankCandidates(ranking, items, candidates, request.query);
  }
  const std::vector<size_t>& order = ranked.business.order;
  SearchResponse response;
  response.personalized = profile != nullptr;
  std::vector<searcher::Hit> page;
  std::vector<size_t> logged;
  for (size_t position = offset; position < order.size() + rest.size() && page.size() < limit;
       ++position) {
    if (position >= order.size()) {
      page.push_back(rest[position - order.size()]);
      if (context.explain) response.explanations.push_back(TextExplanation(page.back()));
      continue;
    }
    const size_t index = order[position];
    page.push_back(pool[index]);
    logged.push_back(index);
    if (context.explain) {
      response.explanations.push_back(
          Explain(candidates[index], index, ranked, items, true, profile));
    }
  }
  if (Status loaded = searcher_->LoadStored(page); !loaded.ok()) return loaded.error();
  if (ranking_log_ != nullptr && logged.size() == page.size()) {
    const SearchFacts search{found->result.total, &request};
    LogRanking(context, context.request_id, variant.name, request.query, response.personalized,
               *found->items, candidates, logged, request.offset, ranked, &search);
  }
  response.result = std::move(found->result);
  response.result.hits = std::move(page);
  return response;
}

bool Engine::AddFittingCandidates(const searcher::SearchRequest& request,
                                  const ranking::VariantConfig& variant,
                                  const ranking::ProfileView& profile,
                                  const ranking::Ranked& ranked, size_t wanted,
                                  std::vector<searcher::Hit>& pool,
                                  std::vector<searcher::Hit>& rest) {
  // A size filter already keeps every candidate in that size.
  if (!request.sizes.empty() || pool.empty()) return false;
  const size_t fitting = static_cast<size_t>(
      std::count_if(ranked.business.candidates.begin(), ranked.business.candidates.end(),
                    [](const ranking::CandidateOutcome& c) { return c.fits; }));
  if (fitting >= std::min(wanted, pool.size())) return false;
  searcher::SearchRequest sized = request;
  for (const ranking::ProfileView::SizePreference& size : profile.sizes) {
    if (size.share >= variant.min_size_share) sized.sizes.push_back(size.display);
  }
  if (sized.sizes.empty()) return false;
  Result<std::vector<searcher::Hit>> more = searcher_->Retrieve(sized, variant.candidate_depth);
  if (!more.ok()) return false;  // the pool as it is still answers the search
  return MergeBelowWindow(std::move(*more), pool, rest) > 0;
}

std::vector<size_t> Engine::FirstPhaseOrder(const Ranking& ranking, const ItemTable& items,
                                            std::vector<ranking::Candidate>& candidates,
                                            std::string_view query, size_t wanted) const {
  const ranking::Model* first = ranking.scoring->FirstPhaseOf(*ranking.variant);
  if (first == nullptr) return RankCandidates(ranking, items, candidates, query).business.order;
  const ranking::FeatureSet& needed = first->feature_set();
  if (needed[ranking::kEventPopularity]) FillPopularity(items, candidates);
  if (needed[ranking::kCoViewed]) FillCoViewed(items, *ranking.personal(), candidates);
  const ranking::PreparedProfile profile(
      ranking.personal(), items,
      ranking::FeatureOptions{.min_size_share = ranking.variant->min_size_share});
  const std::vector<double> scores =
      first->Score(ranking::ComputeFeatures(profile, query, candidates, needed));
  std::vector<size_t> order(candidates.size());
  std::iota(order.begin(), order.end(), size_t{0});
  const auto best = order.begin() + static_cast<std::ptrdiff_t>(std::min(wanted, order.size()));
  std::partial_sort(order.begin(), best, order.end(), [&](size_t a, size_t b) {
    return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
  });
  order.erase(best, order.end());
  return order;
}

bool Engine::AddPersonalCandidates(const searcher::SearchRequest& request, const Ranking& ranking,
                                   const ItemTable& items, std::vector<searcher::Hit>& pool,
                                   std::vector<searcher::Hit>& rest) const {
  const ranking::VariantConfig& variant = *ranking.variant;
  // A text pool that holds every match already holds all the visitor could like, and one
  // that ends in OR-relaxed matches holds every match of all the words.
  if (variant.personal_depth <= 0 || pool.size() < static_cast<size_t>(variant.candidate_depth) ||
      !pool.back().strict || variant.personal_scan_depth <= variant.candidate_depth) {
    return false;
  }
  searcher::SearchRequest deeper = request;
  deeper.with_facets = false;
  deeper.strict_only = true;
  Result<std::vector<searcher::Hit>> scanned =
      searcher_->Retrieve(deeper, std::min(variant.personal_scan_depth, max_depth_));
  if (!scanned.ok()) return false;  // the text pool still answers the search
  std::unordered_set<uint32_t> in_pool;
  in_pool.reserve(pool.size());
  for (const searcher::Hit& hit : pool) in_pool.insert(hit.docid);
  // Row 0 is the window's best match, so text_score (over the batch's best) means what it
  // means in the final ranking; the rest are the scanned matches not in the pool. A hit
  // whose row names another product (the index was swapped in between) is left out.
  std::vector<searcher::Hit> below;
  below.push_back(pool.front());
  for (searcher::Hit& hit : *scanned) {
    if (in_pool.count(hit.docid) == 0 && items.present(hit.docid) &&
        items.id(hit.docid) == hit.id) {
      below.push_back(std::move(hit));
    }
  }
  if (below.size() == 1) return false;
  std::vector<ranking::Candidate> candidates = CandidatesOf(below, below.size());
  const std::vector<size_t> order = FirstPhaseOrder(
      ranking, items, candidates, request.query, static_cast<size_t>(variant.personal_depth) + 1);
  std::vector<searcher::Hit> best;
  for (size_t index : order) {
    if (best.size() >= static_cast<size_t>(variant.personal_depth)) break;
    if (index != 0) best.push_back(std::move(below[index]));
  }
  return MergeBelowWindow(std::move(best), pool, rest) > 0;
}

}  // namespace tailor::server
