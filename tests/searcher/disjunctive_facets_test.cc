// Disjunctive and conjunctive facets checked against brute force: a random catalog is
// indexed, and for random filter combinations every facet's counts (and the price range)
// are compared with counts worked out from the product records in this file.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "searcher/searcher.h"
#include "tests/searcher/random_catalog.h"
#include "tests/searcher/test_catalog.h"

namespace tailor::searcher {
namespace {

using testing::BuildIndex;
using testing::Chance;
using testing::Describe;
using testing::JsonLine;
using testing::kBrands;
using testing::kColors;
using testing::kSizes;
using testing::kSubs;
using testing::kTops;
using testing::kWords;
using testing::MustSearch;
using testing::OpenSearcher;
using testing::Pick;
using testing::RandomRecords;
using testing::RandomRequest;
using testing::Record;
using testing::TempDir;

bool Contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

bool InStock(const Record& record, const std::string& size) {
  auto found = record.sizes.find(size);
  return found != record.sizes.end() && found->second > 0;
}

// The record's category path prefixes, "Men" and "Men/Shoes".
std::vector<std::string> Paths(const Record& record) {
  std::vector<std::string> paths;
  std::string path;
  for (const std::string& level : record.category) {
    path += (path.empty() ? "" : "/") + level;
    paths.push_back(path);
  }
  return paths;
}

enum Kind { kBrand, kCategory, kColor, kSize, kPrice, kNoKind };

// Whether record passes the request's query and filters, leaving out the filter of `skip`.
bool Passes(const Record& record, const SearchRequest& request, Kind skip) {
  if (!request.query.empty() && record.title.find(request.query) == std::string::npos) {
    return false;
  }
  if (skip != kBrand && !request.brands.empty() && !Contains(request.brands, record.brand)) {
    return false;
  }
  if (skip != kCategory && !request.categories.empty()) {
    std::vector<std::string> paths = Paths(record);
    if (std::none_of(request.categories.begin(), request.categories.end(),
                     [&](const std::string& path) { return Contains(paths, path); })) {
      return false;
    }
  }
  if (skip != kColor && !request.colors.empty() &&
      std::none_of(request.colors.begin(), request.colors.end(),
                   [&](const std::string& color) { return Contains(record.colors, color); })) {
    return false;
  }
  if (skip != kSize && !request.sizes.empty() &&
      std::none_of(request.sizes.begin(), request.sizes.end(),
                   [&](const std::string& size) { return InStock(record, size); })) {
    return false;
  }
  if (skip != kPrice && request.price_min && record.price < *request.price_min) return false;
  if (skip != kPrice && request.price_max && record.price > *request.price_max) return false;
  if (request.in_stock_only && std::none_of(record.sizes.begin(), record.sizes.end(),
                                            [](const auto& size) { return size.second > 0; })) {
    return false;
  }
  return true;
}

// The values one record adds to the facet of kind.
std::vector<std::string> ValuesOf(const Record& record, Kind kind) {
  switch (kind) {
    case kBrand:
      return record.brand.empty() ? std::vector<std::string>() : std::vector{record.brand};
    case kCategory:
      return Paths(record);
    case kColor:
      return record.colors;
    case kSize: {
      std::vector<std::string> sizes;
      for (const auto& [size, units] : record.sizes) {
        if (units > 0) sizes.push_back(size);
      }
      return sizes;
    }
    default:
      return {};
  }
}

const std::vector<std::string>& Selected(const SearchRequest& request, Kind kind) {
  static const std::vector<std::string> kNone;
  switch (kind) {
    case kBrand:
      return request.brands;
    case kCategory:
      return request.categories;
    case kColor:
      return request.colors;
    case kSize:
      return request.sizes;
    default:
      return kNone;
  }
}

using Counts = std::map<std::string, long>;

// The facet of kind by brute force: every value counted, and every selected value (0 when
// nothing counted has it).
Counts Expected(const std::vector<Record>& records, const SearchRequest& request, Kind kind,
                Kind skip) {
  Counts counts;
  for (const Record& record : records) {
    if (!Passes(record, request, skip)) continue;
    for (const std::string& value : ValuesOf(record, kind)) ++counts[value];
  }
  for (const std::string& value : Selected(request, kind)) counts.try_emplace(value, 0);
  return counts;
}

Counts Actual(const std::vector<FacetValue>& values) {
  Counts counts;
  for (const FacetValue& value : values) {
    EXPECT_TRUE(counts.emplace(value.value, value.count).second) << "twice: " << value.value;
  }
  return counts;
}

struct PriceRange {
  std::optional<double> min;
  std::optional<double> max;
  bool operator==(const PriceRange&) const = default;
};

PriceRange ExpectedPrices(const std::vector<Record>& records, const SearchRequest& request,
                          Kind skip) {
  PriceRange range;
  for (const Record& record : records) {
    if (!Passes(record, request, skip)) continue;
    if (!range.min || record.price < *range.min) range.min = record.price;
    if (!range.max || record.price > *range.max) range.max = record.price;
  }
  return range;
}

// Every facet of result against brute force; in disjunctive mode each kind leaves its own
// filter out.
void ExpectFacets(const std::vector<Record>& records, const SearchRequest& request,
                  const Facets& facets) {
  const bool disjunctive = request.facets == FacetMode::kDisjunctive;
  auto skip = [&](Kind kind) { return disjunctive ? kind : kNoKind; };
  EXPECT_EQ(Actual(facets.brand), Expected(records, request, kBrand, skip(kBrand)));
  EXPECT_EQ(Actual(facets.category), Expected(records, request, kCategory, skip(kCategory)));
  EXPECT_EQ(Actual(facets.color), Expected(records, request, kColor, skip(kColor)));
  EXPECT_EQ(Actual(facets.size), Expected(records, request, kSize, skip(kSize)));
  EXPECT_EQ((PriceRange{facets.price_min, facets.price_max}),
            ExpectedPrices(records, request, skip(kPrice)));
}

class RandomShop {
 public:
  explicit RandomShop(SearcherOptions options = testing::TestOptions()) : rng_(12) {
    records_ = RandomRecords(300, rng_);
    std::vector<std::string> lines;
    for (const Record& record : records_) lines.push_back(JsonLine(record));
    BuildIndex(dir_, lines);
    searcher_ = OpenSearcher(dir_, options);
  }
  const std::vector<Record>& records() const { return records_; }
  std::mt19937& rng() { return rng_; }
  const Searcher& searcher() const { return *searcher_; }

 private:
  std::mt19937 rng_;
  TempDir dir_;
  std::vector<Record> records_;
  std::unique_ptr<Searcher> searcher_;
};

SearcherOptions ManyFacetValues() {
  SearcherOptions options = testing::TestOptions();
  options.facet_values = 1000;  // no cut: every counted value is listed
  return options;
}

TEST(DisjunctiveFacets, EveryFacetMatchesBruteForceInBothModes) {
  RandomShop shop(ManyFacetValues());
  for (int i = 0; i < 300; ++i) {
    SearchRequest request = RandomRequest(shop.rng());
    SCOPED_TRACE(Describe(request));
    for (FacetMode mode : {FacetMode::kDisjunctive, FacetMode::kConjunctive}) {
      request.facets = mode;
      SCOPED_TRACE(mode == FacetMode::kDisjunctive ? "disjunctive" : "conjunctive");
      SearchResult result = MustSearch(shop.searcher(), request);
      long total = 0;
      for (const Record& record : shop.records()) total += Passes(record, request, kNoKind);
      EXPECT_EQ(result.total, total);
      ExpectFacets(shop.records(), request, result.facets);
    }
  }
}

TEST(DisjunctiveFacets, HitsTotalAndPagingAreTheSameInBothModes) {
  RandomShop shop;
  for (int i = 0; i < 100; ++i) {
    SearchRequest request = RandomRequest(shop.rng());
    request.offset = std::uniform_int_distribution<int>(0, 3)(shop.rng());
    SCOPED_TRACE(Describe(request));
    request.facets = FacetMode::kDisjunctive;
    SearchResult disjunctive = MustSearch(shop.searcher(), request);
    request.facets = FacetMode::kConjunctive;
    SearchResult conjunctive = MustSearch(shop.searcher(), request);
    EXPECT_EQ(disjunctive.total, conjunctive.total);
    EXPECT_EQ(testing::Ids(disjunctive.hits), testing::Ids(conjunctive.hits));
    EXPECT_EQ(disjunctive.relaxed, conjunctive.relaxed);
    EXPECT_EQ(disjunctive.did_you_mean, conjunctive.did_you_mean);
  }
}

TEST(DisjunctiveFacets, WithoutFiltersBothModesGiveTheSameFacets) {
  RandomShop shop;
  for (const char* query : {"", "bravo", "alpha delta"}) {
    SearchRequest request;
    request.query = query;
    request.in_stock_only = request.query == "bravo";
    SearchResult disjunctive = MustSearch(shop.searcher(), request);
    request.facets = FacetMode::kConjunctive;
    SearchResult conjunctive = MustSearch(shop.searcher(), request);
    testing::ExpectSameFacets(disjunctive.facets, conjunctive.facets);
  }
}

TEST(DisjunctiveFacets, SelectedValueIsListedBeyondTheCut) {
  SearcherOptions options = testing::TestOptions();
  options.facet_values = 2;
  RandomShop shop(options);
  SearchRequest request;
  const std::vector<FacetValue> brands = MustSearch(shop.searcher(), request).facets.brand;
  ASSERT_EQ(brands.size(), 2u);
  // The least frequent brand, far beyond the two shown.
  Counts counts = Expected(shop.records(), request, kBrand, kNoKind);
  auto rarest = std::min_element(counts.begin(), counts.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
  for (FacetMode mode : {FacetMode::kDisjunctive, FacetMode::kConjunctive}) {
    request.facets = mode;
    request.brands = {rarest->first, "Nobrand"};
    const std::vector<FacetValue> listed = MustSearch(shop.searcher(), request).facets.brand;
    ASSERT_GE(listed.size(), 2u);
    if (mode == FacetMode::kDisjunctive) {
      ASSERT_EQ(listed.size(), 4u);
      // The top two are those of the unfiltered search, then the selected values.
      EXPECT_EQ(testing::FacetPairs({listed[0], listed[1]}), testing::FacetPairs(brands));
      EXPECT_EQ(testing::FacetPairs(std::vector<FacetValue>(listed.end() - 2, listed.end())),
                (std::vector<std::pair<std::string, long>>{{rarest->first, rarest->second},
                                                           {"Nobrand", 0}}));
    } else {
      EXPECT_EQ(testing::FacetPairs(listed), (std::vector<std::pair<std::string, long>>{
                                                 {rarest->first, rarest->second}, {"Nobrand", 0}}));
    }
  }
}

TEST(DisjunctiveFacets, SearchCandidatesAnswerTheSameFacetsAsSearch) {
  RandomShop shop(ManyFacetValues());
  for (int i = 0; i < 50; ++i) {
    SearchRequest request = RandomRequest(shop.rng());
    SCOPED_TRACE(Describe(request));
    SearchResult searched = MustSearch(shop.searcher(), request);
    Result<CandidateResult> candidates = shop.searcher().SearchCandidates(request, 50);
    ASSERT_TRUE(candidates.ok()) << candidates.error().message;
    EXPECT_EQ(candidates->result.total, searched.total);
    ExpectFacets(shop.records(), request, candidates->result.facets);
  }
}

}  // namespace
}  // namespace tailor::searcher
