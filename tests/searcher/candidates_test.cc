// The ranking layer's view of the searcher: Items() and SearchCandidates().
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "searcher/searcher.h"
#include "tests/searcher/test_catalog.h"

namespace tailor::searcher {
namespace {

using testing::BuildIndex;
using testing::OpenSearcher;
using testing::TempDir;
using testing::UpdateIndex;

const std::vector<std::string> kCatalog = {
    R"({"id": "P1", "title": "Storm Parka", "brand": "ACME", "price": 80, "list_price": 100,)"
    R"( "category": ["Men", "Jackets"], "colors": ["Black", "Red"],)"
    R"( "sizes": {"S": 0, "M": 3, "L": 1}, "popularity": 7, "margin": 0.3})",
    R"({"id": "P2", "title": "Rain Parka", "brand": "Acme", "price": 40,)"
    R"( "category": ["Men", "Jackets"], "stock": 0})",
    R"({"id": "P3", "title": "Storm Boots", "brand": "Nord", "price": 60,)"
    R"( "category": ["Men", "Shoes"], "sizes": {"UK8": 2}})",
};

TEST(Items, HoldEveryProductsRankingAttributes) {
  TempDir dir;
  BuildIndex(dir, kCatalog);
  std::unique_ptr<Searcher> searcher = OpenSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  std::shared_ptr<const ItemTable> items = searcher->Items();
  ASSERT_NE(items, nullptr);
  std::optional<ItemTable::Row> p1 = items->Find("P1");
  ASSERT_TRUE(p1.has_value());
  EXPECT_EQ(items->Display(ItemTable::kBrand, items->brand(*p1)), "ACME");
  EXPECT_EQ(items->brand(*p1), items->brand(*items->Find("P2")));  // "Acme" is the same brand
  EXPECT_EQ(items->sizes(*p1).size(), 3u);           // S too, out of stock
  EXPECT_EQ(items->sizes_in_stock(*p1).size(), 2u);  // M and L
  EXPECT_EQ(items->categories(*p1).size(), 2u);
  EXPECT_EQ(items->Key(ItemTable::kCategory, items->categories(*p1)[1]), "men/jackets");
  EXPECT_DOUBLE_EQ(items->price(*p1), 80);
  EXPECT_DOUBLE_EQ(items->list_price(*p1), 100);
  EXPECT_DOUBLE_EQ(items->discount(*p1), 0.2);
  EXPECT_EQ(items->popularity(*p1), 7);
  EXPECT_EQ(items->margin(*p1), 0.3);
  EXPECT_FALSE(items->rating(*p1).has_value());
  EXPECT_EQ(items->stock(*p1), 4);
  const ItemTable::Row p2 = *items->Find("P2");
  EXPECT_FALSE(items->popularity(p2).has_value());  // unknown, not 0
  EXPECT_FALSE(items->in_stock(p2));
  EXPECT_DOUBLE_EQ(items->list_price(p2), 40);
}

TEST(Items, FollowAnUpdate) {
  TempDir dir;
  BuildIndex(dir, kCatalog);
  std::unique_ptr<Searcher> searcher = OpenSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  UpdateIndex(dir, {R"({"id": "P2", "title": "Rain Parka", "brand": "Acme", "price": 30,)"
                    R"( "list_price": 40, "category": ["Men", "Jackets"], "stock": 5})"});
  std::shared_ptr<const ItemTable> items = searcher->Items();
  ASSERT_NE(items, nullptr);
  const ItemTable::Row p2 = *items->Find("P2");
  EXPECT_DOUBLE_EQ(items->price(p2), 30);
  EXPECT_TRUE(items->in_stock(p2));
}

TEST(SearchCandidates, AgreesWithSearchOnTotalFacetsAndOrder) {
  TempDir dir;
  BuildIndex(dir, kCatalog);
  std::unique_ptr<Searcher> searcher = OpenSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  SearchRequest request;
  request.query = "storm parka";
  request.limit = 1;
  request.offset = 1;
  Result<SearchResult> page = searcher->Search(request);
  Result<CandidateResult> candidates = searcher->SearchCandidates(request, 10);
  ASSERT_TRUE(page.ok() && candidates.ok());
  EXPECT_EQ(candidates->result.total, page->total);
  EXPECT_EQ(candidates->result.relaxed, page->relaxed);
  EXPECT_EQ(candidates->result.facets.brand.size(), page->facets.brand.size());
  ASSERT_EQ(page->hits.size(), 1u);
  ASSERT_GE(candidates->result.hits.size(), 2u);
  EXPECT_EQ(candidates->result.hits[1].id, page->hits[0].id);
  EXPECT_TRUE(candidates->result.hits[0].stored_json.empty());
  ASSERT_NE(candidates->items, nullptr);
  EXPECT_TRUE(candidates->items->present(candidates->result.hits[0].docid));
}

// Relaxed matches are marked; strict_only leaves them out, in a result cached apart.
TEST(SearchCandidates, MarksRelaxedMatchesAsNotStrictAndStrictOnlyLeavesThemOut) {
  TempDir dir;
  BuildIndex(dir, kCatalog);
  std::unique_ptr<Searcher> searcher = OpenSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  SearchRequest request;
  request.query = "storm parka";  // P1 has both words; P2 and P3 one each
  Result<CandidateResult> candidates = searcher->SearchCandidates(request, 10);
  ASSERT_TRUE(candidates.ok());
  ASSERT_EQ(candidates->result.hits.size(), 3u);
  EXPECT_TRUE(candidates->result.relaxed);
  for (const Hit& hit : candidates->result.hits) {
    EXPECT_EQ(hit.strict, hit.id == "P1") << hit.id;
  }
  for (int run = 0; run < 2; ++run) {  // the second run of each comes from the result cache
    Result<std::vector<Hit>> relaxed = searcher->Retrieve(request, 10);
    ASSERT_TRUE(relaxed.ok());
    EXPECT_EQ(relaxed->size(), 3u);
    SearchRequest strict = request;
    strict.strict_only = true;
    Result<std::vector<Hit>> only = searcher->Retrieve(strict, 10);
    ASSERT_TRUE(only.ok());
    ASSERT_EQ(only->size(), 1u);
    EXPECT_EQ((*only)[0].id, "P1");
    EXPECT_TRUE((*only)[0].strict);
  }
}

TEST(SearchCandidates, ChecksDepthAndPaging) {
  TempDir dir;
  BuildIndex(dir, kCatalog);
  std::unique_ptr<Searcher> searcher = OpenSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  SearchRequest request;
  EXPECT_EQ(searcher->SearchCandidates(request, -1).error().message, "depth: must be >= 0");
  EXPECT_NE(searcher->SearchCandidates(request, 100000).error().message.find("depth: must be at most"),
            std::string::npos);
  request.limit = -1;
  EXPECT_EQ(searcher->SearchCandidates(request, 10).error().message, "limit: must be >= 0");
}

}  // namespace
}  // namespace tailor::searcher
