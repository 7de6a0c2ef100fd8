// The searcher follows the live index: rebuilds (generation swaps) and updates, also
// while other threads are searching.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

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
using testing::UpdateIndex;
using Ids = std::vector<std::string>;

TEST(LiveIndex, FollowsARebuildToANewGeneration) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  EXPECT_EQ(MustSearch(*searcher, Query("parka ")).total, 0);

  std::vector<std::string> catalog = ShopCatalog();
  catalog.push_back(R"({"id":"p7","title":"Arctic Parka","price":300})");
  BuildIndex(dir, catalog);
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("parka "))), (Ids{"p7"}));
  EXPECT_EQ(searcher->DocumentCount(), 7);
}

TEST(LiveIndex, FollowsAnUpdateOfTheLiveGeneration) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  EXPECT_EQ(MustSearch(*searcher, Query("boots ")).total, 1);

  UpdateIndex(dir, {R"({"id":"p8","title":"Hiking Boots","price":90,"sizes":{"44":2}})",
                    R"({"id":"p4","deleted":true})"});
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("boots "))), (Ids{"p8"}));
  SearchRequest by_size;
  by_size.sizes = {"44"};
  EXPECT_EQ(SortedIds(MustSearch(*searcher, by_size)), (Ids{"p8"}));
}

TEST(LiveIndex, FacetsFollowAnUpdate) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  SearchRequest puma;
  puma.brands = {"puma"};
  puma.facets = FacetMode::kConjunctive;  // the brand facet counts only Puma
  EXPECT_EQ(MustSearch(*searcher, puma).facets.brand.size(), 1u);

  // p2 changes brand in place (same docid) and p9 is new.
  UpdateIndex(dir, {R"({"id":"p2","title":"Down Jacket warm","brand":"Salomon","price":210})",
                    R"({"id":"p9","title":"Trail Shoes","brand":"Salomon","price":95})"});
  SearchResult result = MustSearch(*searcher, SearchRequest{});
  std::vector<std::pair<std::string, long>> brands;
  for (const FacetValue& value : result.facets.brand) brands.emplace_back(value.value, value.count);
  EXPECT_EQ(brands, (std::vector<std::pair<std::string, long>>{
                        {"Adidas", 2}, {"NIKE", 2}, {"Salomon", 2}, {"Puma", 1}}));
  ASSERT_TRUE(result.facets.price_max.has_value());
  EXPECT_DOUBLE_EQ(*result.facets.price_max, 210);
}

TEST(LiveIndex, WaitsForTheRefreshInterval) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  SearcherOptions options = testing::TestOptions();
  options.refresh_interval_ms = 3600 * 1000;
  auto searcher = OpenSearcher(dir, options);
  BuildIndex(dir, {R"({"id":"p7","title":"Arctic Parka","price":300})"});
  // Within the interval the generation opened first keeps answering.
  EXPECT_EQ(MustSearch(*searcher, Query("parka ")).total, 0);
  EXPECT_EQ(MustSearch(*searcher, Query("jacket ")).total, 4);
}

TEST(LiveIndex, LoadStoredFindsHitsMovedByARebuild) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  Result<std::vector<Hit>> hits = searcher->Retrieve(Query("boots"), 10);
  ASSERT_TRUE(hits.ok()) << hits.error().message;
  ASSERT_EQ(hits->size(), 1u);

  // The same products in reverse order: p4 gets another docid, and p4's old docid now
  // holds another product.
  std::vector<std::string> reversed = ShopCatalog();
  std::reverse(reversed.begin(), reversed.end());
  reversed.front() = R"({"id":"p6","title":"Jacket for rain, lightweight","price":61})";
  BuildIndex(dir, reversed);
  Status loaded = searcher->LoadStored(*hits);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_NE((*hits)[0].stored_json.find("Leather Boots"), std::string::npos)
      << (*hits)[0].stored_json;
}

TEST(LiveIndex, LoadStoredLeavesVanishedProductsEmpty) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  Result<std::vector<Hit>> hits = searcher->Retrieve(Query("boots"), 10);
  ASSERT_TRUE(hits.ok());
  UpdateIndex(dir, {R"({"id":"p4","deleted":true})"});
  ASSERT_TRUE(searcher->LoadStored(*hits).ok());
  EXPECT_EQ((*hits)[0].stored_json, "");
}

TEST(LiveIndex, ConcurrentSearchesSucceedWhileRebuildsSwap) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  std::atomic<bool> done{false};
  std::atomic<long> failures{0};
  std::atomic<long> searches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const char* queries[] = {"jacket", "shoes", "", "rain jack", "puma"};
      // Every thread runs at least a few searches, and keeps going until the swaps end.
      for (int i = 0; i < 20 || !done.load(); ++i) {
        SearchRequest request = Query(queries[(i + t) % 5]);
        request.brands = (i % 3 == 0) ? std::vector<std::string>{"puma"} : std::vector<std::string>{};
        Result<SearchResult> result = searcher->Search(request);
        Result<std::vector<Hit>> hits = searcher->Retrieve(request, 50);
        bool ok = result.ok() && hits.ok() && searcher->LoadStored(*hits).ok();
        if (!ok) ++failures;
        ++searches;
      }
    });
  }
  long searches_at_last_swap = 0;
  for (int build = 0; build < 6; ++build) {
    // At least one search finishes between two swaps however the threads are scheduled: an
    // atomic handshake (the search threads run until done), not a sleep.
    while (searches.load() == searches_at_last_swap) std::this_thread::yield();
    searches_at_last_swap = searches.load();
    std::vector<std::string> catalog = ShopCatalog();
    catalog.push_back(R"({"id":"b)" + std::to_string(build) + R"(","title":"Parka","price":1})");
    BuildIndex(dir, catalog);
    UpdateIndex(dir, {R"({"id":"u1","title":"Rain Jacket Two","price":5})"});
  }
  // Searches finished while the swaps ran; the count after the join is at least 80 by
  // construction of the loop, so it alone cannot show that any search overlapped a swap.
  const long during_swaps = searches.load();
  done = true;
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GE(searches.load(), 80);
  EXPECT_GT(during_swaps, 0) << "no search ran while generations were swapped";
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("parka "))), (Ids{"b5"}));
}

}  // namespace
}  // namespace tailor::searcher
