// Replay figures as ratios against reference variants, so tailor-ranker eval says "1.32x the
// text order" beside the side-by-side table of ranking/offline/replay.h: each variant's NDCG@10
// (plain and position-debiased) and MRR@10 over those of the hand-weighted "baseline" and of
// the non-personalized "text" variant, whichever of them the report has.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "ranking/offline/replay.h"

namespace tailor::ranking {

struct ReplayRatios {
  // The label of the variant divided by, as the report names it.
  std::string reference;
  // One value per variant of the report, in its order: the variant's figure over the
  // reference's; -1 when the reference's figure is 0.
  std::vector<double> ndcg10;
  std::vector<double> ndcg10_ipw;
  std::vector<double> mrr10;
};

// The index of the variant called name in report: label "name", or "N:name" when several
// scoring files were replayed (the first such); -1 when none.
int FindVariant(const ReplayReport& report, const std::string& name);

// One ratio set per name of references that the report has a variant of, in that order.
std::vector<ReplayRatios> RatiosAgainst(const ReplayReport& report,
                                        const std::vector<std::string>& references = {"baseline",
                                                                                      "text"});

// A table with one column per variant like FormatReplayReport's: a "ratio" header row, then
// three rows per ratio set ("ndcg@10 / baseline   1.0000x   1.3200x"), "-" for an undefined
// ratio; "" when ratios is empty.
// Requires: ratios were computed from report.
std::string FormatReplayRatios(const ReplayReport& report, const std::vector<ReplayRatios>& ratios);

}  // namespace tailor::ranking
