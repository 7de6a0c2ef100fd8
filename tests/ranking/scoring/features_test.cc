#include "ranking/scoring/features.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "core/text.h"

namespace tailor::ranking {
namespace {

Product Item(std::string id, std::string brand, double price, std::map<std::string, long> sizes = {}) {
  Product product;
  product.id = std::move(id);
  product.title = brand + " Men Black Padded Parka Jacket";
  product.brand = std::move(brand);
  product.price = price;
  product.category = {"Men", "Jackets", "Parkas"};
  product.colors = {"Black"};
  product.sizes = std::move(sizes);
  return product;
}

std::shared_ptr<const ItemTable> Table(const std::vector<Product>& products) {
  ItemTableBuilder builder;
  for (size_t i = 0; i < products.size(); ++i) {
    builder.Set(static_cast<ItemTable::Row>(i + 1), products[i]);
  }
  return builder.Finish();
}

std::vector<Candidate> Candidates(size_t count) {
  std::vector<Candidate> candidates;
  for (size_t i = 0; i < count; ++i) {
    candidates.push_back({static_cast<ItemTable::Row>(i + 1), 10.0 - static_cast<double>(i),
                          static_cast<int>(i), true});
  }
  return candidates;
}

FeatureMatrix Features(const ProfileView* view, const ItemTable& table, std::string_view query,
                       size_t count) {
  PreparedProfile prepared(view, table, FeatureOptions{});
  return ComputeFeatures(prepared, query, Candidates(count));
}

TEST(Features, RegistryNamesAreUniqueAndIndexed) {
  const std::vector<std::string>& names = FeatureNames();
  ASSERT_EQ(names.size(), static_cast<size_t>(kFeatureCount));
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  EXPECT_EQ(FeatureIndex("brand_affinity"), kBrandAffinity);
  EXPECT_EQ(FeatureIndex("size_out"), kSizeOut);
  EXPECT_EQ(FeatureIndex("newness"), -1);
}

TEST(Features, TextFeaturesNormalizeTheScoreAndDiscountTheRank) {
  auto table = Table({Item("a", "Acme", 50), Item("b", "Borealis", 50)});
  FeatureMatrix m = Features(nullptr, *table, "parka", 2);
  EXPECT_FLOAT_EQ(m.at(0, kTextScore), 1.0f);
  EXPECT_FLOAT_EQ(m.at(1, kTextScore), 0.9f);
  EXPECT_FLOAT_EQ(m.at(0, kTextRank), 1.0f);
  EXPECT_FLOAT_EQ(m.at(1, kTextRank), static_cast<float>(1 / std::log2(3.0)));
  EXPECT_FLOAT_EQ(m.at(0, kStrict), 1.0f);
}

TEST(Features, QueryMatchesTitleBrandAndCategoryWithPlurals) {
  auto table = Table({Item("a", "Pepe Jeans", 50), Item("b", "Borealis", 50)});
  FeatureMatrix m = Features(nullptr, *table, "pepe jeans parkas", 2);
  // Title "Pepe Jeans Men Black Padded Parka Jacket": all three words, "parkas" by plural.
  EXPECT_FLOAT_EQ(m.at(0, kTitleMatch), 1.0f);
  EXPECT_FLOAT_EQ(m.at(1, kTitleMatch), 1.0f / 3);
  EXPECT_FLOAT_EQ(m.at(0, kBrandMatch), 1.0f);
  EXPECT_FLOAT_EQ(m.at(1, kBrandMatch), 0.0f);
  EXPECT_FLOAT_EQ(m.at(0, kCategoryMatch), 1.0f);
  EXPECT_FLOAT_EQ(Features(nullptr, *table, "pepe", 1).at(0, kBrandMatch), 0.0f)
      << "a brand of two words needs both";
}

Product Titled(std::string id, std::string title) {
  Product product = Item(std::move(id), "Acme", 50);
  product.title = std::move(title);
  return product;
}

TEST(Features, TitleMatchTakesPluralsEitherWayAndCountsEveryQueryWord) {
  auto table = Table({Titled("a", "Gift Box of Dresses")});
  auto title_match = [&](std::string_view query) {
    return Features(nullptr, *table, query, 1).at(0, kTitleMatch);
  };
  EXPECT_FLOAT_EQ(title_match("box dress"), 1.0f) << "\"dress\" + \"es\" is in the title";
  EXPECT_FLOAT_EQ(title_match("BOXES gifts"), 1.0f) << "the title has the singulars";
  EXPECT_FLOAT_EQ(title_match("gif"), 0.0f) << "a prefix is not a plural";
  EXPECT_FLOAT_EQ(title_match("box box zebra"), 2.0f / 3) << "repeated words count each time";
  EXPECT_FLOAT_EQ(title_match("Men's box"), 1.0f / 3) << "\"men s\": neither word is there";
  EXPECT_FLOAT_EQ(title_match("!!"), 0.0f) << "no words";
}

TEST(Features, BrandAndCategoryWordsAreReadAsTitleWords) {
  Product levis = Item("a", "Levi's", 50);
  levis.category = {"Men", "Tops/Tees"};
  Product symbols = Item("b", "***", 50);
  auto table = Table({levis, symbols});
  auto feature = [&](std::string_view query, int row, Feature f) {
    return Features(nullptr, *table, query, 2).at(row, f);
  };
  EXPECT_FLOAT_EQ(feature("LEVI'S jeans", 0, kBrandMatch), 1.0f) << "words \"levi s\"";
  EXPECT_FLOAT_EQ(feature("levis", 0, kBrandMatch), 0.0f) << "\"s\" is a word of the brand";
  EXPECT_FLOAT_EQ(feature("*** tees", 1, kBrandMatch), 0.0f) << "a brand without words";
  EXPECT_FLOAT_EQ(feature("tee", 0, kCategoryMatch), 1.0f);
  EXPECT_FLOAT_EQ(feature("men", 0, kCategoryMatch), 1.0f) << "the root level";
  EXPECT_FLOAT_EQ(feature("tops", 0, kCategoryMatch), 0.0f)
      << "a level is what follows the path's last '/'";
}

TEST(Features, WithoutAProfileEveryProfileFeatureIsZero) {
  auto table = Table({Item("a", "Acme", 50, {{"M", 0}})});
  FeatureMatrix m = Features(nullptr, *table, "parka", 1);
  for (Feature f : {kBrandAffinity, kCategoryAffinity, kColorAffinity, kPriceFit,
                    kPriceAboveLevel, kSensitivityXDiscount, kSizeIn, kSizeOut, kSeen, kInCart,
                    kBought}) {
    EXPECT_EQ(m.at(0, f), 0.0f) << FeatureNames()[f];
  }
}

TEST(Features, AffinitiesComeFromTheProfile) {
  auto table = Table({Item("a", "Acme", 50), Item("b", "Borealis", 50)});
  ProfileView view;
  view.events = 3;
  view.brands.push_back({"borealis", "Borealis", 0.4, 2});
  view.categories.push_back({"men", "Men", 0.5, 2});
  view.categories.push_back({"men/jackets", "Men/Jackets", 0.3, 1});
  view.colors.push_back({"black", "Black", 0.25, 1});
  FeatureMatrix m = Features(&view, *table, "parka", 2);
  EXPECT_FLOAT_EQ(m.at(0, kBrandAffinity), 0.0f);
  EXPECT_FLOAT_EQ(m.at(1, kBrandAffinity), 0.4f);
  // The root level counts half: max(0.5 * 0.5, 0.3).
  EXPECT_FLOAT_EQ(m.at(0, kCategoryAffinity), 0.3f);
  EXPECT_FLOAT_EQ(m.at(0, kColorAffinity), 0.25f);
}

TEST(Features, OfEntriesWithOneKeyTheProfilesLastCounts) {
  auto table = Table({Item("a", "Acme", 100), Item("b", "Borealis", 100)});
  ProfileView view;
  view.events = 3;
  view.brands.push_back({"acme", "Acme", 0.4, 2});
  view.brands.push_back({"nobody", "Nobody", 0.9, 2});
  view.brands.push_back({"acme", "ACME", 0.2, 1});
  view.price_levels.push_back({"", "", std::log(100.0), 0.3, 1});
  view.price_levels.push_back({"", "", std::log(100.0), 0.3, 3});
  view.price_levels.push_back({"Men", "men", std::log(50.0), 0.3, 3});
  view.price_levels.push_back({"Men", "men", std::log(100.0), 0.3, 9});
  FeatureMatrix m = Features(&view, *table, "", 2);
  EXPECT_FLOAT_EQ(m.at(0, kBrandAffinity), 0.2f);
  EXPECT_FLOAT_EQ(m.at(1, kBrandAffinity), 0.0f);
  EXPECT_NEAR(m.at(0, kPriceFit), 9.0 / 12, 1e-6) << "the top category's last level, z = 0";

  view.price_levels.resize(2);  // overall levels only: the last one
  EXPECT_NEAR(Features(&view, *table, "", 1).at(0, kPriceFit), 0.5, 1e-6);
}

TEST(Features, PriceFitPeaksAtTheVisitorsLevelAndCountsSpreadsAbove) {
  auto table = Table({Item("at", "A", 100), Item("above", "A", 100 * std::exp(0.9))});
  ProfileView view;
  view.events = 3;
  view.price_levels.push_back({"", "", std::log(100.0), 0.3, 3});
  view.price_sensitivity = 0.8;
  FeatureMatrix m = Features(&view, *table, "", 2);
  EXPECT_NEAR(m.at(0, kPriceFit), 0.5, 1e-6);  // confidence 3 / (3 + 3), z = 0
  EXPECT_NEAR(m.at(1, kPriceFit), 0.5 * std::exp(-4.5), 1e-6);  // z = 3
  EXPECT_NEAR(m.at(0, kPriceAboveLevel), 0, 1e-6);
  EXPECT_NEAR(m.at(1, kPriceAboveLevel), 2, 1e-5);
}

// Items in two categories, socks around 10 and watches around 1000: a visitor who bought
// socks at twice their category's median is at home with watches at twice theirs.
TEST(Features, RelativePriceFitComparesPricesWithinTheirCategory) {
  auto in = [](std::string id, std::string leaf, double price) {
    Product product = Item(std::move(id), "A", price);
    product.category = {"Men", std::move(leaf)};
    return product;
  };
  auto table = Table({in("sock-1", "Socks", 5), in("sock-2", "Socks", 10), in("sock-3", "Socks", 20),
                      in("watch-1", "Watches", 500), in("watch-2", "Watches", 1000),
                      in("watch-3", "Watches", 2000)});
  ASSERT_NEAR(*table->category_median_log_price(table->FindKey(ItemTable::kCategory, "men/socks")),
              std::log(10.0), 1e-9);
  ProfileView view;
  view.events = 3;
  view.purchases.push_back({"sock-3", 20, "", 1, 1});  // twice the median, weight 3
  FeatureMatrix m = Features(&view, *table, "", 6);
  const double confidence = 3.0 / (3 + 3);
  EXPECT_NEAR(m.at(5, kRelativePriceFit), confidence, 1e-6) << "watch-3: twice its median";
  EXPECT_NEAR(m.at(2, kRelativePriceFit), confidence, 1e-6);
  // watch-2 sits at its median: z = -log 2 / 0.1 (the spread's floor).
  const double z = -std::log(2.0) / 0.1;
  EXPECT_NEAR(m.at(4, kRelativePriceFit), confidence * std::exp(-z * z / 2), 1e-6);
  EXPECT_EQ(m.at(4, kRelativePriceAbove), 0.0f);
  FeatureMatrix none = Features(nullptr, *table, "", 6);
  EXPECT_EQ(none.at(5, kRelativePriceFit), 0.0f);
}

TEST(Features, RelativePriceLevelWeighsViewsCartAndPurchases) {
  auto table = Table({Item("a", "A", 10), Item("b", "A", 40)});  // one category: median 10 or 40
  ProfileView view;
  view.events = 2;
  view.recent_views.push_back({"a", 10, "", 0, 1});
  view.cart.push_back({"b", 40, "M", 1, 1});
  FeatureMatrix m = Features(&view, *table, "", 2);
  // The category's median (the upper middle of two) is log 40, so the view is at r = -log 4
  // (weight 1) and the cart item at r = 0 (weight 2): a weighted mean and mean deviation.
  const double mean = -std::log(4.0) / 3;
  const double spread = (std::abs(-std::log(4.0) - mean) * 1 + std::abs(0 - mean) * 2) / 3;
  const double z = (0 - mean) / spread;
  EXPECT_NEAR(m.at(1, kRelativePriceFit), 3.0 / 6 * std::exp(-z * z / 2), 1e-5);
}

TEST(Features, DiscountAndSensitivity) {
  Product reduced = Item("r", "A", 60);
  reduced.list_price = 80;
  auto table = Table({reduced});
  ProfileView view;
  view.events = 1;
  view.price_sensitivity = 0.8;
  FeatureMatrix m = Features(&view, *table, "", 1);
  EXPECT_FLOAT_EQ(m.at(0, kDiscount), 0.25f);
  EXPECT_FLOAT_EQ(m.at(0, kSensitivityXDiscount), 0.2f);
  EXPECT_FLOAT_EQ(Features(nullptr, *table, "", 1).at(0, kDiscount), 0.25f);
}

TEST(Features, SizeInOutAndUnknown) {
  auto table = Table({Item("has", "A", 50, {{"M", 3}, {"L", 0}}),
                      Item("sold-out", "A", 50, {{"M", 0}, {"L", 2}}),
                      Item("shoe", "A", 50, {{"UK8", 1}}), Item("unsized", "A", 50)});
  ProfileView view;
  view.events = 1;
  view.sizes.push_back({"letter", "m", "M", 1.0, 4});
  FeatureMatrix m = Features(&view, *table, "", 4);
  EXPECT_EQ(m.at(0, kSizeIn), 1.0f);
  EXPECT_EQ(m.at(0, kSizeOut), 0.0f);
  EXPECT_EQ(m.at(1, kSizeIn), 0.0f);
  EXPECT_EQ(m.at(1, kSizeOut), 1.0f);
  for (int row : {2, 3}) {
    EXPECT_EQ(m.at(row, kSizeIn), 0.0f);
    EXPECT_EQ(m.at(row, kSizeOut), 0.0f) << "no size of the visitor in that system: unknown";
  }
  PreparedProfile prepared(&view, *table, FeatureOptions{});
  EXPECT_EQ(prepared.FitOf(2), SizeFit::kOutOfSize);
  EXPECT_STREQ(SizeFitName(prepared.FitOf(1)), "in_size");
}

TEST(Features, SizeFitPerSystemOfTheVisitor) {
  auto table = Table({Item("shoe-fits", "A", 50, {{"M", 0}, {"UK8", 2}}),
                      Item("letter-only", "A", 50, {{"M", 0}, {"L", 3}}),
                      Item("numeric", "A", 50, {{"32", 1}})});
  ProfileView view;
  view.events = 1;
  view.sizes.push_back({"letter", "m", "M", 0.6, 3});
  view.sizes.push_back({"letter", "xxxl", "XXXL", 0.4, 2});  // no item has it
  view.sizes.push_back({"shoe_uk", "uk8", "UK8", 1.0, 3});
  view.sizes.push_back({"numeric", "32", "32", 0.1, 1});  // below min_size_share
  PreparedProfile prepared(&view, *table, FeatureOptions{});
  EXPECT_EQ(prepared.FitOf(1), SizeFit::kInSize);
  EXPECT_EQ(prepared.FitOf(2), SizeFit::kOutOfSize);
  EXPECT_EQ(prepared.FitOf(3), SizeFit::kUnknown);
  PreparedProfile every_size(&view, *table, FeatureOptions{.min_size_share = 0});
  EXPECT_EQ(every_size.FitOf(3), SizeFit::kInSize);

  view.sizes.erase(view.sizes.begin());  // letter system: only a size no item has
  EXPECT_EQ(PreparedProfile(&view, *table, FeatureOptions{}).FitOf(2), SizeFit::kOutOfSize);
}

TEST(Features, SizeColumnsRecordFitOfAndFitOfIsThreadSafe) {
  std::vector<Product> products;
  for (int i = 0; i < 40; ++i) {
    const long units = i % 3;
    products.push_back(Item("p" + std::to_string(i), "A", 50,
                            {{i % 2 == 0 ? "M" : "UK" + std::to_string(6 + i % 4), units}}));
  }
  auto table = Table(products);
  ProfileView view;
  view.events = 1;
  view.sizes.push_back({"letter", "m", "M", 1.0, 3});
  view.sizes.push_back({"shoe_uk", "uk7", "UK7", 1.0, 3});
  const PreparedProfile prepared(&view, *table, FeatureOptions{});
  std::vector<std::vector<SizeFit>> fits(4);
  std::vector<std::thread> threads;
  for (std::vector<SizeFit>& out : fits) {
    threads.emplace_back([&prepared, &out] {
      for (ItemTable::Row row = 1; row <= 40; ++row) out.push_back(prepared.FitOf(row));
    });
  }
  for (std::thread& thread : threads) thread.join();
  FeatureMatrix m = ComputeFeatures(prepared, "", Candidates(40));
  for (int i = 0; i < 40; ++i) {
    const SizeFit fit = fits[0][i];
    for (const std::vector<SizeFit>& other : fits) EXPECT_EQ(other[i], fit) << i;
    EXPECT_EQ(m.at(i, kSizeIn), fit == SizeFit::kInSize ? 1.0f : 0.0f) << i;
    EXPECT_EQ(m.at(i, kSizeOut), fit == SizeFit::kOutOfSize ? 1.0f : 0.0f) << i;
  }
  EXPECT_EQ(fits[0][0], SizeFit::kOutOfSize);  // "M", none in stock
  EXPECT_EQ(fits[0][2], SizeFit::kInSize);     // "M", 2 units
}

TEST(Features, SeenInCartAndBought) {
  auto table = Table({Item("seen", "A", 50), Item("cart", "A", 50), Item("bought", "A", 50),
                      Item("other", "A", 50)});
  ProfileView view;
  view.events = 3;
  view.recent_views.push_back({"seen", 50, "", 0, 1});
  view.cart.push_back({"cart", 50, "M", 1, 1});
  view.purchases.push_back({"bought", 50, "", 1, 1});
  FeatureMatrix m = Features(&view, *table, "", 4);
  EXPECT_EQ(m.at(0, kSeen), 1.0f);
  EXPECT_EQ(m.at(1, kInCart), 1.0f);
  EXPECT_EQ(m.at(2, kBought), 1.0f);
  EXPECT_EQ(m.at(3, kSeen) + m.at(3, kInCart) + m.at(3, kBought), 0.0f);
}

TEST(Features, CatalogValuesWithMissingFlags) {
  Product known = Item("known", "A", 50);
  known.popularity = std::exp(2.0) - 1;
  known.rating = 4.5;
  known.margin = 0.3;
  known.stock = 0;
  auto table = Table({known, Item("unknown", "A", 50)});
  FeatureMatrix m = Features(nullptr, *table, "", 2);
  EXPECT_NEAR(m.at(0, kPopularity), 2.0, 1e-5);
  EXPECT_EQ(m.at(0, kPopularityMissing), 0.0f);
  EXPECT_FLOAT_EQ(m.at(0, kRating), 4.5f);
  EXPECT_FLOAT_EQ(m.at(0, kMargin), 0.3f);
  EXPECT_EQ(m.at(0, kInStock), 0.0f);
  EXPECT_EQ(m.at(0, kStock), 0.0f);
  EXPECT_EQ(m.at(1, kPopularityMissing), 1.0f);
  EXPECT_EQ(m.at(1, kRatingMissing), 1.0f);
  EXPECT_EQ(m.at(1, kMarginMissing), 1.0f);
  EXPECT_EQ(m.at(1, kInStock), 1.0f) << "unknown stock counts as in stock";
}

// The issue-10 features: re-visits, closeness to the last views, brand concentration and the
// event popularity a candidate carries.

Product InLeaf(Product product, std::string leaf) {
  product.category.back() = std::move(leaf);
  return product;
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
  FeatureMatrix m = Features(&view, *table, "", 3);
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
  auto table = Table({Item("seen-1", "Acme", 100), InLeaf(Item("seen-2", "Borealis", 100), "Boots"),
                      Item("same", "Acme", 125), Item("far", "Acme", 1000),
                      InLeaf(Item("boots", "Cirrus", 100), "Boots")});
  ProfileView view;
  view.events = 2;
  view.recent_views = {Viewed("seen-1", 100, 2, 1), Viewed("seen-2", 100, 1, 1)};
  FeatureMatrix m = Features(&view, *table, "", 5);
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
  const float loyal_value = Features(&loyal, *table, "", 1).at(0, kBrandConcentration);
  const float browser_value = Features(&browser, *table, "", 1).at(0, kBrandConcentration);
  EXPECT_FLOAT_EQ(loyal_value, 9.0f / 12.0f) << "one brand: 1, times confidence 9 / (9 + 3)";
  EXPECT_FLOAT_EQ(browser_value, (1.0f / 3) * 9.0f / 12.0f);
  EXPECT_FLOAT_EQ(Features(&loyal, *table, "", 1).at(0, kBrandXConcentration), 0.75f * loyal_value);
}

// event_popularity and co_viewed are filled by the server (Candidate); the features copy them.
TEST(PersonalFeatures, EventPopularityAndCoViewedAreTheCandidatesOwnValues) {
  auto table = Table({Item("a", "Acme", 100), Item("b", "Acme", 100)});
  std::vector<Candidate> candidates = Candidates(2);
  candidates[0].event_popularity = 2.5f;
  candidates[1].co_viewed = 0.75f;
  PreparedProfile none(nullptr, *table, FeatureOptions{});
  FeatureMatrix m = ComputeFeatures(none, "", candidates);
  EXPECT_FLOAT_EQ(m.at(0, kEventPopularity), 2.5f);
  EXPECT_FLOAT_EQ(m.at(1, kEventPopularity), 0.0f);
  EXPECT_FLOAT_EQ(m.at(0, kCoViewed), 0.0f);
  EXPECT_FLOAT_EQ(m.at(1, kCoViewed), 0.75f);
  EXPECT_EQ(FeatureNames()[kCoViewed], "co_viewed");
  EXPECT_FLOAT_EQ(m.at(0, kViewCount), 0.0f) << "no profile, no profile features";
}

// A first phase computes only what its model reads: those columns equal the full
// computation's, and the query-word matches and re-visit features are skipped unless read.
TEST(PersonalFeatures, ARestrictedComputationMatchesTheFullOneOnWhatItNeeds) {
  auto table = Table({Item("a", "Acme", 100), Item("b", "Borealis", 200), Item("c", "Acme", 90)});
  ProfileView view;
  view.events = 6;
  view.brands = {{"acme", "Acme", 0.6, 5}};
  view.recent_views = {Viewed("c", 90, 0, 2)};
  PreparedProfile prepared(&view, *table, FeatureOptions{});
  const std::vector<Candidate> candidates = Candidates(3);
  const FeatureMatrix full = ComputeFeatures(prepared, "acme parka", candidates);
  const std::vector<std::string> names = {"text_score", "brand_affinity", "seen", "size_out",
                                          "no_such_feature"};
  const FeatureSet needed = FeatureSetOf(names);
  EXPECT_EQ(needed.count(), 4u) << "an unknown name is left out";
  const FeatureMatrix part = ComputeFeatures(prepared, "acme parka", candidates, needed);
  ASSERT_EQ(part.rows, 3);
  for (int row = 0; row < 3; ++row) {
    for (int f : {kTextScore, kBrandAffinity, kSeen, kSizeOut}) {
      EXPECT_FLOAT_EQ(part.at(row, f), full.at(row, f)) << FeatureNames()[f] << " row " << row;
    }
    EXPECT_EQ(part.at(row, kTitleMatch), 0) << "no query-word matching";
    EXPECT_EQ(part.at(row, kLastViewsBrand), 0) << "no closeness to the last views";
  }
  EXPECT_GT(full.at(0, kTitleMatch), 0);
  EXPECT_GT(full.at(0, kLastViewsBrand), 0) << "a shares c's brand";
  EXPECT_EQ(part.at(2, kSeen), 1);
  const FeatureSet with_views = FeatureSetOf(std::vector<std::string>{"last_views_brand"});
  EXPECT_FLOAT_EQ(
      ComputeFeatures(prepared, "acme parka", candidates, with_views).at(0, kLastViewsBrand),
      full.at(0, kLastViewsBrand));
}

}  // namespace
}  // namespace tailor::ranking
