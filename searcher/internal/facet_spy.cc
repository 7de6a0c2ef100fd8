#include "searcher/internal/facet_spy.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "core/index_schema.h"
#include "core/text.h"

namespace tailor::searcher::internal {
namespace {

void Count(std::unordered_map<std::string, long>& counts, std::string raw) {
  if (!raw.empty()) ++counts.try_emplace(std::move(raw), 0).first->second;
}

// Counts of one facet grouped by normalized key, with the spellings seen per key.
class Grouper {
 public:
  void Add(const std::string& display, long count) {
    std::string key = NormalizeKeyword(display);
    if (key.empty()) return;
    Group& group = groups_[key];
    group.count += count;
    group.spellings[display] += count;
  }

  std::vector<FacetValue> Top(int top_values) const {
    // (normalized key, value): ties in count sort by key, so "adidas" < "NIKE" < "Puma".
    std::vector<std::pair<std::string, FacetValue>> values;
    values.reserve(groups_.size());
    for (const auto& [key, group] : groups_) values.push_back({key, Value(group)});
    auto order = [](const auto& a, const auto& b) {
      if (a.second.count != b.second.count) return a.second.count > b.second.count;
      return a.first < b.first;
    };
    size_t keep = std::min(values.size(), static_cast<size_t>(std::max(top_values, 0)));
    std::partial_sort(values.begin(), values.begin() + keep, values.end(), order);
    std::vector<FacetValue> top;
    top.reserve(keep);
    for (size_t i = 0; i < keep; ++i) top.push_back(std::move(values[i].second));
    return top;
  }

  // The value of the group with this normalized key, nullopt when nothing was counted.
  std::optional<FacetValue> Find(const std::string& key) const {
    auto found = groups_.find(key);
    if (found == groups_.end()) return std::nullopt;
    return Value(found->second);
  }

 private:
  struct Group {
    long count = 0;
    std::map<std::string, long> spellings;
  };
  // The group in its most frequent spelling; ties go to the smallest, so output is
  // deterministic.
  static FacetValue Value(const Group& group) {
    auto best = group.spellings.begin();
    for (auto it = group.spellings.begin(); it != group.spellings.end(); ++it) {
      if (it->second > best->second) best = it;
    }
    return {best->first, group.count};
  }
  std::unordered_map<std::string, Group> groups_;
};

// The normalized key a selected value groups under: a category path's levels are
// normalized one by one, as the category filter reads them ("Men / Shoes" is "men/shoes").
std::string SelectedKey(FacetKind kind, const std::string& value) {
  if (kind != FacetKind::kPath) return NormalizeKeyword(value);
  std::vector<std::string> levels;
  for (const std::string& level : Split(value, schema::kCategorySeparator)) {
    std::string normalized = NormalizeKeyword(level);
    if (!normalized.empty()) levels.push_back(std::move(normalized));
  }
  return Join(levels, schema::kCategorySeparator);
}

// Appends to top each selected value it lacks: find(key) gives its counted value, or
// nullopt when none was counted, then it is listed as the request wrote it with count 0.
template <typename FindFn>
void AppendSelected(FacetKind kind, const std::vector<std::string>& selected, FindFn find,
                    std::vector<FacetValue>& top) {
  if (selected.empty()) return;
  std::set<std::string> listed;
  for (const FacetValue& value : top) listed.insert(NormalizeKeyword(value.value));
  for (const std::string& value : selected) {
    std::string key = SelectedKey(kind, value);
    if (key.empty() || !listed.insert(key).second) continue;
    std::optional<FacetValue> found = find(key);
    top.push_back(found ? std::move(*found) : FacetValue{value, 0});
  }
}

// The top values of a column from its raw strings' counts, grouped as the column's kind says
// (FacetDisplays).
std::vector<FacetValue> TopOfRaw(FacetKind kind, const std::unordered_map<std::string, long>& raw,
                                 int top_values, const std::vector<std::string>& selected) {
  Grouper grouper;
  for (const auto& [raw_string, count] : raw) {
    for (const std::string& display : FacetDisplays(kind, raw_string)) grouper.Add(display, count);
  }
  std::vector<FacetValue> top = grouper.Top(top_values);
  AppendSelected(
      kind, selected, [&](const std::string& key) { return grouper.Find(key); }, top);
  return top;
}

// The same as grouping the column's raw strings with their counts, with the grouping done
// in advance (FacetGrouping): sums per display value and per group, then the top groups
// each shown in its most frequent display value (ties to the smallest).
std::vector<FacetValue> TopOfGrouping(FacetKind kind, const FacetGrouping& grouping,
                                      const std::vector<long>& raw_counts, int top_values,
                                      const std::vector<std::string>& selected) {
  std::vector<long> display_counts(grouping.displays.size(), 0);
  std::vector<long> group_counts(grouping.group_keys.size(), 0);
  for (size_t raw = 0; raw < raw_counts.size(); ++raw) {
    if (raw_counts[raw] == 0) continue;
    for (int32_t i = grouping.raw_display_begin[raw]; i < grouping.raw_display_begin[raw + 1];
         ++i) {
      const int32_t display = grouping.raw_display_ids[i];
      display_counts[display] += raw_counts[raw];
      group_counts[grouping.display_group[display]] += raw_counts[raw];
    }
  }
  std::vector<int32_t> groups;
  for (size_t group = 0; group < group_counts.size(); ++group) {
    if (group_counts[group] > 0) groups.push_back(static_cast<int32_t>(group));
  }
  auto order = [&](int32_t a, int32_t b) {
    if (group_counts[a] != group_counts[b]) return group_counts[a] > group_counts[b];
    return grouping.group_key_order[a] < grouping.group_key_order[b];
  };
  size_t keep = std::min(groups.size(), static_cast<size_t>(std::max(top_values, 0)));
  std::partial_sort(groups.begin(), groups.begin() + keep, groups.end(), order);
  // A group in its most frequent display value (ties to the smallest).
  auto value = [&](int32_t group) {
    int32_t best = -1;
    for (int32_t display : grouping.group_displays[group]) {
      if (best < 0 || display_counts[display] > display_counts[best]) best = display;
    }
    return FacetValue{grouping.displays[best], group_counts[group]};
  };
  std::vector<FacetValue> top;
  top.reserve(keep);
  for (size_t i = 0; i < keep; ++i) top.push_back(value(groups[i]));
  AppendSelected(
      kind, selected,
      [&](const std::string& key) -> std::optional<FacetValue> {
        for (size_t group = 0; group < grouping.group_keys.size(); ++group) {
          if (grouping.group_keys[group] == key && group_counts[group] > 0) {
            return value(static_cast<int32_t>(group));
          }
        }
        return std::nullopt;
      },
      top);
  return top;
}

}  // namespace

FacetSelection SelectionOf(const SearchRequest& request) {
  FacetSelection selection;
  selection.values[FacetTable::kBrand] = request.brands;
  selection.values[FacetTable::kCategory] = request.categories;
  selection.values[FacetTable::kColors] = request.colors;
  selection.values[FacetTable::kSizes] = request.sizes;
  return selection;
}

FacetSpy::FacetSpy(const FacetTable* table, FacetMask counted) : table_(table), counted_(counted) {
  if (table_ == nullptr) return;
  // A counter per distinct string, for the columns counted only (a disjunctive facet's own
  // pass counts one).
  for (int column = 0; column < FacetTable::kColumnCount; ++column) {
    if (counted_ & ColumnBit(FacetTable::Column(column))) {
      table_counts_[column].assign(table_->strings(FacetTable::Column(column)).size(), 0);
    }
  }
}

void FacetSpy::operator()(const Xapian::Document& doc, double /*weight*/) {
  const FacetTable::Row* row = table_ != nullptr ? table_->Find(doc.get_docid()) : nullptr;
  if (row == nullptr) {
    CountFromSlots(doc);
    return;
  }
  CountRow(doc.get_docid(), *row);
}

void FacetSpy::CountSet(const MatchSet& matches, const Xapian::Database& db) {
  matches.ForEach([&](Xapian::docid docid) {
    const FacetTable::Row* row = table_ != nullptr ? table_->Find(docid) : nullptr;
    if (row != nullptr) {
      CountRow(docid, *row);
    } else {
      CountFromSlots(db.get_document(docid, Xapian::DOC_ASSUME_VALID));
    }
  });
}

void FacetSpy::CountRow(Xapian::docid docid, const FacetTable::Row& row) {
  if (counted_ == kAllFacets) {
    if (row.brand != FacetTable::kNone) ++table_counts_[FacetTable::kBrand][row.brand];
    if (row.category != FacetTable::kNone) ++table_counts_[FacetTable::kCategory][row.category];
    if (row.colors != FacetTable::kNone) ++table_counts_[FacetTable::kColors][row.colors];
    if (row.sizes != FacetTable::kNone) ++table_counts_[FacetTable::kSizes][row.sizes];
    if (const double price = table_->Price(docid); !std::isnan(price)) AddPrice(price);
    return;
  }
  const int32_t ids[FacetTable::kColumnCount] = {row.brand, row.category, row.colors, row.sizes};
  for (int column = 0; column < FacetTable::kColumnCount; ++column) {
    if ((counted_ & ColumnBit(FacetTable::Column(column))) && ids[column] != FacetTable::kNone) {
      ++table_counts_[column][ids[column]];
    }
  }
  if (counted_ & kPriceBit) {
    if (const double price = table_->Price(docid); !std::isnan(price)) AddPrice(price);
  }
}

void FacetSpy::CountFromSlots(const Xapian::Document& doc) {
  constexpr Xapian::valueno kSlots[FacetTable::kColumnCount] = {
      schema::kBrandSlot, schema::kCategorySlot, schema::kColorSlot, schema::kSizeInStockSlot};
  std::unordered_map<std::string, long>* counts[FacetTable::kColumnCount] = {&brands_, &categories_,
                                                                             &colors_, &sizes_};
  for (int column = 0; column < FacetTable::kColumnCount; ++column) {
    if (counted_ & ColumnBit(FacetTable::Column(column))) {
      Count(*counts[column], doc.get_value(kSlots[column]));
    }
  }
  if (!(counted_ & kPriceBit)) return;
  std::string price = doc.get_value(schema::kPriceSlot);
  if (!price.empty()) AddPrice(Xapian::sortable_unserialise(price));
}

std::unordered_map<std::string, long>& FacetSpy::RawCounts(FacetTable::Column column) {
  switch (column) {
    case FacetTable::kBrand:
      return brands_;
    case FacetTable::kCategory:
      return categories_;
    case FacetTable::kColors:
      return colors_;
    default:
      return sizes_;
  }
}

void FacetSpy::AddRawCount(FacetTable::Column column, const std::string& raw, long count) {
  if (!raw.empty() && count > 0) RawCounts(column)[raw] += count;
}

void FacetSpy::AddPrice(double price) {
  if (!price_min_ || price < *price_min_) price_min_ = price;
  if (!price_max_ || price > *price_max_) price_max_ = price;
}

Facets FacetSpy::Build(int top_values, const FacetSelection& selection) const {
  if (table_ != nullptr && brands_.empty() && categories_.empty() && colors_.empty() &&
      sizes_.empty()) {
    return BuildFromTable(top_values, selection);
  }
  // Some documents were not in the table: fold the table's counts into the raw-string counts, then group.
  std::unordered_map<std::string, long> raw[FacetTable::kColumnCount] = {brands_, categories_,
                                                                         colors_, sizes_};
  for (int column = 0; column < FacetTable::kColumnCount && table_ != nullptr; ++column) {
    const std::vector<std::string>& strings = table_->strings(FacetTable::Column(column));
    for (size_t id = 0; id < table_counts_[column].size(); ++id) {
      if (table_counts_[column][id] > 0) raw[column][strings[id]] += table_counts_[column][id];
    }
  }
  return Collect([&](FacetTable::Column column) {
    return TopOfRaw(FacetTable::kKinds[column], raw[column], top_values, selection.values[column]);
  });
}

Facets FacetSpy::BuildFromTable(int top_values, const FacetSelection& selection) const {
  return Collect([&](FacetTable::Column column) {
    return TopOfGrouping(FacetTable::kKinds[column], table_->grouping(column),
                         table_counts_[column], top_values, selection.values[column]);
  });
}

template <typename TopFn>
Facets FacetSpy::Collect(TopFn top) const {
  Facets facets;
  auto counted_top = [&](FacetTable::Column column) {
    return (counted_ & ColumnBit(column)) ? top(column) : std::vector<FacetValue>();
  };
  facets.brand = counted_top(FacetTable::kBrand);
  facets.category = counted_top(FacetTable::kCategory);
  facets.color = counted_top(FacetTable::kColors);
  facets.size = counted_top(FacetTable::kSizes);
  facets.price_min = price_min_;
  facets.price_max = price_max_;
  return facets;
}

}  // namespace tailor::searcher::internal

namespace tailor::searcher::internal {

FacetCounter::FacetCounter(const FacetTable* table, FacetMask counted, bool by_slot)
    : spy_(table, counted), by_slot_(by_slot) {
  if (!by_slot) return;
  constexpr Xapian::valueno kSlots[FacetTable::kColumnCount] = {
      schema::kBrandSlot, schema::kCategorySlot, schema::kColorSlot, schema::kSizeInStockSlot};
  for (int column = 0; column < FacetTable::kColumnCount; ++column) {
    const FacetMask bit = ColumnBit(FacetTable::Column(column));
    if (counted & bit) {
      slot_spies_.push_back({bit, std::make_unique<Xapian::ValueCountMatchSpy>(kSlots[column])});
    }
  }
  if (counted & kPriceBit) {
    slot_spies_.push_back(
        {kPriceBit, std::make_unique<Xapian::ValueCountMatchSpy>(schema::kPriceSlot)});
  }
}

void FacetCounter::AttachTo(Xapian::Enquire& enquire) {
  if (!by_slot_) {
    enquire.add_matchspy(&spy_);
    return;
  }
  for (SlotSpy& slot : slot_spies_) enquire.add_matchspy(slot.spy.get());
}

Facets FacetCounter::Build(int top_values, const FacetSelection& selection) {
  for (const SlotSpy& slot : slot_spies_) {
    for (Xapian::TermIterator it = slot.spy->values_begin(); it != slot.spy->values_end(); ++it) {
      if (slot.facet == kPriceBit) {
        spy_.AddPrice(Xapian::sortable_unserialise(*it));
        continue;
      }
      for (int column = 0; column < FacetTable::kColumnCount; ++column) {
        if (slot.facet == ColumnBit(FacetTable::Column(column))) {
          spy_.AddRawCount(FacetTable::Column(column), *it, static_cast<long>(it.get_termfreq()));
        }
      }
    }
  }
  return spy_.Build(top_values, selection);
}

}  // namespace tailor::searcher::internal
