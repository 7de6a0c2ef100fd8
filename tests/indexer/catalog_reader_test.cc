#include "indexer/catalog_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace tailor::indexer {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kValid[] = R"({"id": "P1", "title": "Parka", "price": 10})";

// The error of a single line, as "catalog.jsonl:1: ..."; fails the test when it is valid.
std::string ErrorOf(const std::string& line, CatalogKind kind = CatalogKind::kBuild) {
  Result<CatalogRecord> record = ParseCatalogLine(line, "catalog.jsonl:1", kind);
  if (record.ok()) {
    ADD_FAILURE() << "expected an error for " << line;
    return "";
  }
  EXPECT_EQ(record.error().code, ErrorCode::kInvalidArgument);
  return record.error().message;
}

// kValid with one more member, e.g. WithField(R"("price": -1)") replaces price.
std::string WithField(const std::string& member) {
  return R"({"id": "P1", "title": "Parka", "price": 10, )" + member + "}";
}

TEST(CatalogReader, ReadsEveryFieldOfAFullRecord) {
  Result<CatalogRecord> record = ParseCatalogLine(
      R"({"id": "P1", "title": "Parka", "price": 99.5, "list_price": 120, "currency": "EUR",)"
      R"( "brand": "Puma", "category": ["Herren", "Jacken"], "description": "Warm",)"
      R"( "colors": ["Navy"], "sizes": {"S": 0, "M": 4}, "stock": 3,)"
      R"( "attributes": {"material": "cotton"}, "margin": 0.25, "popularity": 7,)"
      R"( "rating": 4.5, "image": "i.jpg", "url": "/p1", "extra": [1, 2]})",
      "catalog.jsonl:1", CatalogKind::kBuild);
  ASSERT_TRUE(record.ok()) << record.error().message;
  const Product& p = record->product;
  EXPECT_EQ(p.id, "P1");
  EXPECT_EQ(p.title, "Parka");
  EXPECT_EQ(p.price, 99.5);
  EXPECT_EQ(p.list_price, 120);
  EXPECT_EQ(p.currency, "EUR");
  EXPECT_EQ(p.brand, "Puma");
  EXPECT_EQ(p.category, (std::vector<std::string>{"Herren", "Jacken"}));
  EXPECT_EQ(p.description, "Warm");
  EXPECT_EQ(p.colors, (std::vector<std::string>{"Navy"}));
  EXPECT_EQ(p.sizes, (std::map<std::string, long>{{"S", 0}, {"M", 4}}));
  EXPECT_EQ(p.stock, 3);
  EXPECT_EQ(p.attributes.at("material"), "cotton");
  EXPECT_EQ(p.margin, 0.25);
  EXPECT_EQ(p.popularity, 7);
  EXPECT_EQ(p.rating, 4.5);
  EXPECT_THAT(p.source_json, HasSubstr(R"("extra":[1,2])"));
  EXPECT_THAT(p.source_json, StartsWith(R"({"id":"P1","title":"Parka")"));
  EXPECT_FALSE(record->deleted);
}

TEST(CatalogReader, TreatsNullOptionalFieldsAsAbsent) {
  Result<CatalogRecord> record = ParseCatalogLine(
      WithField(R"("brand": null, "margin": null, "sizes": null)"), "c:1", CatalogKind::kBuild);
  ASSERT_TRUE(record.ok()) << record.error().message;
  EXPECT_EQ(record->product.brand, "");
  EXPECT_FALSE(record->product.margin.has_value());
  EXPECT_TRUE(record->product.sizes.empty());
}

TEST(CatalogReader, RejectsMalformedJsonWithOffset) {
  EXPECT_THAT(ErrorOf(R"({"id": "P1" "title": "x"})"),
              StartsWith("catalog.jsonl:1: invalid JSON at offset 12: Missing a comma"));
  EXPECT_THAT(ErrorOf(R"({"id": "P1"} extra)"), HasSubstr("invalid JSON at offset"));
  EXPECT_THAT(ErrorOf("{\"id\": \"P\xff\"}"), HasSubstr("Invalid encoding"));
}

// Found by fuzzing (tests/fuzz/corpus/catalog_line/lone-low-surrogate): a lone low surrogate
// escape passed encoding validation and reached source_json as bytes that are not UTF-8.
TEST(CatalogReader, RejectsALoneLowSurrogateEscape) {
  EXPECT_THAT(ErrorOf(WithField(R"("brand": "Acme\udd8a")")),
              StartsWith("catalog.jsonl:1: invalid JSON at offset 58: The surrogate pair"));
  EXPECT_THAT(ErrorOf(R"({"id": "P1", "title": "Parka", "price": 10, "bran\udd8ad": "x"})"),
              HasSubstr("surrogate"));
}

TEST(CatalogReader, RejectsANonObjectRecord) {
  EXPECT_EQ(ErrorOf("[1, 2]"), "catalog.jsonl:1: record: must be a JSON object");
}

TEST(CatalogReader, RejectsBadIds) {
  EXPECT_EQ(ErrorOf(R"({"title": "x", "price": 1})"), "catalog.jsonl:1: id: is required");
  EXPECT_EQ(ErrorOf(R"({"id": 7, "title": "x", "price": 1})"),
            "catalog.jsonl:1: id: must be a string");
  EXPECT_EQ(ErrorOf(R"({"id": "", "title": "x", "price": 1})"),
            "catalog.jsonl:1: id: must not be empty");
  std::string long_id(129, 'a');
  EXPECT_EQ(ErrorOf(R"({"id": ")" + long_id + R"(", "title": "x", "price": 1})"),
            "catalog.jsonl:1: id: must be at most 128 bytes");
}

TEST(CatalogReader, RejectsMissingOrWrongTitle) {
  EXPECT_EQ(ErrorOf(R"({"id": "P1", "price": 1})"), "catalog.jsonl:1: title: is required");
  EXPECT_EQ(ErrorOf(R"({"id": "P1", "title": 5, "price": 1})"),
            "catalog.jsonl:1: title: must be a string");
}

TEST(CatalogReader, RejectsNegativePriceWithLineNumber) {
  EXPECT_EQ(ErrorOf(R"({"id": "P1", "title": "x", "price": -1})"),
            "catalog.jsonl:1: price: must be >= 0");
  EXPECT_EQ(ErrorOf(R"({"id": "P1", "title": "x"})"), "catalog.jsonl:1: price: is required");
  EXPECT_EQ(ErrorOf(R"({"id": "P1", "title": "x", "price": "9.99"})"),
            "catalog.jsonl:1: price: must be a number");
  EXPECT_EQ(ErrorOf(WithField(R"("list_price": -5)")), "catalog.jsonl:1: list_price: must be >= 0");
}

TEST(CatalogReader, RejectsWrongTypesOfOptionalFields) {
  EXPECT_EQ(ErrorOf(WithField(R"("brand": 1)")), "catalog.jsonl:1: brand: must be a string");
  EXPECT_EQ(ErrorOf(WithField(R"("description": [])")),
            "catalog.jsonl:1: description: must be a string");
  EXPECT_EQ(ErrorOf(WithField(R"("image": 1)")), "catalog.jsonl:1: image: must be a string");
  EXPECT_EQ(ErrorOf(WithField(R"("url": {})")), "catalog.jsonl:1: url: must be a string");
  EXPECT_EQ(ErrorOf(WithField(R"("currency": "euro")")),
            "catalog.jsonl:1: currency: must be a 3-letter ISO 4217 code such as \"EUR\"");
  EXPECT_EQ(ErrorOf(WithField(R"("popularity": "high")")),
            "catalog.jsonl:1: popularity: must be a number");
  EXPECT_EQ(ErrorOf(WithField(R"("rating": true)")), "catalog.jsonl:1: rating: must be a number");
}

TEST(CatalogReader, RejectsMarginOutsideZeroToOne) {
  EXPECT_EQ(ErrorOf(WithField(R"("margin": 1.5)")),
            "catalog.jsonl:1: margin: must be between 0 and 1");
  EXPECT_EQ(ErrorOf(WithField(R"("margin": -0.1)")),
            "catalog.jsonl:1: margin: must be between 0 and 1");
}

TEST(CatalogReader, RejectsBadArraysNamingTheElement) {
  EXPECT_EQ(ErrorOf(WithField(R"("category": "Herren")")),
            "catalog.jsonl:1: category: must be an array of strings");
  EXPECT_EQ(ErrorOf(WithField(R"("category": ["Herren", 3])")),
            "catalog.jsonl:1: category[1]: must be a string");
  EXPECT_EQ(ErrorOf(WithField(R"("colors": ["red", ""])")),
            "catalog.jsonl:1: colors[1]: must not be empty");
}

TEST(CatalogReader, RejectsBadSizesNamingTheSize) {
  EXPECT_EQ(ErrorOf(WithField(R"("sizes": ["S"])")),
            "catalog.jsonl:1: sizes: must be an object of size -> units");
  EXPECT_EQ(ErrorOf(WithField(R"("sizes": {"M": -1})")), "catalog.jsonl:1: sizes.M: must be >= 0");
  EXPECT_EQ(ErrorOf(WithField(R"("sizes": {"M": 1.5})")),
            "catalog.jsonl:1: sizes.M: must be an integer");
}

TEST(CatalogReader, RejectsBadStock) {
  EXPECT_EQ(ErrorOf(WithField(R"("stock": -2)")), "catalog.jsonl:1: stock: must be >= 0");
  EXPECT_EQ(ErrorOf(WithField(R"("stock": "many")")), "catalog.jsonl:1: stock: must be an integer");
}

TEST(CatalogReader, RejectsNonStringAttributes) {
  EXPECT_EQ(ErrorOf(WithField(R"("attributes": [])")),
            "catalog.jsonl:1: attributes: must be an object of strings");
  EXPECT_EQ(ErrorOf(WithField(R"("attributes": {"weight": 300})")),
            "catalog.jsonl:1: attributes.weight: must be a string");
}

TEST(CatalogReader, AcceptsDeletionsOnlyInUpdateFiles) {
  const std::string deletion = R"({"id": "P1", "deleted": true})";
  EXPECT_EQ(ErrorOf(deletion, CatalogKind::kBuild),
            "catalog.jsonl:1: deleted: only allowed in update files");
  Result<CatalogRecord> record = ParseCatalogLine(deletion, "c:1", CatalogKind::kUpdate);
  ASSERT_TRUE(record.ok());
  EXPECT_TRUE(record->deleted);
  EXPECT_EQ(record->product.id, "P1");
  EXPECT_EQ(ErrorOf(R"({"id": "P1", "deleted": "yes"})", CatalogKind::kUpdate),
            "catalog.jsonl:1: deleted: must be true or false");
}

std::vector<std::string> ReadAll(const std::string& text) {
  std::istringstream in(text);
  CatalogReader reader(in, "catalog.jsonl", CatalogKind::kBuild);
  std::vector<std::string> out;
  while (std::optional<Result<CatalogRecord>> next = reader.Next()) {
    out.push_back(next->ok() ? (*next)->product.id + "@" + std::to_string((*next)->line)
                             : next->error().message);
  }
  return out;
}

TEST(CatalogReader, SkipsBlankLinesAndCountsLineNumbers) {
  EXPECT_EQ(ReadAll(std::string(kValid) + "\n\n   \n" +
                    R"({"id": "P2", "title": "x", "price": -1})"
                    "\n"),
            (std::vector<std::string>{"P1@1", "catalog.jsonl:4: price: must be >= 0"}));
}

TEST(CatalogReader, AcceptsCrlfLineEndingsAndAByteOrderMark) {
  EXPECT_EQ(ReadAll("\xEF\xBB\xBF" + std::string(kValid) + "\r\n\r\n" + kValid + "\r\n"),
            (std::vector<std::string>{"P1@1", "P1@3"}));
}

TEST(CatalogReader, ReadsALastLineWithoutNewline) {
  EXPECT_EQ(ReadAll(kValid), (std::vector<std::string>{"P1@1"}));
}

TEST(CatalogReader, OpenReportsAMissingFile) {
  Result<std::unique_ptr<CatalogReader>> reader =
      CatalogReader::Open("/nonexistent/catalog.jsonl", CatalogKind::kBuild);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(reader.error().message, HasSubstr("/nonexistent/catalog.jsonl"));
}

}  // namespace
}  // namespace tailor::indexer
