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

// Splits text on sep; empty pieces are kept.
std::vector<std::string> Split(std::string_view text, char sep);

// Joins pieces with sep.
std::string Join(const std::vector<std::string>& pieces, char sep);

}  // namespace tailor
