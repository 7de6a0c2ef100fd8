// The product record of a shop's catalog, as DESIGN.md's catalog format defines it.
//
// The indexer reads and validates records into this struct; the searcher and later the
// ranking layer use the same vocabulary. `source_json` keeps the record exactly as it was
// given (unknown fields included), which is what the index stores and search returns.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tailor {

struct Product {
  std::string id;                       // required, unique, at most kMaxIdBytes
  std::string title;                    // required
  double price = 0;                     // required, >= 0
  std::optional<double> list_price;     // above price means reduced
  std::string currency;                 // ISO 4217, may be empty
  std::string brand;                    // may be empty
  std::vector<std::string> category;    // path, root first
  std::string description;
  std::vector<std::string> colors;
  std::map<std::string, long> sizes;    // size -> units in stock; empty when not sized
  std::optional<long> stock;            // units in stock when the item has no sizes
  std::map<std::string, std::string> attributes;
  std::optional<double> margin;         // 0..1
  std::optional<double> popularity;
  std::optional<double> rating;
  std::string source_json;              // the record as given, compact JSON

  static constexpr size_t kMaxIdBytes = 128;

  // Units in stock: the sum over sizes when the item has sizes, else `stock`; nullopt when
  // the record says nothing about stock (treated as in stock).
  std::optional<long> TotalStock() const;
  bool InStock() const {
    std::optional<long> total = TotalStock();
    return !total.has_value() || *total > 0;
  }
  // 1 - price / list_price when list_price > price, else 0.
  double Discount() const;
};

}  // namespace tailor
