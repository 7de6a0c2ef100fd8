// How the searcher handles the shopper's text: search-as-you-type on the last word,
// AND-to-OR relaxation (fill and replace), spelling reruns and measurement normalization.
#include <gtest/gtest.h>

#include <algorithm>

#include "searcher/searcher.h"
#include "tests/searcher/test_catalog.h"

namespace tailor::searcher {
namespace {

using testing::BuildIndex;
using testing::Ids;
using testing::MustSearch;
using testing::OpenSearcher;
using testing::Query;
using testing::ShopCatalog;
using testing::SortedIds;
using testing::TempDir;

TEST(QueryHandling, UnfinishedLastWordMatchesAsPrefix) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  SearchResult result = MustSearch(*searcher, Query("jack"));
  EXPECT_EQ(SortedIds(result), (std::vector<std::string>{"p1", "p2", "p5", "p6"}));
  EXPECT_FALSE(result.relaxed);
  EXPECT_FALSE(result.corrected);
  SearchRequest two_words = Query("down jack");
  two_words.limit = 1;  // a full page of AND matches: no OR fill
  EXPECT_EQ(Ids(MustSearch(*searcher, two_words).hits), (std::vector<std::string>{"p2"}));
}

TEST(QueryHandling, AutoPrefixLeavesAFinishedWordAlone) {
  TempDir dir;
  std::vector<std::string> catalog = ShopCatalog();
  catalog.push_back(
      R"({"id":"p7","title":"Jack Wolfskin Fleece","brand":"Jack Wolfskin","price":90})");
  BuildIndex(dir, catalog);
  auto searcher = OpenSearcher(dir);
  // "jack" is a word of the index (the brand): taken as typed, not as "jacket".
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("jack"))), (std::vector<std::string>{"p7"}));
  SearchRequest request = Query("jack");
  request.prefix_last_word = PrefixMode::kOn;
  EXPECT_EQ(SortedIds(MustSearch(*searcher, request)),
            (std::vector<std::string>{"p1", "p2", "p5", "p6", "p7"}));
}

TEST(QueryHandling, PrefixCanBeSwitchedOffPerRequestAndEndsAtASpace) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  SearcherOptions options = testing::TestOptions();
  options.spelling_rerun = false;
  auto searcher = OpenSearcher(dir, options);
  SearchRequest request = Query("jack");
  request.prefix_last_word = PrefixMode::kOff;
  EXPECT_EQ(MustSearch(*searcher, request).total, 0);
  EXPECT_EQ(MustSearch(*searcher, Query("jack ")).total, 0);
  options.prefix_last_word = PrefixMode::kOff;
  EXPECT_EQ(MustSearch(*OpenSearcher(dir, options), Query("jack")).total, 0);
}

TEST(QueryHandling, AndRelaxesToOrWhenNothingMatches) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  SearchResult result = MustSearch(*searcher, Query("leather cotton "));
  EXPECT_TRUE(result.relaxed);
  EXPECT_EQ(SortedIds(result), (std::vector<std::string>{"p4", "p5"}));

  SearchRequest one_page = Query("rain jacket ");  // AND: p1, p5, p6 fill the page
  one_page.limit = 3;
  SearchResult strict = MustSearch(*searcher, one_page);
  EXPECT_FALSE(strict.relaxed);
  EXPECT_EQ(strict.total, 3);
}

TEST(QueryHandling, FillRanksEveryAndMatchAboveOrOnlyMatches) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  // AND: p1, p6 (title) and p5 (description); OR adds p2, whose title "Down Jacket"
  // outscores p5's description on "jacket" alone, yet comes last.
  SearchResult result = MustSearch(*searcher, Query("rain jacket "));
  EXPECT_TRUE(result.relaxed);
  EXPECT_EQ(result.total, 4);
  ASSERT_EQ(result.hits.size(), 4u);
  EXPECT_EQ(result.hits[3].id, "p2");
  std::vector<std::string> and_ids = Ids({result.hits.begin(), result.hits.begin() + 3});
  std::sort(and_ids.begin(), and_ids.end());
  EXPECT_EQ(and_ids, (std::vector<std::string>{"p1", "p5", "p6"}));
  for (const Hit& hit : result.hits) EXPECT_LT(hit.score, 1000) << "boost left in the score";
  EXPECT_EQ(result.facets.brand.size(), 3u);  // Nike, Adidas, Puma: facets of the union

  SearchRequest second_page = Query("rain jacket ");
  second_page.offset = 3;
  second_page.limit = 1;
  EXPECT_EQ(Ids(MustSearch(*searcher, second_page).hits), (std::vector<std::string>{"p2"}));
}

TEST(QueryHandling, RelaxationCanBeSwitchedOff) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  SearcherOptions options = testing::TestOptions();
  options.relax_mode = RelaxMode::kOff;
  auto searcher = OpenSearcher(dir, options);
  SearchResult result = MustSearch(*searcher, Query("leather cotton "));
  EXPECT_FALSE(result.relaxed);
  EXPECT_EQ(result.total, 0);
}

TEST(QueryHandling, ReplaceModeRelaxesOnlyBelowTheThreshold) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  SearcherOptions options = testing::TestOptions();
  options.relax_mode = RelaxMode::kReplace;
  auto searcher = OpenSearcher(dir, options);
  EXPECT_FALSE(MustSearch(*searcher, Query("rain jacket ")).relaxed);
  EXPECT_TRUE(MustSearch(*searcher, Query("leather cotton ")).relaxed);
}

TEST(QueryHandling, RerunsTheSpellingSuggestionWhenNothingMatches) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  SearchResult result = MustSearch(*searcher, Query("jakcet"));
  EXPECT_TRUE(result.corrected);
  EXPECT_EQ(result.did_you_mean, "jacket");
  EXPECT_EQ(result.query, "jakcet");
  EXPECT_EQ(SortedIds(result), (std::vector<std::string>{"p1", "p2", "p5", "p6"}));
  SearchResult right = MustSearch(*searcher, Query("jacket"));
  EXPECT_EQ(right.did_you_mean, "");
  EXPECT_FALSE(right.corrected);
}

TEST(QueryHandling, SuggestsSpellingWithoutRerunWhenSwitchedOff) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  SearcherOptions options = testing::TestOptions();
  options.spelling_rerun = false;
  auto searcher = OpenSearcher(dir, options);
  SearchResult result = MustSearch(*searcher, Query("jakcet"));
  EXPECT_EQ(result.total, 0);
  EXPECT_FALSE(result.corrected);
  EXPECT_EQ(result.did_you_mean, "jacket");
}

TEST(QueryHandling, SuggestsSpellingBesideRelaxedResults) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  // No product has "leather" and "jacket" either: the corrected text's relaxed results
  // replace the typed text's, in which "jakcet" matched nothing.
  SearchResult result = MustSearch(*searcher, Query("leather jakcet"));
  EXPECT_TRUE(result.relaxed);
  EXPECT_TRUE(result.corrected);
  EXPECT_EQ(SortedIds(result), (std::vector<std::string>{"p1", "p2", "p4", "p5", "p6"}));
  EXPECT_EQ(result.did_you_mean, "leather jacket");

  SearcherOptions options = testing::TestOptions();
  options.spelling_rerun_relaxed = false;  // the typed text's relaxed results stay
  SearchResult as_typed = MustSearch(*OpenSearcher(dir, options), Query("leather jakcet"));
  EXPECT_TRUE(as_typed.relaxed);
  EXPECT_FALSE(as_typed.corrected);
  EXPECT_EQ(SortedIds(as_typed), (std::vector<std::string>{"p4"}));
  EXPECT_EQ(as_typed.did_you_mean, "leather jacket");
}

TEST(QueryHandling, RerunsTheSuggestionWhenNoProductHasEveryWord) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  // "rain" alone would relax to every rain item; the corrected words are all in p1 and p6.
  SearchResult result = MustSearch(*searcher, Query("rain jakcet"));
  EXPECT_TRUE(result.corrected);
  EXPECT_EQ(result.did_you_mean, "rain jacket");
  EXPECT_EQ(SortedIds(result), (std::vector<std::string>{"p1", "p2", "p5", "p6"}));
  EXPECT_EQ(Ids(result.hits)[2], "p5");  // the fill of "rain jacket": p2 and p5 follow

  SearcherOptions options = testing::TestOptions();
  options.spelling_rerun_when = SpellingRerunWhen::kNoMatch;
  SearchResult relaxed = MustSearch(*OpenSearcher(dir, options), Query("rain jakcet"));
  EXPECT_FALSE(relaxed.corrected);
  EXPECT_TRUE(relaxed.relaxed);
}

TEST(QueryHandling, KnownWordsAreNotCorrectedIntoOthers) {
  TempDir dir;
  std::vector<std::string> catalog = ShopCatalog();
  catalog.push_back(R"({"id":"c1","title":"Candle Holder","price":9})");
  for (int i = 0; i < 5; ++i) {
    catalog.push_back(R"({"id":"h)" + std::to_string(i) +
                      R"(","title":"Window Handle","price":4})");
  }
  BuildIndex(dir, catalog);
  auto searcher = OpenSearcher(dir);
  // No product has both words; "candle" is a word of the index, not a typo of "handle".
  SearchResult result = MustSearch(*searcher, Query("window candle"));
  EXPECT_FALSE(result.corrected);
  EXPECT_TRUE(result.relaxed);
  EXPECT_EQ(Ids(result.hits)[0], "c1");  // the rarer word weighs most
}

TEST(QueryHandling, SplitsAWordRunTogether) {
  TempDir dir;
  std::vector<std::string> catalog = ShopCatalog();
  catalog.push_back(R"({"id":"s1","title":"Cordless Snow Blower","price":300})");
  catalog.push_back(R"({"id":"s2","title":"Snow Shovel","price":30})");
  BuildIndex(dir, catalog);
  auto searcher = OpenSearcher(dir);
  SearchResult result = MustSearch(*searcher, Query("snowblower"));
  EXPECT_TRUE(result.corrected);
  EXPECT_EQ(result.did_you_mean, "snow blower");
  EXPECT_EQ(Ids(result.hits)[0], "s1");
}

TEST(QueryHandling, NumbersAndMeasurementsAreNotCorrected) {
  TempDir dir;
  std::vector<std::string> catalog = ShopCatalog();
  catalog.push_back(R"({"id":"n1","title":"Brass 1/2 in. NPT Elbow","price":5})");
  catalog.push_back(R"({"id":"n2","title":"Bath Rug 72 in. x 45 in.","price":30})");
  BuildIndex(dir, catalog);
  auto searcher = OpenSearcher(dir);
  // "ntp" is the typo; "1/2" and "27" are not typos of "12" or "72".
  SearchResult pipe = MustSearch(*searcher, Query("1/2 ntp elbow"));
  EXPECT_TRUE(pipe.corrected);
  EXPECT_EQ(pipe.did_you_mean, "1/2 npt elbow");
  EXPECT_EQ(Ids(pipe.hits)[0], "n1");
  SearchResult rug = MustSearch(*searcher, Query("bath rug 27x45"));
  EXPECT_FALSE(rug.corrected);
  EXPECT_EQ(rug.did_you_mean.find("72"), std::string::npos) << rug.did_you_mean;
}

TEST(QueryHandling, ThousandsSeparatorsMeetPlainNumbers) {
  TempDir dir;
  std::vector<std::string> catalog = ShopCatalog();
  catalog.push_back(
      R"({"id":"a1","title":"Frigidaire 8,000 BTU Window Air Conditioner","price":199})");
  BuildIndex(dir, catalog);
  auto searcher = OpenSearcher(dir);
  EXPECT_EQ(Ids(MustSearch(*searcher, Query("8000 btu")).hits), (std::vector<std::string>{"a1"}));
  EXPECT_EQ(Ids(MustSearch(*searcher, Query("8,000 btu")).hits), (std::vector<std::string>{"a1"}));
}

TEST(QueryHandling, RelaxesBelowAConfiguredMatchCount) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  SearcherOptions options = testing::TestOptions();
  options.relax_mode = RelaxMode::kReplace;
  options.relax_below = 2;
  auto searcher = OpenSearcher(dir, options);
  SearchResult result = MustSearch(*searcher, Query("down jacket "));  // AND: only p2
  EXPECT_TRUE(result.relaxed);
  EXPECT_EQ(SortedIds(result), (std::vector<std::string>{"p1", "p2", "p5", "p6"}));
  EXPECT_EQ(result.hits[0].id, "p2");  // the item with both words still ranks first
}

TEST(QueryHandling, CandidateModeFillsToTheDepth) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  Result<std::vector<Hit>> hits = searcher->Retrieve(Query("rain jacket"), 10);
  ASSERT_TRUE(hits.ok()) << hits.error().message;
  ASSERT_EQ(hits->size(), 4u);
  EXPECT_EQ(hits->back().id, "p2");  // the OR-only match comes after the AND matches
  EXPECT_EQ(hits->back().rank, 3);
}

TEST(QueryHandling, MeasurementsInTheQueryAreNormalized) {
  TempDir dir;
  std::vector<std::string> catalog = ShopCatalog();
  catalog.push_back(R"({"id":"t1","title":"DEWALT 18-Volt Cordless Drill","price":99})");
  catalog.push_back(R"({"id":"t2","title":"Marble Tile 12 in. x 12 in.","price":5})");
  BuildIndex(dir, catalog);
  SearcherOptions options = testing::TestOptions();
  options.spelling_rerun = false;
  auto searcher = OpenSearcher(dir, options);
  EXPECT_EQ(Ids(MustSearch(*searcher, Query("18v drill")).hits), (std::vector<std::string>{"t1"}));
  EXPECT_EQ(Ids(MustSearch(*searcher, Query("12x12 tile")).hits), (std::vector<std::string>{"t2"}));
  options.normalize_measurements = false;
  options.relax_mode = RelaxMode::kOff;
  EXPECT_EQ(MustSearch(*OpenSearcher(dir, options), Query("18v drill")).total, 0);
}

}  // namespace
}  // namespace tailor::searcher
