// The searcher's shared caches (SearcherOptions::result_cache_bytes, stored_cache_bytes):
// a cached answer equals the one a searcher without caches gives, for random queries,
// filters, facet modes and pages (a result is kept from its second run on); an update, a swap and
// new synonyms are seen by the very next search; the byte bound holds under a stream of distinct
// queries.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "searcher/searcher.h"
#include "searcher/synonyms.h"
#include "tests/searcher/random_catalog.h"
#include "tests/searcher/test_catalog.h"

namespace tailor::searcher {
namespace {

using testing::BuildIndex;
using testing::Chance;
using testing::Describe;
using testing::Ids;
using testing::JsonLine;
using testing::kWords;
using testing::MustSearch;
using testing::OpenSearcher;
using testing::Pick;
using testing::Query;
using testing::RandomRecords;
using testing::RandomRequest;
using testing::Record;
using testing::ShopCatalog;
using testing::TempDir;
using testing::UpdateIndex;

SearcherOptions WithCaches(int64_t result_bytes, int64_t stored_bytes) {
  SearcherOptions options = testing::TestOptions();
  options.result_cache_bytes = result_bytes;
  options.stored_cache_bytes = stored_bytes;
  return options;
}

void ExpectSameFacets(const std::vector<FacetValue>& expected,
                      const std::vector<FacetValue>& actual, const std::string& what) {
  ASSERT_EQ(expected.size(), actual.size()) << what;
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(expected[i].value, actual[i].value) << what << " #" << i;
    EXPECT_EQ(expected[i].count, actual[i].count) << what << " #" << i;
  }
}

void ExpectSameHits(const std::vector<Hit>& expected, const std::vector<Hit>& actual,
                    const std::string& what) {
  ASSERT_EQ(expected.size(), actual.size()) << what;
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(expected[i].docid, actual[i].docid) << what << " hit " << i;
    EXPECT_EQ(expected[i].id, actual[i].id) << what << " hit " << i;
    EXPECT_EQ(expected[i].score, actual[i].score) << what << " hit " << i;
    EXPECT_EQ(expected[i].rank, actual[i].rank) << what << " hit " << i;
    EXPECT_EQ(expected[i].strict, actual[i].strict) << what << " hit " << i;
    EXPECT_EQ(expected[i].stored_json, actual[i].stored_json) << what << " hit " << i;
  }
}

void ExpectSameResult(const SearchResult& expected, const SearchResult& actual,
                      const std::string& what) {
  EXPECT_EQ(expected.query, actual.query) << what;
  EXPECT_EQ(expected.total, actual.total) << what;
  EXPECT_EQ(expected.relaxed, actual.relaxed) << what;
  EXPECT_EQ(expected.corrected, actual.corrected) << what;
  EXPECT_EQ(expected.did_you_mean, actual.did_you_mean) << what;
  ExpectSameHits(expected.hits, actual.hits, what);
  ExpectSameFacets(expected.facets.brand, actual.facets.brand, what + " brand");
  ExpectSameFacets(expected.facets.category, actual.facets.category, what + " category");
  ExpectSameFacets(expected.facets.size, actual.facets.size, what + " size");
  ExpectSameFacets(expected.facets.color, actual.facets.color, what + " color");
  EXPECT_EQ(expected.facets.price_min, actual.facets.price_min) << what;
  EXPECT_EQ(expected.facets.price_max, actual.facets.price_max) << what;
}

// RandomRequest with varied text: one or two words, a misspelling (spelling rerun), a word
// no product has (relaxation), a prefix (search-as-you-type) or none; both facet modes and
// a few pages.
SearchRequest VariedRequest(std::mt19937& rng) {
  SearchRequest request = RandomRequest(rng);
  const int shape = std::uniform_int_distribution<int>(0, 5)(rng);
  if (shape == 0) request.query = Pick(kWords, rng) + " " + Pick(kWords, rng);
  if (shape == 1) request.query = "alpah";
  if (shape == 2) request.query = Pick(kWords, rng) + " zulu";
  if (shape == 3) request.query = Pick(kWords, rng).substr(0, 3);
  if (Chance(0.3, rng)) request.facets = FacetMode::kConjunctive;
  request.offset = std::uniform_int_distribution<int>(0, 3)(rng);
  request.with_facets = !Chance(0.2, rng);
  return request;
}

class CachedShop : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<std::string> lines;
    for (const Record& record : RandomRecords(300, rng_)) lines.push_back(JsonLine(record));
    BuildIndex(dir_, lines);
    plain_ = OpenSearcher(dir_, WithCaches(0, 0));
    cached_ = OpenSearcher(dir_, testing::TestOptions());
    ASSERT_NE(plain_, nullptr);
    ASSERT_NE(cached_, nullptr);
  }

  std::mt19937 rng_{29};
  TempDir dir_;
  std::unique_ptr<Searcher> plain_;
  std::unique_ptr<Searcher> cached_;
};

TEST_F(CachedShop, SearchAnswersEqualTheUncachedOnes) {
  for (int i = 0; i < 150; ++i) {
    const SearchRequest request = VariedRequest(rng_);
    const SearchResult expected = MustSearch(*plain_, request);
    // The first run notes the key, the second keeps its result, the third is answered
    // from the cache.
    for (const char* run : {"first: ", "second: ", "cached: "}) {
      ExpectSameResult(expected, MustSearch(*cached_, request), run + Describe(request));
    }
  }
  const SearchCacheStats stats = cached_->CacheStats();
  EXPECT_GE(stats.results.hits, 150);
  EXPECT_GT(stats.stored.hits, 0);
  EXPECT_EQ(plain_->CacheStats().results.capacity_bytes, 0);
  EXPECT_EQ(plain_->CacheStats().results.entries, 0);
}

TEST_F(CachedShop, CandidatesAndRetrieveEqualTheUncachedOnes) {
  for (int i = 0; i < 150; ++i) {
    SearchRequest request = VariedRequest(rng_);
    const std::string what = Describe(request);
    Result<CandidateResult> expected = plain_->SearchCandidates(request, 40);
    ASSERT_TRUE(expected.ok()) << expected.error().message;
    for (int run = 0; run < 3; ++run) {
      Result<CandidateResult> actual = cached_->SearchCandidates(request, 40);
      ASSERT_TRUE(actual.ok()) << actual.error().message;
      ExpectSameResult(expected->result, actual->result, "candidates " + what);
      EXPECT_EQ(expected->items != nullptr, actual->items != nullptr) << what;
    }
    Result<std::vector<Hit>> retrieved = plain_->Retrieve(request, 30);
    ASSERT_TRUE(retrieved.ok()) << retrieved.error().message;
    for (int run = 0; run < 3; ++run) {
      Result<std::vector<Hit>> again = cached_->Retrieve(request, 30);
      ASSERT_TRUE(again.ok()) << again.error().message;
      ExpectSameHits(*retrieved, *again, "retrieve " + what);
    }
    std::vector<std::string> seeds = {"r" + std::to_string(i), "r" + std::to_string(i + 7)};
    Result<CandidateResult> similar = plain_->Similar(seeds, 10);
    ASSERT_TRUE(similar.ok()) << similar.error().message;
    for (int run = 0; run < 3; ++run) {
      Result<CandidateResult> again = cached_->Similar(seeds, 10);
      ASSERT_TRUE(again.ok()) << again.error().message;
      ExpectSameResult(similar->result, again->result, "similar r" + std::to_string(i));
    }
  }
  EXPECT_GE(cached_->CacheStats().results.hits, 3 * 150);
}

TEST_F(CachedShop, LoadStoredEqualsTheDocuments) {
  SearchRequest request = Query("alpha");
  request.limit = 30;
  Result<CandidateResult> found = cached_->SearchCandidates(request, 30);
  ASSERT_TRUE(found.ok());
  std::vector<Hit> plain_hits = found->result.hits;
  ASSERT_TRUE(plain_->LoadStored(plain_hits).ok());
  for (int run = 0; run < 2; ++run) {
    std::vector<Hit> hits = found->result.hits;
    ASSERT_TRUE(cached_->LoadStored(hits).ok());
    ExpectSameHits(plain_hits, hits, "run " + std::to_string(run));
  }
  EXPECT_GE(cached_->CacheStats().stored.hits, 30);
}

TEST(ResultCache, AnUpdateIsSeenByTheNextSearch) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  std::unique_ptr<Searcher> searcher = OpenSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  EXPECT_EQ(Ids(MustSearch(*searcher, Query("rain")).hits),
            (std::vector<std::string>{"p1", "p6", "p5"}));
  MustSearch(*searcher, Query("rain"));
  MustSearch(*searcher, Query("rain"));  // now cached
  UpdateIndex(dir, {R"({"id":"p7","title":"Rain Poncho","price":15})",
                    R"({"id":"p1","title":"Rain Jacket","brand":"Nike","price":99})"});
  const SearchResult after = MustSearch(*searcher, Query("rain"));
  std::vector<std::string> ids = Ids(after.hits);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "p7"), ids.end());
  for (const Hit& hit : after.hits) {
    if (hit.id == "p1") {
      EXPECT_NE(hit.stored_json.find("\"price\":99"), std::string::npos);
    }
  }
}

TEST(ResultCache, ASwapIsSeenByTheNextSearch) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  std::unique_ptr<Searcher> searcher = OpenSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  for (int run = 0; run < 3; ++run) EXPECT_EQ(MustSearch(*searcher, Query("boots")).total, 1);
  BuildIndex(dir, {R"({"id":"b1","title":"Hiking Boots","price":90})",
                   R"({"id":"b2","title":"Rubber Boots","price":30})"});
  const SearchResult after = MustSearch(*searcher, Query("boots"));
  EXPECT_EQ(after.total, 2);
  ASSERT_EQ(after.hits.size(), 2u);
  EXPECT_NE(after.hits[0].stored_json.find("Boots"), std::string::npos);
  EXPECT_TRUE(after.hits[0].id == "b1" || after.hits[0].id == "b2");
}

TEST(ResultCache, NewSynonymsAreSeenByTheNextSearch) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  std::unique_ptr<Searcher> searcher = OpenSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  SearchRequest request = Query("parka");
  for (int run = 0; run < 3; ++run) EXPECT_EQ(MustSearch(*searcher, request).total, 0);
  Result<std::shared_ptr<const Synonyms>> synonyms =
      ParseSynonyms(R"({"synonyms": [{"root": "parka", "synonyms": ["jacket"]}]})", "test");
  ASSERT_TRUE(synonyms.ok()) << synonyms.error().message;
  searcher->SetSynonyms(*synonyms);
  const long jackets = MustSearch(*searcher, Query("jacket")).total;
  EXPECT_GT(jackets, 0);
  EXPECT_EQ(MustSearch(*searcher, request).total, jackets);
  searcher->SetSynonyms(nullptr);
  EXPECT_EQ(MustSearch(*searcher, request).total, 0);
}

TEST(ResultCache, TheByteBoundHoldsUnderDistinctQueries) {
  TempDir dir;
  std::mt19937 rng(5);
  std::vector<std::string> lines;
  for (const Record& record : RandomRecords(200, rng)) lines.push_back(JsonLine(record));
  BuildIndex(dir, lines);
  constexpr int64_t kResultBytes = 64 << 10, kStoredBytes = 16 << 10;
  std::unique_ptr<Searcher> searcher = OpenSearcher(dir, WithCaches(kResultBytes, kStoredBytes));
  ASSERT_NE(searcher, nullptr);
  for (int i = 0; i < 2000; ++i) {
    SearchRequest request = Query(Pick(kWords, rng) + " " + std::to_string(i));
    request.limit = 10;
    MustSearch(*searcher, request);
    MustSearch(*searcher, request);  // kept from its second run on
    if (i % 100 == 99) {
      const SearchCacheStats stats = searcher->CacheStats();
      ASSERT_LE(stats.results.bytes, kResultBytes) << "after " << i + 1 << " queries";
      ASSERT_LE(stats.stored.bytes, kStoredBytes) << "after " << i + 1 << " queries";
    }
  }
  const SearchCacheStats stats = searcher->CacheStats();
  EXPECT_GT(stats.results.evictions, 0);
  EXPECT_GT(stats.results.entries, 10);
  EXPECT_EQ(stats.results.inserts, 2000);
  EXPECT_EQ(stats.results.capacity_bytes, kResultBytes);
  EXPECT_GT(stats.stored.entries, 0);
}

}  // namespace
}  // namespace tailor::searcher
