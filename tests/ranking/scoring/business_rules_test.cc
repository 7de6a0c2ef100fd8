#include "ranking/scoring/business_rules.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tailor::ranking {
namespace {

Product Item(std::string id, std::string brand, std::vector<std::string> category = {"Men"},
             std::optional<double> margin = std::nullopt) {
  Product product;
  product.id = std::move(id);
  product.title = product.id;
  product.brand = std::move(brand);
  product.category = std::move(category);
  product.price = 50;
  product.margin = margin;
  return product;
}

std::shared_ptr<const ItemTable> Table(const std::vector<Product>& products) {
  ItemTableBuilder builder;
  for (size_t i = 0; i < products.size(); ++i) {
    builder.Set(static_cast<ItemTable::Row>(i + 1), products[i]);
  }
  return builder.Finish();
}

// One candidate per table row, in row order, all strict, text rank = row order.
std::vector<Candidate> Candidates(const ItemTable& items) {
  std::vector<Candidate> candidates;
  for (ItemTable::Row row = 1; row < items.rows(); ++row) {
    candidates.push_back({row, 10.0, static_cast<int>(row - 1), true});
  }
  return candidates;
}

// Descending model scores n, n-1, ..., 1: the model keeps the text order.
std::vector<double> Descending(size_t n) {
  std::vector<double> scores;
  for (size_t i = 0; i < n; ++i) scores.push_back(static_cast<double>(n - i));
  return scores;
}

// The variant "default" of a config whose variant body is `body`.
VariantConfig Variant(const std::string& body) {
  Result<ScoringConfig> config =
      ParseScoringConfig(R"({"variants": {"default": )" + body + "}}", "test.json", "/");
  EXPECT_TRUE(config.ok()) << config.error().message;
  return config.ok() ? config->variants()[0] : VariantConfig{};
}

VariantConfig WithRules(const std::string& rules, const std::string& guardrails = "{}") {
  return Variant(R"({"business": {"rules": [)" + rules + R"(]}, "guardrails": )" + guardrails +
                 "}");
}

struct Ranked {
  std::vector<std::string> ids;  // in the final order
  BusinessOutcome outcome;
};

Ranked Rank(const VariantConfig& variant, const ItemTable& items,
            const std::vector<Candidate>& candidates, const std::vector<double>& scores,
            const std::vector<SizeFit>& fits = {}, std::string_view query = "parka",
            int64_t now_ms = 1800000000000) {
  CompiledRules rules = Compile(variant, items);
  Ranked ranked;
  ranked.outcome = Apply(rules, items, candidates, scores, fits, query, now_ms);
  for (size_t i : ranked.outcome.order) ranked.ids.push_back(items.id(candidates[i].row));
  return ranked;
}

using Ids = std::vector<std::string>;

TEST(BusinessRules, NoRulesKeepTheModelOrder) {
  auto items = Table({Item("a", "A"), Item("b", "B"), Item("c", "C")});
  Ranked ranked = Rank(Variant("{}"), *items, Candidates(*items), {1, 3, 2});
  EXPECT_EQ(ranked.ids, (Ids{"b", "c", "a"}));
  EXPECT_DOUBLE_EQ(ranked.outcome.candidates[1].final_score, 3);
  EXPECT_TRUE(ranked.outcome.candidates[1].adjustments.empty());
}

TEST(BusinessRules, WithoutModelScoresTheTextOrderHolds) {
  auto items = Table({Item("a", "A"), Item("b", "B"), Item("c", "C")});
  std::vector<Candidate> candidates = Candidates(*items);
  candidates[0].text_rank = 2;
  candidates[2].text_rank = 0;
  EXPECT_EQ(Rank(Variant("{}"), *items, candidates, {}).ids, (Ids{"c", "b", "a"}));
}

TEST(BusinessRules, BoostMovesAnItemUp) {
  auto items = Table({Item("a", "Acme"), Item("b", "Acme"), Item("c", "Puma")});
  Ranked ranked =
      Rank(WithRules(
               R"({"name": "puma", "action": "boost", "weight": 2.5, "match": {"brand": "PUMA"}})"),
           *items, Candidates(*items), Descending(3));
  EXPECT_EQ(ranked.ids, (Ids{"c", "a", "b"}));
  const CandidateOutcome& puma = ranked.outcome.candidates[2];
  EXPECT_TRUE(puma.boosted);
  EXPECT_DOUBLE_EQ(puma.model_score, 1);
  EXPECT_DOUBLE_EQ(puma.final_score, 3.5);
  ASSERT_EQ(puma.adjustments.size(), 1u);
  EXPECT_EQ(puma.adjustments[0].rule, "puma");
  EXPECT_EQ(puma.adjustments[0].action, AdjustmentAction::kBoost);
  EXPECT_DOUBLE_EQ(puma.adjustments[0].delta, 2.5);
  EXPECT_FALSE(ranked.outcome.candidates[0].boosted);
}

TEST(BusinessRules, CategoryRuleMatchesThePathPrefix) {
  auto items = Table({Item("a", "A", {"Men", "Shoes"}), Item("b", "B", {"Women", "Shoes", "Boots"}),
                      Item("c", "C", {"Women", "Bags"})});
  Ranked ranked =
      Rank(WithRules(R"({"action": "boost", "weight": 5, "match": {"category": "women/shoes"}})"),
           *items, Candidates(*items), Descending(3));
  EXPECT_EQ(ranked.ids, (Ids{"b", "a", "c"}));
  EXPECT_EQ(ranked.outcome.candidates[1].adjustments[0].rule, "rule[0]");
}

TEST(BusinessRules, SeveralMatchKeysMustAllHold) {
  auto items = Table(
      {Item("a", "Puma", {"Men"}), Item("b", "Puma", {"Women"}), Item("c", "Acme", {"Women"})});
  Ranked ranked = Rank(WithRules(R"({"action": "boost", "weight": 5,
                                     "match": {"brand": "puma", "category": "Women"}})"),
                       *items, Candidates(*items), Descending(3));
  EXPECT_EQ(ranked.ids, (Ids{"b", "a", "c"}));
}

TEST(BusinessRules, UnknownKeysAndIdsMatchNothing) {
  auto items = Table({Item("a", "A"), Item("b", "B")});
  VariantConfig variant = WithRules(R"({"action": "boost", "weight": 5, "match": {"brand": "Nope"}},
      {"action": "boost", "weight": 5, "match": {"ids": ["missing"]}},
      {"action": "boost", "weight": 5, "match": {"category": "Women"}})");
  CompiledRules rules = Compile(variant, *items);
  EXPECT_EQ(rules.rules().size(), 3u);
  for (const CompiledRules::Rule& rule : rules.rules()) EXPECT_TRUE(rule.never);
  EXPECT_EQ(Rank(variant, *items, Candidates(*items), Descending(2)).ids, (Ids{"a", "b"}));
}

TEST(BusinessRules, BuriedItemsGoBelowEveryOther) {
  auto items = Table({Item("P1", "A"), Item("P2", "B"), Item("P3", "C"), Item("P4", "D")});
  Ranked ranked =
      Rank(WithRules(R"({"name": "clearance", "action": "bury", "match": {"ids": ["P1", "P3"]}})"),
           *items, Candidates(*items), Descending(4));
  EXPECT_EQ(ranked.ids, (Ids{"P2", "P4", "P1", "P3"}));
  const CandidateOutcome& buried = ranked.outcome.candidates[0];
  EXPECT_TRUE(buried.buried);
  EXPECT_DOUBLE_EQ(buried.final_score, 4);  // bury moves, it does not rescore
  ASSERT_EQ(buried.adjustments.size(), 1u);
  EXPECT_EQ(buried.adjustments[0].action, AdjustmentAction::kBury);
  EXPECT_EQ(buried.adjustments[0].rule, "clearance");
}

TEST(BusinessRules, PinPlacesAnItemAtPositionZero) {
  auto items = Table({Item("P1", "A"), Item("P2", "B"), Item("P7", "C")});
  Ranked ranked = Rank(WithRules(R"({"action": "pin", "position": 0, "match": {"ids": ["P7"]}})"),
                       *items, Candidates(*items), Descending(3));
  EXPECT_EQ(ranked.ids, (Ids{"P7", "P1", "P2"}));
  const CandidateOutcome& pinned = ranked.outcome.candidates[2];
  EXPECT_TRUE(pinned.pinned);
  ASSERT_EQ(pinned.adjustments.size(), 1u);
  EXPECT_EQ(pinned.adjustments[0].action, AdjustmentAction::kPin);
  EXPECT_EQ(pinned.adjustments[0].position, 0);
  EXPECT_EQ(pinned.adjustments[0].placed, 0);
  EXPECT_TRUE(pinned.adjustments[0].note.empty());
}

TEST(BusinessRules, PinsKeepTheirPositionsAndTheEarlierRuleWinsATie) {
  auto items =
      Table({Item("a", "A"), Item("b", "B"), Item("c", "C"), Item("d", "D"), Item("e", "E")});
  Ranked ranked = Rank(WithRules(R"({"action": "pin", "position": 2, "match": {"ids": ["e"]}},
                                    {"action": "pin", "position": 0, "match": {"ids": ["d"]}},
                                    {"action": "pin", "position": 2, "match": {"ids": ["a"]}},
                                    {"action": "pin", "position": 50, "match": {"ids": ["b"]}})"),
                       *items, Candidates(*items), Descending(5));
  EXPECT_EQ(ranked.ids, (Ids{"d", "c", "e", "a", "b"}));
  EXPECT_EQ(ranked.outcome.candidates[0].adjustments[0].placed, 3);
  EXPECT_EQ(ranked.outcome.candidates[0].adjustments[0].note, "position taken by an earlier pin");
  EXPECT_EQ(ranked.outcome.candidates[1].adjustments[0].placed, 4);
  EXPECT_EQ(ranked.outcome.candidates[1].adjustments[0].note, "only 5 candidates");
}

TEST(BusinessRules, RulesOutsideTheirTimeWindowDoNothing) {
  auto items = Table({Item("a", "Acme"), Item("b", "Puma")});
  VariantConfig variant = WithRules(R"({"action": "boost", "weight": 5, "match": {"brand": "Puma"},
      "from": "2026-11-27T00:00:00Z", "until": "2026-12-01T00:00:00Z"})");
  const int64_t from_ms = 1795737600000, until_ms = 1796083200000;
  auto order_at = [&](int64_t now_ms) {
    return Rank(variant, *items, Candidates(*items), Descending(2), {}, "parka", now_ms).ids;
  };
  EXPECT_EQ(order_at(from_ms - 1), (Ids{"a", "b"}));
  EXPECT_EQ(order_at(from_ms), (Ids{"b", "a"}));
  EXPECT_EQ(order_at(until_ms - 1), (Ids{"b", "a"}));
  EXPECT_EQ(order_at(until_ms), (Ids{"a", "b"}));
  Ranked before = Rank(variant, *items, Candidates(*items), Descending(2), {}, "parka", 0);
  EXPECT_FALSE(before.outcome.candidates[1].boosted);
  EXPECT_TRUE(before.outcome.candidates[1].adjustments.empty());
}

TEST(BusinessRules, QueryRestrictedRulesApplyOnlyToTheirQueries) {
  auto items = Table({Item("P1", "A"), Item("P7", "B")});
  VariantConfig variant = WithRules(R"({"action": "pin", "position": 0, "match": {"ids": ["P7"]},
                    "queries": ["Parka", "winter coat"]})");
  auto order_for = [&](std::string_view query) {
    return Rank(variant, *items, Candidates(*items), Descending(2), {}, query).ids;
  };
  EXPECT_EQ(order_for("  PARKA "), (Ids{"P7", "P1"}));
  EXPECT_EQ(order_for("Winter   Coat"), (Ids{"P7", "P1"}));
  EXPECT_EQ(order_for("parkas"), (Ids{"P1", "P7"}));
  EXPECT_EQ(order_for(""), (Ids{"P1", "P7"}));
}

TEST(BusinessRules, GuardrailCapsBoostedItemsInTheTopTen) {
  std::vector<Product> products;
  for (int i = 0; i < 12; ++i) {
    products.push_back(Item("i" + std::to_string(i), i >= 6 ? "Puma" : "Acme"));
  }
  auto items = Table(products);
  Ranked ranked = Rank(WithRules(R"({"action": "boost", "weight": 20, "match": {"brand": "Puma"}})",
                                 R"({"max_boosted_in_top10": 3})"),
                       *items, Candidates(*items), Descending(12));
  int boosted_in_top = 0;
  for (size_t pos = 0; pos < 10; ++pos) {
    boosted_in_top += ranked.outcome.candidates[ranked.outcome.order[pos]].boosted;
  }
  EXPECT_EQ(boosted_in_top, 3);
  // The best three Puma items keep the boost; the others lose it and fall back to their
  // model scores, below every Acme item.
  EXPECT_EQ(ranked.ids,
            (Ids{"i6", "i7", "i8", "i0", "i1", "i2", "i3", "i4", "i5", "i9", "i10", "i11"}));
  const CandidateOutcome& capped = ranked.outcome.candidates[9];
  EXPECT_FALSE(capped.boosted);
  EXPECT_DOUBLE_EQ(capped.final_score, 3);
  ASSERT_EQ(capped.adjustments.size(), 2u);
  EXPECT_EQ(capped.adjustments[1].action, AdjustmentAction::kCapped);
  EXPECT_EQ(capped.adjustments[1].rule, "guardrails.max_boosted_in_top10");
  EXPECT_DOUBLE_EQ(capped.adjustments[1].delta, -20);
}

TEST(BusinessRules, GuardrailOfZeroRemovesEveryBoostFromTheTopTen) {
  auto items = Table({Item("a", "Acme"), Item("b", "Puma")});
  Ranked ranked = Rank(WithRules(R"({"action": "boost", "weight": 5, "match": {"brand": "Puma"}})",
                                 R"({"max_boosted_in_top10": 0})"),
                       *items, Candidates(*items), Descending(2));
  EXPECT_EQ(ranked.ids, (Ids{"a", "b"}));
  EXPECT_FALSE(ranked.outcome.candidates[1].boosted);
}

TEST(BusinessRules, OutOfSizeIsNeverAboveInSizeEvenWhenBoosted) {
  Product sold_out = Item("sold-out", "Puma");
  sold_out.stock = 0;
  auto items =
      Table({Item("fits", "Acme"), Item("too-small", "Puma"), sold_out, Item("unknown", "Acme")});
  const std::vector<SizeFit> fits = {SizeFit::kInSize, SizeFit::kOutOfSize, SizeFit::kUnknown,
                                     SizeFit::kUnknown};
  VariantConfig variant =
      WithRules(R"({"action": "boost", "weight": 100, "match": {"brand": "Puma"}})");
  Ranked ranked = Rank(variant, *items, Candidates(*items), {1, 4, 3, 0}, fits);
  EXPECT_EQ(ranked.ids, (Ids{"fits", "unknown", "too-small", "sold-out"}));
  EXPECT_FALSE(ranked.outcome.candidates[1].fits);
  EXPECT_FALSE(ranked.outcome.candidates[2].fits);
  // Without the size guard the boost wins.
  variant.guardrails.size_guard = false;
  EXPECT_EQ(Rank(variant, *items, Candidates(*items), {1, 4, 3, 0}, fits).ids,
            (Ids{"too-small", "sold-out", "fits", "unknown"}));
}

TEST(BusinessRules, APinnedOutOfSizeItemStaysBelowInSizeOnes) {
  auto items =
      Table({Item("a", "A"), Item("b", "B"), Item("c", "C"), Item("P7", "D"), Item("e", "E")});
  const std::vector<SizeFit> fits = {SizeFit::kInSize, SizeFit::kInSize, SizeFit::kOutOfSize,
                                     SizeFit::kOutOfSize, SizeFit::kInSize};
  VariantConfig variant =
      WithRules(R"({"action": "pin", "position": 0, "match": {"ids": ["P7"]}})");
  // Before pins: a, b, e fit; then c, P7. The pin takes P7 past c, but not past e.
  Ranked ranked = Rank(variant, *items, Candidates(*items), Descending(5), fits);
  EXPECT_EQ(ranked.ids, (Ids{"a", "b", "e", "P7", "c"}));
  const Adjustment& pin = ranked.outcome.candidates[3].adjustments.at(0);
  EXPECT_EQ(pin.position, 0);
  EXPECT_EQ(pin.placed, 3);
  EXPECT_NE(pin.note.find("size guard"), std::string::npos) << pin.note;
  // An in-size pinned item goes where it was asked.
  std::vector<SizeFit> all_fit(5, SizeFit::kInSize);
  EXPECT_EQ(Rank(variant, *items, Candidates(*items), Descending(5), all_fit).ids,
            (Ids{"P7", "a", "b", "c", "e"}));
  // Without the size guard the pin wins.
  variant.guardrails.size_guard = false;
  EXPECT_EQ(Rank(variant, *items, Candidates(*items), Descending(5), fits).ids,
            (Ids{"P7", "a", "b", "c", "e"}));
}

TEST(BusinessRules, StrictMatchesStayAboveRelaxedOnesEvenWhenBoosted) {
  auto items = Table({Item("a", "Acme"), Item("b", "Puma"), Item("c", "Acme")});
  std::vector<Candidate> candidates = Candidates(*items);
  candidates[1].strict = false;
  candidates[2].strict = false;
  Ranked ranked =
      Rank(WithRules(R"({"action": "boost", "weight": 100, "match": {"brand": "Puma"}})"), *items,
           candidates, {1, 0, 5});
  EXPECT_EQ(ranked.ids, (Ids{"a", "b", "c"}));
}

TEST(BusinessRules, MarginWeightAddsTheKnownMargin) {
  auto items = Table(
      {Item("low", "A", {"Men"}, 0.1), Item("high", "B", {"Men"}, 0.9), Item("unknown", "C")});
  Ranked ranked = Rank(Variant(R"({"business": {"margin_weight": 2}})"), *items, Candidates(*items),
                       {1.0, 0.5, 1.1});
  // low: 1 + 0.2, high: 0.5 + 1.8, unknown: 1.1 + 0.
  EXPECT_EQ(ranked.ids, (Ids{"high", "low", "unknown"}));
  EXPECT_DOUBLE_EQ(ranked.outcome.candidates[1].margin, 1.8);
  EXPECT_DOUBLE_EQ(ranked.outcome.candidates[1].final_score, 2.3);
  EXPECT_DOUBLE_EQ(ranked.outcome.candidates[2].margin, 0);
  EXPECT_DOUBLE_EQ(ranked.outcome.candidates[2].final_score, 1.1);
  // Weight 0 (the default) leaves the model order.
  EXPECT_EQ(Rank(Variant("{}"), *items, Candidates(*items), {1.0, 0.5, 1.1}).ids,
            (Ids{"unknown", "low", "high"}));
}

TEST(BusinessRules, CompiledRulesAreReusableAcrossRequests) {
  auto items = Table({Item("a", "Acme"), Item("b", "Puma")});
  CompiledRules rules =
      Compile(WithRules(R"({"action": "boost", "weight": 5, "match": {"brand": "Puma"}})"), *items);
  EXPECT_EQ(rules.variant(), "default");
  EXPECT_EQ(rules.revision(), items->revision());
  std::vector<Candidate> candidates = Candidates(*items);
  const std::vector<double> scores = Descending(2);
  for (int request = 0; request < 3; ++request) {
    BusinessOutcome outcome = Apply(rules, *items, candidates, scores, {}, "q", 0);
    EXPECT_EQ(outcome.order, (std::vector<size_t>{1, 0}));
  }
  // A subset of candidates, in another order, works with the same compiled rules.
  std::vector<Candidate> one = {candidates[1]};
  BusinessOutcome outcome = Apply(rules, *items, one, {}, {}, "q", 0);
  EXPECT_EQ(outcome.order, (std::vector<size_t>{0}));
  EXPECT_TRUE(outcome.candidates[0].boosted);
}

}  // namespace
}  // namespace tailor::ranking
