#include "core/item_table.h"

#include <gtest/gtest.h>

namespace tailor {
namespace {

Product Make(std::string id, std::string brand, std::vector<std::string> category) {
  Product product;
  product.id = std::move(id);
  product.title = product.id;
  product.brand = std::move(brand);
  product.category = std::move(category);
  product.price = 10;
  return product;
}

TEST(ItemTable, InternsNormalizedKeysAndKeepsTheFirstDisplay) {
  ItemTableBuilder builder;
  builder.Set(1, Make("a", "PUMA", {"Men", "Shoes"}));
  builder.Set(3, Make("b", "Puma", {"Men", "Shirts"}));
  std::shared_ptr<const ItemTable> table = builder.Finish();
  EXPECT_EQ(table->rows(), 4u);
  EXPECT_FALSE(table->present(2));
  EXPECT_EQ(table->brand(1), table->brand(3));
  EXPECT_EQ(table->Display(ItemTable::kBrand, table->brand(3)), "PUMA");
  EXPECT_EQ(table->FindKey(ItemTable::kBrand, "puma"), table->brand(1));
  EXPECT_EQ(table->FindKey(ItemTable::kBrand, "nike"), ItemTable::kNone);
  ASSERT_EQ(table->categories(3).size(), 2u);
  EXPECT_EQ(table->categories(1)[0], table->categories(3)[0]);  // "men" shared
  EXPECT_EQ(table->Display(ItemTable::kCategory, table->categories(3)[1]), "Men/Shirts");
  EXPECT_EQ(table->Find("b"), 3u);
  EXPECT_FALSE(table->Find("c").has_value());
}

TEST(ItemTable, StockComesFromTheRecordOrItsSizes) {
  Product sized = Make("s", "", {});
  sized.sizes = {{"S", 0}, {"M", 2}};
  Product counted = Make("c", "", {});
  counted.sizes = {{"S", 1}};
  counted.stock = 7;  // what an index knows: the total, and in stock yes/no per size
  Product unknown = Make("u", "", {});
  ItemTableBuilder builder;
  builder.Set(1, sized);
  builder.Set(2, counted);
  builder.Set(3, unknown);
  std::shared_ptr<const ItemTable> table = builder.Finish();
  EXPECT_EQ(table->stock(1), 2);
  EXPECT_EQ(table->sizes(1).size(), 2u);
  EXPECT_EQ(table->sizes_in_stock(1).size(), 1u);
  EXPECT_EQ(table->stock(2), 7);
  EXPECT_FALSE(table->stock(3).has_value());
  EXPECT_TRUE(table->in_stock(3));
  EXPECT_FALSE(table->popularity(3).has_value());
  EXPECT_DOUBLE_EQ(table->discount(1), 0);
}

TEST(ItemTable, TitleWordsShareOneDictionaryOfIds) {
  Product red = Make("r", "", {});
  red.title = "Red Shirt";
  Product blue = Make("b", "", {});
  blue.title = "Blue shirt, Red trim!";
  Product untitled = Make("u", "", {});
  untitled.title = "--";
  ItemTableBuilder builder;
  builder.Set(1, red);
  builder.Set(2, blue);
  builder.Set(3, untitled);
  std::shared_ptr<const ItemTable> table = builder.Finish();
  const int32_t shirt = table->FindWord("shirt");
  ASSERT_NE(shirt, ItemTable::kNone);
  EXPECT_EQ(std::vector<int32_t>(table->title_word_ids(1).begin(), table->title_word_ids(1).end()),
            (std::vector<int32_t>{table->FindWord("red"), shirt}));
  EXPECT_EQ(table->title_word_ids(2).size(), 4u);  // "blue shirt red trim"
  EXPECT_EQ(table->title_word_ids(2)[1], shirt);
  EXPECT_EQ(table->title_word_ids(2)[2], table->FindWord("red"));
  EXPECT_TRUE(table->title_word_ids(3).empty());
  EXPECT_EQ(table->FindWord("Shirt"), ItemTable::kNone) << "words are lowercase";
  EXPECT_EQ(table->FindWord("green"), ItemTable::kNone);
  EXPECT_EQ(table->FindWord(""), ItemTable::kNone);
}

}  // namespace
}  // namespace tailor
