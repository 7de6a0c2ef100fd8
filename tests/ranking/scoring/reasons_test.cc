#include "ranking/scoring/reasons.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ranking/scoring/features.h"

namespace tailor::ranking {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::shared_ptr<const ItemTable> Table() {
  Product parka;
  parka.id = "p1";
  parka.title = "Puma Parka";
  parka.brand = "Puma";
  parka.price = 1200;
  parka.category = {"Men", "Jackets", "Parkas"};
  parka.colors = {"Blue"};
  parka.sizes = {{"M", 3}, {"L", 0}};
  Product other = parka;
  other.id = "p2";
  ItemTableBuilder builder;
  builder.Set(1, parka);
  builder.Set(2, other);
  return builder.Finish();
}

ProfileView Visitor() {
  ProfileView view;
  view.events = 6;
  view.brands = {{"puma", "Puma", 0.5, 6}};
  view.colors = {{"blue", "Blue", 0.4, 3}};
  view.sizes = {{"letter", "m", "M", 1.0, 4}};
  ProfileView::ItemRef seen;
  seen.item = "p2";
  seen.views = 3;
  view.recent_views = {seen};
  ProfileView::PriceLevel level;
  level.category = "Men";
  level.key = "men";
  level.mean_log_price = std::log(1200.0);
  level.weight = 5;
  view.price_levels = {level};
  return view;
}

TEST(Reasons, NameTheStrongestContributionsInWords) {
  auto table = Table();
  ProfileView view = Visitor();
  std::vector<float> features(kFeatureCount, 0);
  features[kBrandAffinity] = 0.5;
  features[kSizeIn] = 1;
  features[kPriceFit] = 0.9;
  features[kColorAffinity] = 0.4;
  std::vector<double> contributions(kFeatureCount, 0);
  contributions[kBrandAffinity] = 0.8;
  contributions[kSizeIn] = 0.5;
  contributions[kPriceFit] = 0.3;
  contributions[kColorAffinity] = -0.2;  // pushed it down: not a reason
  std::vector<std::string> reasons = ReasonsFor(*table, 1, features, contributions, &view);
  EXPECT_THAT(reasons, ElementsAre("Puma, a brand you looked at 3 times", "in your size M",
                                   "near the price you usually pay in Men (about 1,200)"));
}

TEST(Reasons, OutOfSizeComesFirstAndReVisitsCountTimes) {
  auto table = Table();
  ProfileView view = Visitor();
  std::vector<float> features(kFeatureCount, 0);
  features[kSizeOut] = 1;
  features[kViewCount] = 1.386f;
  std::vector<std::string> reasons = ReasonsFor(*table, 2, features, {}, &view);
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[0], "not in stock in your size");
  EXPECT_EQ(reasons[1], "you looked at it 3 times");
}

}  // namespace
}  // namespace tailor::ranking
