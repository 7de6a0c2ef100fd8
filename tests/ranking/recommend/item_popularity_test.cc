#include "ranking/recommend/item_popularity.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tailor::ranking {
namespace {

Product Item(std::string id, std::string leaf) {
  Product product;
  product.id = std::move(id);
  product.title = leaf;
  product.price = 10;
  product.category = {"Men", std::move(leaf)};
  return product;
}

Event At(EventType type, std::string item, std::string leaf, int64_t t_ms) {
  Event event;
  event.type = type;
  event.visitor = "v";
  event.item = std::move(item);
  event.timestamp_ms = t_ms;
  event.facts = ItemFacts{};
  event.facts->category = {"Men", std::move(leaf)};
  return event;
}

// A table of (id, leaf) items at rows 1, 2, 3...
std::shared_ptr<const ItemTable> Table(
    const std::vector<std::pair<std::string, std::string>>& items) {
  ItemTableBuilder builder;
  for (size_t i = 0; i < items.size(); ++i) {
    builder.Set(static_cast<ItemTable::Row>(i + 1), Item(items[i].first, items[i].second));
  }
  return builder.Finish();
}

std::vector<float> Lookup(const ItemPopularity& popularity, const ItemTable& table,
                          int64_t now_ms) {
  std::vector<ItemTable::Row> rows = {1, 2, 3};
  std::vector<float> out(rows.size());
  popularity.Lookup(table, rows, now_ms, out);
  return out;
}

TEST(ItemPopularity, WeighsEventTypesAndShrinksTowardTheCategoryMean) {
  auto table = Table({{"bought", "Parkas"}, {"viewed", "Parkas"}, {"new", "Parkas"}});
  ItemPopularity popularity;
  EXPECT_EQ(Lookup(popularity, *table, 0), std::vector<float>({0, 0, 0}));
  popularity.Apply(At(EventType::kPurchase, "bought", "Parkas", 0));
  popularity.Apply(At(EventType::kView, "viewed", "Parkas", 0));
  // Category mean over the two items with events: (5 + 1) / 2 = 3; k = 1.
  std::vector<float> values = Lookup(popularity, *table, 0);
  EXPECT_FLOAT_EQ(values[0], static_cast<float>(std::log1p((5 + 3) / 2.0)));
  EXPECT_FLOAT_EQ(values[1], static_cast<float>(std::log1p((1 + 3) / 2.0)));
  EXPECT_FLOAT_EQ(values[2], static_cast<float>(std::log1p(3 / 2.0))) << "a stranger gets half the mean";
  EXPECT_EQ(popularity.size(), 2u);
}

TEST(ItemPopularity, DecaysWithTheHalfLifeAndIgnoresRemovals) {
  auto table = Table({{"a", "Parkas"}, {"b", "Boots"}, {"c", "Hats"}});
  ItemPopularityOptions options;
  options.half_life_hours = 1;
  options.prior_strength = 0;
  ItemPopularity popularity(options);
  popularity.Apply(At(EventType::kAddToCart, "a", "Parkas", 0));
  popularity.Apply(At(EventType::kRemoveFromCart, "b", "Boots", 0));
  std::vector<float> values = Lookup(popularity, *table, 3600 * 1000);
  EXPECT_FLOAT_EQ(values[0], static_cast<float>(std::log1p(1.5))) << "3, one half-life later";
  EXPECT_FLOAT_EQ(values[1], 0.0f);
}

// Lookups remember each row's item per table: an item looked up before it had events counts
// once it has some, another table with the same rows (a new generation) maps its own ids,
// and dropping the weakest items (max_items) renumbers without mixing items up.
TEST(ItemPopularity, RowsLookedUpBeforeSeeEveryLaterEventTableAndDrop) {
  auto first = Table({{"a", "Parkas"}, {"b", "Parkas"}, {"c", "Parkas"}});
  // The same rows, other products.
  auto second = Table({{"c", "Parkas"}, {"a", "Parkas"}, {"b", "Parkas"}});
  ASSERT_NE(first->instance(), second->instance());

  ItemPopularity popularity(
      ItemPopularityOptions{.half_life_hours = 168, .prior_strength = 0, .max_items = 2});
  popularity.Apply(At(EventType::kPurchase, "a", "Parkas", 0));
  EXPECT_EQ(Lookup(popularity, *first, 0),
            std::vector<float>({static_cast<float>(std::log1p(5.0)), 0, 0}));
  popularity.Apply(At(EventType::kView, "c", "Parkas", 0));  // c was looked up without events
  EXPECT_EQ(Lookup(popularity, *first, 0),
            std::vector<float>(
                {static_cast<float>(std::log1p(5.0)), 0, static_cast<float>(std::log1p(1.0))}));
  EXPECT_EQ(Lookup(popularity, *second, 0),
            std::vector<float>(
                {static_cast<float>(std::log1p(1.0)), static_cast<float>(std::log1p(5.0)), 0}));
  // A third item passes max_items: the weaker half (c, the view) is dropped.
  popularity.Apply(At(EventType::kAddToCart, "b", "Parkas", 0));
  EXPECT_EQ(popularity.size(), 2u);
  EXPECT_EQ(Lookup(popularity, *first, 0),
            std::vector<float>(
                {static_cast<float>(std::log1p(5.0)), static_cast<float>(std::log1p(3.0)), 0}));
}

}  // namespace
}  // namespace tailor::ranking
