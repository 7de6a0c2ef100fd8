#include "bench/rees46/catalog.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <unordered_set>

#include "core/text.h"

namespace tailor::rees46 {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void Field(JsonWriter& writer, const char* key, const std::string& value) {
  writer.Key(key);
  writer.String(value);
}

std::string Title(const Rees46Event& event) {
  if (event.category_code.empty()) {
    return event.brand.empty() ? "product " + event.product_id : event.brand;
  }
  const std::string leaf = LeafWords(event.category_code);
  return event.brand.empty() ? leaf : event.brand + " " + leaf;
}

std::string PathWords(const Rees46Event& event) {
  std::string words = Join(CategoryPath(event.category_code), ' ');
  std::replace(words.begin(), words.end(), '_', ' ');
  return words;
}

}  // namespace

std::string CatalogRecordJson(const Rees46Event& first_event) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  Field(writer, "id", TailorId(first_event.product_id));
  Field(writer, "title", Title(first_event));
  if (!first_event.category_code.empty()) Field(writer, "description", PathWords(first_event));
  if (!first_event.brand.empty()) Field(writer, "brand", first_event.brand);
  writer.Key("category");
  writer.StartArray();
  std::vector<std::string> path = CategoryPath(first_event.category_code);
  if (path.empty()) path.push_back("other");
  for (const std::string& level : path) writer.String(level);
  writer.EndArray();
  writer.Key("price");
  writer.Double(first_event.price);
  Field(writer, "currency", "USD");
  writer.Key("attributes");
  writer.StartObject();
  Field(writer, "category_id", first_event.category_id);
  writer.EndObject();
  writer.EndObject();
  return buffer.GetString();
}

Catalog BuildCatalog(const std::vector<Rees46Event>& events) {
  Catalog catalog;
  std::unordered_set<std::string> seen;
  for (const Rees46Event& event : events) {
    if (!seen.insert(event.product_id).second) continue;
    catalog.records.push_back(CatalogRecordJson(event));
    ++(event.category_code.empty() ? catalog.without_category : catalog.with_category);
    if (!event.brand.empty()) ++catalog.with_brand;
  }
  return catalog;
}

}  // namespace tailor::rees46
