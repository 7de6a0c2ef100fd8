// The features of issue 10 on hand-made cases: re-visits, closeness to the last views,
// brand concentration and the event popularity a candidate carries.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "ranking/features.h"

namespace tailor::ranking {
namespace {

Product Item(std::string id, std::string brand, double price, std::string leaf = "Parkas") {
  Product product;
  product.id = std::move(id);
  product.title = brand + " " + leaf;
  product.brand = std::move(brand);
  product.price = price;
  product.category = {"Men", "Jackets", std::move(leaf)};
  return product;
}

std::shared_ptr<const ItemTable> Table(const std::vector<Product>& products) {
  ItemTableBuilder builder;
  for (size_t i = 0; i < products.size(); ++i) {
    builder.Set(static_cast<ItemTable::Row>(i + 1), products[i]);
  }
  return builder.Finish();
}

std::vector<Candidate> All(size_t count) {
  std::vector<Candidate> candidates;
  for (size_t i = 0; i < count; ++i) {
    candidates.push_back({static_cast<ItemTable::Row>(i + 1), 1.0, static_cast<int>(i), true});
  }
  return candidates;
}

FeatureMatrix Features(const ProfileView& view, const ItemTable& table, size_t count) {
  PreparedProfile prepared(&view, table, FeatureOptions{});
  return ComputeFeatures(prepared, "", All(count));
}

ProfileView::ItemRef Viewed(std::string item, double price, int64_t at_ms, int views) {
  ProfileView::ItemRef ref;
  ref.item = std::move(item);
  ref.price_seen = price;
  ref.at_ms = at_ms;
  ref.views = views;
  return ref;
}

constexpr int64_t kHour = 3600 * 1000;

TEST(PersonalFeatures, ReVisitsCountHowOftenHowRecentlyAndInThisSession) {
  auto table = Table({Item("a", "Acme", 100), Item("b", "Acme", 100), Item("c", "Acme", 100)});
  ProfileView view;
  view.events = 5;
  view.updated_ms = 10 * kHour;
  // Newest first: b (a minute ago, once), a (three hours ago, four times); c never.
  view.recent_views = {Viewed("b", 100, 10 * kHour - 60000, 1), Viewed("a", 100, 7 * kHour, 4)};
  FeatureMatrix m = Features(view, *table, 3);
  EXPECT_FLOAT_EQ(m.at(0, kViewCount), static_cast<float>(std::log1p(4.0)));
  EXPECT_FLOAT_EQ(m.at(1, kViewCount), static_cast<float>(std::log1p(1.0)));
  EXPECT_FLOAT_EQ(m.at(2, kViewCount), 0.0f);
  EXPECT_FLOAT_EQ(m.at(1, kViewRecency), 1.0f) << "the item looked at last";
  EXPECT_FLOAT_EQ(m.at(0, kViewRecency), 0.5f);
  EXPECT_FLOAT_EQ(m.at(2, kViewRecency), 0.0f);
  EXPECT_FLOAT_EQ(m.at(1, kViewedThisSession), 1.0f);
  EXPECT_FLOAT_EQ(m.at(0, kViewedThisSession), 0.0f) << "three hours before the latest event";
}

TEST(PersonalFeatures, ClosenessComparesWithTheLastViewsLeavingTheItemItselfOut) {
  auto table = Table({Item("seen-1", "Acme", 100), Item("seen-2", "Borealis", 100, "Boots"),
                      Item("same", "Acme", 125), Item("far", "Acme", 1000),
                      Item("boots", "Cirrus", 100, "Boots")});
  ProfileView view;
  view.events = 2;
  view.recent_views = {Viewed("seen-1", 100, 2, 1), Viewed("seen-2", 100, 1, 1)};
  FeatureMatrix m = Features(view, *table, 5);
  // "same": one of two last views is an Acme parka at 100.
  EXPECT_FLOAT_EQ(m.at(2, kLastViewsBrand), 0.5f);
  EXPECT_FLOAT_EQ(m.at(2, kLastViewsCategory), 0.5f);
  EXPECT_NEAR(m.at(2, kLastViewsPrice), std::exp(-std::log(1.25) / 0.25), 1e-5);
  EXPECT_LT(m.at(3, kLastViewsPrice), 0.001f) << "ten times the price seen";
  EXPECT_FLOAT_EQ(m.at(4, kLastViewsBrand), 0.0f);
  EXPECT_FLOAT_EQ(m.at(4, kLastViewsCategory), 0.5f);
  // A viewed item is compared with the other view only.
  EXPECT_FLOAT_EQ(m.at(0, kLastViewsBrand), 0.0f);
  EXPECT_FLOAT_EQ(m.at(0, kLastViewsCategory), 0.0f);
}

TEST(PersonalFeatures, BrandConcentrationTellsALoyalShopperFromABrowser) {
  auto table = Table({Item("a", "Acme", 100)});
  ProfileView loyal;
  loyal.events = 9;
  loyal.brands = {{"acme", "Acme", 0.75, 9}};
  ProfileView browser;
  browser.events = 9;
  browser.brands = {{"acme", "Acme", 0.25, 3}, {"borealis", "Borealis", 0.25, 3},
                    {"cirrus", "Cirrus", 0.25, 3}};
  const float loyal_value = Features(loyal, *table, 1).at(0, kBrandConcentration);
  const float browser_value = Features(browser, *table, 1).at(0, kBrandConcentration);
  EXPECT_FLOAT_EQ(loyal_value, 9.0f / 12.0f) << "one brand: 1, times confidence 9 / (9 + 3)";
  EXPECT_FLOAT_EQ(browser_value, (1.0f / 3) * 9.0f / 12.0f);
  EXPECT_FLOAT_EQ(Features(loyal, *table, 1).at(0, kBrandXConcentration), 0.75f * loyal_value);
}

TEST(PersonalFeatures, EventPopularityIsTheCandidatesOwnValueWithOrWithoutAProfile) {
  auto table = Table({Item("a", "Acme", 100), Item("b", "Acme", 100)});
  std::vector<Candidate> candidates = All(2);
  candidates[0].event_popularity = 2.5f;
  PreparedProfile none(nullptr, *table, FeatureOptions{});
  FeatureMatrix m = ComputeFeatures(none, "", candidates);
  EXPECT_FLOAT_EQ(m.at(0, kEventPopularity), 2.5f);
  EXPECT_FLOAT_EQ(m.at(1, kEventPopularity), 0.0f);
  EXPECT_FLOAT_EQ(m.at(0, kViewCount), 0.0f) << "no profile, no profile features";
}

}  // namespace
}  // namespace tailor::ranking
