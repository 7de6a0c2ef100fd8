#include "ranking/scoring/scoring_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

namespace tailor::ranking {
namespace {

constexpr const char* kExample = R"({
  "default_variant": "default",
  "variants": {
    "default": {
      "candidate_depth": 200,
      "model": "models/default.json",
      "min_size_share": 0.25,
      "business": {
        "margin_weight": 0.0,
        "rules": [
          {"name": "puma-week", "action": "boost", "weight": 0.5, "match": {"brand": "Puma"},
           "from": "2026-11-27T00:00:00Z", "until": "2026-12-01T00:00:00Z"},
          {"action": "bury", "match": {"ids": ["P1", "P2"]}},
          {"action": "pin", "position": 0, "match": {"ids": ["P7"]}, "queries": ["parka"]},
          {"action": "boost", "weight": 0.3, "match": {"category": "Women/Shoes"}}
        ]
      },
      "guardrails": {"max_boosted_in_top10": 3, "size_guard": true}
    },
    "text": {"model": null}
  },
  "split": [{"variant": "default", "share": 0.9}, {"variant": "text", "share": 0.1}]
})";

Result<ScoringConfig> Parse(const std::string& json) {
  return ParseScoringConfig(json, "test.json", "/etc/tailor");
}

// A config with one variant "default" whose body is `variant`, plus `extra` top-level keys.
std::string WithVariant(const std::string& variant, const std::string& extra = "") {
  return R"({"variants": {"default": )" + variant + "}" + extra + "}";
}

void ExpectInvalid(const std::string& json, const std::string& message) {
  Result<ScoringConfig> config = Parse(json);
  ASSERT_FALSE(config.ok()) << json;
  EXPECT_EQ(config.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(config.error().message, "test.json: " + message) << json;
}

TEST(ScoringConfig, TheBundledDefaultParses) {
  const std::string path = TAILOR_SOURCE_DIR "/config/scoring.json";
  Result<ScoringConfig> config = LoadScoringConfig(path);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->origin(), path);
  EXPECT_EQ(config->default_variant(), "default");
  const VariantConfig* main = config->Find("default");
  ASSERT_NE(main, nullptr);
  EXPECT_EQ(main->model_path,
            (std::filesystem::path(TAILOR_SOURCE_DIR) / "config/models/default.json")
                .lexically_normal()
                .string());
  EXPECT_TRUE(std::filesystem::path(main->model_path).is_absolute());
  EXPECT_EQ(main->first_phase_model_path,
            (std::filesystem::path(TAILOR_SOURCE_DIR) / "config/models/first_phase.json")
                .lexically_normal()
                .string());
  EXPECT_EQ(main->candidate_depth, 200);
  EXPECT_TRUE(main->business.rules.empty());
  EXPECT_EQ(main->guardrails.max_boosted_in_top10, 3);
  EXPECT_TRUE(main->guardrails.size_guard);
  EXPECT_NE(std::find(main->repurchase_categories.begin(), main->repurchase_categories.end(),
                      "foodgrains, oil & masala"),
            main->repurchase_categories.end());
  const VariantConfig* text = config->Find("text");
  ASSERT_NE(text, nullptr);
  EXPECT_TRUE(text->model_path.empty());
  EXPECT_TRUE(text->first_phase_model_path.empty());
  EXPECT_EQ(config->ChooseVariant("v1").name, "default");
}

TEST(ScoringConfig, ParsesTheDocumentedExample) {
  Result<ScoringConfig> config = Parse(kExample);
  ASSERT_TRUE(config.ok()) << config.error().message;
  ASSERT_EQ(config->variants().size(), 2u);
  const VariantConfig& main = config->variants()[0];
  EXPECT_EQ(main.name, "default");
  EXPECT_EQ(main.model_path, "/etc/tailor/models/default.json");
  ASSERT_EQ(main.business.rules.size(), 4u);
  const BusinessRule& puma = main.business.rules[0];
  EXPECT_EQ(puma.name, "puma-week");
  EXPECT_EQ(puma.action, RuleAction::kBoost);
  EXPECT_DOUBLE_EQ(puma.weight, 0.5);
  EXPECT_EQ(puma.match.brand, "puma");
  EXPECT_EQ(puma.from_ms, 1795737600000);
  EXPECT_EQ(puma.until_ms, 1796083200000);
  EXPECT_FALSE(puma.ActiveAt(1795737600000 - 1));
  EXPECT_TRUE(puma.ActiveAt(1795737600000));
  EXPECT_FALSE(puma.ActiveAt(1796083200000));
  EXPECT_EQ(main.business.rules[1].action, RuleAction::kBury);
  EXPECT_EQ(main.business.rules[1].match.ids, (std::vector<std::string>{"P1", "P2"}));
  const BusinessRule& pin = main.business.rules[2];
  EXPECT_EQ(pin.action, RuleAction::kPin);
  EXPECT_EQ(pin.position, 0);
  EXPECT_TRUE(pin.AppliesToQuery("parka"));
  EXPECT_FALSE(pin.AppliesToQuery("jacket"));
  EXPECT_EQ(main.business.rules[3].match.category, "women/shoes");
  const VariantConfig& text = config->variants()[1];
  EXPECT_TRUE(text.model_path.empty());
  EXPECT_EQ(text.candidate_depth, 200);  // the struct's default, not the other variant's
  ASSERT_EQ(config->split().size(), 2u);
  EXPECT_DOUBLE_EQ(config->split()[1].share, 0.1);
}

TEST(ScoringConfig, AcceptsCategoryLevelsEpochTimesAndAbsoluteModels) {
  Result<ScoringConfig> config = Parse(WithVariant(R"({"model": "/models/m.json",
      "business": {"rules": [{"action": "boost", "weight": 1,
        "match": {"category": [" Women ", "SHOES"], "brand": "Pepe  Jeans"},
        "queries": ["  Red Parka "], "from": 1000, "until": 2000}]}})"));
  ASSERT_TRUE(config.ok()) << config.error().message;
  const VariantConfig& variant = config->variants()[0];
  EXPECT_EQ(variant.model_path, "/models/m.json");
  const BusinessRule& rule = variant.business.rules[0];
  EXPECT_EQ(rule.match.category, "women/shoes");
  EXPECT_EQ(rule.match.brand, "pepe jeans");
  EXPECT_EQ(rule.queries, (std::vector<std::string>{"red parka"}));
  EXPECT_EQ(rule.from_ms, 1000);
  EXPECT_EQ(rule.until_ms, 2000);
  EXPECT_EQ(config->split().size(), 1u);
  EXPECT_EQ(config->split()[0].variant, "default");
}

TEST(ScoringConfig, RejectsBadTopLevelsWithThePath) {
  ExpectInvalid(R"({"default_variant": "x", "variants": {"default": {}}})",
                R"(default_variant: "x" is not a variant)");
  ExpectInvalid(R"({"default_variant": "default"})", "variants: required");
  ExpectInvalid(R"({"variants": {}})", "variants: must be an object with at least one variant");
  ExpectInvalid(WithVariant("{}", R"(, "colour": 1)"), "colour: unknown key");
  ExpectInvalid("[1]", "must be a JSON object");
  Result<ScoringConfig> broken = Parse(R"({"variants": )");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(broken.error().message.find("test.json: invalid JSON at offset 13"), std::string::npos)
      << broken.error().message;
}

TEST(ScoringConfig, RejectsBadVariantsWithThePath) {
  ExpectInvalid(R"({"variants": {"default": {}, "margin": {"candidate_depth": 0}}})",
                "variants.margin.candidate_depth: must be in [1, 1000]");
  ExpectInvalid(WithVariant(R"({"candidate_depth": 1001})"),
                "variants.default.candidate_depth: must be in [1, 1000]");
  ExpectInvalid(WithVariant(R"({"personal_scan_depth": 0})"),
                "variants.default.personal_scan_depth: must be in [1, 1000]");
  ExpectInvalid(WithVariant(R"({"model": ""})"),
                "variants.default.model: must be a file path, or null for no model");
  ExpectInvalid(WithVariant(R"({"first_phase_model": 3})"),
                "variants.default.first_phase_model: must be a file path, or null for no model");
  ExpectInvalid(WithVariant(R"({"min_size_share": 2})"),
                "variants.default.min_size_share: must be at most 1");
  ExpectInvalid(WithVariant(R"({"depth": 5})"), "variants.default.depth: unknown key");
  ExpectInvalid(WithVariant(R"({"guardrails": {"max_boosted_in_top10": 11}})"),
                "variants.default.guardrails.max_boosted_in_top10: must be at most 10");
  ExpectInvalid(WithVariant(R"({"guardrails": {"size_guard": "yes"}})"),
                "variants.default.guardrails.size_guard: must be true or false");
  ExpectInvalid(WithVariant(R"({"business": {"margin_weight": -1}})"),
                "variants.default.business.margin_weight: must be >= 0");
  ExpectInvalid(WithVariant(R"({"business": {"rules": {}}})"),
                "variants.default.business.rules: must be an array");
  ExpectInvalid(WithVariant(R"({"repurchase_categories": "Beverages"})"),
                "variants.default.repurchase_categories: must be an array of category paths");
  ExpectInvalid(WithVariant(R"({"repurchase_categories": ["Beverages", 7]})"),
                "variants.default.repurchase_categories[1]: must be a path \"A/B\" or a "
                "non-empty array of levels");
  ExpectInvalid(WithVariant(R"({"explore_top": 1001})"),
                "variants.default.explore_top: must be in [0, 1000]");
}

// A config whose variant "default" has the given rules.
std::string WithRules(const std::string& rules) {
  return WithVariant(R"({"business": {"rules": [)" + rules + "]}}");
}

TEST(ScoringConfig, RejectsBadRulesWithThePath) {
  const std::string ok = R"({"action": "bury", "match": {"ids": ["P1"]}}, )";
  const std::string at = "variants.default.business.rules[2].";
  ExpectInvalid(WithRules(ok + ok + R"({"action": "boots", "match": {"brand": "x"}})"),
                at + R"(action: unknown "boots" (boost, bury, pin))");
  ExpectInvalid(WithRules(ok + ok + R"({"match": {"brand": "x"}})"), at + "action: required");
  ExpectInvalid(WithRules(ok + ok + R"({"action": "bury"})"), at + "match: required");
  ExpectInvalid(WithRules(ok + ok + R"({"action": "bury", "match": {}})"),
                at + "match: must name ids, brand or category");
  ExpectInvalid(WithRules(ok + ok + R"({"action": "bury", "match": {"sku": "1"}})"),
                at + "match.sku: unknown key");
  ExpectInvalid(WithRules(ok + ok + R"({"action": "bury", "match": {"ids": []}})"),
                at + "match.ids: must be a non-empty array of product ids");
  ExpectInvalid(WithRules(ok + ok + R"({"action": "bury", "match": {"ids": ["a", ""]}})"),
                at + "match.ids[1]: must be a non-empty string");
  ExpectInvalid(WithRules(ok + ok + R"({"action": "bury", "match": {"brand": "  "}})"),
                at + "match.brand: must not be empty");
  ExpectInvalid(WithRules(ok + ok + R"({"action": "bury", "match": {"category": "A//B"}})"),
                at + "match.category: has an empty level");
  ExpectInvalid(WithRules(ok + ok + R"({"action": "boost", "match": {"brand": "x"}})"),
                at + "weight: required for boost");
  ExpectInvalid(WithRules(ok + ok + R"({"action": "boost", "weight": 0, "match": {"brand": "x"}})"),
                at + "weight: must be > 0");
  ExpectInvalid(WithRules(ok + ok + R"({"action": "bury", "weight": 1, "match": {"brand": "x"}})"),
                at + "weight: only boost rules take one");
  ExpectInvalid(WithRules(ok + ok + R"({"action": "pin", "match": {"ids": ["P7"]}})"),
                at + "position: required for pin");
  ExpectInvalid(
      WithRules(ok + ok + R"({"action": "pin", "position": 100, "match": {"ids": ["P7"]}})"),
      at + "position: must be in [0, 99]");
  ExpectInvalid(
      WithRules(ok + ok + R"({"action": "bury", "position": 1, "match": {"brand": "x"}})"),
      at + "position: only pin rules take one");
  ExpectInvalid(
      WithRules(ok + ok + R"({"action": "bury", "match": {"brand": "x"}, "queries": []})"),
      at + "queries: must be a non-empty array of queries");
  ExpectInvalid(WithRules(ok + ok + R"({"action": "bury", "match": {"brand": "x"}, "when": 1})"),
                at + "when: unknown key");
}

TEST(ScoringConfig, RejectsBadTimeWindowsAndDuplicateNames) {
  const std::string at = "variants.default.business.rules[0].";
  ExpectInvalid(WithRules(R"({"action": "bury", "match": {"brand": "x"},
                              "from": "2026-12-01T00:00:00Z", "until": "2026-11-27T00:00:00Z"})"),
                at + "until: must be after from");
  ExpectInvalid(WithRules(R"({"action": "bury", "match": {"brand": "x"}, "from": 5, "until": 5})"),
                at + "until: must be after from");
  Result<ScoringConfig> bad_time =
      Parse(WithRules(R"({"action": "bury", "match": {"brand": "x"}, "from": "next monday"})"));
  ASSERT_FALSE(bad_time.ok());
  EXPECT_EQ(bad_time.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad_time.error().message.rfind("test.json: " + at + "from: ", 0), 0u)
      << bad_time.error().message;
  ExpectInvalid(WithRules(R"({"action": "bury", "match": {"brand": "x"}, "until": true})"),
                at + "until: must be an ISO 8601 time or epoch milliseconds >= 0");
  ExpectInvalid(WithRules(R"({"name": "a", "action": "bury", "match": {"brand": "x"}},
                             {"name": "a", "action": "bury", "match": {"brand": "y"}})"),
                R"(variants.default.business.rules[1].name: "a" is also the name of rules[0])");
}

TEST(ScoringConfig, RejectsBadSplitsWithThePath) {
  const std::string two = R"({"variants": {"default": {}, "text": {}}, "split": )";
  ExpectInvalid(two + R"([{"variant": "default", "share": 0.5},
                          {"variant": "text", "share": 0.3}]})",
                "split: shares sum to 0.8, must be 1");
  ExpectInvalid(two + R"([{"variant": "default", "share": 0.9},
                          {"variant": "nope", "share": 0.1}]})",
                R"(split[1].variant: "nope" is not a variant)");
  ExpectInvalid(two + R"([{"variant": "default", "share": 0.5},
                          {"variant": "default", "share": 0.5}]})",
                R"(split[1].variant: "default" is also split[0])");
  ExpectInvalid(two + R"([{"variant": "default", "share": 0}]})", "split[0].share: must be > 0");
  ExpectInvalid(two + R"([{"variant": "default", "share": 1.5}]})",
                "split[0].share: must be at most 1");
  ExpectInvalid(two + R"([{"variant": "default"}]})", "split[0].share: required");
  ExpectInvalid(two + R"([{"variant": "default", "share": 1, "w": 1}]})",
                "split[0].w: unknown key");
  ExpectInvalid(two + "[]}", "split: must be a non-empty array");
}

TEST(ScoringConfig, LoadNamesAMissingFile) {
  Result<ScoringConfig> config = LoadScoringConfig("/nonexistent/scoring.json");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(config.error().message, "/nonexistent/scoring.json: cannot be read");
}

TEST(ScoringConfig, SplitIsStickyAndProportional) {
  Result<ScoringConfig> config = Parse(kExample);
  ASSERT_TRUE(config.ok()) << config.error().message;
  std::map<std::string, int> counts;
  const int visitors = 10000;
  for (int i = 0; i < visitors; ++i) {
    const std::string visitor = "visitor-" + std::to_string(i);
    const std::string& chosen = config->ChooseVariant(visitor).name;
    EXPECT_EQ(config->ChooseVariant(visitor).name, chosen);  // sticky
    ++counts[chosen];
  }
  EXPECT_NEAR(counts["default"] / double(visitors), 0.9, 0.02);
  EXPECT_NEAR(counts["text"] / double(visitors), 0.1, 0.02);
  // The same visitor lands in the same variant in a separately parsed copy (stable hash).
  Result<ScoringConfig> again = Parse(kExample);
  ASSERT_TRUE(again.ok());
  for (int i = 0; i < 100; ++i) {
    const std::string visitor = "v" + std::to_string(i);
    EXPECT_EQ(again->ChooseVariant(visitor).name, config->ChooseVariant(visitor).name);
  }
}

TEST(ScoringConfig, ThreeWaySplitIsProportional) {
  Result<ScoringConfig> config = Parse(R"({"variants": {"default": {}, "a": {}, "b": {}},
      "split": [{"variant": "default", "share": 0.5}, {"variant": "a", "share": 0.3},
                {"variant": "b", "share": 0.2}]})");
  ASSERT_TRUE(config.ok()) << config.error().message;
  std::map<std::string, int> counts;
  for (int i = 0; i < 10000; ++i) ++counts[config->ChooseVariant("u" + std::to_string(i)).name];
  EXPECT_NEAR(counts["default"] / 10000.0, 0.5, 0.02);
  EXPECT_NEAR(counts["a"] / 10000.0, 0.3, 0.02);
  EXPECT_NEAR(counts["b"] / 10000.0, 0.2, 0.02);
}

TEST(ScoringConfig, EmptyVisitorGetsTheDefaultAndVariantsCanBeNamed) {
  Result<ScoringConfig> config = Parse(R"({"default_variant": "default",
      "variants": {"default": {}, "text": {"model": null}},
      "split": [{"variant": "text", "share": 1}]})");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->ChooseVariant("").name, "default");
  EXPECT_EQ(config->ChooseVariant("someone").name, "text");
  const VariantConfig* named = config->Find("default");
  ASSERT_NE(named, nullptr);
  EXPECT_EQ(named->name, "default");
  EXPECT_EQ(config->Find("nope"), nullptr);
}

TEST(ScoringConfig, NoSplitSendsEveryoneToTheDefault) {
  Result<ScoringConfig> config =
      Parse(R"({"default_variant": "text", "variants": {"default": {}, "text": {}}})");
  ASSERT_TRUE(config.ok()) << config.error().message;
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(config->ChooseVariant("v" + std::to_string(i)).name, "text");
  }
}

}  // namespace
}  // namespace tailor::ranking
