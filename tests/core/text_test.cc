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

}  // namespace
}  // namespace tailor
