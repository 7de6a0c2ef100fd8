// The learned text model (searcher/internal/text_model.h): its features on hand-made titles,
// and a searcher that reorders its best matches with a hand-written model file.
#include "searcher/internal/text_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "core/item_table.h"
#include "core/product.h"
#include "tests/searcher/test_catalog.h"

namespace tailor::searcher {
namespace {

using internal::TextFeatureNames;
using internal::TitleQuery;
using testing::BuildIndex;
using testing::Ids;
using testing::MustSearch;
using testing::OpenSearcher;
using testing::Query;
using testing::TempDir;

std::shared_ptr<const ItemTable> Titles(const std::vector<std::string>& titles) {
  ItemTableBuilder builder;
  for (size_t i = 0; i < titles.size(); ++i) {
    Product product;
    product.id = "p";
    product.id += std::to_string(i + 1);
    product.title = titles[i];
    builder.Set(static_cast<ItemTable::Row>(i + 1), product);
  }
  return builder.Finish();
}

std::vector<float> FeaturesOf(const ItemTable& items, const std::string& query, ItemTable::Row row,
                              int rank = 0) {
  TitleQuery title_query(items, query, [](std::string_view word) {
    return word == "ceramic" ? 3.0 : 1.0;  // a rare word and common ones
  });
  std::vector<float> out(internal::kTextFeatureCount, -99.0f);
  title_query.Compute(row, rank, 0.5, /*strict=*/false, out);
  return out;
}

TEST(TextFeatures, NameEveryFeatureOnce) {
  const std::vector<std::string>& names = TextFeatureNames();
  ASSERT_EQ(names.size(), static_cast<size_t>(internal::kTextFeatureCount));
  std::set<std::string> distinct(names.begin(), names.end());
  EXPECT_EQ(distinct.size(), names.size());
}

TEST(TextFeatures, SayHowATitleMeetsTheQueryWords) {
  auto items = Titles({"Lenape 24 in. Towel Bars", "Ceramic Towel Bar Holder", "Bar Stool"});
  // "ceramic towel bar" against "Lenape 24 in. Towel Bars": two of three words (the plural
  // meets the singular), the last word at the end, side by side with "towel".
  std::vector<float> f = FeaturesOf(*items, "ceramic towel bar", 1, 3);
  EXPECT_FLOAT_EQ(f[internal::kLogRank], std::log2(5.0f));
  EXPECT_FLOAT_EQ(f[internal::kStrict], 0.0f);
  EXPECT_FLOAT_EQ(f[internal::kRelativeScore], 0.5f);
  EXPECT_FLOAT_EQ(f[internal::kQueryWords], 3.0f);
  EXPECT_FLOAT_EQ(f[internal::kMatchedShare], 2.0f / 3);
  EXPECT_FLOAT_EQ(f[internal::kIdfMatchedShare], 2.0f / 5);
  EXPECT_FLOAT_EQ(f[internal::kMatchedIdf], 2.0f);
  EXPECT_FLOAT_EQ(f[internal::kMaxUnmatchedIdf], 3.0f);
  EXPECT_FLOAT_EQ(f[internal::kUnmatchedWords], 1.0f);
  EXPECT_FLOAT_EQ(f[internal::kNumbersMatched], -1.0f);  // the query has no number
  EXPECT_FLOAT_EQ(f[internal::kLastWordMatched], 1.0f);
  EXPECT_FLOAT_EQ(f[internal::kFirstWordMatched], 0.0f);
  EXPECT_FLOAT_EQ(f[internal::kLastWordPosition], 4.0f / 5);  // lenape 24 in towel bars
  EXPECT_FLOAT_EQ(f[internal::kFirstWordPosition], 1.5f);     // not in the title
  EXPECT_FLOAT_EQ(f[internal::kAdjacentPairs], 0.5f);         // towel bar, not ceramic towel
  EXPECT_FLOAT_EQ(f[internal::kMatchSpan], 1.0f);             // two words in two places
  EXPECT_FLOAT_EQ(f[internal::kTitleWords], 5.0f);
  EXPECT_FLOAT_EQ(f[internal::kTitleWordsInQuery], 2.0f / 4);  // lenape in towel bars
  EXPECT_FLOAT_EQ(f[internal::kQueryWordOccurrences], 2.0f / 5);
  EXPECT_FLOAT_EQ(f[internal::kTitleFirstWordInQuery], 0.0f);  // lenape
  EXPECT_FLOAT_EQ(f[internal::kTitleLastWordInQuery], 1.0f);   // bars

  // Every word, in order, from the start: the best title for the query.
  std::vector<float> g = FeaturesOf(*items, "ceramic towel bar", 2);
  EXPECT_FLOAT_EQ(g[internal::kMatchedShare], 1.0f);
  EXPECT_FLOAT_EQ(g[internal::kAdjacentPairs], 1.0f);
  EXPECT_FLOAT_EQ(g[internal::kFirstWordPosition], 0.0f);
  EXPECT_FLOAT_EQ(g[internal::kTitleLastWordInQuery], 0.0f);  // holder
  EXPECT_FLOAT_EQ(g[internal::kUnmatchedWords], 0.0f);
  EXPECT_GT(g[internal::kTrigramSimilarity], f[internal::kTrigramSimilarity]);
}

TEST(TextFeatures, NumbersTrigramsAndMisspelledPrefixes) {
  auto items = Titles({"Fluorescent Light Bulb 24 in.", "fluorescent light bulb"});
  // "lightbulb" is no title word, but "light" starts with its first four letters.
  std::vector<float> f = FeaturesOf(*items, "24 in lightbulb", 1);
  EXPECT_FLOAT_EQ(f[internal::kNumbersMatched], 1.0f);
  EXPECT_FLOAT_EQ(f[internal::kUnmatchedPrefixes], 1.0f);
  EXPECT_FLOAT_EQ(f[internal::kUnmatchedWords], 1.0f);
  EXPECT_FLOAT_EQ(f[internal::kLastWordMatched], 0.0f);
  // The same words as the title: trigram similarity 1.
  EXPECT_FLOAT_EQ(FeaturesOf(*items, "Fluorescent LIGHT bulb", 2)[internal::kTrigramSimilarity],
                  1.0f);
}

// A one-tree model: titles of fewer than 4 words score 1, longer ones 0.
std::string WriteShortTitlesFirstModel(const TempDir& dir) {
  const std::string path = dir.Path("text.json");
  std::ofstream(path) << R"({"format": "tailor-text-model-1", "features": ["title_words"],
    "trees": [{"nodeid": 0, "split": "title_words", "split_condition": 4, "yes": 1, "no": 2,
               "missing": 2, "children": [{"nodeid": 1, "leaf": 1}, {"nodeid": 2, "leaf": 0}]}]})";
  return path;
}

// Test options with that model reordering the best `depth` matches.
SearcherOptions WithShortTitlesFirst(const TempDir& dir, int depth = 300) {
  SearcherOptions options = testing::TestOptions();
  options.text_model = WriteShortTitlesFirstModel(dir);
  options.text_model_depth = depth;
  return options;
}

// ids with their first `depth` stably reordered as that model does: short titles first.
std::vector<std::string> ShortTitlesFirst(std::vector<std::string> ids, size_t depth) {
  std::stable_partition(ids.begin(), ids.begin() + static_cast<long>(std::min(depth, ids.size())),
                        [](const std::string& id) { return id.starts_with("short"); });
  return ids;
}

std::vector<std::string> ParkaCatalog() {
  return {R"({"id":"long1","title":"Parka parka with a warm hood","price":10})",
          R"({"id":"long2","title":"Parka parka in navy blue wool","price":10})",
          R"({"id":"short1","title":"Parka coat","price":10})",
          R"({"id":"short2","title":"Winter parka","price":10})",
          R"({"id":"long3","title":"Parka for rain and snow days","price":10})"};
}

TEST(TextModel, ReordersTheBestMatchesOfEveryListAndPagesThroughTheReorderedList) {
  TempDir dir;
  BuildIndex(dir, ParkaCatalog());
  std::unique_ptr<Searcher> bm25 = OpenSearcher(dir);
  std::unique_ptr<Searcher> model = OpenSearcher(dir, WithShortTitlesFirst(dir));
  ASSERT_NE(bm25, nullptr);
  ASSERT_NE(model, nullptr);

  Result<std::vector<Hit>> before = bm25->Retrieve(Query("parka"), 5);
  ASSERT_TRUE(before.ok()) << before.error().message;
  // The model's order: the short titles first, each group in BM25 order.
  const std::vector<std::string> expected = ShortTitlesFirst(Ids(*before), 5);
  ASSERT_NE(Ids(*before), expected) << "the model must change this order to be tested";

  Result<std::vector<Hit>> after = model->Retrieve(Query("parka"), 5);
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(Ids(*after), expected);
  for (size_t i = 0; i < after->size(); ++i) EXPECT_EQ((*after)[i].rank, static_cast<int>(i));
  // A shallower list is cut from the reordered deeper one.
  Result<std::vector<Hit>> two = model->Retrieve(Query("parka"), 2);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(Ids(*two), (std::vector<std::string>{expected[0], expected[1]}));

  Result<CandidateResult> candidates = model->SearchCandidates(Query("parka"), 5);
  ASSERT_TRUE(candidates.ok());
  EXPECT_EQ(Ids(candidates->result.hits), expected);
  EXPECT_EQ(candidates->result.total, 5);

  // Pages of Search: the second page of two continues the reordered list, with stored data.
  SearchRequest page = Query("parka");
  page.limit = 2;
  page.offset = 2;
  SearchResult second = MustSearch(*model, page);
  EXPECT_EQ(Ids(second.hits), (std::vector<std::string>{expected[2], expected[3]}));
  EXPECT_EQ(second.total, 5);
  for (const Hit& hit : second.hits) EXPECT_NE(hit.stored_json.find(hit.id), std::string::npos);
  // Asked again (from the result cache), the same page.
  EXPECT_EQ(Ids(MustSearch(*model, page).hits), Ids(second.hits));
  EXPECT_EQ(Ids(MustSearch(*model, page).hits), Ids(second.hits));

  // Without words there is nothing to reorder: browse order as without the model.
  EXPECT_EQ(Ids(MustSearch(*model, Query("")).hits), Ids(MustSearch(*bm25, Query("")).hits));
}

TEST(TextModel, ReordersOnlyTheFirstTextModelDepthMatches) {
  TempDir dir;
  BuildIndex(dir, ParkaCatalog());
  Result<std::vector<Hit>> before = OpenSearcher(dir)->Retrieve(Query("parka"), 5);
  ASSERT_TRUE(before.ok()) << before.error().message;
  const std::vector<std::string> everything = ShortTitlesFirst(Ids(*before), 5);
  int partial = 0;  // depths that move some hits but leave a short title below them
  for (int depth = 2; depth <= 4; ++depth) {
    Result<std::vector<Hit>> after =
        OpenSearcher(dir, WithShortTitlesFirst(dir, depth))->Retrieve(Query("parka"), 5);
    ASSERT_TRUE(after.ok()) << after.error().message;
    const std::vector<std::string> expected = ShortTitlesFirst(Ids(*before), depth);
    EXPECT_EQ(Ids(*after), expected) << "text_model_depth " << depth;
    partial += expected != Ids(*before) && expected != everything;
  }
  EXPECT_GT(partial, 0) << "no depth tells a partial reordering from none or a whole one";
}

TEST(TextModel, AModelThatCannotBeReadStopsTheSearcherFromOpening) {
  TempDir dir;
  BuildIndex(dir, ParkaCatalog());
  SearcherOptions options = testing::TestOptions();
  options.text_model = dir.Path("missing.json");
  Result<std::unique_ptr<Searcher>> missing = Searcher::Open(dir.Path("index"), options);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("searcher.text_model"), std::string::npos);
  EXPECT_NE(missing.error().message.find("missing.json"), std::string::npos);

  options.text_model = dir.Path("bad.json");
  std::ofstream(options.text_model) << R"({"format": "tailor-text-model-1",
    "features": ["shoe_size"], "trees": [{"nodeid": 0, "leaf": 1}]})";
  Result<std::unique_ptr<Searcher>> bad = Searcher::Open(dir.Path("index"), options);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("shoe_size"), std::string::npos) << bad.error().message;
}

TEST(TextModel, TheBundledModelLoadsWithTheFeaturesTailorComputes) {
  TempDir dir;
  BuildIndex(dir, ParkaCatalog());
  SearcherOptions options = testing::TestOptions();
  options.text_model = std::string(TAILOR_SOURCE_DIR) + "/config/models/text.json";
  std::unique_ptr<Searcher> searcher = OpenSearcher(dir, options);
  ASSERT_NE(searcher, nullptr);
  Result<std::vector<Hit>> hits = searcher->Retrieve(Query("winter parka"), 5);
  ASSERT_TRUE(hits.ok()) << hits.error().message;
  EXPECT_EQ(hits->size(), 5u);
}

}  // namespace
}  // namespace tailor::searcher
