// The query features' word matching (title_match, brand_match and category_match in
// ranking/scoring/features.h): which of a query's words an item's title, brand and category name.
//
// Words are in ItemTable::title_words form (TitleWords). Two words match when they are equal
// or one is the other plus "s" or "es": "shirt" matches "shirts", "dresses" matches "dress".
// Titles are matched by word id (ItemTable::title_word_ids): each query word is resolved once
// to the ids of the few table words it matches, so a row costs integer compares. Brands and
// category levels are matched by the words of their dictionary keys (lowercase, so with the
// same words as their displays), once per distinct id per query.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/item_table.h"

namespace tailor::ranking::internal {

// Equal, or one is the other's plural ("shirt"/"shirts", "dress"/"dresses").
bool SameWord(std::string_view a, std::string_view b);

// One query matched against the items of one table. Not thread-safe (brand and category
// results are cached as they are asked for); build one per ranking. Keeps references to items
// and to nothing else.
class QueryMatcher {
 public:
  QueryMatcher(const ItemTable& items, std::string_view query);
  QueryMatcher(const QueryMatcher&) = delete;  // query_words_ point into words_
  QueryMatcher& operator=(const QueryMatcher&) = delete;

  // The share of the query's words that match a word of the row's title, in [0, 1]; 0 when
  // the query has no words.
  double TitleMatch(ItemTable::Row row) const;
  // Whether every word of the row's brand matches a query word (false without a brand).
  bool BrandMatch(ItemTable::Row row);
  // Whether, for some category of the row, every word of its path's last level matches a
  // query word.
  bool CategoryMatch(ItemTable::Row row);

 private:
  // Whether the query names a brand or category id; kUnknown until first asked.
  enum Named : int8_t { kUnknown, kNo, kYes };
  static Named NamedIf(bool named) { return named ? kYes : kNo; }
  // Whether every word of a dictionary key (at least one) matches a query word.
  bool NamesAllWords(std::string_view key) const;

  const ItemTable& items_;
  std::string words_;                                // the query in TitleWords form
  std::vector<std::string_view> query_words_;        // into words_
  std::vector<ItemTable::WordForms> title_ids_;      // per query word: the table words it matches
  std::vector<Named> brand_named_, category_named_;  // by dictionary id, filled lazily
};

}  // namespace tailor::ranking::internal
