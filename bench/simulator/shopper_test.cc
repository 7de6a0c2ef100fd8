#include "bench/simulator/shopper.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cmath>
#include <string>
#include <vector>

#include "bench/simulator/catalog_model.h"
#include "bench/simulator/fake_server.h"
#include "bench/simulator/simulation.h"

namespace tailor::simulator {
namespace {

Product Shirt(const std::string& id, const std::string& brand, std::map<std::string, long> sizes,
              double price = 1000) {
  Product product;
  product.id = id;
  product.title = brand + " Men Shirt";
  product.price = price;
  product.brand = brand;
  product.category = {"Men", "Topwear", "Shirts"};
  product.colors = {"Blue"};
  product.sizes = std::move(sizes);
  return product;
}

// 120 shirts of two brands: even ones in stock in every size, odd ones in none.
Catalog ShirtCatalog() {
  std::vector<Product> products;
  for (int i = 0; i < 120; ++i) {
    const long units = i % 2 == 0 ? 5 : 0;
    products.push_back(Shirt("p" + std::to_string(i), i % 4 < 2 ? "Alpha" : "Beta",
                             {{"S", units}, {"M", units}, {"L", units}}));
  }
  return BuildCatalog(std::move(products));
}

TEST(Shopper, UtilityPrefersTheFavouriteBrand) {
  const Catalog catalog = ShirtCatalog();
  Visitor visitor = MakeVisitor(catalog, World{}, 7, 0);
  visitor.brands = {"Alpha"};
  double alpha = 0, beta = 0;
  for (size_t i = 0; i < catalog.products.size(); ++i) {
    (catalog.products[i].brand == "Alpha" ? alpha : beta) +=
        Utility(catalog, World{}, visitor, 7, i);
  }
  // Same prices, colours and category: the brand is the only systematic difference.
  EXPECT_GT(alpha / 60 - beta / 60, 1.0);
}

TEST(Shopper, VisitorsDrawBrandsAndSizesFromTheCatalog) {
  const Catalog catalog = ShirtCatalog();
  for (int index = 0; index < 20; ++index) {
    const Visitor visitor = MakeVisitor(catalog, World{}, 3, index);
    ASSERT_FALSE(visitor.brands.empty());
    for (const std::string& brand : visitor.brands) {
      EXPECT_TRUE(brand == "Alpha" || brand == "Beta") << brand;
    }
    ASSERT_EQ(visitor.sizes.count("letter"), 1u);
    const std::string& size = visitor.sizes.at("letter");
    EXPECT_TRUE(size == "S" || size == "M" || size == "L") << size;
  }
}

TEST(Shopper, OutOfSizeItemsAreClickedButNeverCarted) {
  const Catalog catalog = ShirtCatalog();
  std::vector<std::string> page;
  for (int i = 0; i < 10; ++i) page.push_back("p" + std::to_string(i));
  FakeServer server(page);
  SimulationOptions options;
  options.world.min_sessions = options.world.max_sessions = 30;
  options.world.min_searches = options.world.max_searches = 3;
  for (int visitor = 0; visitor < 10; ++visitor) {
    ASSERT_TRUE(SimulateVisitor(catalog, options, visitor, server).ok());
  }
  int odd_clicks = 0, even_carts = 0;
  for (const FakeServer::Event& event : server.events()) {
    const bool odd = std::stoi(event.item.substr(1)) % 2 == 1;
    if (event.type == "click" && odd) ++odd_clicks;
    if (event.type == "add_to_cart" || event.type == "purchase") {
      EXPECT_FALSE(odd) << event.type << " of out-of-size " << event.item;
      ++even_carts;
    }
    EXPECT_FALSE(event.request_id.empty());
  }
  EXPECT_GT(odd_clicks, 0);
  EXPECT_GT(even_carts, 0);
}

TEST(Shopper, ExaminationFollowsTheEtaLaw) {
  EXPECT_DOUBLE_EQ(ExaminationProbability(0, 1.0), 1.0);
  EXPECT_DOUBLE_EQ(ExaminationProbability(1, 1.0), 0.5);
  EXPECT_DOUBLE_EQ(ExaminationProbability(3, 2.0), 1.0 / 16);
  EXPECT_DOUBLE_EQ(ExaminationProbability(9, 0.0), 1.0);

  // The same out-of-size item at every position: clicks per position follow (1/(p+1))^eta.
  const Catalog catalog = ShirtCatalog();
  FakeServer server(std::vector<std::string>(10, "p1"));
  SimulationOptions options;
  options.world.eta = 1.0;
  options.world.min_sessions = options.world.max_sessions = 50;
  options.world.min_searches = options.world.max_searches = 10;
  for (int visitor = 0; visitor < 40; ++visitor) {
    ASSERT_TRUE(SimulateVisitor(catalog, options, visitor, server).ok());
  }
  std::vector<double> clicks(10, 0);
  for (const FakeServer::Event& event : server.events()) {
    if (event.type == "click") clicks[event.position] += 1;
  }
  ASSERT_GT(clicks[0], 500);
  EXPECT_NEAR(clicks[1] / clicks[0], 0.5, 0.08);
  EXPECT_NEAR(clicks[3] / clicks[0], 0.25, 0.06);
}

TEST(Shopper, SameSeedSameTrafficOtherSeedOther) {
  const Catalog catalog = ShirtCatalog();
  auto run = [&](uint64_t seed) {
    FakeServer server({"p0", "p2", "p1", "p4", "p6"});
    SimulationOptions options;
    options.seed = seed;
    EXPECT_TRUE(SimulateVisitor(catalog, options, 4, server).ok());
    return server.log();
  };
  EXPECT_EQ(run(11), run(11));
  EXPECT_NE(run(11), run(12));
}

TEST(Shopper, TrueNdcgIsOneForTheIdealOrder) {
  const Catalog catalog = ShirtCatalog();
  const Visitor visitor = MakeVisitor(catalog, World{}, 5, 0);
  const Query query{"shirts", "Shirts", -1, ""};
  std::vector<std::pair<double, long>> scored;
  for (size_t i = 0; i < catalog.products.size(); ++i) {
    const bool fits = SizeToBuy(catalog, visitor, i).has_value();
    scored.push_back(
        {fits ? GainOf(Utility(catalog, World{}, visitor, 5, i), fits) : 0, static_cast<long>(i)});
  }
  std::sort(scored.rbegin(), scored.rend());
  std::vector<long> best, worst;
  for (size_t i = 0; i < 10; ++i) {
    best.push_back(scored[i].second);
    worst.push_back(scored[scored.size() - 1 - i].second);
  }
  if (scored.front().first == 0) GTEST_SKIP() << "no relevant item for this visitor";
  EXPECT_DOUBLE_EQ(TrueNdcgAtK(catalog, World{}, visitor, 5, query, best, 10), 1.0);
  EXPECT_LT(TrueNdcgAtK(catalog, World{}, visitor, 5, query, worst, 10), 0.5);
}

}  // namespace
}  // namespace tailor::simulator
