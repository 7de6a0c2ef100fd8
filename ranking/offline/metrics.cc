#include "ranking/offline/metrics.h"

#include <algorithm>
#include <cassert>
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

double InversePropensity(int position, double eta, double max_inverse_propensity) {
  return std::min(max_inverse_propensity, std::pow(position + 1.0, eta));
}

double DebiasedNdcgAtK(const std::vector<double>& gains_in_rank_order,
                       const std::vector<double>& inverse_propensities_in_rank_order, int k) {
  assert(gains_in_rank_order.size() == inverse_propensities_in_rank_order.size());
  std::vector<double> weighted;
  for (size_t r = 0; r < gains_in_rank_order.size(); ++r) {
    weighted.push_back((std::exp2(gains_in_rank_order[r]) - 1.0) *
                       inverse_propensities_in_rank_order[r]);
  }
  auto dcg = [k](const std::vector<double>& values) {
    double sum = 0;
    for (size_t r = 0; r < values.size() && r < static_cast<size_t>(k); ++r) {
      sum += values[r] / std::log2(r + 2.0);
    }
    return sum;
  };
  std::vector<double> ideal = weighted;
  std::sort(ideal.begin(), ideal.end(), std::greater<double>());
  const double best = dcg(ideal);
  return best > 0 ? dcg(weighted) / best : -1;
}

double ReciprocalRankAtK(const std::vector<double>& gains_in_rank_order, int k) {
  int n = std::min<int>(k, static_cast<int>(gains_in_rank_order.size()));
  for (int rank = 0; rank < n; ++rank) {
    if (gains_in_rank_order[rank] > 0) return 1.0 / (rank + 1);
  }
  return 0;
}

}  // namespace tailor::ranking
