// What the Engine's ranked answers (search, rerank, recommendations) share: turning searcher
// hits into ranking candidates and ranked candidates into explanations. Server-internal.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "server/engine.h"

namespace tailor::server::internal {

// The exploration seed of a request: FNV-1a of its id, so a request id replays its shuffle.
uint64_t SeedOf(std::string_view request_id);

// The first `count` hits as candidates, in order.
std::vector<ranking::Candidate> CandidatesOf(const std::vector<searcher::Hit>& hits,
                                             size_t count);

// Merges more candidates into a ranked pool: each hit of `more` whose docid is not in the
// pool joins it at the end with rank pool.size() at the time (below the text window, in
// more's order) and leaves `rest` (the text order below the window, which otherwise keeps
// its order). Returns the number added.
size_t MergeBelowWindow(std::vector<searcher::Hit> more, std::vector<searcher::Hit>& pool,
                        std::vector<searcher::Hit>& rest);

// The explanation of a hit the scoring layer did not rank (text order below the window).
HitExplanation TextExplanation(const searcher::Hit& hit);

// The explanation of candidate `index` of a ranking; with_rules false: features only (a
// text-ordered page). reasons are phrased for the profile (null: none).
HitExplanation Explain(const ranking::Candidate& candidate, size_t index,
                       const ranking::Ranked& ranked, const ItemTable& items, bool with_rules,
                       const ranking::ProfileView* profile);

}  // namespace tailor::server::internal
