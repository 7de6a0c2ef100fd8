// Filters (which never change scores) and facets (which count every match).
#include <gtest/gtest.h>

#include "searcher/searcher.h"
#include "tests/searcher/test_catalog.h"

namespace tailor::searcher {
namespace {

using testing::BuildIndex;
using testing::MustSearch;
using testing::OpenSearcher;
using testing::Query;
using testing::ShopCatalog;
using testing::SortedIds;
using testing::TempDir;
using Ids = std::vector<std::string>;

class ShopIndex {
 public:
  ShopIndex() {
    BuildIndex(dir_, ShopCatalog());
    searcher_ = OpenSearcher(dir_);
  }
  SearchResult Search(const SearchRequest& request) const { return MustSearch(*searcher_, request); }

 private:
  TempDir dir_;
  std::unique_ptr<Searcher> searcher_;
};

TEST(Filters, BrandFilterIsCaseInsensitiveAndOrsValues) {
  ShopIndex shop;
  SearchRequest request;
  request.brands = {"nike"};
  EXPECT_EQ(SortedIds(shop.Search(request)), (Ids{"p1", "p3"}));
  request.brands = {"Nike", "ADIDAS"};
  EXPECT_EQ(SortedIds(shop.Search(request)), (Ids{"p1", "p3", "p4", "p6"}));
}

TEST(Filters, CategoryFilterMatchesPathPrefixes) {
  ShopIndex shop;
  SearchRequest request;
  request.categories = {"Men"};
  EXPECT_EQ(SortedIds(shop.Search(request)), (Ids{"p1", "p3", "p5", "p6"}));
  request.categories = {"Men/Shoes"};
  EXPECT_EQ(SortedIds(shop.Search(request)), (Ids{"p3"}));
  request.categories = {"men / jackets", "Women/Shoes"};
  EXPECT_EQ(SortedIds(shop.Search(request)), (Ids{"p1", "p4", "p6"}));
}

TEST(Filters, SizeFilterKeepsOnlySizesInStock) {
  ShopIndex shop;
  SearchRequest request;
  request.sizes = {"S"};  // p1 has S but none in stock
  EXPECT_EQ(shop.Search(request).total, 0);
  request.sizes = {"M"};
  EXPECT_EQ(SortedIds(shop.Search(request)), (Ids{"p1", "p2", "p6"}));
  request.sizes = {"43", "42"};
  EXPECT_EQ(SortedIds(shop.Search(request)), (Ids{"p3"}));
}

TEST(Filters, ColorFilter) {
  ShopIndex shop;
  SearchRequest request;
  request.colors = {"red"};
  EXPECT_EQ(SortedIds(shop.Search(request)), (Ids{"p1", "p5"}));
}

TEST(Filters, PriceRangeIsInclusive) {
  ShopIndex shop;
  SearchRequest request;
  request.price_min = 60;
  request.price_max = 120;
  EXPECT_EQ(SortedIds(shop.Search(request)), (Ids{"p1", "p3", "p6"}));
  request.price_max.reset();
  EXPECT_EQ(SortedIds(shop.Search(request)), (Ids{"p1", "p2", "p3", "p4", "p6"}));
  request.price_min.reset();
  request.price_max = 25;
  EXPECT_EQ(SortedIds(shop.Search(request)), (Ids{"p5"}));
}

TEST(Filters, InStockOnlyDropsSoldOutItems) {
  ShopIndex shop;
  SearchRequest request;
  request.in_stock_only = true;
  EXPECT_EQ(SortedIds(shop.Search(request)), (Ids{"p1", "p2", "p3", "p5", "p6"}));
}

TEST(Filters, DifferentKindsCombineWithAnd) {
  ShopIndex shop;
  SearchRequest request = Query("jacket");
  request.categories = {"Men"};
  request.colors = {"red", "green"};
  request.price_max = 100;
  EXPECT_EQ(SortedIds(shop.Search(request)), (Ids{"p5", "p6"}));
}

TEST(Filters, DoNotChangeScores) {
  ShopIndex shop;
  SearchResult plain = shop.Search(Query("jacket"));
  SearchRequest filtered = Query("jacket");
  filtered.brands = {"nike"};
  SearchResult result = shop.Search(filtered);
  ASSERT_EQ(result.hits.size(), 1u);
  EXPECT_EQ(result.hits[0].id, "p1");
  // Without the check below the loop could pass without comparing anything.
  bool compared = false;
  for (const Hit& hit : plain.hits) {
    if (hit.id == "p1") {
      EXPECT_DOUBLE_EQ(hit.score, result.hits[0].score);
      compared = true;
    }
  }
  EXPECT_TRUE(compared) << "p1 is not among the unfiltered hits";
}

std::vector<std::pair<std::string, long>> Pairs(const std::vector<FacetValue>& values) {
  std::vector<std::pair<std::string, long>> pairs;
  for (const FacetValue& value : values) pairs.emplace_back(value.value, value.count);
  return pairs;
}
using Counts = std::vector<std::pair<std::string, long>>;

TEST(Facets, CountAllMatchesNotOnlyThePage) {
  ShopIndex shop;
  SearchRequest request;
  request.limit = 1;
  SearchResult result = shop.Search(request);
  ASSERT_EQ(result.hits.size(), 1u);
  // "Nike" and "NIKE" are one value; ties sort by value.
  EXPECT_EQ(Pairs(result.facets.brand), (Counts{{"Adidas", 2}, {"NIKE", 2}, {"Puma", 2}}));
  EXPECT_EQ(Pairs(result.facets.size), (Counts{{"M", 3}, {"42", 1}, {"L", 1}}));
  EXPECT_EQ(Pairs(result.facets.color), (Counts{{"Black", 2},
                                                {"Red", 2},
                                                {"blue", 1},
                                                {"Brown", 1},
                                                {"Green", 1},
                                                {"White", 1}}));
}

TEST(Facets, CategoryCountsEveryLevelOfThePath) {
  ShopIndex shop;
  SearchResult result = shop.Search(SearchRequest{});
  EXPECT_EQ(Pairs(result.facets.category), (Counts{{"Men", 4},
                                                   {"Men/Jackets", 2},
                                                   {"Women", 2},
                                                   {"Men/Shirts", 1},
                                                   {"Men/Shoes", 1},
                                                   {"Women/Jackets", 1},
                                                   {"Women/Shoes", 1}}));
}

TEST(Facets, FollowQueryAndFilters) {
  ShopIndex shop;
  SearchRequest request = Query("jacket");
  request.limit = 1;
  request.in_stock_only = true;
  SearchResult result = shop.Search(request);
  EXPECT_EQ(result.total, 4);  // p1, p2, p6 by title, p5 by description
  EXPECT_EQ(Pairs(result.facets.brand), (Counts{{"Puma", 2}, {"Adidas", 1}, {"Nike", 1}}));
  ASSERT_TRUE(result.facets.price_min.has_value());
  EXPECT_DOUBLE_EQ(*result.facets.price_min, 25);
  EXPECT_DOUBLE_EQ(*result.facets.price_max, 200);
}

TEST(Facets, PriceRangeCoversAllMatchesAndIsAbsentWithoutMatches) {
  ShopIndex shop;
  SearchResult all = shop.Search(SearchRequest{});
  ASSERT_TRUE(all.facets.price_min.has_value());
  EXPECT_DOUBLE_EQ(*all.facets.price_min, 25);
  EXPECT_DOUBLE_EQ(*all.facets.price_max, 200);
  SearchResult none = shop.Search(Query("zzzz "));
  EXPECT_EQ(none.total, 0);
  EXPECT_FALSE(none.facets.price_min.has_value());
  EXPECT_TRUE(none.facets.brand.empty());
}

TEST(Facets, TopValuesAreCappedByOptions) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  SearcherOptions options = testing::TestOptions();
  options.facet_values = 1;
  auto searcher = OpenSearcher(dir, options);
  SearchResult result = MustSearch(*searcher, SearchRequest{});
  EXPECT_EQ(Pairs(result.facets.category), (Counts{{"Men", 4}}));
  EXPECT_EQ(result.facets.brand.size(), 1u);
}

TEST(Facets, SkippedWhenNotAsked) {
  ShopIndex shop;
  SearchRequest request;
  request.with_facets = false;
  SearchResult result = shop.Search(request);
  EXPECT_EQ(result.total, 6);
  EXPECT_TRUE(result.facets.brand.empty());
}

}  // namespace
}  // namespace tailor::searcher
