// The shopper simulator's view of a catalog: the products plus the statistics visitors are
// drawn from (brands, colours and sizes per top category, median prices, category paths
// with their items) and, per item, the facts the shopper model reads many times (size
// systems and sizes in stock, price relative to its category, discount).
//
// A Catalog is built once and then only read: any number of threads may share it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/product.h"
#include "core/result.h"

namespace tailor::simulator {

// A value and how many items have it, for weighted draws.
struct Counted {
  std::string value;
  double count = 0;
};

// What the shopper model needs of one product, precomputed.
struct CatalogItem {
  int top = -1;   // index into Catalog::tops; -1 when the product has no category
  int path = -1;  // index into Catalog::paths; -1 when the product has no category
  // ln(price) moved from the item's category path to its top category:
  // ln(price) - ln(median price of the path) + ln(median price of the top). A watch and a
  // pair of socks that are both "premium for what they are" land at the same place.
  double top_log_price = 0;
  double discount = 0;  // Product::Discount()
  bool sized = false;   // has a size map
  // Sized items: (size system, size) of every size with units in stock.
  std::vector<std::pair<std::string, std::string>> sizes_in_stock;
  // Size systems the item comes in (sized items only), distinct.
  std::vector<std::string> size_systems;
  bool in_stock = true;  // Product::InStock()
  uint64_t id_hash = 0;  // HashText(id)
};

// A (top category, leaf category) pair, e.g. Men ... Shirts, with its items.
struct CategoryPath {
  std::string top;
  std::string leaf;
  int top_index = -1;
  std::vector<size_t> items;
  double median_price = 0;
  std::vector<Counted> brands;  // by item count, most first
};

struct TopCategory {
  std::string name;
  std::vector<size_t> items;
  double median_price = 0;
  std::vector<Counted> brands;  // by item count, most first
  std::vector<Counted> colors;
  std::map<std::string, std::vector<Counted>> sizes;  // size system -> sizes offered
  std::vector<int> paths;                             // indices into Catalog::paths
};

struct Catalog {
  std::vector<Product> products;   // descriptions and source JSON dropped
  std::vector<CatalogItem> items;  // parallel to products
  std::vector<TopCategory> tops;
  std::vector<CategoryPath> paths;
  std::map<std::string, std::vector<int>> paths_by_leaf;  // leaf name -> paths
  std::map<std::string, std::vector<Counted>> sizes;      // size system -> sizes, whole catalog
  std::unordered_map<std::string, size_t> by_id;

  // The product's index, or -1 for an unknown id.
  long Find(std::string_view id) const;
  int TopIndex(std::string_view name) const;  // -1 when unknown
};

// Builds the statistics over products (ids are assumed unique; a repeated id keeps the
// first). Never fails; an empty catalog gives an empty model.
Catalog BuildCatalog(std::vector<Product> products);

// Reads a catalog file with the indexer's reader and builds the model. Errors: the reader's
// (not_found for a missing file, invalid_argument "FILE:LINE: field: ..." for a bad line),
// or invalid_argument when the file holds no product.
Result<Catalog> LoadCatalog(const std::string& path);

}  // namespace tailor::simulator
