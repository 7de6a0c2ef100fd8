#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/index_schema.h"
#include "indexer/indexer.h"
#include "tests/indexer/test_util.h"

namespace tailor::indexer {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

constexpr char kParka[] =
    R"({"id": "P1", "title": "Warm Winter Parka", "price": 199.5, "list_price": 249.5,)"
    R"( "currency": "EUR", "brand": "Pepe Jeans", "category": ["Herren", "Jacken", "Parkas"],)"
    R"( "description": "A hooded parka for running errands", "colors": ["Navy", "Olive"],)"
    R"( "sizes": {"S": 0, "M": 4, "L": 2}, "attributes": {"Material": "Cotton"},)"
    R"( "margin": 0.3, "popularity": 12, "rating": 4.5, "gtin": "4001"})";
constexpr char kShirt[] =
    R"({"id": "P2", "title": "Running Shirt", "price": 20, "brand": "Puma", "stock": 0})";

Result<BuildStats> BuildCatalog(const TempDir& dir, const std::string& catalog,
                                Language language = Language::kEnglish) {
  BuildOptions options;
  options.catalog_path = dir.Write("catalog.jsonl", catalog);
  options.index_dir = dir.Path("index");
  options.language = language;
  return Build(options);
}

Xapian::Document DocumentWithId(const Xapian::Database& db, const std::string& id) {
  Xapian::PostingIterator it = db.postlist_begin("Q" + id);
  EXPECT_NE(it, db.postlist_end("Q" + id)) << "no document with id " << id;
  return db.get_document(*it);
}

std::vector<std::string> TermsWithPrefix(const Xapian::Document& doc, const std::string& prefix) {
  std::vector<std::string> terms;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    if ((*it).starts_with(prefix)) terms.push_back(*it);
  }
  return terms;
}

bool HasTerm(const Xapian::Document& doc, const std::string& term) {
  Xapian::TermIterator it = doc.termlist_begin();
  it.skip_to(term);
  return it != doc.termlist_end() && *it == term;
}

TEST(Build, WritesFilterTermsOfTheSchema) {
  TempDir dir;
  ASSERT_TRUE(BuildCatalog(dir, std::string(kParka) + "\n" + kShirt + "\n").ok());
  Xapian::Database db(dir.Path("index"));
  EXPECT_EQ(db.get_doccount(), 2u);
  Xapian::Document parka = DocumentWithId(db, "P1");
  EXPECT_TRUE(HasTerm(parka, "XBpepe jeans"));
  // "XCT" is the category text prefix; filter values are lowercase, so they never collide.
  EXPECT_THAT(TermsWithPrefix(parka, "XCh"),
              ::testing::ElementsAre("XCherren", "XCherren/jacken", "XCherren/jacken/parkas"));
  EXPECT_THAT(TermsWithPrefix(parka, "XK"), ::testing::ElementsAre("XKnavy", "XKolive"));
  EXPECT_THAT(TermsWithPrefix(parka, "XS"), ::testing::ElementsAre("XSl", "XSm"));
  EXPECT_TRUE(HasTerm(parka, "XIN"));
  EXPECT_TRUE(HasTerm(parka, "XAmaterial=cotton"));
  Xapian::Document shirt = DocumentWithId(db, "P2");
  EXPECT_FALSE(HasTerm(shirt, "XIN"));
}

TEST(Build, NormalizesEachLevelOfTheCategoryFilterTerms) {
  TempDir dir;
  ASSERT_TRUE(BuildCatalog(dir, R"({"id": "C1", "title": "x", "price": 1,)"
                                R"( "category": ["  Damen ", "Jacken  &  Mäntel"]})"
                                "\n")
                  .ok());
  EXPECT_THAT(TermsWithPrefix(DocumentWithId(Xapian::Database(dir.Path("index")), "C1"), "XCd"),
              ::testing::ElementsAre("XCdamen", "XCdamen/jacken & m\u00e4ntel"));
}

TEST(Build, WritesValuesOfTheSchema) {
  TempDir dir;
  ASSERT_TRUE(BuildCatalog(dir, std::string(kParka) + "\n" + kShirt + "\n").ok());
  Xapian::Database db(dir.Path("index"));
  Xapian::Document parka = DocumentWithId(db, "P1");
  auto number = [&](const Xapian::Document& doc, unsigned slot) {
    return Xapian::sortable_unserialise(doc.get_value(slot));
  };
  EXPECT_DOUBLE_EQ(number(parka, schema::kPriceSlot), 199.5);
  EXPECT_DOUBLE_EQ(number(parka, schema::kListPriceSlot), 249.5);
  EXPECT_DOUBLE_EQ(number(parka, schema::kDiscountSlot), 1 - 199.5 / 249.5);
  EXPECT_DOUBLE_EQ(number(parka, schema::kPopularitySlot), 12);
  EXPECT_DOUBLE_EQ(number(parka, schema::kRatingSlot), 4.5);
  EXPECT_DOUBLE_EQ(number(parka, schema::kMarginSlot), 0.3);
  EXPECT_DOUBLE_EQ(number(parka, schema::kStockSlot), 6);
  EXPECT_EQ(parka.get_value(schema::kBrandSlot), "Pepe Jeans");
  EXPECT_EQ(parka.get_value(schema::kCategorySlot), "Herren\x1fJacken\x1fParkas");
  EXPECT_EQ(parka.get_value(schema::kColorSlot), "Navy\x1fOlive");
  EXPECT_EQ(parka.get_value(schema::kSizeInStockSlot), "L\x1fM");
  EXPECT_EQ(parka.get_value(schema::kSizesSlot), "L\x1fM\x1fS");  // out of stock too
  EXPECT_EQ(parka.get_value(schema::kIdSlot), "P1");
  Xapian::Document shirt = DocumentWithId(db, "P2");
  EXPECT_DOUBLE_EQ(number(shirt, schema::kListPriceSlot), 20);
  EXPECT_DOUBLE_EQ(number(shirt, schema::kDiscountSlot), 0);
  EXPECT_EQ(shirt.get_value(schema::kMarginSlot), "");  // unknown, not 0
  EXPECT_DOUBLE_EQ(number(shirt, schema::kStockSlot), 0);
}

TEST(Build, StoresTheWholeRecordAsDocumentData) {
  TempDir dir;
  ASSERT_TRUE(BuildCatalog(dir, std::string(kParka) + "\n").ok());
  Xapian::Database db(dir.Path("index"));
  std::string data = DocumentWithId(db, "P1").get_data();
  EXPECT_THAT(data, HasSubstr(R"("id":"P1")"));
  EXPECT_THAT(data, HasSubstr(R"("gtin":"4001")"));  // unknown fields are kept
  EXPECT_EQ(data.find('\n'), std::string::npos);
}

TEST(Build, IndexesTextWithAndWithoutFieldPrefixesWeightedByField) {
  TempDir dir;
  ASSERT_TRUE(BuildCatalog(dir, std::string(kParka) + "\n").ok());
  Xapian::Database db(dir.Path("index"));
  Xapian::Document parka = DocumentWithId(db, "P1");
  EXPECT_TRUE(HasTerm(parka, "Swinter"));
  EXPECT_TRUE(HasTerm(parka, "XBTpepe"));
  EXPECT_TRUE(HasTerm(parka, "XCTjacken"));
  EXPECT_TRUE(HasTerm(parka, "XATcotton"));
  EXPECT_TRUE(HasTerm(parka, "XDhooded"));
  // "parka" is in the title (6) and the description (1); the category has "parkas".
  Xapian::TermIterator it = parka.termlist_begin();
  it.skip_to("parka");
  ASSERT_EQ(*it, "parka");
  EXPECT_EQ(it.get_wdf(), 7u);
}

TEST(Build, KeepsIdsThatDifferOnlyInCaseApart) {
  TempDir dir;
  ASSERT_TRUE(BuildCatalog(dir, R"({"id": "A1", "title": "upper", "price": 1})"
                                "\n"
                                R"({"id": "a1", "title": "lower", "price": 1})"
                                "\n")
                  .ok());
  Xapian::Database db(dir.Path("index"));
  EXPECT_EQ(db.get_doccount(), 2u);
  EXPECT_TRUE(HasTerm(DocumentWithId(db, "A1"), "Supper"));
  EXPECT_TRUE(HasTerm(DocumentWithId(db, "a1"), "Slower"));
}

TEST(Build, NormalizesMeasurementsLikeTheSearcher) {
  TempDir dir;
  ASSERT_TRUE(BuildCatalog(dir, R"({"id": "D1", "title": "18-Volt Drill 1/2 in.", "price": 1})"
                                "\n")
                  .ok());
  Xapian::Database db(dir.Path("index"));
  EXPECT_TRUE(db.term_exists("S18"));
  EXPECT_TRUE(db.term_exists("Svolt"));
  EXPECT_TRUE(db.term_exists("inch"));
}

TEST(Build, TruncatesFilterTermsOverXapiansLimitAtACharacterBoundary) {
  TempDir dir;
  std::string brand;
  for (int i = 0; i < 200; ++i) brand += "\xc3\xa4";  // 400 bytes of "ä"
  ASSERT_TRUE(BuildCatalog(dir, R"({"id": "L1", "title": "x", "price": 1, "brand": ")" + brand +
                                    R"("})"
                                    "\n")
                  .ok());
  std::vector<std::string> terms =
      TermsWithPrefix(DocumentWithId(Xapian::Database(dir.Path("index")), "L1"), "XB\xc3");
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms[0].size(), 244u);  // "XB" and 121 whole characters
}

TEST(Build, StemsByLanguage) {
  TempDir english;
  ASSERT_TRUE(BuildCatalog(english, std::string(kShirt) + "\n", Language::kEnglish).ok());
  EXPECT_TRUE(Xapian::Database(english.Path("index")).term_exists("Zrun"));
  TempDir german;
  ASSERT_TRUE(BuildCatalog(german,
                           R"({"id": "1", "title": "Winterjacken", "price": 1})"
                           "\n",
                           Language::kGerman)
                  .ok());
  EXPECT_TRUE(Xapian::Database(german.Path("index")).term_exists("Zwinterjack"));
  TempDir none;
  ASSERT_TRUE(BuildCatalog(none, std::string(kShirt) + "\n", Language::kNone).ok());
  Xapian::Database plain(none.Path("index"));
  EXPECT_TRUE(plain.term_exists("running"));
  EXPECT_FALSE(plain.term_exists("Zrun"));
}

TEST(Build, StoresFormatLanguageAndSpellingData) {
  TempDir dir;
  ASSERT_TRUE(BuildCatalog(dir, std::string(kParka) + "\n", Language::kGerman).ok());
  Xapian::Database db(dir.Path("index"));
  EXPECT_EQ(db.get_metadata("tailor.format"), std::to_string(schema::kIndexFormatVersion));
  EXPECT_EQ(db.get_metadata("tailor.language"), "de");
  EXPECT_EQ(db.get_spelling_suggestion("parke"), "parka");
  // Descriptions give no suggestions.
  EXPECT_EQ(db.get_spelling_suggestion("hoodet"), "");
}

}  // namespace
}  // namespace tailor::indexer
