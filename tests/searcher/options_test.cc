#include "searcher/options.h"

#include <gtest/gtest.h>

#include <string>

namespace tailor::searcher {
namespace {

Result<SearcherOptions> ParseText(const std::string& text) {
  rapidjson::Document json;
  json.Parse(text.c_str());
  EXPECT_FALSE(json.HasParseError()) << text;
  return ParseSearcherOptions(json);
}

TEST(ParseSearcherOptions, EmptyObjectGivesDefaults) {
  Result<SearcherOptions> options = ParseText("{}");
  ASSERT_TRUE(options.ok()) << options.error().message;
  EXPECT_EQ(options->default_limit, SearcherOptions{}.default_limit);
  EXPECT_EQ(options->max_limit, SearcherOptions{}.max_limit);
  EXPECT_DOUBLE_EQ(options->bm25_b, SearcherOptions{}.bm25_b);
}

TEST(ParseSearcherOptions, ReadsEveryKindOfField) {
  Result<SearcherOptions> options = ParseText(
      R"({"max_limit": 50, "default_limit": 10, "bm25_k1": 1.5, "bm25_b": 0.75,
          "relax_mode": "replace", "relax_below": 3, "refresh_interval_ms": 0,
          "prefix_last_word": "off", "spelling_rerun": false,
          "spelling_rerun_when": "no_match", "normalize_measurements": false,
          "lowercase_query": false, "relax_word_bonus": 1.5, "feedback_docs": 5,
          "feedback_terms": 8, "feedback_min_docs": 3, "feedback_weight": 0.5,
          "spelling_rerun_relaxed": false})");
  ASSERT_TRUE(options.ok()) << options.error().message;
  EXPECT_EQ(options->max_limit, 50);
  EXPECT_EQ(options->default_limit, 10);
  EXPECT_DOUBLE_EQ(options->bm25_k1, 1.5);
  EXPECT_DOUBLE_EQ(options->bm25_b, 0.75);
  EXPECT_EQ(options->relax_mode, RelaxMode::kReplace);
  EXPECT_EQ(options->relax_below, 3);
  EXPECT_EQ(options->refresh_interval_ms, 0);
  EXPECT_EQ(options->prefix_last_word, PrefixMode::kOff);
  EXPECT_FALSE(options->spelling_rerun);
  EXPECT_EQ(options->spelling_rerun_when, SpellingRerunWhen::kNoMatch);
  EXPECT_FALSE(options->normalize_measurements);
  EXPECT_FALSE(options->lowercase_query);
  EXPECT_DOUBLE_EQ(options->relax_word_bonus, 1.5);
  EXPECT_EQ(options->feedback_docs, 5);
  EXPECT_EQ(options->feedback_terms, 8);
  EXPECT_EQ(options->feedback_min_docs, 3);
  EXPECT_DOUBLE_EQ(options->feedback_weight, 0.5);
  EXPECT_FALSE(options->spelling_rerun_relaxed);
}

TEST(ParseSearcherOptions, DefaultsAreFillAutoPrefixRerunAndNormalize) {
  SearcherOptions options;
  EXPECT_EQ(options.relax_mode, RelaxMode::kFill);
  EXPECT_EQ(options.prefix_last_word, PrefixMode::kAuto);
  EXPECT_TRUE(options.spelling_rerun);
  EXPECT_EQ(options.spelling_rerun_when, SpellingRerunWhen::kNoStrictMatch);
  EXPECT_TRUE(options.normalize_measurements);
}

TEST(ParseSearcherOptions, RejectsUnknownEnumValueListingTheChoices) {
  Result<SearcherOptions> options = ParseText(R"({"relax_mode": "maybe"})");
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.error().message,
            "searcher.relax_mode: must be one of \"fill\", \"replace\", \"off\"");
}

TEST(ParseSearcherOptions, RejectsUnknownKeyNamingIt) {
  Result<SearcherOptions> options = ParseText(R"({"foo": 1})");
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(options.error().message, "searcher.foo: unknown key");
}

TEST(ParseSearcherOptions, RejectsZeroMaxLimit) {
  Result<SearcherOptions> options = ParseText(R"({"max_limit": 0})");
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.error().message, "searcher.max_limit: must be > 0");
}

TEST(ParseSearcherOptions, RejectsWrongTypesAndRanges) {
  for (const char* text : {R"({"max_limit": "20"})", R"({"bm25_b": 1.5})",
                           R"({"bm25_k1": -1})", R"({"relax_mode": 1})",
                           R"({"max_offset": -1})", R"({"default_limit": 500})",
                           R"({"relax_word_bonus": -1})", R"({"feedback_docs": -1})",
                           R"({"feedback_min_docs": 0})", R"({"feedback_weight": "0.3"})"}) {
    Result<SearcherOptions> options = ParseText(text);
    ASSERT_FALSE(options.ok()) << text;
    EXPECT_EQ(options.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(options.error().message.rfind("searcher.", 0), 0u) << options.error().message;
  }
}

TEST(ParseSearcherOptions, RejectsBm25BAboveOne) {
  Result<SearcherOptions> options = ParseText(R"({"bm25_b": 1.5})");
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.error().message, "searcher.bm25_b: must be at most 1");
}

TEST(ParseSearcherOptions, RejectsNonObject) {
  Result<SearcherOptions> options = ParseText("[1]");
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.error().message, "searcher: must be an object");
}

}  // namespace
}  // namespace tailor::searcher
