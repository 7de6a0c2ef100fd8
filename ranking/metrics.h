// Ranking quality metrics shared by the relevance benchmark and, later, tailor-ranker eval.
//
// All functions are pure and thread-safe.
#pragma once

#include <vector>

namespace tailor::ranking {

// Discounted cumulative gain of the first k gains, in ranked order: sum of
// (2^gain - 1) / log2(rank + 2) over ranks 0..k-1.
double DcgAtK(const std::vector<double>& gains_in_rank_order, int k);

// DCG@k of the ranking divided by DCG@k of the ideal ordering of the same gains (the
// ranking's own gains sorted descending, plus `extra_ideal_gains` for relevant items the
// ranking did not return). Returns nullopt-like -1 when the ideal DCG is 0 (no relevant
// item at all), so callers can leave such queries out of the mean.
double NdcgAtK(const std::vector<double>& gains_in_rank_order, int k,
               const std::vector<double>& extra_ideal_gains = {});

// Reciprocal rank of the first gain > 0 in the first k, or 0 when there is none.
double ReciprocalRankAtK(const std::vector<double>& gains_in_rank_order, int k);

}  // namespace tailor::ranking
