#include "core/product.h"

namespace tailor {

std::optional<long> Product::TotalStock() const {
  if (!sizes.empty()) {
    long total = 0;
    for (const auto& [size, units] : sizes) total += units > 0 ? units : 0;
    return total;
  }
  return stock;
}

double Product::Discount() const {
  if (!list_price.has_value() || *list_price <= price || *list_price <= 0) return 0;
  return 1.0 - price / *list_price;
}

}  // namespace tailor
