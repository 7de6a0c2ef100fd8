// Measurement normalization, an experiment of the relevance benchmark: shop titles write
// "12 in. x 12 in.", "18-Volt", "1/2 in." where shoppers type "12x12", "18v", "1/2\"". Applied
// to both the indexed text and the query (as an analyzer would be), it makes them meet.
// Measured here on the plain baseline so the indexer and the searcher can decide whether to
// adopt it (bench/relevance/README.md).
#pragma once

#include <string>
#include <string_view>

namespace tailor::bench {

// Lowercases ASCII letters, separates digit runs from letter runs ("12x12" -> "12 x 12",
// "18v" -> "18 v") and maps a unit spelling that follows a number to one word:
// in/in./inch/inches/" -> inch, ft/feet/foot/' -> ft, v/volt -> volt, w/watt -> watt,
// a/amp -> amp, gal/gallon -> gal, lb/lbs/pound -> lb, oz/ounce -> oz, qt/quart -> qt,
// cu/cubic -> cu. Hyphens become spaces; other bytes (UTF-8 included) are kept.
std::string NormalizeMeasurements(std::string_view text);

}  // namespace tailor::bench
