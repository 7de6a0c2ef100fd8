// Ranking quality metrics shared by the relevance benchmark, tailor-ranker eval (replay) and
// the trainer's validation.
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

// The inverse propensity of an item shown at 0-based position: visitors examine position p
// with probability (1 / (p + 1))^eta, so this is (p + 1)^eta, clipped at
// max_inverse_propensity (>= 1) so one judgment far down the list cannot dominate.
double InversePropensity(int position, double eta, double max_inverse_propensity);

// Position-debiased (inverse-propensity-weighted) NDCG@k: each item's 2^gain - 1 is weighted
// by the inverse propensity of the position it was SHOWN at (inverse_propensities, in the same
// rank order as the gains), and the DCG@k of the weighted values is divided by that of their
// ideal order. Clicks near the top are partly due to being near the top; this takes that
// advantage away from the order that was shown. -1 when no gain is > 0. Requires: both
// vectors have the same size.
double DebiasedNdcgAtK(const std::vector<double>& gains_in_rank_order,
                       const std::vector<double>& inverse_propensities_in_rank_order, int k);

// Reciprocal rank of the first gain > 0 in the first k, or 0 when there is none.
double ReciprocalRankAtK(const std::vector<double>& gains_in_rank_order, int k);

}  // namespace tailor::ranking
