// Helpers for the searcher suites: a temp directory per test and small catalogs built
// into real indexes with tailor::indexer::Build.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "indexer/indexer.h"
#include "searcher/searcher.h"
#include "tests/common/temp_dir.h"

namespace tailor::searcher::testing {

using TempDir = ::tailor::testing::TempDir;

inline std::string WriteLines(const std::string& path, const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::trunc);
  for (const std::string& line : lines) out << line << "\n";
  return path;
}

// Builds (or rebuilds) the index DIR/index from these JSON lines; fails the test on error.
inline void BuildIndex(const TempDir& dir, const std::vector<std::string>& lines,
                       indexer::Language language = indexer::Language::kEnglish) {
  indexer::BuildOptions options;
  options.catalog_path = WriteLines(dir.Path("catalog.jsonl"), lines);
  options.index_dir = dir.Path("index");
  options.language = language;
  Result<indexer::BuildStats> stats = indexer::Build(options);
  ASSERT_TRUE(stats.ok()) << stats.error().message;
}

inline void UpdateIndex(const TempDir& dir, const std::vector<std::string>& lines) {
  indexer::UpdateOptions options;
  options.catalog_path = WriteLines(dir.Path("update.jsonl"), lines);
  options.index_dir = dir.Path("index");
  Result<indexer::UpdateStats> stats = indexer::Update(options);
  ASSERT_TRUE(stats.ok()) << stats.error().message;
}

// Options for tests: every search checks the index on disk, so no test waits.
inline SearcherOptions TestOptions() {
  SearcherOptions options;
  options.refresh_interval_ms = 0;
  return options;
}

inline std::unique_ptr<Searcher> OpenSearcher(const TempDir& dir,
                                              SearcherOptions options = TestOptions()) {
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(dir.Path("index"), options);
  EXPECT_TRUE(searcher.ok()) << searcher.error().message;
  return searcher.ok() ? std::move(*searcher) : nullptr;
}

inline SearchResult MustSearch(const Searcher& searcher, SearchRequest request) {
  Result<SearchResult> result = searcher.Search(request);
  EXPECT_TRUE(result.ok()) << result.error().message;
  return result.ok() ? *result : SearchResult{};
}

inline SearchRequest Query(std::string text) {
  SearchRequest request;
  request.query = std::move(text);
  return request;
}

inline std::vector<std::string> Ids(const std::vector<Hit>& hits) {
  std::vector<std::string> ids;
  for (const Hit& hit : hits) ids.push_back(hit.id);
  return ids;
}

// The ids of all hits, sorted, so tests can compare sets.
inline std::vector<std::string> SortedIds(const SearchResult& result) {
  std::vector<std::string> ids = Ids(result.hits);
  std::sort(ids.begin(), ids.end());
  return ids;
}

// A small shop: jackets, shoes and shirts for men and women.
inline std::vector<std::string> ShopCatalog() {
  return {
      R"({"id":"p1","title":"Rain Jacket","brand":"Nike","price":120,"category":["Men","Jackets"],"colors":["Black","Red"],"sizes":{"S":0,"M":3,"L":1},"popularity":5})",
      R"({"id":"p2","title":"Down Jacket warm","brand":"Puma","price":200,"category":["Women","Jackets"],"colors":["blue"],"sizes":{"M":2},"popularity":9})",
      R"({"id":"p3","title":"Running Shoes","brand":"NIKE","price":80,"category":["Men","Shoes"],"colors":["black"],"sizes":{"42":1,"43":0},"popularity":7})",
      R"({"id":"p4","title":"Leather Boots","brand":"Adidas","price":150,"category":["Women","Shoes"],"colors":["Brown"],"stock":0,"popularity":1})",
      R"({"id":"p5","title":"Cotton Shirt","brand":"Puma","price":25,"category":["Men","Shirts"],"colors":["White","Red"],"stock":10,"description":"a shirt you can wear under a rain jacket","popularity":3})",
      R"({"id":"p6","title":"Jacket for rain, lightweight","brand":"Adidas","price":60,"category":["Men","Jackets"],"colors":["Green"],"sizes":{"M":1}})",
  };
}

// A facet's values as (value, count) pairs, for EXPECT_EQ.
inline std::vector<std::pair<std::string, long>> FacetPairs(const std::vector<FacetValue>& values) {
  std::vector<std::pair<std::string, long>> pairs;
  for (const FacetValue& value : values) pairs.emplace_back(value.value, value.count);
  return pairs;
}

// Expects every facet and the price range of a and b to be the same.
inline void ExpectSameFacets(const Facets& a, const Facets& b) {
  EXPECT_EQ(FacetPairs(a.brand), FacetPairs(b.brand));
  EXPECT_EQ(FacetPairs(a.category), FacetPairs(b.category));
  EXPECT_EQ(FacetPairs(a.color), FacetPairs(b.color));
  EXPECT_EQ(FacetPairs(a.size), FacetPairs(b.size));
  EXPECT_EQ(a.price_min, b.price_min);
  EXPECT_EQ(a.price_max, b.price_max);
}

}  // namespace tailor::searcher::testing
