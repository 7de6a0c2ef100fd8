// Personalized retrieval: Searcher::RetrieveBoosted ranks the strict matches by text score
// plus a per-item boost and gives back the text score alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
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

// Six shirts of equal text relevance and one parka; the shirts differ only in brand.
std::vector<std::string> Catalog() {
  std::vector<std::string> lines;
  const char* brands[] = {"Alpha", "Beta", "Gamma", "Delta", "Beta", "Alpha"};
  for (int i = 0; i < 6; ++i) {
    lines.push_back(R"({"id": "S)" + std::to_string(i) +
                    R"(", "title": "Cotton Shirt", "brand": ")" + brands[i] +
                    R"(", "price": 20, "category": ["Men", "Shirts"]})");
  }
  lines.push_back(R"({"id": "J1", "title": "Storm Parka", "brand": "Beta", "price": 90,)"
                  R"( "category": ["Men", "Jackets"]})");
  return lines;
}

// A boost of `weight` for items of `brand`, 0 for the others.
ItemBoost BrandBoost(std::shared_ptr<const ItemTable> items, const std::string& brand,
                     double weight) {
  ItemBoost boost;
  const int32_t id = items->FindKey(ItemTable::kBrand, brand);
  boost.items = items;
  boost.max_weight = weight;
  boost.weight = [items = items.get(), id, weight](ItemTable::Row row) {
    return items->brand(row) == id ? weight : 0.0;
  };
  return boost;
}

std::vector<std::string> Ids(const std::vector<Hit>& hits) {
  std::vector<std::string> ids;
  for (const Hit& hit : hits) ids.push_back(hit.id);
  return ids;
}

TEST(RetrieveBoosted, PutsTheBoostedMatchesFirstAndKeepsTheirTextScores) {
  TempDir dir;
  BuildIndex(dir, Catalog());
  std::unique_ptr<Searcher> searcher = OpenSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  SearchRequest request;
  request.query = "shirt";
  Result<std::vector<Hit>> text = searcher->Retrieve(request, 10);
  ASSERT_TRUE(text.ok()) << text.error().message;
  ASSERT_EQ(text->size(), 6u);  // the parka does not match
  std::map<std::string, double> text_score;
  for (const Hit& hit : *text) text_score[hit.id] = hit.score;

  Result<std::vector<Hit>> boosted =
      searcher->RetrieveBoosted(request, BrandBoost(searcher->Items(), "beta", 50), 2);
  ASSERT_TRUE(boosted.ok()) << boosted.error().message;
  std::vector<std::string> ids = Ids(*boosted);
  std::sort(ids.begin(), ids.end());
  // Depth 2: exactly the two Beta shirts, not the Beta parka (no text match).
  EXPECT_EQ(ids, (std::vector<std::string>{"S1", "S4"}));
  for (const Hit& hit : *boosted) {
    EXPECT_NEAR(hit.score, text_score[hit.id], 1e-9) << hit.id;
  }
}

TEST(RetrieveBoosted, KeepsTheRequestsFiltersAndFindsNothingForAnotherTable) {
  TempDir dir;
  BuildIndex(dir, Catalog());
  std::unique_ptr<Searcher> searcher = OpenSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  std::shared_ptr<const ItemTable> before = searcher->Items();
  SearchRequest request;
  request.query = "shirt";
  request.brands = {"Alpha"};
  Result<std::vector<Hit>> filtered =
      searcher->RetrieveBoosted(request, BrandBoost(before, "beta", 50), 10);
  ASSERT_TRUE(filtered.ok());
  std::vector<std::string> ids = Ids(*filtered);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"S0", "S5"}));  // the boost adds no match

  // An update makes a new table: a boost computed on the old one is not applied.
  UpdateIndex(dir, {R"({"id": "S9", "title": "Linen Shirt", "brand": "Beta", "price": 25})"});
  ASSERT_NE(searcher->Items(), before);
  request.brands.clear();
  Result<std::vector<Hit>> stale =
      searcher->RetrieveBoosted(request, BrandBoost(before, "beta", 50), 10);
  ASSERT_TRUE(stale.ok());
  EXPECT_TRUE(stale->empty());
  Result<std::vector<Hit>> fresh =
      searcher->RetrieveBoosted(request, BrandBoost(searcher->Items(), "beta", 50), 3);
  ASSERT_TRUE(fresh.ok());
  ids = Ids(*fresh);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"S1", "S4", "S9"}));
}

TEST(RetrieveBoosted, RefusesABadDepthAsRetrieveDoes) {
  TempDir dir;
  BuildIndex(dir, Catalog());
  std::unique_ptr<Searcher> searcher = OpenSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  SearchRequest request;
  request.query = "shirt";
  Result<std::vector<Hit>> bad =
      searcher->RetrieveBoosted(request, BrandBoost(searcher->Items(), "beta", 1), -1);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("depth"), std::string::npos);
}

}  // namespace
}  // namespace tailor::searcher
