#include "core/text.h"

#include <gtest/gtest.h>

#include "core/index_schema.h"

namespace tailor {
namespace {

TEST(NormalizeKeyword, LowercasesTrimsAndCollapsesSpaces) {
  EXPECT_EQ(NormalizeKeyword("  Pepe \t Jeans "), "pepe jeans");
  EXPECT_EQ(NormalizeKeyword("XL"), "xl");
  EXPECT_EQ(NormalizeKeyword(""), "");
}

TEST(NormalizeKeyword, KeepsNonAsciiBytes) {
  EXPECT_EQ(NormalizeKeyword("Größe"), "größe");
}

TEST(Split, KeepsEmptyPiecesAndJoinRoundTrips) {
  std::vector<std::string> pieces = Split("a,,b", ',');
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[1], "");
  EXPECT_EQ(Join(pieces, ','), "a,,b");
}

TEST(FilterTerm, PrefixesTheNormalizedValue) {
  EXPECT_EQ(schema::FilterTerm(schema::kBrandPrefix, " Puma "), "XBpuma");
}

TEST(IdTerm, KeepsTheIdExactlySoCaseMatters) {
  EXPECT_EQ(schema::IdTerm("A1"), "QA1");
  EXPECT_NE(schema::IdTerm("A1"), schema::IdTerm("a1"));
  EXPECT_EQ(schema::IdTerm(" x y "), "Q x y ");
}

TEST(NormalizeMeasurements, SplitsDigitsFromLetters) {
  EXPECT_EQ(NormalizeMeasurements("12x12 floor tile"), "12 x 12 floor tile");
  EXPECT_EQ(NormalizeMeasurements("18v dewalt"), "18 volt dewalt");
  EXPECT_EQ(NormalizeMeasurements("8,000 BTU"), "8000 BTU");
  EXPECT_EQ(NormalizeMeasurements("1,500,000 btu"), "1500000 btu");
  EXPECT_EQ(NormalizeMeasurements("sizes 2,3 and 1,2345"), "sizes 2,3 and 1,2345");
  EXPECT_EQ(NormalizeMeasurements("8,000"), "8000");
  EXPECT_EQ(NormalizeMeasurements("1inch pipe"), "1 inch pipe");
}

TEST(NormalizeMeasurements, SpellsUnitsAfterNumbersAlike) {
  EXPECT_EQ(NormalizeMeasurements("12 in. x 12 in. Tile"), "12 inch. x 12 inch. Tile");
  EXPECT_EQ(NormalizeMeasurements("1/2\" pipe"), "1/2 inch pipe");
  EXPECT_EQ(NormalizeMeasurements("DEWALT 18-Volt Drill"), "DEWALT 18 volt Drill");
  EXPECT_EQ(NormalizeMeasurements("8' ladder"), "8 ft ladder");
  EXPECT_EQ(NormalizeMeasurements("2.5 Gallons"), "2.5 gal");
}

TEST(NormalizeMeasurements, LeavesUnitWordsWithoutANumberAlone) {
  EXPECT_EQ(NormalizeMeasurements("Faucet in Chrome"), "Faucet in Chrome");
  EXPECT_EQ(NormalizeMeasurements("30\u00B0 angle"), "30\u00B0 angle");
  EXPECT_EQ(NormalizeMeasurements(""), "");
}

TEST(NormalizeMeasurements, KeepsQuerySyntax) {
  EXPECT_EQ(NormalizeMeasurements("jacket -leather"), "jacket -leather");
  EXPECT_EQ(NormalizeMeasurements("\"rain jacket\" 2"), "\"rain jacket\" 2");
  EXPECT_EQ(NormalizeMeasurements("\"size 12\" boots"), "\"size 12\" boots");
  EXPECT_EQ(NormalizeMeasurements("brand:puma"), "brand:puma");
  EXPECT_EQ(NormalizeMeasurements("x-ray"), "x ray");
}

}  // namespace
}  // namespace tailor
