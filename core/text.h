// Small text helpers shared by the indexer and the searcher.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tailor {

// Lowercases ASCII letters, trims surrounding whitespace and collapses inner runs of
// whitespace to one space. Non-ASCII bytes are kept as they are (UTF-8 safe). Used for
// filter terms and facet keys, so "  Pepe  Jeans " and "pepe jeans" match.
std::string NormalizeKeyword(std::string_view text);

// Writes measurements one way, for both the indexed text and the query, so "12x12", "18v"
// and `1/2"` meet titles' "12 in. x 12 in.", "18-Volt" and "1/2 in.": separates digit runs
// from letter runs ("12x12" -> "12 x 12"), drops thousands separators ("8,000" -> "8000"),
// turns a hyphen inside a word into a space ("18-Volt" -> "18 Volt") and maps a unit word after a
// number (spaces between allowed) to one lowercase spelling: in/inch/inches/" -> inch,
// ft/feet/foot/' -> ft, v/volt(s) -> volt, w/watt(s) -> watt, a/amp(s) -> amp, gal/gallon(s) ->
// gal, lb/lbs/pound(s) -> lb, oz/ounce(s) -> oz, qt/quart -> qt, cu/cubic -> cu. Other words keep
// their case; other bytes (UTF-8, punctuation) are kept. Safe for query syntax: a leading "-"
// (exclusion) stays, and a `"` that closes a phrase is not read as inches.
std::string NormalizeMeasurements(std::string_view text);

// Whether `word` is one of the unit spellings NormalizeMeasurements writes ("inch", "ft",
// "volt", "watt", "amp", "gal", "lb", "oz", "qt", "cu"), or the "x" of "12 x 12".
bool IsMeasurementUnit(std::string_view word);

// Whether text has an ASCII digit ("24", "18v").
bool HasDigit(std::string_view text);

// Splits text on sep; empty pieces are kept.
std::vector<std::string> Split(std::string_view text, char sep);

// Joins pieces with sep.
std::string Join(const std::vector<std::string>& pieces, char sep);

}  // namespace tailor
