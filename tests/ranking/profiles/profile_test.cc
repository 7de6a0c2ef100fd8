#include "ranking/profiles/profile.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <sstream>
#include <thread>

namespace tailor::ranking {
namespace {

constexpr int64_t kT0 = 1795000000000;  // epoch ms
constexpr int64_t kHour = 3600 * 1000;

Event ItemEvent(EventType type, const std::string& visitor, const std::string& item,
                const std::string& brand, double price, int64_t at = kT0) {
  Event event;
  event.type = type;
  event.visitor = visitor;
  event.item = item;
  event.timestamp_ms = at;
  event.facts = ItemFacts{brand, {"Men", "Jackets", "Parkas"}, {"black"}, {"S", "M", "L"},
                          price, price};
  return event;
}

double BrandAffinity(const ProfileView& view, const std::string& key) {
  for (const auto& brand : view.brands) {
    if (brand.key == key) return brand.affinity;
  }
  return 0;
}

double BrandWeight(const ProfileView& view, const std::string& key) {
  for (const auto& brand : view.brands) {
    if (brand.key == key) return brand.weight;
  }
  return 0;
}

TEST(ProfileStore, OneClickGivesShrunkAffinity) {
  ProfileStore store(ProfileOptions{});
  store.Apply(ItemEvent(EventType::kClick, "v", "P1", "Puma", 50));
  std::optional<ProfileView> view = store.View("v", kT0);
  ASSERT_TRUE(view.has_value());
  EXPECT_NEAR(BrandAffinity(*view, "puma"), 2.0 / (2.0 + 3.0), 1e-6);
  EXPECT_EQ(view->brands[0].display, "Puma");
  for (int i = 0; i < 9; ++i) store.Apply(ItemEvent(EventType::kClick, "v", "P1", "Puma", 50));
  double ten_clicks = BrandAffinity(*store.View("v", kT0), "puma");
  EXPECT_NEAR(ten_clicks, 20.0 / 23.0, 1e-5);
  EXPECT_LT(ten_clicks, 1.0);
}

TEST(ProfileStore, WeightsHalveAfterOneHalfLifeAndOrderDoesNotMatter) {
  ProfileOptions options;
  options.half_life_hours = 10;
  ProfileStore forward(options), backward(options);
  std::vector<Event> events;
  for (int i = 0; i < 5; ++i) {
    events.push_back(ItemEvent(EventType::kView, "v", "P" + std::to_string(i), "Acme", 10,
                               kT0 + i * 3 * kHour));
  }
  for (const Event& e : events) forward.Apply(e);
  for (auto it = events.rbegin(); it != events.rend(); ++it) backward.Apply(*it);
  const int64_t later = kT0 + 20 * kHour;
  const double now_weight = BrandWeight(*forward.View("v", later), "acme");
  EXPECT_NEAR(now_weight, BrandWeight(*backward.View("v", later), "acme"), 1e-4);
  EXPECT_NEAR(BrandWeight(*forward.View("v", later + 10 * kHour), "acme"), now_weight / 2, 1e-4);
  // The first event alone, seen one half-life later, counts half.
  ProfileStore single(options);
  single.Apply(events[0]);
  EXPECT_NEAR(BrandWeight(*single.View("v", kT0 + 10 * kHour), "acme"), 0.5, 1e-5);
}

TEST(ProfileStore, EventTypesWeighInOrderAndRemoveFromCartSubtracts) {
  ProfileStore store(ProfileOptions{});
  store.Apply(ItemEvent(EventType::kView, "v", "P1", "ViewBrand", 10));
  store.Apply(ItemEvent(EventType::kClick, "v", "P2", "ClickBrand", 10));
  store.Apply(ItemEvent(EventType::kAddToCart, "v", "P3", "CartBrand", 10));
  store.Apply(ItemEvent(EventType::kPurchase, "v", "P4", "BuyBrand", 10));
  ProfileView view = *store.View("v", kT0);
  EXPECT_LT(BrandWeight(view, "viewbrand"), BrandWeight(view, "clickbrand"));
  EXPECT_LT(BrandWeight(view, "clickbrand"), BrandWeight(view, "cartbrand"));
  EXPECT_LT(BrandWeight(view, "cartbrand"), BrandWeight(view, "buybrand"));
  store.Apply(ItemEvent(EventType::kRemoveFromCart, "v", "P3", "CartBrand", 10));
  EXPECT_NEAR(BrandWeight(*store.View("v", kT0), "cartbrand"), 1.0, 1e-5);  // 4 - 3
}

TEST(ProfileStore, EveryCategoryLevelAndColoursShareTheWeight) {
  ProfileStore store(ProfileOptions{});
  Event event = ItemEvent(EventType::kClick, "v", "P1", "Acme", 10);
  event.facts->colors = {"Red", "Blue"};
  store.Apply(event);
  ProfileView view = *store.View("v", kT0);
  ASSERT_EQ(view.categories.size(), 3u);
  std::vector<std::string> keys;
  for (const auto& category : view.categories) keys.push_back(category.key);
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"men", "men/jackets", "men/jackets/parkas"}));
  ASSERT_EQ(view.colors.size(), 2u);
  EXPECT_NEAR(view.colors[0].weight, 1.0, 1e-6);  // click weight 2 over two colours
}

TEST(ProfileStore, PriceLevelFollowsEngagedPricesAndResistsAnOutlier) {
  ProfileStore store(ProfileOptions{});
  for (int i = 0; i < 20; ++i) {
    store.Apply(ItemEvent(EventType::kView, "v", "P" + std::to_string(i), "Acme",
                          i % 2 == 0 ? 90 : 110));
  }
  ProfileView before = *store.View("v", kT0);
  ASSERT_GE(before.price_levels.size(), 2u);
  EXPECT_TRUE(before.price_levels[0].key.empty());  // overall first
  EXPECT_NEAR(before.price_levels[0].typical_price(), 100, 8);
  EXPECT_EQ(before.price_levels[1].key, "men");
  store.Apply(ItemEvent(EventType::kView, "v", "X", "Acme", 100000));
  ProfileView after = *store.View("v", kT0);
  EXPECT_LT(after.price_levels[0].typical_price(), 140) << "one outlier moved the level too far";
}

TEST(ProfileStore, SensitivityRisesForDiscountHuntersAndFallsForPremiumBuyers) {
  ProfileStore store(ProfileOptions{});
  for (int i = 0; i < 10; ++i) {
    Event reduced = ItemEvent(EventType::kClick, "hunter", "P" + std::to_string(i), "Acme", 50);
    reduced.facts->list_price = 100;
    store.Apply(reduced);
  }
  for (int i = 0; i < 5; ++i) store.Apply(ItemEvent(EventType::kClick, "premium", "C", "Acme", 50));
  for (int i = 0; i < 10; ++i) {
    store.Apply(ItemEvent(EventType::kClick, "premium", "E" + std::to_string(i), "Acme",
                          400 + 100 * i));
  }
  EXPECT_GT(store.View("hunter", kT0)->price_sensitivity, 0.7);
  EXPECT_LT(store.View("premium", kT0)->price_sensitivity, 0.4);
}

TEST(ProfileStore, SizesComeFromCartsPurchasesAndFiltersPerSystem) {
  ProfileStore store(ProfileOptions{});
  Event cart = ItemEvent(EventType::kAddToCart, "v", "P1", "Acme", 10);
  cart.size = "M";
  store.Apply(cart);
  Event shoes = ItemEvent(EventType::kPurchase, "v", "S1", "Acme", 10);
  shoes.size = "UK 9";
  store.Apply(shoes);
  Event filter;
  filter.type = EventType::kSizeFilter;
  filter.visitor = "v";
  filter.timestamp_ms = kT0;
  filter.sizes = {"L"};
  store.Apply(filter);
  ProfileView view = *store.View("v", kT0);
  ASSERT_EQ(view.sizes.size(), 3u);
  for (const auto& size : view.sizes) {
    if (size.display == "M") {
      EXPECT_NEAR(size.share, 4.0 / 5.0, 1e-6);
    }
    if (size.display == "L") {
      EXPECT_NEAR(size.share, 1.0 / 5.0, 1e-6);
    }
    if (size.display == "UK 9") {
      EXPECT_EQ(size.system, "shoe_uk");
      EXPECT_NEAR(size.share, 1.0, 1e-6);
    }
  }
}

TEST(SizeSystemOf, ClassifiesTheCatalogsLabels) {
  for (const char* size : {"M", "xl", "XXL", "3XL", "XS", "XXXS", "s"}) {
    EXPECT_EQ(SizeSystemOf(size), "letter") << size;
  }
  for (const char* size : {"UK7", "UK 7", "UK12C", "uk10"}) EXPECT_EQ(SizeSystemOf(size), "shoe_uk") << size;
  EXPECT_EQ(SizeSystemOf("EU42"), "shoe_eu");
  EXPECT_EQ(SizeSystemOf("EUR 42"), "shoe_eu");
  EXPECT_EQ(SizeSystemOf("US9.5"), "shoe_us");
  for (const char* size : {"5-6Y", "12Y", "3-6M", "18M"}) EXPECT_EQ(SizeSystemOf(size), "age") << size;
  for (const char* size : {"32/34", "32x34", "W32 L34", "W32L34"}) {
    EXPECT_EQ(SizeSystemOf(size), "waist_length") << size;
  }
  for (const char* size : {"32", "8", "42.5"}) EXPECT_EQ(SizeSystemOf(size), "numeric") << size;
  EXPECT_EQ(SizeSystemOf("Free Size"), "one_size");
  EXPECT_EQ(SizeSystemOf("Onesize"), "one_size");
  EXPECT_EQ(SizeSystemOf("petite"), "other");
  EXPECT_EQ(SizeSystemOf(""), "other");
}

TEST(ProfileStore, TracksViewsCartAndPurchases) {
  ProfileStore store(ProfileOptions{});
  store.Apply(ItemEvent(EventType::kView, "v", "A", "Acme", 30, kT0));
  store.Apply(ItemEvent(EventType::kView, "v", "B", "Acme", 40, kT0 + 1000));
  store.Apply(ItemEvent(EventType::kView, "v", "A", "Acme", 25, kT0 + 2000));
  Event add = ItemEvent(EventType::kAddToCart, "v", "C", "Acme", 10, kT0 + 3000);
  add.size = "M";
  add.quantity = 3;
  store.Apply(add);
  Event remove = add;
  remove.type = EventType::kRemoveFromCart;
  remove.quantity = 1;
  store.Apply(remove);
  ProfileView view = *store.View("v", kT0 + 4000);
  ASSERT_EQ(view.recent_views.size(), 2u);
  EXPECT_EQ(view.recent_views[0].item, "A");  // seen again last, with the new price
  EXPECT_EQ(view.recent_views[0].price_seen, 25);
  ASSERT_EQ(view.cart.size(), 1u);
  EXPECT_EQ(view.cart[0].quantity, 2);
  EXPECT_EQ(view.cart[0].size, "M");
  Event buy = add;
  buy.type = EventType::kPurchase;
  store.Apply(buy);
  view = *store.View("v", kT0 + 4000);
  EXPECT_TRUE(view.cart.empty());
  ASSERT_EQ(view.purchases.size(), 1u);
  EXPECT_EQ(view.purchases[0].item, "C");
}

TEST(ProfileStore, UnknownItemsStillCountAsViewsButTeachNoTaste) {
  ProfileStore store(ProfileOptions{});
  Event event = ItemEvent(EventType::kView, "v", "GONE", "", 0);
  event.facts.reset();
  store.Apply(event);
  ProfileView view = *store.View("v", kT0);
  EXPECT_TRUE(view.brands.empty());
  ASSERT_EQ(view.recent_views.size(), 1u);
  EXPECT_EQ(view.recent_views[0].item, "GONE");
}

TEST(ProfileStore, CapsEvictTheWeakestEntries) {
  ProfileOptions options;
  options.max_brands = 3;
  options.max_recent_views = 4;
  ProfileStore store(options);
  store.Apply(ItemEvent(EventType::kPurchase, "v", "P0", "Strong", 10));
  for (int i = 0; i < 6; ++i) {
    store.Apply(ItemEvent(EventType::kView, "v", "P" + std::to_string(i + 1),
                          "Weak" + std::to_string(i), 10, kT0 + i * 1000));
  }
  ProfileView view = *store.View("v", kT0 + 10000);
  ASSERT_EQ(view.brands.size(), 3u);
  EXPECT_EQ(view.brands[0].key, "strong");
  EXPECT_EQ(view.recent_views.size(), 4u);
  EXPECT_EQ(view.recent_views[0].item, "P6");
}

TEST(ProfileStore, TypicalProfileStaysUnderTwoKilobytes) {
  // 500 visitors, so that the hash buckets' share per profile is what it is at scale.
  ProfileStore store(ProfileOptions{});
  for (int i = 0; i < 200 * 500; ++i) {
    Event event = ItemEvent(i / 500 % 20 == 0 ? EventType::kAddToCart : EventType::kView,
                            "visitor-" + std::to_string(i % 500),
                            "item-" + std::to_string(i / 500 % 30),
                            "Brand" + std::to_string(i / 500 % 10), 20 + i / 500 % 50,
                            kT0 + i / 500 * 60000);
    const int n = i / 500;
    event.facts->category = {"Top" + std::to_string(n % 3), "Mid" + std::to_string(n % 5)};
    event.facts->colors = {"c" + std::to_string(n % 5)};
    if (event.type == EventType::kAddToCart) event.size = n % 40 == 0 ? "M" : "L";
    store.Apply(event);
  }
  ASSERT_EQ(store.size(), 500u);
  EXPECT_LE(store.ProfileBytes() / store.size(), 2048u);
}

TEST(ProfileStore, SaveAndLoadRoundTrip) {
  ProfileStore store(ProfileOptions{});
  store.Apply(ItemEvent(EventType::kClick, "a", "P1", "Puma", 50));
  Event cart = ItemEvent(EventType::kAddToCart, "b", "P2", "Nike", 70);
  cart.size = "L";
  store.Apply(cart);
  std::ostringstream out;
  store.Save(out);
  ProfileStore loaded(ProfileOptions{});
  std::istringstream in(out.str());
  ASSERT_TRUE(loaded.Load(in).ok());
  EXPECT_EQ(loaded.size(), 2u);
  for (const char* visitor : {"a", "b"}) {
    EXPECT_EQ(ProfileViewToJson(*loaded.View(visitor, kT0)),
              ProfileViewToJson(*store.View(visitor, kT0)));
  }
  std::string bytes = out.str();
  std::istringstream truncated(bytes.substr(0, bytes.size() - 5));
  ProfileStore broken(ProfileOptions{});
  Status status = broken.Load(truncated);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("snapshot: "), std::string::npos);
  std::istringstream garbage("XXXXjunk");
  EXPECT_EQ(ProfileStore(ProfileOptions{}).Load(garbage).error().message, "snapshot: bad magic");
}

TEST(ProfileStore, EraseForgetsOneVisitor) {
  ProfileStore store(ProfileOptions{});
  store.Apply(ItemEvent(EventType::kClick, "a", "P1", "Puma", 50));
  store.Apply(ItemEvent(EventType::kClick, "b", "P1", "Puma", 50));
  EXPECT_TRUE(store.Erase("a"));
  EXPECT_FALSE(store.Erase("a"));
  EXPECT_FALSE(store.View("a", kT0).has_value());
  EXPECT_TRUE(store.View("b", kT0).has_value());
}

TEST(ProfileStore, ConcurrentUpdatesLoseNothing) {
  ProfileStore store(ProfileOptions{}, 4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 500; ++i) {
        Event add = ItemEvent(EventType::kAddToCart, t % 2 == 0 ? "shared" : "own" + std::to_string(t),
                              "P", "Acme", 10);
        store.Apply(add);
        store.View("shared", kT0);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(store.View("shared", kT0)->cart[0].quantity, 1000);
  EXPECT_EQ(store.View("own1", kT0)->cart[0].quantity, 500);
  EXPECT_EQ(store.View("own3", kT0)->cart[0].quantity, 500);
}

TEST(ProfileViewToJson, IsValidJsonAPersonCanRead) {
  ProfileStore store(ProfileOptions{});
  store.Apply(ItemEvent(EventType::kClick, "v", "P1", "Puma \"Pro\"", 50));
  rapidjson::Document json;
  json.Parse(ProfileViewToJson(*store.View("v", kT0)).c_str());
  ASSERT_FALSE(json.HasParseError());
  EXPECT_STREQ(json["visitor"].GetString(), "v");
  EXPECT_STREQ(json["brands"][0]["brand"].GetString(), "Puma \"Pro\"");
  EXPECT_DOUBLE_EQ(json["brands"][0]["affinity"].GetDouble(), 0.4);
  EXPECT_NEAR(json["price"]["overall"]["typical"].GetDouble(), 50, 1e-3);
  EXPECT_STREQ(json["updated_at"].GetString(), "2026-11-18T11:06:40.000Z");
}

TEST(ParseProfileOptions, NamesTheKeyPath) {
  rapidjson::Document json;
  json.Parse(R"({"half_life_hours": 0})");
  EXPECT_EQ(ParseProfileOptions(json).error().message, "profiles.half_life_hours: must be > 0");
  json.Parse(R"({"remove_from_cart_weight": 2})");
  EXPECT_EQ(ParseProfileOptions(json).error().message,
            "profiles.remove_from_cart_weight: must be at most 0");
  json.Parse(R"({"max_brands": 0})");
  EXPECT_EQ(ParseProfileOptions(json).error().message, "profiles.max_brands: must be >= 1");
  json.Parse(R"({"colour_weight": 1})");
  EXPECT_EQ(ParseProfileOptions(json).error().message, "profiles.colour_weight: unknown key");
  json.Parse(R"({"view_weight": 0.5})");
  ASSERT_TRUE(ParseProfileOptions(json).ok());
  EXPECT_EQ(ParseProfileOptions(json)->view_weight, 0.5);
}

}  // namespace
}  // namespace tailor::ranking
