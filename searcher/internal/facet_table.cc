#include "searcher/internal/facet_table.h"

#include <cmath>
#include <limits>
#include <unordered_map>

#include "core/index_schema.h"
#include "core/text.h"

namespace tailor::searcher::internal {

// The value slots of every document, from value streams or from the documents themselves.
class FacetTable::Slots {
 public:
  Slots(const Xapian::Database& db, SlotSource source) : db_(db), source_(source) {
    if (source_ == SlotSource::kDocuments) ReadDocuments();
  }

  // Calls fn(docid, value) for every document with a value in slot, docids ascending.
  template <typename Fn>
  void ForEach(Xapian::valueno slot, Fn fn) const {
    if (source_ == SlotSource::kValueStreams) {
      for (Xapian::ValueIterator it = db_.valuestream_begin(slot); it != db_.valuestream_end(slot);
           ++it) {
        fn(it.get_docid(), *it);
      }
      return;
    }
    for (size_t i = 0; i < docids_.size(); ++i) {
      if (slot < values_[i].size() && !values_[i][slot].empty()) fn(docids_[i], values_[i][slot]);
    }
  }

 private:
  void ReadDocuments() {
    Xapian::Enquire all(db_);
    all.set_query(Xapian::Query::MatchAll);
    all.set_weighting_scheme(Xapian::BoolWeight());
    all.set_docid_order(Xapian::Enquire::ASCENDING);
    Xapian::MSet mset = all.get_mset(0, db_.get_doccount());
    mset.fetch();
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
      Xapian::Document doc = it.get_document();
      std::vector<std::string> values(schema::kBrowseOrderSlot + 1);
      for (Xapian::ValueIterator value = doc.values_begin(); value != doc.values_end(); ++value) {
        if (value.get_valueno() < values.size()) values[value.get_valueno()] = *value;
      }
      docids_.push_back(*it);
      values_.push_back(std::move(values));
    }
  }

  const Xapian::Database& db_;
  const SlotSource source_;
  std::vector<Xapian::docid> docids_;
  std::vector<std::vector<std::string>> values_;  // by document, then slot
};

namespace {

// Reads one string slot into the rows through field, interning its distinct values.
void LoadColumn(const FacetTable::Slots& slots, Xapian::valueno slot,
                int32_t FacetTable::Row::*field, std::vector<FacetTable::Row>& rows,
                std::vector<std::string>& strings) {
  std::unordered_map<std::string, int32_t> ids;
  slots.ForEach(slot, [&](Xapian::docid docid, const std::string& value) {
    if (docid >= rows.size() || rows[docid].brand == FacetTable::kAbsent) return;
    auto [entry, inserted] = ids.try_emplace(value, static_cast<int32_t>(strings.size()));
    if (inserted) strings.push_back(entry->first);
    rows[docid].*field = entry->second;
  });
}

}  // namespace

std::shared_ptr<const FacetTable> FacetTable::Load(const Xapian::Database& db, Xapian::rev revision,
                                                   SlotSource source) {
  auto table = std::make_shared<FacetTable>();
  table->revision_ = revision;
  table->rows_.resize(static_cast<size_t>(db.get_lastdocid()) + 1);
  table->ids_.resize(table->rows_.size());
  table->prices_.assign(table->rows_.size(), std::numeric_limits<double>::quiet_NaN());
  const Slots slots(db, source);
  // Every document has a price and an id; the id stream marks which docids exist.
  slots.ForEach(schema::kIdSlot, [&](Xapian::docid docid, const std::string& id) {
    if (docid >= table->rows_.size()) return;
    table->rows_[docid].brand = kNone;
    table->ids_[docid] = id;
  });
  slots.ForEach(schema::kPriceSlot, [&](Xapian::docid docid, const std::string& price) {
    if (docid >= table->rows_.size()) return;
    table->prices_[docid] = Xapian::sortable_unserialise(price);
  });
  LoadColumn(slots, schema::kBrandSlot, &Row::brand, table->rows_, table->strings_[kBrand]);
  LoadColumn(slots, schema::kCategorySlot, &Row::category, table->rows_,
             table->strings_[kCategory]);
  LoadColumn(slots, schema::kColorSlot, &Row::colors, table->rows_, table->strings_[kColors]);
  LoadColumn(slots, schema::kSizeInStockSlot, &Row::sizes, table->rows_, table->strings_[kSizes]);
  for (int column = 0; column < kColumnCount; ++column) {
    table->groupings_[column] = FacetGrouping::Build(kKinds[column], table->strings_[column]);
  }
  table->LoadItems(slots);
  return table;
}

namespace {

// Reads a numeric slot of every document into values (by docid); absent stays nullopt.
std::vector<std::optional<double>> LoadNumbers(const FacetTable::Slots& slots, Xapian::valueno slot,
                                               size_t rows) {
  std::vector<std::optional<double>> values(rows);
  slots.ForEach(slot, [&](Xapian::docid docid, const std::string& value) {
    if (docid < rows) values[docid] = Xapian::sortable_unserialise(value);
  });
  return values;
}

std::vector<std::string> LoadStrings(const FacetTable::Slots& slots, Xapian::valueno slot,
                                     size_t rows) {
  std::vector<std::string> values(rows);
  slots.ForEach(slot, [&](Xapian::docid docid, const std::string& value) {
    if (docid < rows) values[docid] = value;
  });
  return values;
}

std::vector<std::string> SplitList(const std::string& joined) {
  return joined.empty() ? std::vector<std::string>()
                        : Split(joined, schema::kListSeparator);
}

}  // namespace

void FacetTable::LoadItems(const Slots& slots) {
  const size_t rows = rows_.size();
  const auto list_prices = LoadNumbers(slots, schema::kListPriceSlot, rows);
  const auto popularity = LoadNumbers(slots, schema::kPopularitySlot, rows);
  const auto ratings = LoadNumbers(slots, schema::kRatingSlot, rows);
  const auto margins = LoadNumbers(slots, schema::kMarginSlot, rows);
  const auto stock = LoadNumbers(slots, schema::kStockSlot, rows);
  const auto all_sizes = LoadStrings(slots, schema::kSizesSlot, rows);
  const auto titles = LoadStrings(slots, schema::kTitleSlot, rows);
  ItemTableBuilder builder;
  for (size_t docid = 1; docid < rows; ++docid) {
    const Row& row = rows_[docid];
    if (row.brand == kAbsent) continue;
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
    product.price = std::isnan(prices_[docid]) ? 0 : prices_[docid];
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
