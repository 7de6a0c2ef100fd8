// Counts facet values over every match the matcher sees (Xapian::MatchSpy).
//
// Per document it counts the interned slot strings of a FacetTable (array increments), or,
// for a document the table does not know (added after it was loaded), reads the value
// slots (never document data) and counts their raw strings. Lists and category paths are
// split and grouped case-insensitively (NormalizeKeyword) once, when the result is built.
// A spy may count only some facets (a disjunctive counting pass counts one kind), and the
// values a request filters on are listed even beyond the cut (FacetSelection).
// Not thread-safe: one spy per query.
#pragma once

#include <xapian.h>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "searcher/internal/facet_table.h"
#include "searcher/internal/match_set.h"
#include "searcher/searcher.h"

namespace tailor::searcher::internal {

// Which facets a spy counts: a bit per FacetTable::Column, and one for the price range.
using FacetMask = unsigned;
constexpr FacetMask ColumnBit(FacetTable::Column column) { return 1u << column; }
inline constexpr FacetMask kPriceBit = 1u << FacetTable::kColumnCount;
inline constexpr FacetMask kAllFacets = (1u << (FacetTable::kColumnCount + 1)) - 1;

// The values a request filters on, per column, as the request wrote them (category: a
// path "Men/Shoes"); each is listed in its facet with its count, 0 when none was counted,
// after the top values when it is not among them.
struct FacetSelection {
  std::vector<std::string> values[FacetTable::kColumnCount];
};
// The selection of a request's brand, category, colour and size filters.
FacetSelection SelectionOf(const SearchRequest& request);

class FacetSpy : public Xapian::MatchSpy {
 public:
  // table may be null (then every document's slots are read); when not, it must describe
  // the revision being searched and outlive the spy. Only the facets in `counted` are
  // counted; the others come out empty (no values, no price range).
  explicit FacetSpy(const FacetTable* table, FacetMask counted = kAllFacets);

  void operator()(const Xapian::Document& doc, double weight) override;
  // Counts every match of `matches` (docids of db) as operator() counts a match: from the
  // table's row when it has one (no Document is made), else from the value slots.
  void CountSet(const MatchSet& matches, const Xapian::Database& db);
  const FacetTable* table() const { return table_; }

  // Counts `count` documents with the raw slot string `raw` in a column (values counted
  // elsewhere, e.g. by Xapian's ValueCountMatchSpy over remote shards), and a price.
  void AddRawCount(FacetTable::Column column, const std::string& raw, long count);
  void AddPrice(double price);

  // The top `top_values` values of each facet, by count descending then value ascending,
  // each shown in its most frequent spelling, then the selected values not among them;
  // and the price range of the matches.
  Facets Build(int top_values, const FacetSelection& selection = {}) const;

 private:
  // Build when every match was in the table: no strings touched.
  Facets BuildFromTable(int top_values, const FacetSelection& selection) const;
  // The facets with top(column) for each column, and the price range.
  template <typename TopFn>
  Facets Collect(TopFn top) const;
  void CountRow(Xapian::docid docid, const FacetTable::Row& row);
  void CountFromSlots(const Xapian::Document& doc);
  std::unordered_map<std::string, long>& RawCounts(FacetTable::Column column);

  const FacetTable* table_;
  FacetMask counted_;
  std::vector<long> table_counts_[FacetTable::kColumnCount];  // by interned string id
  std::unordered_map<std::string, long> brands_;
  std::unordered_map<std::string, long> categories_;
  std::unordered_map<std::string, long> colors_;
  std::unordered_map<std::string, long> sizes_;
  std::optional<double> price_min_;
  std::optional<double> price_max_;
};

// Counts facets over the matches of Enquires: with a FacetSpy over one local database. Over
// shards, a match spy is shown each shard's own docids (not the rows of the facet table),
// and xapian-tcpsrv runs no spy of ours (a remote search takes only spies Xapian can
// serialise); so there, with one Xapian::ValueCountMatchSpy per counted slot, whose counts
// of raw slot strings the FacetSpy then groups as it groups its own: the same facets either
// way, at the cost of reading the slots of every match. Not thread-safe: one counter per
// query.
class FacetCounter {
 public:
  // table as for FacetSpy. by_slot: count by value slot (Handle::slot_facets()).
  FacetCounter(const FacetTable* table, FacetMask counted, bool by_slot);
  FacetCounter(const FacetCounter&) = delete;
  FacetCounter& operator=(const FacetCounter&) = delete;

  // Whether CountSet counts: not by slot, and a table to count from.
  bool counts_sets() const { return !by_slot_ && spy_.table() != nullptr; }
  // Counts every match of `matches` (docids of db). Only when counts_sets().
  void CountSet(const MatchSet& matches, const Xapian::Database& db) { spy_.CountSet(matches, db); }
  // Adds the spies to enquire. The counter must outlive the enquire's get_mset.
  void AttachTo(Xapian::Enquire& enquire);
  // FacetSpy::Build over everything the attached enquires matched.
  Facets Build(int top_values, const FacetSelection& selection = {});

 private:
  struct SlotSpy {
    FacetMask facet;  // a column's bit or kPriceBit
    std::unique_ptr<Xapian::ValueCountMatchSpy> spy;
  };
  FacetSpy spy_;
  const bool by_slot_;
  std::vector<SlotSpy> slot_spies_;  // when by_slot_
};

}  // namespace tailor::searcher::internal
