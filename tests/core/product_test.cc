#include "core/product.h"

#include <gtest/gtest.h>

namespace tailor {
namespace {

TEST(Product, TotalStockSumsSizesOrUsesStock) {
  Product sized;
  sized.sizes = {{"S", 0}, {"M", 4}, {"L", 2}};
  EXPECT_EQ(sized.TotalStock(), 6);
  EXPECT_TRUE(sized.InStock());

  Product unsized;
  unsized.stock = 0;
  EXPECT_FALSE(unsized.InStock());

  Product unknown;
  EXPECT_FALSE(unknown.TotalStock().has_value());
  EXPECT_TRUE(unknown.InStock());
}

TEST(Product, DiscountOnlyWhenListPriceAbovePrice) {
  Product reduced;
  reduced.price = 75;
  reduced.list_price = 100;
  EXPECT_DOUBLE_EQ(reduced.Discount(), 0.25);

  Product full;
  full.price = 100;
  full.list_price = 90;
  EXPECT_DOUBLE_EQ(full.Discount(), 0);
}

}  // namespace
}  // namespace tailor
