#include "server/internal/ranked_hits.h"

#include <gtest/gtest.h>

#include <vector>

namespace tailor::server::internal {
namespace {

std::vector<searcher::Hit> Hits(std::vector<uint32_t> docids, int first_rank) {
  std::vector<searcher::Hit> hits;
  for (uint32_t docid : docids) {
    searcher::Hit hit;
    hit.docid = docid;
    hit.id = "p" + std::to_string(docid);
    hit.rank = first_rank++;
    hits.push_back(hit);
  }
  return hits;
}

std::vector<uint32_t> Docids(const std::vector<searcher::Hit>& hits) {
  std::vector<uint32_t> docids;
  for (const searcher::Hit& hit : hits) docids.push_back(hit.docid);
  return docids;
}

TEST(MergeBelowWindow, AddsOnlyNewItemsBelowTheWindowAndKeepsTheTextOrderOfTheRest) {
  std::vector<searcher::Hit> pool = Hits({1, 2, 3}, 0);
  std::vector<searcher::Hit> rest = Hits({4, 5, 6, 7}, 3);
  // 2 is in the pool already, 6 is below the window, 9 is new, 6 twice.
  const size_t added = MergeBelowWindow(Hits({2, 6, 9, 6}, 0), pool, rest);
  EXPECT_EQ(added, 2u);
  EXPECT_EQ(Docids(pool), std::vector<uint32_t>({1, 2, 3, 6, 9}));
  EXPECT_EQ(pool[3].rank, 3) << "ranked below the window, in the order retrieved";
  EXPECT_EQ(pool[4].rank, 4);
  EXPECT_EQ(Docids(rest), std::vector<uint32_t>({4, 5, 7})) << "6 moved up, the rest kept order";
  EXPECT_EQ(rest[0].rank, 3);
}

TEST(MergeBelowWindow, NothingNewChangesNothing) {
  std::vector<searcher::Hit> pool = Hits({1, 2}, 0);
  std::vector<searcher::Hit> rest = Hits({3}, 2);
  EXPECT_EQ(MergeBelowWindow(Hits({2, 1}, 0), pool, rest), 0u);
  EXPECT_EQ(Docids(pool), std::vector<uint32_t>({1, 2}));
  EXPECT_EQ(Docids(rest), std::vector<uint32_t>({3}));
}

}  // namespace
}  // namespace tailor::server::internal
