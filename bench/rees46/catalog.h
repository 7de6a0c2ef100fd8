// The Tailor catalog (DESIGN.md's product records, JSON Lines) of the products that the
// REES46 dev half's users touched, one record per product from its first event.
#pragma once

#include <string>
#include <vector>

#include "bench/rees46/dataset.h"

namespace tailor::rees46 {

// The record of a product as its first dev-half event shows it, one JSON object without a
// newline: id "rees46-<product_id>"; title the brand and the leaf words of category_code
// ("samsung smartphone"; without a brand the leaf words alone); description the words of
// the whole path ("appliances kitchen refrigerators"); brand when given; category the
// path split on '.'; price the first-seen price; currency "USD"; attributes.category_id.
// Without a category_code: category ["other"] and the title is the brand, or "product <id>".
// No sizes and no stock (REES46 has neither).
std::string CatalogRecordJson(const Rees46Event& first_event);

struct Catalog {
  std::vector<std::string> records;  // JSON objects, in order of first appearance
  long with_category = 0;            // products with a category_code
  long without_category = 0;         // products filed under ["other"]
  long with_brand = 0;
};

// One record per distinct product_id of `events`, from its first event there.
Catalog BuildCatalog(const std::vector<Rees46Event>& events);

}  // namespace tailor::rees46
