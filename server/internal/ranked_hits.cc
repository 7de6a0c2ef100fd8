#include "server/internal/ranked_hits.h"

#include <unordered_set>

#include "core/hash.h"
#include "ranking/scoring/reasons.h"

namespace tailor::server::internal {

// The exploration seed of a request: FNV-1a of its id, so a request id replays its shuffle.
uint64_t SeedOf(std::string_view request_id) { return Fnv1a64(request_id); }

size_t MergeBelowWindow(std::vector<searcher::Hit> more, std::vector<searcher::Hit>& pool,
                        std::vector<searcher::Hit>& rest) {
  std::unordered_set<uint32_t> known;
  known.reserve(pool.size() + more.size());
  for (const searcher::Hit& hit : pool) known.insert(hit.docid);
  std::unordered_set<uint32_t> added;
  for (searcher::Hit& hit : more) {
    if (!known.insert(hit.docid).second) continue;
    hit.rank = static_cast<int>(pool.size());
    added.insert(hit.docid);
    pool.push_back(std::move(hit));
  }
  if (!added.empty()) {
    std::erase_if(rest, [&](const searcher::Hit& r) { return added.count(r.docid) > 0; });
  }
  return added.size();
}

std::vector<ranking::Candidate> CandidatesOf(const std::vector<searcher::Hit>& hits,
                                             size_t count) {
  std::vector<ranking::Candidate> candidates;
  candidates.reserve(count);
  for (size_t i = 0; i < count && i < hits.size(); ++i) {
    candidates.push_back({hits[i].docid, hits[i].score, hits[i].rank, hits[i].strict});
  }
  return candidates;
}

HitExplanation TextExplanation(const searcher::Hit& hit) {
  HitExplanation explanation;
  explanation.text_rank = hit.rank;
  explanation.text_score = hit.score;
  explanation.strict = hit.strict;
  return explanation;
}

HitExplanation Explain(const ranking::Candidate& candidate, size_t index,
                       const ranking::Ranked& ranked, const ItemTable& items, bool with_rules,
                       const ranking::ProfileView* profile) {
  HitExplanation explanation;
  explanation.text_rank = candidate.text_rank;
  explanation.text_score = candidate.text_score;
  explanation.strict = candidate.strict;
  explanation.in_stock = items.in_stock(candidate.row);
  explanation.size_fit = ranked.fits.empty() ? ranking::SizeFit::kUnknown : ranked.fits[index];
  auto row = ranked.features.row(static_cast<int>(index));
  explanation.features.assign(row.begin(), row.end());
  if (!with_rules) {
    explanation.reasons = ranking::ReasonsFor(items, candidate.row, row, {}, profile);
    return explanation;
  }
  explanation.ranked = true;
  const ranking::CandidateOutcome& outcome = ranked.business.candidates[index];
  explanation.final_score = outcome.final_score;
  explanation.margin = outcome.margin;
  explanation.adjustments = outcome.adjustments;
  if (ranked.model != nullptr) {
    explanation.model = ranked.model->name();
    explanation.model_score = ranked.model_scores[index];
    explanation.contributions =
        ranked.model->Contributions(ranked.features, static_cast<int>(index));
  }
  explanation.reasons =
      ranking::ReasonsFor(items, candidate.row, row, explanation.contributions, profile);
  return explanation;
}

}  // namespace tailor::server::internal
