// Engine::Suggest on real small indexes: the k-visitor threshold of past queries, DELETE
// /profiles (Engine::Forget), typo tolerance, the visitor's brands first, kinds and result
// counts, and past queries rebuilt from the feature log after a restart.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <string>
#include <vector>

#include "indexer/indexer.h"
#include "server/engine.h"
#include "tests/server/engine_calls.h"
#include "tests/server/test_support.h"

namespace tailor::server {
namespace {

using tailor::testing::BuildIndexFrom;
using tailor::testing::BuildSampleIndex;
using tailor::testing::ForgetNow;
using tailor::testing::IngestNow;
using tailor::testing::TempDir;

EngineOptions OptionsFor(const std::string& index_dir, const TempDir& dir) {
  EngineOptions options;
  options.index_dir = index_dir;
  options.state_dir = (dir.path() / "state").string();
  options.scoring_config = TAILOR_SOURCE_DIR "/tests/data/scoring.json";
  options.searcher.refresh_interval_ms = 0;
  return options;
}

std::unique_ptr<Engine> OpenEngine(const EngineOptions& options) {
  Result<std::unique_ptr<Engine>> engine = Engine::Open(options);
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  return engine.ok() ? std::move(*engine) : nullptr;
}

void SearchAs(Engine& engine, const std::string& query, const std::string& visitor) {
  searcher::SearchRequest request;
  request.query = query;
  SearchContext context;
  context.visitor = visitor;
  Result<SearchResponse> response = engine.Search(request, context);
  ASSERT_TRUE(response.ok()) << response.error().message;
}

long TotalOf(Engine& engine, const std::string& query) {
  searcher::SearchRequest request;
  request.query = query;
  Result<SearchResponse> response = engine.Search(request, SearchContext{});
  EXPECT_TRUE(response.ok());
  return response.ok() ? response->result.total : -1;
}

std::vector<Suggestion> SuggestFor(Engine& engine, const std::string& typed,
                                   const std::string& visitor = "", int limit = 8) {
  Result<SuggestResponse> response = engine.Suggest(SuggestRequest{typed, visitor, limit});
  EXPECT_TRUE(response.ok()) << response.error().message;
  return response.ok() ? response->suggestions : std::vector<Suggestion>{};
}

// The texts of the suggestions of one kind.
std::vector<std::string> Texts(const std::vector<Suggestion>& suggestions, SuggestionKind kind) {
  std::vector<std::string> texts;
  for (const Suggestion& s : suggestions) {
    if (s.kind == kind) texts.push_back(s.text);
  }
  return texts;
}

TEST(Suggest, APastQueryIsOfferedToOthersOnlyFromTheKthVisitorOnAndToItsTyperAtOnce) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngine(OptionsFor(BuildSampleIndex(dir.path()), dir));
  ASSERT_NE(engine, nullptr);
  SearchAs(*engine, "parka", "v1");
  EXPECT_THAT(Texts(SuggestFor(*engine, "par", "v1"), SuggestionKind::kQuery),
              ::testing::ElementsAre("parka"));
  SearchAs(*engine, "parka", "v2");
  EXPECT_TRUE(Texts(SuggestFor(*engine, "par", "newcomer"), SuggestionKind::kQuery).empty());
  EXPECT_TRUE(Texts(SuggestFor(*engine, "par"), SuggestionKind::kQuery).empty());
  SearchAs(*engine, "parka", "v3");
  std::vector<Suggestion> offered = SuggestFor(*engine, "par", "newcomer");
  ASSERT_FALSE(offered.empty());
  EXPECT_EQ(offered[0].text, "parka");
  EXPECT_EQ(offered[0].kind, SuggestionKind::kQuery);
  EXPECT_EQ(offered[0].results, TotalOf(*engine, "parka"));
}

TEST(Suggest, QueriesThatFoundNothingAreNeverOffered) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngine(OptionsFor(BuildSampleIndex(dir.path()), dir));
  ASSERT_NE(engine, nullptr);
  for (const char* visitor : {"v1", "v2", "v3"}) SearchAs(*engine, "zebra", visitor);
  EXPECT_TRUE(SuggestFor(*engine, "zeb", "v1").empty());
}

TEST(Suggest, ForgettingAVisitorTakesTheirQueryBelowK) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngine(OptionsFor(BuildSampleIndex(dir.path()), dir));
  ASSERT_NE(engine, nullptr);
  for (const char* visitor : {"v1", "v2", "v3"}) SearchAs(*engine, "wool shirt", visitor);
  ASSERT_THAT(Texts(SuggestFor(*engine, "woo", "newcomer"), SuggestionKind::kQuery),
              ::testing::ElementsAre("wool shirt"));
  ASSERT_TRUE(ForgetNow(*engine, "v2").ok());
  EXPECT_TRUE(Texts(SuggestFor(*engine, "woo", "newcomer"), SuggestionKind::kQuery).empty());
  EXPECT_TRUE(Texts(SuggestFor(*engine, "woo", "v2"), SuggestionKind::kQuery).empty());
}

TEST(Suggest, KindsAndResultCountsOnTheSampleIndex) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngine(OptionsFor(BuildSampleIndex(dir.path()), dir));
  ASSERT_NE(engine, nullptr);
  std::vector<Suggestion> ac = SuggestFor(*engine, "ac");
  ASSERT_FALSE(ac.empty());
  EXPECT_EQ(ac[0].text, "Acme");
  EXPECT_EQ(ac[0].kind, SuggestionKind::kBrand);
  EXPECT_EQ(ac[0].results, 3);
  EXPECT_THAT(Texts(SuggestFor(*engine, "sh"), SuggestionKind::kCategory),
              ::testing::ElementsAre("Shirts", "Shoes"));  // 2 items before 1
  EXPECT_THAT(Texts(SuggestFor(*engine, "rain"), SuggestionKind::kPhrase),
              ::testing::Contains("rain"));
  // Two-word phrases need two titles: "rain parka" is in one.
  EXPECT_THAT(Texts(SuggestFor(*engine, "rain"), SuggestionKind::kPhrase),
              ::testing::Not(::testing::Contains("rain parka")));
  std::vector<Suggestion> all = SuggestFor(*engine, "p", "", 50);
  ASSERT_FALSE(all.empty());
  for (const Suggestion& s : all) EXPECT_EQ(s.results, TotalOf(*engine, s.text)) << s.text;
  EXPECT_THAT(Texts(all, SuggestionKind::kCategory), ::testing::ElementsAre("Parkas"));
  EXPECT_THAT(Texts(all, SuggestionKind::kPhrase), ::testing::Contains("parka"));
}

TEST(Suggest, OneTypoFromFourLettersOnAndExactPrefixesFirst) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngine(OptionsFor(BuildSampleIndex(dir.path()), dir));
  ASSERT_NE(engine, nullptr);
  std::vector<Suggestion> typo = SuggestFor(*engine, "prak");
  ASSERT_FALSE(typo.empty());
  EXPECT_THAT(Texts(typo, SuggestionKind::kPhrase), ::testing::Contains("parka"));
  EXPECT_THAT(Texts(typo, SuggestionKind::kCategory), ::testing::Contains("Parkas"));
  EXPECT_TRUE(SuggestFor(*engine, "prk").empty());  // too short for a typo
  // Among typo matches, as among exact ones, past queries come first.
  for (const char* visitor : {"v1", "v2", "v3"}) SearchAs(*engine, "rain", visitor);
  std::vector<Suggestion> rian = SuggestFor(*engine, "rian");
  ASSERT_FALSE(rian.empty());
  EXPECT_EQ(rian[0].text, "rain");
  EXPECT_EQ(rian[0].kind, SuggestionKind::kQuery);
}

TEST(Suggest, TheVisitorsOwnBrandComesFirst) {
  TempDir dir;
  const std::string catalog = (dir.path() / "brands.jsonl").string();
  {
    std::ofstream out(catalog);
    out << R"({"id":"P1","title":"Puma Runner","brand":"Puma","price":50,"category":["Men","Shoes"]})"
        << "\n"
        << R"({"id":"P2","title":"Puma Sprinter","brand":"Puma","price":60,"category":["Men","Shoes"]})"
        << "\n"
        << R"({"id":"P3","title":"Puma Walker","brand":"Puma","price":70,"category":["Men","Shoes"]})"
        << "\n"
        << R"({"id":"Q1","title":"Patagonia Fleece","brand":"Patagonia","price":90,"category":["Men","Jackets"]})"
        << "\n";
  }
  std::unique_ptr<Engine> engine = OpenEngine(OptionsFor(BuildIndexFrom(catalog, dir.path()), dir));
  ASSERT_NE(engine, nullptr);
  EXPECT_THAT(Texts(SuggestFor(*engine, "p", "fan"), SuggestionKind::kBrand),
              ::testing::ElementsAre("Puma", "Patagonia"));  // more items first
  ASSERT_TRUE(
      IngestNow(*engine, R"({"events": [{"type": "click", "visitor": "fan", "item": "Q1"}]})")
          .ok());
  std::vector<Suggestion> mine = SuggestFor(*engine, "p", "fan");
  ASSERT_FALSE(mine.empty());
  EXPECT_EQ(mine[0].text, "Patagonia");
  EXPECT_EQ(mine[0].kind, SuggestionKind::kBrand);
  EXPECT_EQ(SuggestFor(*engine, "p", "other")[0].text, "Puma");
}

TEST(Suggest, TheVocabularyFollowsANewIndexRevision) {
  TempDir dir;
  const EngineOptions options = OptionsFor(BuildSampleIndex(dir.path()), dir);
  std::unique_ptr<Engine> engine = OpenEngine(options);
  ASSERT_NE(engine, nullptr);
  EXPECT_TRUE(Texts(SuggestFor(*engine, "zep"), SuggestionKind::kBrand).empty());
  const std::string changes = (dir.path() / "changes.jsonl").string();
  {
    std::ofstream out(changes);
    out << R"({"id":"Z1","title":"Zephyr Wind Shell","brand":"Zephyr","price":70})"
        << "\n";
  }
  indexer::UpdateOptions update;
  update.catalog_path = changes;
  update.index_dir = options.index_dir;
  Result<indexer::UpdateStats> updated = indexer::Update(update);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  std::vector<Suggestion> after = SuggestFor(*engine, "zep");
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(after[0].text, "Zephyr");
  EXPECT_EQ(after[0].kind, SuggestionKind::kBrand);
  EXPECT_EQ(after[0].results, 1);
}

TEST(Suggest, PastQueriesAreRebuiltFromTheFeatureLogAfterARestart) {
  TempDir dir;
  const EngineOptions options = OptionsFor(BuildSampleIndex(dir.path()), dir);
  {
    std::unique_ptr<Engine> engine = OpenEngine(options);
    ASSERT_NE(engine, nullptr);
    for (const char* visitor : {"v1", "v2", "v3"}) SearchAs(*engine, "boots", visitor);
    SearchAs(*engine, "linen shirt", "v1");
    for (const char* visitor : {"v1", "v2", "v4"}) SearchAs(*engine, "wool", visitor);
    ASSERT_TRUE(ForgetNow(*engine, "v4").ok());  // "wool" falls below k, also on disk
    ASSERT_TRUE(engine->FlushLogs().ok());
  }
  std::unique_ptr<Engine> restarted = OpenEngine(options);
  ASSERT_NE(restarted, nullptr);
  EXPECT_THAT(Texts(SuggestFor(*restarted, "bo", "newcomer"), SuggestionKind::kQuery),
              ::testing::ElementsAre("boots"));
  EXPECT_TRUE(Texts(SuggestFor(*restarted, "lin", "newcomer"), SuggestionKind::kQuery).empty());
  EXPECT_THAT(Texts(SuggestFor(*restarted, "lin", "v1"), SuggestionKind::kQuery),
              ::testing::ElementsAre("linen shirt"));
  EXPECT_TRUE(Texts(SuggestFor(*restarted, "woo", "newcomer"), SuggestionKind::kQuery).empty());
}

TEST(Suggest, RefusesAnEmptyQueryAndALimitOutOfRange) {
  TempDir dir;
  std::unique_ptr<Engine> engine = OpenEngine(OptionsFor(BuildSampleIndex(dir.path()), dir));
  ASSERT_NE(engine, nullptr);
  Result<SuggestResponse> empty = engine->Suggest(SuggestRequest{"   ", "", 8});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(empty.error().message, ::testing::StartsWith("q:"));
  for (int limit : {0, 51}) {
    Result<SuggestResponse> bad = engine->Suggest(SuggestRequest{"par", "", limit});
    ASSERT_FALSE(bad.ok());
    EXPECT_THAT(bad.error().message, ::testing::StartsWith("limit:"));
  }
}

}  // namespace
}  // namespace tailor::server
