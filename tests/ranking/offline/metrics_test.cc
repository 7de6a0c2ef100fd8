#include "ranking/offline/metrics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tailor::ranking {
namespace {

TEST(Ndcg, PerfectRankingIsOne) {
  EXPECT_DOUBLE_EQ(NdcgAtK({2, 1, 0}, 10), 1.0);
}

TEST(Ndcg, ReversedRankingIsBelowOne) {
  double ndcg = NdcgAtK({0, 1, 2}, 10);
  double ideal = 3.0 + 1.0 / std::log2(3.0);
  double actual = 1.0 / std::log2(3.0) + 3.0 / std::log2(4.0);
  EXPECT_NEAR(ndcg, actual / ideal, 1e-12);
}

TEST(Ndcg, NoRelevantItemIsMinusOne) { EXPECT_EQ(NdcgAtK({0, 0}, 10), -1); }

TEST(Ndcg, MissedRelevantItemsLowerTheScore) {
  EXPECT_LT(NdcgAtK({1}, 10, {2}), 1.0);
}

TEST(Ndcg, CutsAtK) { EXPECT_EQ(NdcgAtK({0, 2}, 1), 0.0); }

TEST(ReciprocalRank, FirstRelevantPosition) {
  EXPECT_DOUBLE_EQ(ReciprocalRankAtK({0, 0, 1}, 10), 1.0 / 3);
  EXPECT_DOUBLE_EQ(ReciprocalRankAtK({0, 0, 1}, 2), 0.0);
}

}  // namespace
}  // namespace tailor::ranking
