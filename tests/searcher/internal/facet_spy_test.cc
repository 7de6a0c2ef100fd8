// FacetSpy: counting through the FacetTable (grouping worked out in advance) gives the
// same facets as reading and grouping every match's slot strings.
#include "searcher/internal/facet_spy.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include "searcher/internal/facet_table.h"
#include "tests/searcher/test_catalog.h"

namespace tailor::searcher::internal {
namespace {

using testing::BuildIndex;
using testing::ExpectSameFacets;
using testing::FacetPairs;
using testing::TempDir;

// Spellings that group case-insensitively, repeat within a list, tie, and nest paths.
std::vector<std::string> MixedCatalog() {
  std::vector<std::string> lines = testing::ShopCatalog();
  lines.push_back(
      R"({"id":"m1","title":"Red Jacket","brand":"nike","price":10,"category":["MEN","jackets"],"colors":["Red","RED","red"],"sizes":{"m":1,"M":2}})");
  lines.push_back(
      R"({"id":"m2","title":"Blue Jacket","brand":"Nike","price":11,"category":["Men","Jackets","Rain"],"colors":["Blue","blue"],"sizes":{"XL":1}})");
  lines.push_back(
      R"({"id":"m3","title":"Green Jacket","brand":"NIKE","price":12,"category":["Kids"],"colors":["green"],"sizes":{"xl":1}})");
  return lines;
}

Facets Count(const Xapian::Database& db, const Xapian::Query& query, const FacetTable* table,
             int top_values, FacetMask counted = kAllFacets, const FacetSelection& selection = {}) {
  FacetSpy spy(table, counted);
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.add_matchspy(&spy);
  enquire.get_mset(0, 1, db.get_doccount());
  return spy.Build(top_values, selection);
}

TEST(FacetSpy, TableGivesTheSameFacetsAsSlots) {
  TempDir dir;
  BuildIndex(dir, MixedCatalog());
  Xapian::Database db(dir.Path("index"));
  std::shared_ptr<const FacetTable> table = FacetTable::Load(db);
  for (const Xapian::Query& query : {Xapian::Query(std::string()), Xapian::Query("jacket"),
                                     Xapian::Query("red"), Xapian::Query("nothingmatchesthis")}) {
    for (int top_values : {0, 1, 2, 20}) {
      SCOPED_TRACE(query.get_description() + " top " + std::to_string(top_values));
      ExpectSameFacets(Count(db, query, table.get(), top_values),
                       Count(db, query, nullptr, top_values));
    }
  }
  Facets all = Count(db, Xapian::Query(std::string()), table.get(), 20);
  ASSERT_FALSE(all.brand.empty());
  // nike 1, Nike 2, NIKE 2: one value, shown in the smallest of the most frequent spellings.
  EXPECT_EQ(all.brand[0].value, "NIKE");
  EXPECT_EQ(all.brand[0].count, 5);
}

TEST(FacetSpy, CountsOnlyTheFacetsAskedFor) {
  TempDir dir;
  BuildIndex(dir, MixedCatalog());
  Xapian::Database db(dir.Path("index"));
  std::shared_ptr<const FacetTable> table = FacetTable::Load(db);
  for (const FacetTable* used : {table.get(), static_cast<const FacetTable*>(nullptr)}) {
    Facets all = Count(db, Xapian::Query(std::string()), used, 20);
    Facets brand = Count(db, Xapian::Query(std::string()), used, 20, ColumnBit(FacetTable::kBrand));
    EXPECT_EQ(FacetPairs(brand.brand), FacetPairs(all.brand));
    EXPECT_TRUE(brand.category.empty() && brand.color.empty() && brand.size.empty());
    EXPECT_FALSE(brand.price_min.has_value());
    Facets price = Count(db, Xapian::Query(std::string()), used, 20, kPriceBit);
    EXPECT_TRUE(price.brand.empty() && price.category.empty());
    EXPECT_EQ(price.price_min, all.price_min);
    EXPECT_EQ(price.price_max, all.price_max);
  }
}

TEST(FacetSpy, ListsSelectedValuesBeyondTheCutInBothPaths) {
  TempDir dir;
  BuildIndex(dir, MixedCatalog());
  Xapian::Database db(dir.Path("index"));
  std::shared_ptr<const FacetTable> table = FacetTable::Load(db);
  FacetSelection selection;
  selection.values[FacetTable::kBrand] = {"adidas", "Gucci", "nike"};
  selection.values[FacetTable::kCategory] = {"women / shoes"};
  for (const FacetTable* used : {table.get(), static_cast<const FacetTable*>(nullptr)}) {
    Facets facets = Count(db, Xapian::Query(std::string()), used, 1, kAllFacets, selection);
    // NIKE (5) is the top value and selected too; Adidas (2) follows as selected; Gucci is
    // in no product.
    EXPECT_EQ(FacetPairs(facets.brand), (std::vector<std::pair<std::string, long>>{
                                            {"NIKE", 5}, {"Adidas", 2}, {"Gucci", 0}}));
    ASSERT_EQ(facets.category.size(), 2u);
    EXPECT_EQ(facets.category[1].value, "Women/Shoes");
    EXPECT_EQ(facets.category[1].count, 1);
  }
}

}  // namespace
}  // namespace tailor::searcher::internal
