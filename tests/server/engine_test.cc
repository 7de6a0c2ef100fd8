// The Engine called directly, as tools and the HTTP layer call it: search, rerank,
// recommendations, events, profiles and reloads on the sample catalog of test_support.h
// (parkas A1, A2 by Acme, B1, B2 by Borealis, C1 by Cirrus; boots A3; shirts B3, C2).
#include "server/engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <future>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tests/server/engine_calls.h"
#include "tests/server/test_support.h"

namespace tailor::server {
namespace {

using tailor::testing::BuildSampleIndex;
using tailor::testing::ForgetNow;
using tailor::testing::IngestNow;
using tailor::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::unique_ptr<Engine> Open(const TempDir& dir, const std::string& scoring =
                                                     TAILOR_SOURCE_DIR "/tests/data/scoring.json") {
  EngineOptions options;
  options.index_dir = BuildSampleIndex(dir.path());
  options.state_dir = (dir.path() / "state").string();
  options.scoring_config = scoring;
  options.searcher.refresh_interval_ms = 0;
  Result<std::unique_ptr<Engine>> engine = Engine::Open(options);
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  return engine.ok() ? std::move(*engine) : nullptr;
}

std::vector<std::string> IdsOf(const std::vector<searcher::Hit>& hits) {
  std::vector<std::string> ids;
  for (const searcher::Hit& hit : hits) ids.push_back(hit.id);
  return ids;
}

searcher::SearchRequest Query(std::string text) {
  searcher::SearchRequest request;
  request.query = std::move(text);
  request.limit = 10;
  return request;
}

TEST(Engine, AnonymousSearchIsTextOrderWithARequestIdAndStoredData) {
  TempDir dir;
  std::unique_ptr<Engine> engine = Open(dir);
  ASSERT_NE(engine, nullptr);
  Result<SearchResponse> found = engine->Search(Query("parka"), {});
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->result.hits.size(), 5u);
  EXPECT_FALSE(found->personalized);
  EXPECT_EQ(found->variant, "default");
  EXPECT_EQ(found->request_id.size(), 16u);
  for (const searcher::Hit& hit : found->result.hits) {
    EXPECT_THAT(hit.stored_json, HasSubstr("\"id\":\"" + hit.id + "\""));
  }
  EXPECT_EQ(engine->Health().documents, 8);
}

TEST(Engine, SearchesAreLoggedWithTotalAndFiltersAlsoWhenNothingMatched) {
  TempDir dir;
  std::unique_ptr<Engine> engine = Open(dir);
  ASSERT_NE(engine, nullptr);
  searcher::SearchRequest filtered = Query("parka");
  filtered.brands = {"Acme"};
  filtered.price_max = 100000;
  filtered.in_stock_only = true;
  Result<SearchResponse> found = engine->Search(filtered, {});
  ASSERT_TRUE(found.ok());
  ASSERT_GT(found->result.total, 0);
  // Nothing, for an anonymous visitor (the text path) and for one with a profile (ranked).
  ASSERT_TRUE(engine->Search(Query("qqxzvwk"), {}).ok());
  ASSERT_TRUE(IngestNow(*engine, R"({"type": "click", "visitor": "v1", "item": "A1"})").ok());
  SearchContext v1;
  v1.visitor = "v1";
  Result<SearchResponse> none = engine->Search(Query("qqxzvwk"), v1);
  ASSERT_TRUE(none.ok());
  ASSERT_EQ(none->result.total, 0);
  ASSERT_TRUE(engine->FlushLogs().ok());

  std::vector<ranking::RankingRecord> records;
  ASSERT_TRUE(ranking::ForEachLoggedRanking(
                  (dir.path() / "state" / "rankings").string(),
                  [&](ranking::RankingRecord&& r) { records.push_back(std::move(r)); })
                  .ok());
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].total, found->result.total);
  EXPECT_EQ(records[0].items.size(), found->result.hits.size());
  EXPECT_EQ(records[0].filters.brands, std::vector<std::string>{"Acme"});
  EXPECT_EQ(records[0].filters.price_max, 100000);
  EXPECT_TRUE(records[0].filters.in_stock);
  for (size_t i : {1u, 2u}) {
    EXPECT_EQ(records[i].query, "qqxzvwk");
    EXPECT_EQ(records[i].total, 0);
    EXPECT_TRUE(records[i].items.empty());
    EXPECT_TRUE(records[i].filters.empty());
  }
  EXPECT_EQ(records[2].visitor, "v1");
  EXPECT_EQ(records[2].request_id, none->request_id);
}

TEST(Engine, EventsMakeTheNextSearchPersonalAndTheProfileReadable) {
  TempDir dir;
  std::unique_ptr<Engine> engine = Open(dir);
  ASSERT_NE(engine, nullptr);
  ASSERT_TRUE(IngestNow(*engine, R"({"events": [
      {"type": "view", "visitor": "v1", "item": "B2"},
      {"type": "add_to_cart", "visitor": "v1", "item": "B2", "size": "L"},
      {"type": "view", "visitor": "v1", "item": "B1"}]})")
                  .ok());
  std::optional<ranking::ProfileView> profile = engine->Profile("v1");
  ASSERT_TRUE(profile.has_value());
  ASSERT_FALSE(profile->brands.empty());
  EXPECT_EQ(profile->brands[0].display, "Borealis");
  SearchContext context;
  context.visitor = "v1";
  context.explain = true;
  Result<SearchResponse> found = engine->Search(Query("parka"), context);
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_TRUE(found->personalized);
  ASSERT_EQ(found->explanations.size(), found->result.hits.size());
  EXPECT_TRUE(found->explanations[0].ranked);
  context.personalize = false;
  Result<SearchResponse> plain = engine->Search(Query("parka"), context);
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->personalized);
}

// Personalized retrieval: with a window of 2 text candidates, the variant's best of the
// deeper text list (here C1, the only parka of the brand the visitor clicked) joins the
// ranked pool right after the window, once; the other matches follow in text order.
TEST(Engine, PersonalRetrievalAddsTheVariantsBestBelowTheWindowWithoutDuplicates) {
  TempDir dir;
  const std::string scoring = (dir.path() / "scoring.json").string();
  auto write_scoring = [&](int personal_depth) {
    std::ofstream(scoring) << R"({"variants": {"default": {"model": ")" TAILOR_SOURCE_DIR
                              R"(/tests/data/models/hand_set.json", "candidate_depth": 2,
                              "personal_scan_depth": 10, "personal_depth": )"
                           << personal_depth << "}}}";
  };
  write_scoring(1);
  std::unique_ptr<Engine> engine = Open(dir, scoring);
  ASSERT_NE(engine, nullptr);
  Result<SearchResponse> text = engine->Search(Query("parka"), {});
  ASSERT_TRUE(text.ok());
  const std::vector<std::string> text_order = IdsOf(text->result.hits);
  ASSERT_EQ(text_order.size(), 5u);
  const auto c1 = std::find(text_order.begin(), text_order.end(), "C1");
  ASSERT_GE(c1 - text_order.begin(), 2) << "C1 must be below the window for this test";
  ASSERT_TRUE(IngestNow(*engine, R"({"type": "click", "visitor": "v1", "item": "C1"})").ok());

  SearchContext v1;
  v1.visitor = "v1";
  v1.explain = true;
  Result<SearchResponse> found = engine->Search(Query("parka"), v1);
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(found->result.hits.size(), 5u);
  std::vector<std::string> ranked, unranked;
  for (size_t i = 0; i < found->result.hits.size(); ++i) {
    (found->explanations[i].ranked ? ranked : unranked).push_back(found->result.hits[i].id);
  }
  // The pool: the text window and C1; C1 ranks first (its brand), the window follows.
  EXPECT_THAT(ranked, ElementsAre("C1", text_order[0], text_order[1]));
  std::vector<std::string> expected_rest;
  for (size_t i = 2; i < text_order.size(); ++i) {
    if (text_order[i] != "C1") expected_rest.push_back(text_order[i]);
  }
  EXPECT_EQ(unranked, expected_rest);

  // Off (personal_depth 0): the pool is the window alone.
  write_scoring(0);
  ASSERT_TRUE(engine->ReloadScoring().ok());
  Result<SearchResponse> off = engine->Search(Query("parka"), v1);
  ASSERT_TRUE(off.ok());
  long ranked_off = 0;
  for (const HitExplanation& e : off->explanations) ranked_off += e.ranked ? 1 : 0;
  EXPECT_EQ(ranked_off, 2);

  // A first-phase model picks what joins: one that reads the text score alone takes the
  // best text match below the window, not C1; the variant's model still orders the pool.
  const std::string first_phase = (dir.path() / "text_first.json").string();
  std::ofstream(first_phase) << R"({"format": "tailor-model", "version": 1, "kind": "linear",
      "name": "text-first", "features": ["text_score"],
      "normalization": {"mean": [0], "std": [1]}, "linear": {"weights": [1], "bias": 0}})";
  std::ofstream(scoring) << R"({"variants": {"default": {"model": ")" TAILOR_SOURCE_DIR
                            R"(/tests/data/models/hand_set.json", "candidate_depth": 2,
                            "personal_scan_depth": 10, "personal_depth": 1,
                            "first_phase_model": ")"
                         << first_phase << R"("}}})";
  ASSERT_TRUE(engine->ReloadScoring().ok());
  Result<SearchResponse> by_text = engine->Search(Query("parka"), v1);
  ASSERT_TRUE(by_text.ok()) << by_text.error().message;
  std::set<std::string> pool;
  for (size_t i = 0; i < by_text->result.hits.size(); ++i) {
    if (by_text->explanations[i].ranked) pool.insert(by_text->result.hits[i].id);
  }
  ASSERT_NE(text_order[2], "C1") << "the text-first pick must differ from the model's";
  EXPECT_EQ(pool, (std::set<std::string>{text_order[0], text_order[1], text_order[2]}));
}

TEST(Engine, VisitorsShareOneCachedTextResultAndGetTheirOwnOrders) {
  TempDir dir;
  std::unique_ptr<Engine> engine = Open(dir);
  ASSERT_NE(engine, nullptr);
  ASSERT_TRUE(IngestNow(*engine, R"({"events": [
      {"type": "add_to_cart", "visitor": "borealis-fan", "item": "B2"},
      {"type": "purchase", "visitor": "borealis-fan", "item": "B1"},
      {"type": "add_to_cart", "visitor": "acme-fan", "item": "A2"},
      {"type": "purchase", "visitor": "acme-fan", "item": "A1"}]})")
                  .ok());
  SearchContext borealis_fan;
  borealis_fan.visitor = "borealis-fan";
  // Two searches: a result is kept from its second run on.
  ASSERT_TRUE(engine->Search(Query("parka"), borealis_fan).ok());
  Result<SearchResponse> first = engine->Search(Query("parka"), borealis_fan);
  ASSERT_TRUE(first.ok()) << first.error().message;
  const searcher::SearchCacheStats before = engine->CacheStats();
  SearchContext acme_fan;
  acme_fan.visitor = "acme-fan";
  Result<SearchResponse> second = engine->Search(Query("parka"), acme_fan);
  ASSERT_TRUE(second.ok()) << second.error().message;
  const searcher::SearchCacheStats after = engine->CacheStats();
  // The second visitor's text candidates came from the first one's search.
  EXPECT_EQ(after.results.hits, before.results.hits + 1);
  EXPECT_EQ(after.results.misses, before.results.misses);
  EXPECT_TRUE(first->personalized);
  EXPECT_TRUE(second->personalized);
  EXPECT_EQ(first->result.total, second->result.total);
  ASSERT_FALSE(first->result.hits.empty());
  ASSERT_FALSE(second->result.hits.empty());
  EXPECT_EQ(first->result.hits[0].id[0], 'B') << first->result.hits[0].id;
  EXPECT_EQ(second->result.hits[0].id[0], 'A') << second->result.hits[0].id;
  EXPECT_FALSE(second->result.hits[0].stored_json.empty());
}

TEST(Engine, ForgetRemovesTheProfileAndSaysWhetherAnythingWasKnown) {
  TempDir dir;
  std::unique_ptr<Engine> engine = Open(dir);
  ASSERT_NE(engine, nullptr);
  ASSERT_TRUE(IngestNow(*engine, R"({"events": [{"type": "view", "visitor": "gone", "item": "A1"}]})").ok());
  ASSERT_TRUE(engine->Profile("gone").has_value());
  Result<bool> forgot = ForgetNow(*engine, "gone");
  ASSERT_TRUE(forgot.ok()) << forgot.error().message;
  EXPECT_TRUE(*forgot);
  EXPECT_FALSE(engine->Profile("gone").has_value());
  Result<bool> again = ForgetNow(*engine, "gone");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
}

TEST(Engine, RerankReportsUnknownIdsAndKeepsTheFirstOfARepeat) {
  TempDir dir;
  std::unique_ptr<Engine> engine = Open(dir);
  ASSERT_NE(engine, nullptr);
  RerankRequest request;
  request.items = {"C1", "nope", "A2", "C1"};
  Result<RerankResponse> ranked = engine->Rerank(request, {});
  ASSERT_TRUE(ranked.ok()) << ranked.error().message;
  EXPECT_THAT(IdsOf(ranked->hits), ElementsAre("C1", "A2"));
  EXPECT_THAT(ranked->unknown, ElementsAre("nope"));
  Result<RerankResponse> empty = engine->Rerank(RerankRequest{}, {});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
}

TEST(Engine, RecommendChecksTypeLimitItemAndVariant) {
  TempDir dir;
  std::unique_ptr<Engine> engine = Open(dir);
  ASSERT_NE(engine, nullptr);
  Result<RerankResponse> unknown_type = engine->Recommend({"bestsellers", "A1", 10}, {});
  ASSERT_FALSE(unknown_type.ok());
  EXPECT_THAT(unknown_type.error().message, HasSubstr("type: unknown \"bestsellers\""));
  Result<RerankResponse> too_many = engine->Recommend({"similar", "A1", 101}, {});
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().message, "limit: must be in [1, 100]");
  Result<RerankResponse> no_item = engine->Recommend({"similar", "ZZ", 10}, {});
  ASSERT_FALSE(no_item.ok());
  EXPECT_EQ(no_item.error().code, ErrorCode::kNotFound);
  SearchContext context;
  context.variant = "nope";
  Result<RerankResponse> no_variant = engine->Recommend({"similar", "A1", 10}, context);
  ASSERT_FALSE(no_variant.ok());
  EXPECT_EQ(no_variant.error().code, ErrorCode::kInvalidArgument);
}

TEST(Engine, SimilarLeavesOutTheSeedAndPrefersItsKind) {
  TempDir dir;
  std::unique_ptr<Engine> engine = Open(dir);
  ASSERT_NE(engine, nullptr);
  Result<RerankResponse> similar = engine->Recommend({"similar", "A1", 3}, {});
  ASSERT_TRUE(similar.ok()) << similar.error().message;
  ASSERT_FALSE(similar->hits.empty());
  const std::vector<std::string> ids = IdsOf(similar->hits);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "A1"), 0);
  EXPECT_EQ(ids[0], "A2") << "the same deepest category, brand and price band";
}

TEST(Engine, AlsoBoughtLearnsFromOtherVisitorsBaskets) {
  TempDir dir;
  std::unique_ptr<Engine> engine = Open(dir);
  ASSERT_NE(engine, nullptr);
  ASSERT_TRUE(IngestNow(*engine, R"({"events": [
      {"type": "purchase", "visitor": "a", "item": "A1"},
      {"type": "purchase", "visitor": "a", "item": "A3"},
      {"type": "purchase", "visitor": "b", "item": "A1"},
      {"type": "purchase", "visitor": "b", "item": "A3"}]})")
                  .ok());
  Result<RerankResponse> also = engine->Recommend({"also_bought", "A1", 5}, {});
  ASSERT_TRUE(also.ok()) << also.error().message;
  ASSERT_FALSE(also->hits.empty());
  EXPECT_EQ(also->hits[0].id, "A3");
}

// co_viewed: what others looked at together with the visitor's last views, from every
// visitor's views, on the next search; kept across a restart (rebuilt from the event log).
TEST(Engine, CoViewedComesFromOtherVisitorsViewsAndSurvivesARestart) {
  TempDir dir;
  auto co_viewed_of = [](Engine& engine, const std::string& id) -> std::optional<float> {
    SearchContext v;
    v.visitor = "v";
    v.explain = true;
    Result<SearchResponse> found = engine.Search(Query("parka"), v);
    if (!found.ok() || !found->personalized) return std::nullopt;
    for (size_t i = 0; i < found->result.hits.size(); ++i) {
      if (found->result.hits[i].id == id && found->explanations[i].ranked) {
        return found->explanations[i].features[ranking::kCoViewed];
      }
    }
    return std::nullopt;
  };
  {
    std::unique_ptr<Engine> engine = Open(dir);
    ASSERT_NE(engine, nullptr);
    ASSERT_TRUE(IngestNow(*engine, R"({"events": [
        {"type": "view", "visitor": "a", "item": "A1"},
        {"type": "view", "visitor": "a", "item": "B1"},
        {"type": "view", "visitor": "b", "item": "A1"},
        {"type": "click", "visitor": "b", "item": "B1"},
        {"type": "view", "visitor": "v", "item": "A1"}]})")
                    .ok());
    std::optional<float> b1 = co_viewed_of(*engine, "B1");
    ASSERT_TRUE(b1.has_value());
    // A1 and B1 each looked at by the two others together; A1 once more by v alone.
    EXPECT_NEAR(*b1, 2.0 / std::sqrt(3.0 * 2.0), 1e-5);
    std::optional<float> a2 = co_viewed_of(*engine, "A2");
    ASSERT_TRUE(a2.has_value());
    EXPECT_EQ(*a2, 0) << "nobody looked at A2";
    std::optional<float> a1 = co_viewed_of(*engine, "A1");
    ASSERT_TRUE(a1.has_value());
    EXPECT_EQ(*a1, 0) << "an item is not its own neighbour";
  }
  std::unique_ptr<Engine> reopened = Open(dir);
  ASSERT_NE(reopened, nullptr);
  std::optional<float> b1 = co_viewed_of(*reopened, "B1");
  ASSERT_TRUE(b1.has_value());
  EXPECT_NEAR(*b1, 2.0 / std::sqrt(3.0 * 2.0), 1e-5) << "rebuilt from the events kept";
}

TEST(Engine, ReloadWithoutAConfigFileIsAFailedPrecondition) {
  TempDir dir;
  EngineOptions options;
  options.index_dir = BuildSampleIndex(dir.path());
  Result<std::unique_ptr<Engine>> engine = Engine::Open(options);
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  Status reload = (*engine)->ReloadScoring();
  ASSERT_FALSE(reload.ok());
  EXPECT_EQ(reload.error().code, ErrorCode::kFailedPrecondition);
  std::unique_ptr<Engine> configured = Open(dir);
  ASSERT_NE(configured, nullptr);
  EXPECT_TRUE(configured->ReloadScoring().ok());
}

TEST(Engine, EventsWithoutAStateDirectoryAreUnavailable) {
  TempDir dir;
  EngineOptions options;
  options.index_dir = BuildSampleIndex(dir.path());
  Result<std::unique_ptr<Engine>> engine = Engine::Open(options);
  ASSERT_TRUE(engine.ok());
  Status ingested = IngestNow(**engine, R"({"events": [{"type": "view", "visitor": "v", "item": "A1"}]})");
  ASSERT_FALSE(ingested.ok());
  EXPECT_EQ(ingested.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE((*engine)->Profile("v").has_value());
}

TEST(Engine, RequestIdsDoNotRepeat) {
  TempDir dir;
  std::unique_ptr<Engine> engine = Open(dir);
  ASSERT_NE(engine, nullptr);
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(engine->NewRequestId());
  EXPECT_EQ(ids.size(), 1000u);
}

}  // namespace
}  // namespace tailor::server
