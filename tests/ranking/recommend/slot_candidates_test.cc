#include "ranking/recommend/slot_candidates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tailor::ranking {
namespace {

constexpr int64_t kNowMs = 1764500000000;

Product Item(std::string id, std::string brand, std::vector<std::string> category, double price,
             std::string color) {
  Product p;
  p.id = std::move(id);
  p.title = p.id;
  p.brand = std::move(brand);
  p.category = std::move(category);
  p.price = price;
  p.colors = {std::move(color)};
  return p;
}

// Rows 1..5: two parkas (the seed and a look-alike of another brand), a same-brand parka at
// another price, a scarf, and a drink bought again and again.
std::shared_ptr<const ItemTable> Table() {
  ItemTableBuilder builder;
  builder.Set(1, Item("seed", "Puma", {"Men", "Jackets", "Parkas"}, 100, "Blue"));
  builder.Set(2, Item("alike", "Nike", {"Men", "Jackets", "Parkas"}, 110, "Blue"));
  builder.Set(3, Item("dear", "Puma", {"Men", "Jackets", "Parkas"}, 400, "Red"));
  builder.Set(4, Item("scarf", "Puma", {"Men", "Accessories", "Scarves"}, 20, "Blue"));
  builder.Set(5, Item("cola", "Fizz", {"Food", "Beverages"}, 2, "Red"));
  return builder.Finish();
}

std::vector<ItemTable::Row> RowsOf(const std::vector<Candidate>& candidates) {
  std::vector<ItemTable::Row> rows;
  for (const Candidate& c : candidates) rows.push_back(c.row);
  return rows;
}

Event Bought(std::string visitor, std::string item, int64_t at_ms) {
  Event event;
  event.type = EventType::kPurchase;
  event.visitor = std::move(visitor);
  event.item = std::move(item);
  event.timestamp_ms = at_ms;
  return event;
}

TEST(SlotCandidates, SlotTypesReadBackAndUnknownOnesAreNamed) {
  for (const char* name : {"also_bought", "complements", "reduced", "similar"}) {
    Result<SlotType> type = ParseSlotType(name);
    ASSERT_TRUE(type.ok()) << name;
    EXPECT_STREQ(SlotTypeName(*type), name);
  }
  Result<SlotType> unknown = ParseSlotType("bestsellers");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message,
            "type: unknown \"bestsellers\" (also_bought, complements, reduced, similar)");
}

TEST(SlotCandidates, SimilarAddsWhatACandidateSharesWithItsSeed) {
  std::shared_ptr<const ItemTable> items = Table();
  // The scarf matches the text best, but the look-alike shares category, colour and price,
  // and the dear parka category and brand.
  const std::vector<std::pair<ItemTable::Row, double>> hits = {{4, 10.0}, {2, 8.0}, {3, 8.0}};
  std::vector<Candidate> candidates = SimilarCandidates(*items, hits, {1});
  ASSERT_EQ(candidates.size(), 3u);
  EXPECT_THAT(RowsOf(candidates), ::testing::ElementsAre(2u, 3u, 4u));
  EXPECT_NEAR(candidates[1].text_score, 0.8 + 0.5 + 0.2, 1e-9);
  EXPECT_NEAR(candidates[2].text_score, 1.0 + 0.2 + 0.1, 1e-9);
  // 0.8 of the best text score + 0.5 category + 0.1 colour + 0.2 price band.
  EXPECT_NEAR(candidates[0].text_score, 0.8 + 0.5 + 0.1 + 0.2, 1e-9);
  EXPECT_EQ(candidates[0].text_rank, 0);
  EXPECT_EQ(candidates[2].text_rank, 2);
  SimilarityWeights text_only{0, 0, 0, 0, 0.3};
  EXPECT_THAT(RowsOf(SimilarCandidates(*items, hits, {1}, text_only)),
              ::testing::ElementsAre(4u, 2u, 3u));
}

TEST(SlotCandidates, ReducedHoldsViewedItemsNowCheaperOnce) {
  std::shared_ptr<const ItemTable> items = Table();
  ProfileView profile;
  for (auto [id, seen] : {std::pair{"seed", 125.0}, {"alike", 110.0}, {"seed", 125.0},
                          {"dear", 404.0}}) {
    profile.recent_views.push_back({});
    profile.recent_views.back().item = id;
    profile.recent_views.back().price_seen = seen;
  }
  std::vector<Candidate> candidates = ReducedCandidates(*items, profile);
  // seed: 20 % cheaper; dear: under 1 % cheaper, not a drop; alike: the same price.
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].row, 1u);
  EXPECT_NEAR(candidates[0].text_score, 0.2, 1e-9);
}

TEST(SlotCandidates, BasketSeedsAreTheCartAndForAlsoBoughtThePurchases) {
  std::shared_ptr<const ItemTable> items = Table();
  ProfileView profile;
  profile.cart.push_back({});
  profile.cart.back().item = "scarf";
  profile.purchases.push_back({});
  profile.purchases.back().item = "seed";
  profile.purchases.push_back({});
  profile.purchases.back().item = "not-in-the-catalog";
  EXPECT_THAT(BasketSeeds(*items, profile, SlotType::kAlsoBought),
              ::testing::ElementsAre(4u, 1u));
  EXPECT_THAT(BasketSeeds(*items, profile, SlotType::kComplements), ::testing::ElementsAre(4u));
}

TEST(SlotCandidates, ComplementsLeaveOutTheSeedsCategoriesAndAlsoBoughtTopsUp) {
  std::shared_ptr<const ItemTable> items = Table();
  CoOccurrence co;
  co.Apply(Bought("v", "seed", kNowMs - 3000));
  co.Apply(Bought("v", "alike", kNowMs - 2000));
  co.Apply(Bought("v", "scarf", kNowMs - 1000));
  co.Apply(Bought("w", "dear", kNowMs - 500));
  std::vector<Candidate> complements =
      BasketCandidates(*items, co, {1}, kNowMs, 10, SlotType::kComplements, 10);
  EXPECT_THAT(RowsOf(complements), ::testing::ElementsAre(4u)) << "the parka is the same kind";
  std::vector<Candidate> also = BasketCandidates(*items, co, {1}, kNowMs, 10,
                                                 SlotType::kAlsoBought, 10);
  ASSERT_EQ(also.size(), 3u);  // the two neighbours, then the other parka as a bestseller
  EXPECT_EQ(also[2].row, 3u);
  EXPECT_GT(also[1].text_score, 0.01);
  EXPECT_LE(also[2].text_score, 0.01);
  std::vector<Candidate> enough = BasketCandidates(*items, co, {1}, kNowMs, 10,
                                                   SlotType::kAlsoBought, 2);
  EXPECT_EQ(enough.size(), 2u) << "no top-up when the neighbours fill the slot";
}

TEST(SlotCandidates, RepurchaseCategoriesMatchAnyLevelOfThePath) {
  std::shared_ptr<const ItemTable> items = Table();
  const std::string food(items->Key(ItemTable::kCategory, items->categories(5).front()));
  const std::string beverages(items->Key(ItemTable::kCategory, items->categories(5).back()));
  EXPECT_TRUE(Repurchased(*items, 5, {beverages}));
  EXPECT_TRUE(Repurchased(*items, 5, {"other", food}));
  EXPECT_FALSE(Repurchased(*items, 1, {beverages}));
  EXPECT_FALSE(Repurchased(*items, 5, {}));
}

}  // namespace
}  // namespace tailor::ranking
