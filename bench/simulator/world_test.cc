#include "bench/simulator/world.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bench/simulator/catalog_model.h"
#include "bench/simulator/fake_server.h"
#include "bench/simulator/report.h"
#include "bench/simulator/shopper.h"
#include "bench/simulator/simulation.h"

namespace tailor::simulator {
namespace {

Product Item(const std::string& id, std::vector<std::string> category, double price,
             std::map<std::string, long> sizes) {
  Product product;
  product.id = id;
  product.title = id;
  product.price = price;
  product.brand = "Alpha";
  product.category = std::move(category);
  product.colors = {"Blue"};
  product.sizes = std::move(sizes);
  return product;
}

// 120 men's shirts (letter sizes, 1000) and 120 men's watches (unsized, 10000), then 120
// boys' shirts in age sizes (500), all in stock; and 10 men's shirts sold out in every size,
// which are clicked but never bought.
Catalog MixedCatalog() {
  std::vector<Product> products;
  for (int i = 0; i < 10; ++i) {
    products.push_back(
        Item("gone" + std::to_string(i), {"Men", "Topwear", "Shirts"}, 1000, {{"M", 0}, {"L", 0}}));
  }
  for (int i = 0; i < 120; ++i) {
    const std::string n = std::to_string(i);
    products.push_back(Item("shirt" + n, {"Men", "Topwear", "Shirts"}, 1000, {{"M", 3}, {"L", 3}}));
    products.push_back(Item("watch" + n, {"Men", "Accessories", "Watches"}, 10000, {}));
    products.push_back(
        Item("boy" + n, {"Boys", "Topwear", "Shirts"}, 500, {{"5-6Y", 3}, {"7-8Y", 3}}));
  }
  return BuildCatalog(std::move(products));
}

std::vector<std::string> Page(const std::string& prefix, int n) {
  std::vector<std::string> page;
  for (int i = 0; i < n; ++i) page.push_back(prefix + std::to_string(i));
  return page;
}

TEST(World, ZeroIsTheFixedWorldOfOld) {
  const World zero = DrawWorld(0);
  EXPECT_EQ(DescribeWorld(zero), DescribeWorld(World{}));
  EXPECT_DOUBLE_EQ(zero.first_brand, 1.5);
  EXPECT_EQ(zero.click_model, ClickModel::kPositionBased);
  EXPECT_EQ(zero.min_sessions, 5);
  EXPECT_EQ(zero.max_searches, 3);
  EXPECT_DOUBLE_EQ(zero.revisit, 0);
}

TEST(World, DrawsAreDeterministicPerSeedAndDifferAcrossSeeds) {
  EXPECT_EQ(DescribeWorld(DrawWorld(7)), DescribeWorld(DrawWorld(7)));
  EXPECT_NE(DescribeWorld(DrawWorld(7)), DescribeWorld(DrawWorld(8)));
  std::set<std::vector<std::pair<std::string, std::string>>> distinct;
  for (uint64_t seed = 1; seed <= 50; ++seed) distinct.insert(DescribeWorld(DrawWorld(seed)));
  EXPECT_EQ(distinct.size(), 50u);
}

TEST(World, DrawsStayInTheirRangesAndCoverBothModels) {
  int cascades = 0, absolutes = 0;
  for (uint64_t seed = 1; seed <= 400; ++seed) {
    const World w = DrawWorld(seed);
    EXPECT_EQ(w.id, seed);
    EXPECT_GE(w.first_brand, 0.3);
    EXPECT_LE(w.first_brand, 2.0);
    EXPECT_LT(w.other_brand, w.first_brand);
    EXPECT_GE(w.max_brands, w.min_brands);
    EXPECT_LE(w.max_brands, 5);
    EXPECT_GE(w.color, 0.0);
    EXPECT_LE(w.color, 1.0);
    EXPECT_GE(w.revisit, 0.0);
    EXPECT_LE(w.revisit, 1.5);
    EXPECT_GE(w.eta, 0.6);
    EXPECT_LE(w.eta, 1.4);
    EXPECT_GE(w.cascade_stop, 0.3);
    EXPECT_LE(w.cascade_stop, 0.9);
    EXPECT_GE(w.parent_share, 0.1);
    EXPECT_LE(w.parent_share, 0.5);
    EXPECT_GE(w.min_sessions, 1);
    EXPECT_LE(w.max_sessions, 9);
    EXPECT_GE(w.max_sessions, w.min_sessions);
    EXPECT_GE(w.max_searches, w.min_searches);
    EXPECT_LE(w.one_click_share, 0.3);
    cascades += w.click_model == ClickModel::kCascade;
    absolutes += w.price_taste == PriceTaste::kAbsolute;
  }
  EXPECT_GT(cascades, 120);
  EXPECT_LT(cascades, 280);
  EXPECT_GT(absolutes, 120);
  EXPECT_LT(absolutes, 280);
}

TEST(PageScan, CascadeExaminesNothingBelowAStop) {
  World world;
  world.click_model = ClickModel::kCascade;
  world.cascade_stop = 0.5;
  world.cascade_patience = 0.9;
  PageScan scan(world);
  EXPECT_TRUE(scan.Examines(0, 0.99));  // examination does not read the draw
  scan.After(false, 0.5);               // 0.5 < patience: moves on
  EXPECT_TRUE(scan.Examines(1, 0.0));
  scan.After(true, 0.7);  // clicked, 0.7 >= stop: moves on
  EXPECT_TRUE(scan.Examines(2, 0.0));
  scan.After(true, 0.2);  // clicked, 0.2 < stop: stops
  for (int position = 3; position < 20; ++position) EXPECT_FALSE(scan.Examines(position, 0.0));

  PageScan impatient(world);
  impatient.After(false, 0.95);  // not clicked, 0.95 >= patience: leaves
  EXPECT_FALSE(impatient.Examines(1, 0.0));
}

TEST(PageScan, PositionBasedFollowsEtaAndNeverStops) {
  World world;
  world.eta = 1.0;
  PageScan scan(world);
  EXPECT_TRUE(scan.Examines(1, 0.49));
  EXPECT_FALSE(scan.Examines(1, 0.51));
  scan.After(true, 0.0);
  EXPECT_FALSE(scan.stopped());
  EXPECT_TRUE(scan.Examines(9, 0.05));
}

TEST(World, CascadeShoppersClickAtMostOncePerPageWhenAClickAlwaysStops) {
  const Catalog catalog = MixedCatalog();
  FakeServer server(Page("shirt", 20));
  SimulationOptions options;
  options.world.click_model = ClickModel::kCascade;
  options.world.cascade_stop = 1.0;
  options.world.cascade_patience = 1.0;
  for (int visitor = 0; visitor < 30; ++visitor) {
    ASSERT_TRUE(SimulateVisitor(catalog, options, visitor, server).ok());
  }
  std::map<std::string, int> clicks_per_page;
  long clicks = 0;
  for (const FakeServer::Event& event : server.events()) {
    if (event.type != "click") continue;
    ++clicks;
    EXPECT_EQ(++clicks_per_page[event.request_id], 1) << event.request_id;
  }
  EXPECT_GT(clicks, 50);
}

TEST(World, RevisitBoostAppliesOnlyToItemsViewedBefore) {
  const Catalog catalog = MixedCatalog();
  World world;
  world.revisit = 1.25;
  Visitor visitor = MakeVisitor(catalog, world, 3, 0);
  std::vector<double> before;
  for (size_t i = 0; i < catalog.products.size(); ++i) {
    before.push_back(Utility(catalog, world, visitor, 3, i));
  }
  visitor.viewed = {4, 9};
  for (size_t i = 0; i < catalog.products.size(); ++i) {
    const double expected = before[i] + (i == 4 || i == 9 ? 1.25 : 0.0);
    EXPECT_DOUBLE_EQ(Utility(catalog, world, visitor, 3, i), expected) << i;
  }
}

// Clicks on items the same visitor had clicked in an earlier search, over 20 visitors who
// are always shown the same 10 sold-out items (never bought, so never left out).
long ReClicks(const World& world) {
  const Catalog catalog = MixedCatalog();
  SimulationOptions options;
  options.world = world;
  long again = 0;
  for (int visitor = 0; visitor < 20; ++visitor) {
    FakeServer server(Page("gone", 10));
    EXPECT_TRUE(SimulateVisitor(catalog, options, visitor, server).ok());
    std::set<std::string> clicked;
    for (const FakeServer::Event& event : server.events()) {
      if (event.type == "click" && !clicked.insert(event.item).second) ++again;
    }
  }
  return again;
}

TEST(World, ShoppersComeBackToViewedItemsMoreWhenTheWorldSaysSo) {
  World none;
  World strong;
  strong.revisit = 1.5;
  EXPECT_GT(ReClicks(strong), ReClicks(none) + 20);
}

TEST(World, SessionLengthsAreDrawnPerVisitorWithinTheRanges) {
  const Catalog catalog = MixedCatalog();
  SimulationOptions options;
  options.world.min_sessions = 1;
  options.world.max_sessions = 4;
  options.world.min_searches = 1;
  options.world.max_searches = 3;
  std::set<size_t> lengths;
  for (int visitor = 0; visitor < 40; ++visitor) {
    FakeServer server(Page("watch", 5));
    ASSERT_TRUE(SimulateVisitor(catalog, options, visitor, server).ok());
    size_t searches = 0;
    for (const std::string& request : server.log()) searches += request.rfind("GET ", 0) == 0;
    EXPECT_GE(searches, 1u);
    EXPECT_LE(searches, 12u);
    lengths.insert(searches);
  }
  EXPECT_GE(lengths.size(), 4u);
}

TEST(World, OneClickVisitorsClickOnceThenMakeOneMeasuredSearch) {
  const Catalog catalog = MixedCatalog();
  SimulationOptions options;
  options.world.one_click_share = 1.0;
  long measured = 0;
  for (int visitor = 0; visitor < 30; ++visitor) {
    FakeServer server(Page("shirt", 10));
    Result<SimulationStats> stats = SimulateVisitor(catalog, options, visitor, server);
    ASSERT_TRUE(stats.ok());
    int clicks = 0;
    for (const FakeServer::Event& event : server.events()) {
      EXPECT_TRUE(event.type == "view" || event.type == "click") << event.type;
      clicks += event.type == "click";
    }
    EXPECT_LE(clicks, 1);
    EXPECT_EQ(stats->one_click_visitors, clicks);
    EXPECT_EQ(stats->first_session_ndcg_searches + stats->last_session_ndcg_searches, 0);
    measured += stats->one_click_ndcg_searches;
  }
  EXPECT_GT(measured, 10);
}

TEST(World, OnlyParentsKeepAKidsSizeAndParentsShopAKidsTop) {
  const Catalog catalog = MixedCatalog();
  World childless;
  childless.parent_share = 0;
  World parents;
  parents.parent_share = 1;
  parents.parent_kids_paths = 2;
  const int boys = catalog.TopIndex("Boys");
  int adults = 0;
  for (int index = 0; index < 60; ++index) {
    const Visitor lone = MakeVisitor(catalog, childless, 1, index);
    const Visitor parent = MakeVisitor(catalog, parents, 1, index);
    const bool kids_top = lone.top == boys;
    EXPECT_EQ(lone.sizes.count("age"), kids_top ? 1u : 0u);
    EXPECT_EQ(parent.sizes.count("age"), 1u);
    if (kids_top) continue;
    ++adults;
    bool shops_boys = false;
    for (int path : parent.interests) shops_boys |= catalog.paths[path].top_index == boys;
    EXPECT_TRUE(shops_boys) << index;
  }
  EXPECT_GT(adults, 20);
}

TEST(World, AbsolutePriceTasteReadsEachCategoryOnItsOwn) {
  const Catalog catalog = MixedCatalog();
  World relative;
  World absolute;
  absolute.price_taste = PriceTaste::kAbsolute;
  const size_t shirt = static_cast<size_t>(catalog.Find("shirt0"));
  const size_t watch = static_cast<size_t>(catalog.Find("watch0"));
  int differ = 0;
  for (int index = 0; index < 20; ++index) {
    const Visitor visitor = MakeVisitor(catalog, relative, 2, index);
    // Both sit at their path's median: the same relative price, so the same price term.
    auto price_term = [&](const World& world, size_t item) {
      return Utility(catalog, world, visitor, 2, item) -
             Utility(catalog, relative, visitor, 2, item);
    };
    EXPECT_DOUBLE_EQ(price_term(relative, shirt), 0.0);
    if (std::abs(price_term(absolute, shirt) - price_term(absolute, watch)) > 1e-6) ++differ;
  }
  EXPECT_GT(differ, 15);
}

TEST(Report, ComparisonHasRatiosOnlyAgainstVariantsItRan) {
  SimulationStats a;
  a.ndcg_sum = 3;
  a.ndcg_searches = 10;
  SimulationStats b = a;
  b.ndcg_sum = 6;
  const std::string with = FormatComparison({{"baseline", a}, {"default", b}});
  EXPECT_NE(with.find("ratio_vs_baseline              1.0000       2.0000"), std::string::npos)
      << with;
  EXPECT_EQ(with.find("ratio_vs_text"), std::string::npos);
  const std::string without = FormatComparison({{"text", a}, {"default", b}});
  EXPECT_EQ(without.find("ratio_vs_baseline"), std::string::npos);
  EXPECT_NE(without.find("ratio_vs_text"), std::string::npos);
}

}  // namespace
}  // namespace tailor::simulator
