// Counts facet values over every match the matcher sees (Xapian::MatchSpy).
//
// Per document it counts the interned slot strings of a FacetTable (array increments), or,
// for a document the table does not know (added after it was loaded), reads the value
// slots (never document data) and counts their raw strings. Lists and category paths are
// split and grouped case-insensitively (NormalizeKeyword) once, when the result is built.
// Not thread-safe: one spy per query.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "searcher/internal/facet_table.h"
#include "searcher/searcher.h"

namespace tailor::searcher::internal {

class FacetSpy : public Xapian::MatchSpy {
 public:
  // table may be null (then every document's slots are read); when not, it must describe
  // the revision being searched and outlive the spy.
  explicit FacetSpy(const FacetTable* table);

  void operator()(const Xapian::Document& doc, double weight) override;

  // The top `top_values` values of each facet, by count descending then value ascending,
  // each shown in its most frequent spelling; and the price range of the matches.
  Facets Build(int top_values) const;

 private:
  // Build when every match was in the table: no strings touched.
  Facets BuildFromTable(int top_values) const;
  // The facets with top(column) for each column, and the price range.
  template <typename TopFn>
  Facets Collect(TopFn top) const;
  void CountFromSlots(const Xapian::Document& doc);
  void AddPrice(double price);

  const FacetTable* table_;
  std::vector<long> table_counts_[FacetTable::kColumnCount];  // by interned string id
  std::unordered_map<std::string, long> brands_;
  std::unordered_map<std::string, long> categories_;
  std::unordered_map<std::string, long> colors_;
  std::unordered_map<std::string, long> sizes_;
  std::optional<double> price_min_;
  std::optional<double> price_max_;
};

}  // namespace tailor::searcher::internal
