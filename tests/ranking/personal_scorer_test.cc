#include "ranking/personal_scorer.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cmath>

#include "core/text.h"

namespace tailor::ranking {
namespace {

Product Item(std::string id, std::string brand, double price, std::map<std::string, long> sizes) {
  Product product;
  product.id = std::move(id);
  product.title = product.id;
  product.brand = std::move(brand);
  product.price = price;
  product.category = {"Men", "Jackets"};
  product.colors = {"black"};
  product.sizes = std::move(sizes);
  return product;
}

std::shared_ptr<const ItemTable> Table(const std::vector<Product>& products) {
  ItemTableBuilder builder;
  for (size_t i = 0; i < products.size(); ++i) builder.Set(static_cast<ItemTable::Row>(i + 1), products[i]);
  return builder.Finish();
}

std::vector<Candidate> Candidates(size_t count, double score = 10) {
  std::vector<Candidate> candidates;
  for (size_t i = 0; i < count; ++i) {
    candidates.push_back({static_cast<ItemTable::Row>(i + 1), score, static_cast<int>(i), true});
  }
  return candidates;
}

std::vector<size_t> Ranked(const ProfileView& view, const ItemTable& table,
                           const std::vector<Candidate>& candidates) {
  PersonalScorer scorer(view, table, PersonalWeights{});
  return scorer.Order(candidates, scorer.Score(candidates));
}

ProfileView LikesBrand(const std::string& key, double affinity) {
  ProfileView view;
  view.events = 1;
  view.brands.push_back({key, key, affinity, 2});
  return view;
}

ProfileView WearsSize(const std::string& size, double share = 1.0) {
  ProfileView view;
  view.events = 1;
  view.sizes.push_back({std::string(SizeSystemOf(size)), NormalizeKeyword(size), size, share, 4});
  return view;
}

TEST(PersonalScorer, ALikedBrandMovesAboveAnEquallyRelevantOne) {
  auto table = Table({Item("a", "Acme", 50, {}), Item("b", "Borealis", 50, {})});
  EXPECT_EQ(Ranked(LikesBrand("borealis", 0.4), *table, Candidates(2)),
            (std::vector<size_t>{1, 0}));
  PersonalScorer scorer(LikesBrand("borealis", 0.4), *table, PersonalWeights{});
  std::vector<PersonalScore> scores = scorer.Score(Candidates(2));
  EXPECT_DOUBLE_EQ(scores[1].brand, 0.4);
  EXPECT_DOUBLE_EQ(scores[0].brand, 0.0);
  EXPECT_DOUBLE_EQ(scores[1].text, 1.0);
  EXPECT_DOUBLE_EQ(scores[1].score, 1.0 + 0.6 * 0.4);
}

TEST(PersonalScorer, AnEmptyProfileKeepsTheTextOrder) {
  auto table = Table({Item("a", "A", 10, {}), Item("b", "B", 20, {}), Item("c", "C", 30, {})});
  std::vector<Candidate> candidates = Candidates(3);
  candidates[0].text_score = 9;
  candidates[1].text_score = 8;
  candidates[2].text_score = 8;
  EXPECT_EQ(Ranked(ProfileView{}, *table, candidates), (std::vector<size_t>{0, 1, 2}));
}

TEST(PersonalScorer, StrictMatchesStayAboveRelaxedOnes) {
  auto table = Table({Item("a", "Acme", 50, {}), Item("b", "Borealis", 50, {})});
  std::vector<Candidate> candidates = Candidates(2);
  candidates[1].strict = false;
  EXPECT_EQ(Ranked(LikesBrand("borealis", 0.9), *table, candidates), (std::vector<size_t>{0, 1}));
}

TEST(PersonalScorer, OutOfSizeItemsGoBelowInSizeAndUnknownOnes) {
  auto table = Table({Item("no-m", "Fav", 50, {{"S", 3}, {"M", 0}}),
                      Item("shoes", "Other", 50, {{"UK7", 2}}),
                      Item("has-m", "Other", 50, {{"M", 1}}),
                      Item("bag", "Other", 50, {})});
  ProfileView view = WearsSize("M");
  view.brands.push_back({"fav", "Fav", 0.9, 20});
  std::vector<Candidate> candidates = Candidates(4);
  candidates[0].text_score = 30;  // the best text match and the favourite brand
  std::vector<size_t> order = Ranked(view, *table, candidates);
  EXPECT_EQ(order.back(), 0u);
  EXPECT_EQ(order.front(), 2u);
  PersonalScorer scorer(view, *table, PersonalWeights{});
  EXPECT_EQ(scorer.FitOf(1), SizeFit::kOutOfSize);
  EXPECT_EQ(scorer.FitOf(2), SizeFit::kUnknown);  // shoes: no shoe size known
  EXPECT_EQ(scorer.FitOf(3), SizeFit::kInSize);
  EXPECT_EQ(scorer.FitOf(4), SizeFit::kUnknown);
}

TEST(PersonalScorer, ASmallShareIsNotTheVisitorsSize) {
  auto table = Table({Item("no-m", "A", 50, {{"S", 3}})});
  PersonalScorer scorer(WearsSize("M", 0.1), *table, PersonalWeights{});
  EXPECT_EQ(scorer.FitOf(1), SizeFit::kUnknown);
}

TEST(PersonalScorer, SoldOutItemsGoLast) {
  Product sold_out = Item("gone", "A", 50, {});
  sold_out.stock = 0;
  auto table = Table({sold_out, Item("here", "A", 50, {})});
  std::vector<Candidate> candidates = Candidates(2);
  candidates[0].text_score = 20;
  EXPECT_EQ(Ranked(LikesBrand("a", 0.1), *table, candidates), (std::vector<size_t>{1, 0}));
}

TEST(PersonalScorer, PriceFitPrefersTheVisitorsLevel) {
  auto table = Table({Item("dear", "A", 400, {}), Item("usual", "A", 50, {})});
  ProfileView view;
  view.events = 10;
  view.price_levels.push_back({"", "", std::log(50.0), 0.2, 10});
  PersonalScorer scorer(view, *table, PersonalWeights{});
  std::vector<PersonalScore> scores = scorer.Score(Candidates(2));
  EXPECT_NEAR(scores[1].price, 10.0 / 13.0, 1e-9);  // right at the level: the confidence
  EXPECT_LT(scores[0].price, 0);                     // far above, for a neutral visitor
  EXPECT_EQ(Ranked(view, *table, Candidates(2)), (std::vector<size_t>{1, 0}));
}

TEST(PersonalScorer, DiscountsLiftReducedItemsForSensitiveVisitorsOnly) {
  Product reduced = Item("reduced", "A", 50, {});
  reduced.list_price = 100;
  auto table = Table({Item("full", "A", 50, {}), reduced});
  ProfileView hunter = LikesBrand("a", 0.1);
  hunter.price_sensitivity = 1.0;
  EXPECT_EQ(Ranked(hunter, *table, Candidates(2)), (std::vector<size_t>{1, 0}));
  ProfileView indifferent = LikesBrand("a", 0.1);
  indifferent.price_sensitivity = 0.0;
  PersonalScorer scorer(indifferent, *table, PersonalWeights{});
  EXPECT_DOUBLE_EQ(scorer.Score(Candidates(2))[1].discount, 0.0);
  EXPECT_EQ(Ranked(indifferent, *table, Candidates(2)), (std::vector<size_t>{0, 1}));
}

TEST(PersonalScorer, CategoryRootCountsHalf) {
  auto table = Table({Item("a", "A", 50, {})});
  ProfileView view;
  view.events = 1;
  view.categories.push_back({"men", "Men", 0.6, 3});
  PersonalScorer scorer(view, *table, PersonalWeights{});
  EXPECT_DOUBLE_EQ(scorer.Score(Candidates(1))[0].category, 0.3);
  view.categories.push_back({"men/jackets", "Men/Jackets", 0.5, 2});
  PersonalScorer deeper(view, *table, PersonalWeights{});
  EXPECT_DOUBLE_EQ(deeper.Score(Candidates(1))[0].category, 0.5);
}

TEST(ParsePersonalWeights, NamesTheKeyPath) {
  rapidjson::Document json;
  json.Parse(R"({"brand": -1})");
  EXPECT_EQ(ParsePersonalWeights(json).error().message, "personalization.brand: must be >= 0");
  json.Parse(R"({"depth": 0})");
  EXPECT_EQ(ParsePersonalWeights(json).error().message, "personalization.depth: must be >= 1");
  json.Parse(R"({"min_size_share": 0.5, "size": 2})");
  ASSERT_TRUE(ParsePersonalWeights(json).ok());
  EXPECT_EQ(ParsePersonalWeights(json)->size, 2);
}

}  // namespace
}  // namespace tailor::ranking
