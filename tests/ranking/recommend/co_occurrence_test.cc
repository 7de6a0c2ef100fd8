#include "ranking/recommend/co_occurrence.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace tailor::ranking {
namespace {

constexpr int64_t kDayMs = 86400000;
constexpr int64_t kStartMs = 1764500000000;

Event Bought(std::string visitor, std::string item, int64_t at_ms,
             EventType type = EventType::kPurchase) {
  Event event;
  event.type = type;
  event.visitor = std::move(visitor);
  event.item = std::move(item);
  event.timestamp_ms = at_ms;
  return event;
}

TEST(CoOccurrence, ItemsOfOneBasketBecomeNeighboursBothWays) {
  CoOccurrence co;
  co.Apply(Bought("v", "nails", kStartMs));
  co.Apply(Bought("v", "hammer", kStartMs + 1000));
  std::vector<Neighbor> of_nails = co.Neighbors("nails", kStartMs + 2000, 10);
  ASSERT_EQ(of_nails.size(), 1u);
  EXPECT_EQ(of_nails[0].item, "hammer");
  EXPECT_NEAR(of_nails[0].score, 1.0, 1e-9);
  ASSERT_EQ(co.Neighbors("hammer", kStartMs + 2000, 10).size(), 1u);
  EXPECT_NEAR(co.Count("nails", kStartMs + 2000), 3.0, 1e-4);  // one purchase weighs 3
}

TEST(CoOccurrence, ABestsellerInEveryBasketDoesNotTopEveryList) {
  CoOccurrence co;
  int64_t t = kStartMs;
  // "bag" goes with everything; "nails" and "hammer" go together twice.
  for (int i = 0; i < 20; ++i) {
    co.Apply(Bought("v" + std::to_string(i), "bag", t++));
    co.Apply(Bought("v" + std::to_string(i), "item" + std::to_string(i), t++));
  }
  for (const char* visitor : {"a", "b"}) {
    co.Apply(Bought(visitor, "bag", t++));
    co.Apply(Bought(visitor, "nails", t++));
    co.Apply(Bought(visitor, "hammer", t++));
  }
  std::vector<Neighbor> of_nails = co.Neighbors("nails", t, 10);
  ASSERT_GE(of_nails.size(), 2u);
  EXPECT_EQ(of_nails[0].item, "hammer") << "cosine: the bag is in every basket";
  EXPECT_EQ(of_nails[1].item, "bag");
}

TEST(CoOccurrence, WeightsDecayAndOldBasketsDoNotPair) {
  CoOccurrenceOptions options;
  options.half_life_days = 10;
  options.window_days = 5;
  CoOccurrence co(options);
  co.Apply(Bought("v", "a", kStartMs));
  co.Apply(Bought("v", "b", kStartMs + 10 * kDayMs));  // beyond the window: no pair
  EXPECT_TRUE(co.Neighbors("a", kStartMs + 10 * kDayMs, 10).empty());
  EXPECT_NEAR(co.Count("a", kStartMs + 10 * kDayMs), 1.5, 1e-6);  // 3 halved once
  co.Apply(Bought("v", "c", kStartMs + 11 * kDayMs, EventType::kAddToCart));
  std::vector<Neighbor> of_c = co.Neighbors("c", kStartMs + 11 * kDayMs, 10);
  ASSERT_EQ(of_c.size(), 1u);
  EXPECT_EQ(of_c[0].item, "b");
  EXPECT_NEAR(of_c[0].count, 2.0, 1e-6);  // a cart weighs 2
}

TEST(CoOccurrence, ViewsAndClicksDoNotCountAndForgettingEmptiesTheBasket) {
  CoOccurrence co;
  co.Apply(Bought("v", "a", kStartMs, EventType::kView));
  co.Apply(Bought("v", "b", kStartMs + 1, EventType::kClick));
  EXPECT_EQ(co.Count("a", kStartMs + 2), 0);
  co.Apply(Bought("v", "a", kStartMs + 3));
  co.ForgetVisitor("v");
  co.Apply(Bought("v", "b", kStartMs + 4));
  EXPECT_TRUE(co.Neighbors("b", kStartMs + 5, 10).empty()) << "the basket was forgotten";
}

CoOccurrenceOptions Views() {
  CoOccurrenceOptions options;
  options.source = CoSource::kViews;
  options.window_days = 1;
  options.max_basket = 5;
  return options;
}

TEST(CoOccurrence, ViewsSourceCountsViewsAndClicksOnly) {
  CoOccurrence co(Views());
  co.Apply(Bought("v", "a", kStartMs, EventType::kView));
  co.Apply(Bought("v", "b", kStartMs + 1, EventType::kClick));
  co.Apply(Bought("v", "c", kStartMs + 2, EventType::kAddToCart));
  co.Apply(Bought("v", "d", kStartMs + 3));  // a purchase
  EXPECT_NEAR(co.Count("a", kStartMs + 4), 1.0, 1e-6);
  EXPECT_EQ(co.Count("c", kStartMs + 4), 0);
  EXPECT_EQ(co.Count("d", kStartMs + 4), 0);
  std::vector<Neighbor> of_a = co.Neighbors("a", kStartMs + 4, 10);
  ASSERT_EQ(of_a.size(), 1u);
  EXPECT_EQ(of_a[0].item, "b");
  EXPECT_NEAR(of_a[0].count, 1.0, 1e-6);
  // A view the next day pairs with nothing of the day before.
  co.Apply(Bought("v", "e", kStartMs + 2 * kDayMs, EventType::kView));
  EXPECT_TRUE(co.Neighbors("e", kStartMs + 2 * kDayMs, 10).empty());
}

// Rows 1..4 of a table: a, b, c and d.
std::shared_ptr<const ItemTable> Table() {
  ItemTableBuilder builder;
  for (ItemTable::Row row = 1; row <= 4; ++row) {
    Product p;
    p.id = std::string(1, static_cast<char>('a' + row - 1));
    p.title = p.id;
    builder.Set(row, p);
  }
  return builder.Finish();
}

TEST(CoOccurrence, AffinityIsTheStrongestPairWithAnySeed) {
  CoOccurrence co(Views());
  int64_t t = kStartMs;
  // a and b are looked at together by three visitors; a and c by one of them; "gone" (not
  // in the table) with b.
  for (const char* visitor : {"x", "y", "z"}) {
    co.Apply(Bought(visitor, "a", t++, EventType::kView));
    co.Apply(Bought(visitor, "b", t++, EventType::kView));
  }
  co.Apply(Bought("x", "c", t++, EventType::kView));
  co.Apply(Bought("y", "gone", t++, EventType::kView));
  std::shared_ptr<const ItemTable> table = Table();
  const std::vector<ItemTable::Row> rows = {1, 2, 3, 4};  // a, b, c, d
  std::vector<float> out(rows.size(), -1);
  const std::vector<std::string> seeds = {"a"};
  co.Affinity(seeds, *table, rows, t, out);
  EXPECT_EQ(out[0], 0) << "a seed is not its own neighbour";
  // The cosine of the counts: a and b each viewed 3 times and paired 3 times (1), a and c
  // paired once, c viewed once.
  const double a_count = co.Count("a", t);
  EXPECT_NEAR(out[1], 3.0 / std::sqrt(a_count * co.Count("b", t)), 1e-5);
  EXPECT_NEAR(out[2], 1.0 / std::sqrt(a_count * co.Count("c", t)), 1e-5);
  EXPECT_EQ(out[3], 0) << "d was never looked at with a";
  EXPECT_NEAR(out[1], 1.0, 1e-5);
  EXPECT_GT(out[1], out[2]);
  // With c a seed too, c's own row stays at its pair with a, and b takes its best pair.
  const std::vector<std::string> two = {"a", "c"};
  co.Affinity(two, *table, rows, t, out);
  EXPECT_NEAR(out[0], 1.0 / std::sqrt(a_count * co.Count("c", t)), 1e-5) << "a as c's neighbour";
  EXPECT_NEAR(out[1], 3.0 / std::sqrt(a_count * co.Count("b", t)), 1e-5);
  EXPECT_GT(out[2], 0) << "c as a's neighbour";
  co.Affinity({}, *table, rows, t, out);
  EXPECT_EQ(out, std::vector<float>(4, 0)) << "no seeds, no affinity";
}

TEST(CoOccurrence, NeighboursPerItemAreCapped) {
  CoOccurrenceOptions options;
  options.max_neighbors = 3;
  options.max_basket = 50;
  CoOccurrence co(options);
  int64_t t = kStartMs;
  co.Apply(Bought("v", "hub", t++));
  for (int i = 0; i < 10; ++i) co.Apply(Bought("v", "x" + std::to_string(i), t++));
  EXPECT_EQ(co.Neighbors("hub", t, 100).size(), 3u);
}

}  // namespace
}  // namespace tailor::ranking
