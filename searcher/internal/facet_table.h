// The facet slots and product ids of every document of one revision of a generation, in
// memory.
//
// Reading four value slots per match through Xapian costs about 0.6 microseconds, 60 ms
// for a match-all query over 100k products. The table reads the slots once with value
// streams (when a generation is opened or an update is seen) and interns each distinct
// slot string, so a FacetSpy counts a match with four array increments (a row is 16 bytes:
// a search's matches are scattered over the table, and each row read is a cache miss
// more often than not). Immutable after
// Load(), so any number of threads may read it. The ids spare a document fetch per hit
// (about 5 microseconds) when a search returns no stored data.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/item_table.h"
#include "searcher/internal/facet_grouping.h"

namespace tailor::searcher::internal {

// How FacetTable::Load reads the value slots of every document.
enum class SlotSource {
  kValueStreams,  // Xapian's value streams: local databases
  kDocuments,     // every document once: remote shards, where a value stream costs a
                  // network round trip per document and slot
};

class FacetTable {
 public:
  static constexpr int32_t kNone = -1;  // the document has no value in that slot
  static constexpr int32_t kAbsent = -2;  // Row::brand of a docid without a document

  // 16 bytes, so that a search counting thousands of scattered rows misses the cache
  // less; the price is kept apart (Price).
  struct Row {
    int32_t brand = kAbsent;   // index into strings(kBrand); kAbsent: no document here
    int32_t category = kNone;  // raw category path (levels joined by kListSeparator)
    int32_t colors = kNone;    // raw list of colours
    int32_t sizes = kNone;     // raw list of sizes in stock
  };
  enum Column { kBrand = 0, kCategory = 1, kColors = 2, kSizes = 3, kColumnCount = 4 };
  // How each column's raw strings group into facet values.
  static constexpr FacetKind kKinds[kColumnCount] = {FacetKind::kSingle, FacetKind::kPath,
                                                     FacetKind::kList, FacetKind::kList};

  // Reads the facet slots of every document of db, which is at `revision` (generation.h's
  // ReadRevision), from `source`. Rows are db's docids, interleaved over shards. Throws
  // Xapian::Error.
  static std::shared_ptr<const FacetTable> Load(const Xapian::Database& db, Xapian::rev revision,
                                                SlotSource source);
  // The same for one local database at its current revision.
  static std::shared_ptr<const FacetTable> Load(const Xapian::Database& db) {
    return Load(db, db.get_revision(), SlotSource::kValueStreams);
  }

  // The row of docid, or nullptr when the table has no document there.
  const Row* Find(Xapian::docid docid) const {
    if (docid >= rows_.size() || rows_[docid].brand == kAbsent) return nullptr;
    return &rows_[docid];
  }
  // The price of a docid Find() gives a row for; NaN when the document has none.
  double Price(Xapian::docid docid) const { return prices_[docid]; }
  // The product id of docid, or nullptr when the table has no document there.
  const std::string* Id(Xapian::docid docid) const {
    return Find(docid) != nullptr ? &ids_[docid] : nullptr;
  }
  // The distinct raw strings of a column; Row fields index into it.
  const std::vector<std::string>& strings(Column column) const { return strings_[column]; }
  // How a column's strings group into facet values (ids index strings(column)).
  const FacetGrouping& grouping(Column column) const { return groupings_[column]; }
  Xapian::rev revision() const { return revision_; }
  // What Load reads the value slots through (defined in facet_table.cc).
  class Slots;
  // The ranking attributes of the same documents (core/item_table.h), rows by docid.
  const std::shared_ptr<const ItemTable>& items() const { return items_; }

 private:
  void LoadItems(const Slots& slots);

  std::vector<Row> rows_;  // indexed by docid
  std::vector<double> prices_;    // indexed by docid
  std::vector<std::string> ids_;  // indexed by docid
  std::vector<std::string> strings_[kColumnCount];
  FacetGrouping groupings_[kColumnCount];
  Xapian::rev revision_ = 0;
  std::shared_ptr<const ItemTable> items_;
};

}  // namespace tailor::searcher::internal
