#include "bench/relevance/measurements.h"

#include <gtest/gtest.h>

namespace tailor::bench {
namespace {

TEST(NormalizeMeasurements, SplitsDigitsFromLetters) {
  EXPECT_EQ(NormalizeMeasurements("12x12 floor tile"), "12 x 12 floor tile");
  EXPECT_EQ(NormalizeMeasurements("18v dewalt"), "18 volt dewalt");
}

TEST(NormalizeMeasurements, SpellsUnitsAfterNumbersAlike) {
  EXPECT_EQ(NormalizeMeasurements("12 in. x 12 in. Tile"), "12 inch. x 12 inch. tile");
  EXPECT_EQ(NormalizeMeasurements("1/2\" pipe"), "1/2 inch pipe");
  EXPECT_EQ(NormalizeMeasurements("DEWALT 18-Volt Drill"), "dewalt 18 volt drill");
  EXPECT_EQ(NormalizeMeasurements("8' ladder"), "8 ft ladder");
}

TEST(NormalizeMeasurements, LeavesUnitWordsWithoutANumberAlone) {
  EXPECT_EQ(NormalizeMeasurements("Faucet in Chrome"), "faucet in chrome");
  EXPECT_EQ(NormalizeMeasurements("30\u00B0 angle"), "30\u00B0 angle");
}

}  // namespace
}  // namespace tailor::bench
