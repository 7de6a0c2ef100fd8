// How the searcher orders what relaxation adds below the AND matches: a bonus per query word
// a product has, and pseudo-relevance feedback from the best matches; and the lowercasing
// that lets capitalized query words be stemmed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "searcher/searcher.h"
#include "tests/searcher/test_catalog.h"

namespace tailor::searcher {
namespace {

using testing::BuildIndex;
using testing::Ids;
using testing::MustSearch;
using testing::OpenSearcher;
using testing::Query;
using testing::SortedIds;
using testing::TempDir;

std::string Product(const std::string& id, const std::string& title) {
  return R"({"id":")" + id + R"(","title":")" + title + R"(","price":10})";
}

TEST(RelaxedRanking, CapitalizedQueryWordsAreStemmed) {
  TempDir dir;
  BuildIndex(dir, {Product("p1", "Interior Door"), Product("p2", "Exterior Light")});
  SearchResult result = MustSearch(*OpenSearcher(dir), Query("INTERIOR DOORS"));
  EXPECT_FALSE(result.relaxed);
  EXPECT_EQ(Ids(result.hits), (std::vector<std::string>{"p1"}));

  SearcherOptions as_typed = testing::TestOptions();
  as_typed.lowercase_query = false;  // Xapian leaves "DOORS" unstemmed: no AND match
  EXPECT_TRUE(MustSearch(*OpenSearcher(dir, as_typed), Query("INTERIOR DOORS")).relaxed);
}

// "zebra" is rare, "metal" and "cart" are common: by BM25 alone the one rare word wins.
std::vector<std::string> CartCatalog() {
  return {Product("p1", "Zebra Hook"),  Product("p2", "Metal Cart"),
          Product("p3", "Metal Shelf"), Product("p4", "Metal Rack"),
          Product("p5", "Garden Cart"), Product("p6", "Tool Cart")};
}

TEST(RelaxedRanking, WordBonusRanksMoreQueryWordsFirst) {
  TempDir dir;
  BuildIndex(dir, CartCatalog());
  SearcherOptions options = testing::TestOptions();
  options.feedback_docs = 0;
  SearchResult result = MustSearch(*OpenSearcher(dir, options), Query("zebra metal cart"));
  ASSERT_TRUE(result.relaxed);
  ASSERT_FALSE(result.hits.empty());
  EXPECT_EQ(result.hits[0].id, "p2");

  options.relax_word_bonus = 0;
  SearchResult plain = MustSearch(*OpenSearcher(dir, options), Query("zebra metal cart"));
  ASSERT_FALSE(plain.hits.empty());
  EXPECT_EQ(plain.hits[0].id, "p1");
  EXPECT_EQ(SortedIds(plain), SortedIds(result));
}

// The AND matches of "ceramic towel holder" are chrome; of the two towel-only products the
// chrome one ranks first with feedback, the other (indexed first, so first on a tie) without.
std::vector<std::string> TowelCatalog() {
  return {Product("p1", "Ceramic Towel Holder Chrome"),
          Product("p2", "Ceramic Towel Holder Chrome Wall"),
          Product("p3", "Beach Towel Blue"),
          Product("p4", "Towel Bar Chrome"),
          Product("p5", "Garden Hose Green"),
          Product("p6", "Patio Chair Teak"),
          Product("p7", "Door Mat Coir"),
          Product("p8", "Lamp Shade Linen")};
}

TEST(RelaxedRanking, FeedbackOrdersOrOnlyMatchesLikeTheBestMatches) {
  TempDir dir;
  BuildIndex(dir, TowelCatalog());
  SearcherOptions options = testing::TestOptions();
  options.feedback_docs = 10;  // off by default
  SearchResult result = MustSearch(*OpenSearcher(dir, options), Query("ceramic towel holder"));
  ASSERT_TRUE(result.relaxed);
  EXPECT_EQ(Ids(result.hits), (std::vector<std::string>{"p1", "p2", "p4", "p3"}));

  options.feedback_docs = 0;
  SearchResult plain = MustSearch(*OpenSearcher(dir, options), Query("ceramic towel holder"));
  EXPECT_EQ(Ids(plain.hits), (std::vector<std::string>{"p1", "p2", "p3", "p4"}));
  EXPECT_EQ(plain.total, result.total);  // feedback reorders, it adds no match
}

}  // namespace
}  // namespace tailor::searcher
