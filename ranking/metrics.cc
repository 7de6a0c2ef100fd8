#include "ranking/metrics.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace tailor::ranking {

double DcgAtK(const std::vector<double>& gains_in_rank_order, int k) {
  double dcg = 0;
  int n = std::min<int>(k, static_cast<int>(gains_in_rank_order.size()));
  for (int rank = 0; rank < n; ++rank) {
    dcg += (std::pow(2.0, gains_in_rank_order[rank]) - 1.0) / std::log2(rank + 2.0);
  }
  return dcg;
}

double NdcgAtK(const std::vector<double>& gains_in_rank_order, int k,
               const std::vector<double>& extra_ideal_gains) {
  std::vector<double> ideal = gains_in_rank_order;
  ideal.insert(ideal.end(), extra_ideal_gains.begin(), extra_ideal_gains.end());
  std::sort(ideal.begin(), ideal.end(), std::greater<double>());
  double ideal_dcg = DcgAtK(ideal, k);
  if (ideal_dcg <= 0) return -1;
  return DcgAtK(gains_in_rank_order, k) / ideal_dcg;
}

double ReciprocalRankAtK(const std::vector<double>& gains_in_rank_order, int k) {
  int n = std::min<int>(k, static_cast<int>(gains_in_rank_order.size()));
  for (int rank = 0; rank < n; ++rank) {
    if (gains_in_rank_order[rank] > 0) return 1.0 / (rank + 1);
  }
  return 0;
}

}  // namespace tailor::ranking
