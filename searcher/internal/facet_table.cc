#include "searcher/internal/facet_table.h"

#include <unordered_map>

#include "core/index_schema.h"

namespace tailor::searcher::internal {
namespace {

// Reads one string slot into the rows through field, interning its distinct values.
void LoadColumn(const Xapian::Database& db, Xapian::valueno slot,
                int32_t FacetTable::Row::*field, std::vector<FacetTable::Row>& rows,
                std::vector<std::string>& strings) {
  std::unordered_map<std::string, int32_t> ids;
  for (Xapian::ValueIterator it = db.valuestream_begin(slot); it != db.valuestream_end(slot);
       ++it) {
    Xapian::docid docid = it.get_docid();
    if (docid >= rows.size()) continue;
    auto [entry, inserted] = ids.try_emplace(*it, static_cast<int32_t>(strings.size()));
    if (inserted) strings.push_back(entry->first);
    rows[docid].*field = entry->second;
  }
}

}  // namespace

std::shared_ptr<const FacetTable> FacetTable::Load(const Xapian::Database& db) {
  auto table = std::make_shared<FacetTable>();
  table->revision_ = db.get_revision();
  table->rows_.resize(static_cast<size_t>(db.get_lastdocid()) + 1);
  table->ids_.resize(table->rows_.size());
  // Every document has a price and an id; the id stream marks which docids exist.
  for (Xapian::ValueIterator it = db.valuestream_begin(schema::kIdSlot);
       it != db.valuestream_end(schema::kIdSlot); ++it) {
    if (it.get_docid() >= table->rows_.size()) continue;
    table->rows_[it.get_docid()].present = true;
    table->ids_[it.get_docid()] = *it;
  }
  for (Xapian::ValueIterator it = db.valuestream_begin(schema::kPriceSlot);
       it != db.valuestream_end(schema::kPriceSlot); ++it) {
    if (it.get_docid() >= table->rows_.size()) continue;
    Row& row = table->rows_[it.get_docid()];
    row.price = Xapian::sortable_unserialise(*it);
    row.has_price = true;
  }
  LoadColumn(db, schema::kBrandSlot, &Row::brand, table->rows_, table->strings_[kBrand]);
  LoadColumn(db, schema::kCategorySlot, &Row::category, table->rows_,
             table->strings_[kCategory]);
  LoadColumn(db, schema::kColorSlot, &Row::colors, table->rows_, table->strings_[kColors]);
  LoadColumn(db, schema::kSizeInStockSlot, &Row::sizes, table->rows_, table->strings_[kSizes]);
  for (int column = 0; column < kColumnCount; ++column) {
    table->groupings_[column] = FacetGrouping::Build(kKinds[column], table->strings_[column]);
  }
  return table;
}

}  // namespace tailor::searcher::internal
