// Counts facet values over every match the matcher sees (Xapian::MatchSpy).
//
// Per document it only reads value slots (never document data) and counts each slot's
// raw string; lists and category paths are split and grouped case-insensitively
// (NormalizeKeyword) once, when the result is built. Not thread-safe: one spy per query.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <unordered_map>

#include "searcher/searcher.h"

namespace tailor::searcher::internal {

class FacetSpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double weight) override;

  // The top `top_values` values of each facet, by count descending then value ascending,
  // each shown in its most frequent spelling; and the price range of the matches.
  Facets Build(int top_values) const;

 private:
  std::unordered_map<std::string, long> brands_;
  std::unordered_map<std::string, long> categories_;
  std::unordered_map<std::string, long> colors_;
  std::unordered_map<std::string, long> sizes_;
  std::optional<double> price_min_;
  std::optional<double> price_max_;
};

}  // namespace tailor::searcher::internal
