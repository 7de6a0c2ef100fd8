#include "searcher/internal/facet_table.h"

#include <unordered_map>

#include "core/index_schema.h"
#include "core/text.h"

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
  table->LoadItems(db);
  return table;
}

namespace {

// Reads a numeric slot of every document into values (by docid); absent stays nullopt.
std::vector<std::optional<double>> LoadNumbers(const Xapian::Database& db, Xapian::valueno slot,
                                               size_t rows) {
  std::vector<std::optional<double>> values(rows);
  for (Xapian::ValueIterator it = db.valuestream_begin(slot); it != db.valuestream_end(slot);
       ++it) {
    if (it.get_docid() < rows) values[it.get_docid()] = Xapian::sortable_unserialise(*it);
  }
  return values;
}

std::vector<std::string> LoadStrings(const Xapian::Database& db, Xapian::valueno slot,
                                     size_t rows) {
  std::vector<std::string> values(rows);
  for (Xapian::ValueIterator it = db.valuestream_begin(slot); it != db.valuestream_end(slot);
       ++it) {
    if (it.get_docid() < rows) values[it.get_docid()] = *it;
  }
  return values;
}

std::vector<std::string> SplitList(const std::string& joined) {
  return joined.empty() ? std::vector<std::string>()
                        : Split(joined, schema::kListSeparator);
}

}  // namespace

void FacetTable::LoadItems(const Xapian::Database& db) {
  const size_t rows = rows_.size();
  const auto list_prices = LoadNumbers(db, schema::kListPriceSlot, rows);
  const auto popularity = LoadNumbers(db, schema::kPopularitySlot, rows);
  const auto ratings = LoadNumbers(db, schema::kRatingSlot, rows);
  const auto margins = LoadNumbers(db, schema::kMarginSlot, rows);
  const auto stock = LoadNumbers(db, schema::kStockSlot, rows);
  const auto all_sizes = LoadStrings(db, schema::kSizesSlot, rows);
  const auto titles = LoadStrings(db, schema::kTitleSlot, rows);
  ItemTableBuilder builder;
  for (size_t docid = 1; docid < rows; ++docid) {
    const Row& row = rows_[docid];
    if (!row.present) continue;
    Product product;
    product.id = ids_[docid];
    product.title = titles[docid];
    if (row.brand != kNone) product.brand = strings_[kBrand][row.brand];
    if (row.category != kNone) product.category = SplitList(strings_[kCategory][row.category]);
    if (row.colors != kNone) product.colors = SplitList(strings_[kColors][row.colors]);
    for (std::string& size : SplitList(all_sizes[docid])) product.sizes.emplace(std::move(size), 0);
    if (row.sizes != kNone) {
      for (std::string& size : SplitList(strings_[kSizes][row.sizes])) product.sizes[size] = 1;
    }
    product.price = row.price;
    product.list_price = list_prices[docid];
    product.popularity = popularity[docid];
    product.rating = ratings[docid];
    product.margin = margins[docid];
    if (stock[docid]) product.stock = static_cast<long>(*stock[docid]);
    builder.Set(static_cast<ItemTable::Row>(docid), product);
  }
  builder.set_revision(revision_);
  items_ = builder.Finish();
}

}  // namespace tailor::searcher::internal
