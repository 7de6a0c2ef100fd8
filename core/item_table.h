// The item table: the ranking attributes of every product of one index revision, in memory,
// in columns, indexed by row = Xapian document id.
//
// The ranking layer needs brand, category path, colours, sizes, price and business values for
// a few hundred candidates per request, and the profile needs them for every event's item;
// reading them from Xapian documents costs about 5 microseconds per item (DESIGN.md,
// performance note). The searcher builds one table when it opens or refreshes a generation
// (searcher::Searcher::Items) and hands it out with candidates of the same revision; the
// ranking module only reads it. Strings are interned per table in four dictionaries whose
// keys are NormalizeKeyword()ed (core/text.h), so "PUMA" and "Puma" are one brand; each id
// keeps the first display form seen. The words of titles are interned too, so matching a query
// against titles compares integers. Immutable once built: any number of threads may read a
// table while a newer one is being built.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/event.h"
#include "core/product.h"

namespace tailor {

class ItemTable {
 public:
  using Row = uint32_t;
  static constexpr int32_t kNone = -1;

  // The interned string dictionaries. Category ids name a path prefix: an item in
  // ["Men", "Shoes", "Boots"] has the ids of "men", "men/shoes" and "men/shoes/boots"
  // (keys: levels NormalizeKeyword()ed and joined by '/'; display: "Men/Shoes/Boots").
  enum Dict { kBrand = 0, kCategory = 1, kColor = 2, kSize = 3, kDictCount = 4 };

  // Number of rows (the largest row + 1); rows without a product have present() false.
  size_t rows() const { return rows_.size(); }
  bool present(Row row) const { return row < rows_.size() && rows_[row].present; }

  // The row of a product id, nullopt when the table has no such product.
  std::optional<Row> Find(std::string_view product_id) const;
  // The id of key (already normalized, e.g. "puma" or "men/shoes") in a dictionary, kNone
  // when no product of the table has it.
  int32_t FindKey(Dict dict, std::string_view normalized_key) const;
  const std::string& Key(Dict dict, int32_t id) const { return dicts_[dict].keys[id]; }
  const std::string& Display(Dict dict, int32_t id) const { return dicts_[dict].display[id]; }
  size_t DictSize(Dict dict) const { return dicts_[dict].keys.size(); }

  // Per row. Requires: present(row).
  const std::string& id(Row row) const { return ids_[row]; }
  // The title's words, lowercased (ASCII) and split on anything but letters, digits and
  // non-ASCII bytes, joined by single spaces: "Puma Men's T-Shirt" -> "puma men s t shirt".
  const std::string& title_words(Row row) const { return titles_[row]; }
  // The same words as ids in the table's word dictionary, in title order, so text matching
  // compares integers (FindWord gives a word's id).
  std::span<const int32_t> title_word_ids(Row row) const { return Span(rows_[row].title_words); }
  // The id of one word (title_words form: lowercase, no separators) in the dictionary of every
  // word of the table's titles; kNone when no title has it.
  int32_t FindWord(std::string_view word) const;
  // The ids of the table's words that are one word's forms: itself, +"s", +"es", -"s",
  // -"es" ("shirt" meets "shirts", "dresses" meets "dress"), those some title has.
  struct WordForms {
    std::array<int32_t, 5> ids{};
    size_t count = 0;
    bool Has(int32_t id) const {
      return std::find(ids.begin(), ids.begin() + count, id) != ids.begin() + count;
    }
  };
  WordForms FindWordForms(std::string_view word) const;
  // Whether a word of the dictionary (a FindWord id) has a digit ("24", "18v").
  bool WordHasDigit(int32_t id) const { return word_has_digit_[static_cast<size_t>(id)] != 0; }
  int32_t brand(Row row) const { return rows_[row].brand; }  // kNone when the item has none
  // Category path prefix ids, root first (one per level).
  std::span<const int32_t> categories(Row row) const { return Span(rows_[row].categories); }
  std::span<const int32_t> colors(Row row) const { return Span(rows_[row].colors); }
  // Every size the item comes in, with or without stock.
  std::span<const int32_t> sizes(Row row) const { return Span(rows_[row].sizes); }
  // The sizes with stock > 0 (a subset of sizes(row)).
  std::span<const int32_t> sizes_in_stock(Row row) const { return Span(rows_[row].in_stock); }
  double price(Row row) const { return rows_[row].price; }
  // The list price; equals price when the record has none.
  double list_price(Row row) const { return rows_[row].list_price; }
  // The median of log(price) over the priced items (price > 0) of a category id (a path
  // prefix), nullopt when it has none: what "expensive" means in that category.
  std::optional<double> category_median_log_price(int32_t category) const {
    if (category < 0 || static_cast<size_t>(category) >= category_log_price_.size()) {
      return std::nullopt;
    }
    return Opt(category_log_price_[category]);
  }
  // 1 - price / list_price when reduced, else 0.
  double discount(Row row) const;
  // nullopt when the record has no such field (unknown, not 0).
  std::optional<double> popularity(Row row) const { return Opt(rows_[row].popularity); }
  std::optional<double> rating(Row row) const { return Opt(rows_[row].rating); }
  std::optional<double> margin(Row row) const { return Opt(rows_[row].margin); }
  // Units in stock (sum over sizes, or the record's stock); nullopt when unknown.
  std::optional<long> stock(Row row) const;
  bool in_stock(Row row) const {
    std::optional<long> units = stock(row);
    return !units || *units > 0;
  }
  // What an event about this item records of it (core/event.h): brand and colours as
  // displayed, the category levels, every size, price and list price.
  ItemFacts Facts(Row row) const;
  // The index revision the table was read at (0 for tables built by hand).
  uint64_t revision() const { return revision_; }
  // A number no other table of this process has (tables of two generations may share a
  // revision and, one freed, an address): what caches keyed by rows check.
  uint64_t instance() const { return instance_; }

 private:
  friend class ItemTableBuilder;
  struct Range {
    uint32_t begin = 0;
    uint32_t count = 0;
  };
  struct RowData {
    int32_t brand = kNone;
    Range categories, colors, sizes, in_stock, title_words;  // into pool_
    double price = 0;
    double list_price = 0;
    double popularity = kMissing, rating = kMissing, margin = kMissing;
    long stock = -1;  // -1: unknown
    bool present = false;
  };
  struct Dictionary {
    std::vector<std::string> keys;
    std::vector<std::string> display;
    std::unordered_map<std::string, int32_t> ids;  // key -> id
  };
  // Lets FindWord look a std::string_view up without building a std::string.
  struct WordHash {
    using is_transparent = void;
    size_t operator()(std::string_view word) const { return std::hash<std::string_view>{}(word); }
  };
  static constexpr double kMissing = -1e300;
  static std::optional<double> Opt(double value) {
    return value == kMissing ? std::nullopt : std::optional<double>(value);
  }
  std::span<const int32_t> Span(Range range) const {
    return {pool_.data() + range.begin, range.count};
  }

  std::vector<RowData> rows_;
  std::vector<std::string> ids_;
  std::vector<std::string> titles_;
  std::vector<double> category_log_price_;  // by category id; kMissing when unpriced
  std::vector<int32_t> pool_;
  Dictionary dicts_[kDictCount];
  std::unordered_map<std::string, int32_t, WordHash, std::equal_to<>> word_ids_;  // word -> id
  std::vector<uint8_t> word_has_digit_;                                           // by word id
  std::unordered_map<std::string, Row> rows_by_id_;
  uint64_t revision_ = 0;
  uint64_t instance_ = 0;
};

// The words of text as ItemTable::title_words writes them.
std::string TitleWords(std::string_view text);

// Builds an ItemTable. Not thread-safe; the table it returns is immutable.
class ItemTableBuilder {
 public:
  // Sets row `row` (a Xapian docid, >= 1 for index tables) from a product record: id, brand,
  // category, colors, sizes (every key; those with units > 0 are in stock), price,
  // list_price, popularity, rating, margin, and stock: product.stock when set (an index
  // knows the total but only in-stock yes/no per size), else TotalStock(). Requires: row not set
  // before; product.id unique in the table.
  void Set(ItemTable::Row row, const Product& product);
  void set_revision(uint64_t revision) { table_->revision_ = revision; }
  // The table; the builder must not be used afterwards.
  std::shared_ptr<const ItemTable> Finish();

 private:
  int32_t Intern(ItemTable::Dict dict, std::string_view display);
  // Sets the row's title_word_ids from its title_words, adding new words to the dictionary.
  void InternTitleWords(ItemTable::Row row);
  std::shared_ptr<ItemTable> table_ = std::make_shared<ItemTable>();
  // Display form -> id, so each distinct string is normalized once, not once per item.
  std::unordered_map<std::string, int32_t> seen_[ItemTable::kDictCount];
};

}  // namespace tailor
