#include "bench/simulator/catalog_model.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include "bench/simulator/rng.h"
#include "indexer/catalog_reader.h"
#include "ranking/profiles/profile.h"

namespace tailor::simulator {
namespace {

using CountMap = std::map<std::string, double>;

std::vector<Counted> SortedCounts(const CountMap& counts) {
  std::vector<Counted> out;
  out.reserve(counts.size());
  for (const auto& [value, count] : counts) out.push_back({value, count});
  std::stable_sort(out.begin(), out.end(),
                   [](const Counted& a, const Counted& b) { return a.count > b.count; });
  return out;
}

double MedianPrice(const std::vector<Product>& products, const std::vector<size_t>& items) {
  std::vector<double> prices;
  prices.reserve(items.size());
  for (size_t i : items) {
    if (products[i].price > 0) prices.push_back(products[i].price);
  }
  if (prices.empty()) return 1;
  std::nth_element(prices.begin(), prices.begin() + prices.size() / 2, prices.end());
  return prices[prices.size() / 2];
}

CatalogItem DescribeItem(const Product& product) {
  CatalogItem item;
  item.discount = product.Discount();
  item.in_stock = product.InStock();
  item.id_hash = HashText(product.id);
  item.sized = !product.sizes.empty();
  for (const auto& [size, units] : product.sizes) {
    std::string system(ranking::SizeSystemOf(size));
    if (units > 0) item.sizes_in_stock.emplace_back(system, size);
    if (std::find(item.size_systems.begin(), item.size_systems.end(), system) ==
        item.size_systems.end()) {
      item.size_systems.push_back(system);
    }
  }
  return item;
}

// The running counts behind one top category's statistics.
struct TopCounts {
  CountMap brands, colors;
  std::map<std::string, CountMap> sizes;
};

void CountItem(const Product& product, TopCounts& counts,
               std::map<std::string, CountMap>& catalog_sizes) {
  if (!product.brand.empty()) counts.brands[product.brand] += 1;
  for (const std::string& color : product.colors) counts.colors[color] += 1;
  for (const auto& [size, units] : product.sizes) {
    (void)units;
    std::string system(ranking::SizeSystemOf(size));
    counts.sizes[system][size] += 1;
    catalog_sizes[system][size] += 1;
  }
}

}  // namespace

long Catalog::Find(std::string_view id) const {
  auto it = by_id.find(std::string(id));
  return it == by_id.end() ? -1 : static_cast<long>(it->second);
}

int Catalog::TopIndex(std::string_view name) const {
  for (size_t i = 0; i < tops.size(); ++i) {
    if (tops[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {

// Accumulates counts while products are added, then turns them into the statistics.
class CatalogBuilder {
 public:
  void Add(Product product) {
    if (catalog_.by_id.count(product.id) > 0) return;
    product.description.clear();
    product.source_json.clear();
    const size_t index = catalog_.products.size();
    catalog_.by_id.emplace(product.id, index);
    CatalogItem item = DescribeItem(product);
    if (!product.category.empty()) Place(product, index, item);
    catalog_.items.push_back(std::move(item));
    catalog_.products.push_back(std::move(product));
  }

  Catalog Finish() && {
    for (size_t t = 0; t < catalog_.tops.size(); ++t) {
      TopCategory& top = catalog_.tops[t];
      top.median_price = MedianPrice(catalog_.products, top.items);
      top.brands = SortedCounts(top_counts_[t].brands);
      top.colors = SortedCounts(top_counts_[t].colors);
      for (const auto& [system, counts] : top_counts_[t].sizes) {
        top.sizes[system] = SortedCounts(counts);
      }
    }
    for (size_t p = 0; p < catalog_.paths.size(); ++p) {
      catalog_.paths[p].median_price = MedianPrice(catalog_.products, catalog_.paths[p].items);
      catalog_.paths[p].brands = SortedCounts(path_brands_[p]);
    }
    for (const auto& [system, counts] : sizes_) catalog_.sizes[system] = SortedCounts(counts);
    for (size_t i = 0; i < catalog_.products.size(); ++i) {
      CatalogItem& item = catalog_.items[i];
      item.top_log_price = std::log(std::max(catalog_.products[i].price, 0.01));
      if (item.path >= 0) {
        item.top_log_price += std::log(catalog_.tops[item.top].median_price) -
                              std::log(catalog_.paths[item.path].median_price);
      }
    }
    return std::move(catalog_);
  }

 private:
  // Files the product under its top category and its (top, leaf) path.
  void Place(const Product& product, size_t index, CatalogItem& item) {
    const std::string& top = product.category.front();
    auto [top_it, new_top] = top_of_name_.emplace(top, static_cast<int>(catalog_.tops.size()));
    if (new_top) {
      catalog_.tops.push_back({top, {}, 0, {}, {}, {}, {}});
      top_counts_.emplace_back();
    }
    item.top = top_it->second;
    auto key = std::make_pair(top, product.category.back());
    auto [path_it, new_path] = path_of_name_.emplace(key, static_cast<int>(catalog_.paths.size()));
    if (new_path) {
      catalog_.paths.push_back({key.first, key.second, item.top, {}, 0, {}});
      path_brands_.emplace_back();
      catalog_.tops[item.top].paths.push_back(path_it->second);
      catalog_.paths_by_leaf[key.second].push_back(path_it->second);
    }
    item.path = path_it->second;
    catalog_.tops[item.top].items.push_back(index);
    catalog_.paths[item.path].items.push_back(index);
    if (!product.brand.empty()) path_brands_[item.path][product.brand] += 1;
    CountItem(product, top_counts_[item.top], sizes_);
  }

  Catalog catalog_;
  std::map<std::string, int> top_of_name_;
  std::map<std::pair<std::string, std::string>, int> path_of_name_;
  std::vector<TopCounts> top_counts_;  // parallel to catalog_.tops
  std::vector<CountMap> path_brands_;  // parallel to catalog_.paths
  std::map<std::string, CountMap> sizes_;
};

}  // namespace

Catalog BuildCatalog(std::vector<Product> products) {
  CatalogBuilder builder;
  for (Product& product : products) builder.Add(std::move(product));
  return std::move(builder).Finish();
}

Result<Catalog> LoadCatalog(const std::string& path) {
  Result<std::unique_ptr<indexer::CatalogReader>> reader =
      indexer::CatalogReader::Open(path, indexer::CatalogKind::kBuild);
  if (!reader.ok()) return reader.error();
  std::vector<Product> products;
  while (std::optional<Result<indexer::CatalogRecord>> record = (*reader)->Next()) {
    if (!record->ok()) return record->error();
    products.push_back(std::move((*record)->product));
  }
  if (products.empty()) return Error::InvalidArgument(path + ": no products");
  return BuildCatalog(std::move(products));
}

}  // namespace tailor::simulator
