// Text matching, paging, validation and candidate mode of the searcher.
#include "searcher/searcher.h"

#include <gtest/gtest.h>

#include <xapian.h>

#include <cmath>
#include <limits>

#include "core/index_schema.h"
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

TEST(Searcher, EnglishStemmingFindsSingularForPlural) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  SearchResult result = MustSearch(*searcher, Query("jackets "));
  EXPECT_EQ(SortedIds(result), (std::vector<std::string>{"p1", "p2", "p5", "p6"}));
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("shoe "))),
            (std::vector<std::string>{"p3", "p4"}));
}

TEST(Searcher, LanguageNoneDoesNotStem) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog(), indexer::Language::kNone);
  SearcherOptions options = testing::TestOptions();
  options.spelling_rerun = false;  // which would answer "shoe" with "shoes"
  auto searcher = OpenSearcher(dir, options);
  // Only the plural "Shoes" is in the catalog; English stemming would find p3 and p4.
  EXPECT_EQ(MustSearch(*searcher, Query("shoe ")).total, 0);
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("shoes "))),
            (std::vector<std::string>{"p3", "p4"}));
}

TEST(Searcher, PhraseRequiresWordsInOrder) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  // p6 has "jacket for rain", p5's description "rain jacket".
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("\"rain jacket\""))),
            (std::vector<std::string>{"p1", "p5"}));
}

TEST(Searcher, BooleanWordsAndStrayQuotesAreNotErrors) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  for (const char* text : {"jacket AND", "OR shoes", "NOT", "\"rain jacket", "(((", "brand:",
                           "-", "+", "jacket -", "*", "title:rain jacket"}) {
    Result<SearchResult> result = searcher->Search(Query(text));
    EXPECT_TRUE(result.ok()) << text << ": " << result.error().message;
  }
  // "and" is a stopword, not an operator: p4 (boots in Women/Shoes) has both words.
  SearchRequest request = Query("shoes and boots ");
  request.limit = 1;
  SearchResult result = MustSearch(*searcher, request);
  EXPECT_EQ(Ids(result.hits), (std::vector<std::string>{"p4"}));
  EXPECT_FALSE(result.relaxed);
}

TEST(Searcher, FieldPrefixSearchesOneField) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("brand:puma "))),
            (std::vector<std::string>{"p2", "p5"}));
}

TEST(Searcher, EmptyQueryMatchesAllMostPopularFirst) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  SearchResult result = MustSearch(*searcher, Query(""));
  EXPECT_EQ(result.total, 6);
  EXPECT_EQ(Ids(result.hits), (std::vector<std::string>{"p2", "p3", "p1", "p5", "p4", "p6"}));
}

TEST(Searcher, PagesAreDisjointAndRanked) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  SearchRequest request = Query("");
  request.limit = 4;
  SearchResult first = MustSearch(*searcher, request);
  request.offset = 4;
  SearchResult second = MustSearch(*searcher, request);
  EXPECT_EQ(first.total, 6);
  EXPECT_EQ(second.total, 6);
  ASSERT_EQ(first.hits.size(), 4u);
  ASSERT_EQ(second.hits.size(), 2u);
  EXPECT_EQ(second.hits[0].rank, 4);
  EXPECT_EQ(Ids(second.hits), (std::vector<std::string>{"p4", "p6"}));
  EXPECT_NE(second.hits[0].stored_json.find("\"p4\""), std::string::npos);
  request.offset = 100;
  EXPECT_TRUE(MustSearch(*searcher, request).hits.empty());
}

TEST(Searcher, LimitZeroReturnsOnlyTotalAndFacets) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  SearchRequest request = Query("jacket");
  request.limit = 0;
  SearchResult result = MustSearch(*searcher, request);
  EXPECT_TRUE(result.hits.empty());
  EXPECT_EQ(result.total, 4);
  EXPECT_FALSE(result.facets.brand.empty());
}

void ExpectInvalid(const Searcher& searcher, const SearchRequest& request,
                   const std::string& message) {
  Result<SearchResult> result = searcher.Search(request);
  ASSERT_FALSE(result.ok()) << message;
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().message, message);
}

TEST(Searcher, RejectsBadRequestsNamingTheField) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  SearchRequest request;
  request.limit = -1;
  ExpectInvalid(*searcher, request, "limit: must be >= 0");
  request.limit = 101;
  ExpectInvalid(*searcher, request, "limit: must be at most 100");
  request = SearchRequest{};
  request.offset = -1;
  ExpectInvalid(*searcher, request, "offset: must be >= 0");
  request.offset = 10001;
  ExpectInvalid(*searcher, request, "offset: must be at most 10000");
  request = SearchRequest{};
  request.price_min = 50;
  request.price_max = 10;
  ExpectInvalid(*searcher, request, "price_min: must be <= price_max");
  request = SearchRequest{};
  request.price_min = std::nan("");
  ExpectInvalid(*searcher, request, "price_min: must be a finite number");
  request = SearchRequest{};
  request.price_max = std::numeric_limits<double>::infinity();
  ExpectInvalid(*searcher, request, "price_max: must be a finite number");
  request = SearchRequest{};
  request.price_min = -1;
  ExpectInvalid(*searcher, request, "price_min: must be >= 0");
  ExpectInvalid(*searcher, Query(std::string(1025, 'a')), "q: must be at most 1024 bytes");
}

TEST(Searcher, CandidateModeReturnsRankedIdsWithoutStoredData) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  Result<std::vector<Hit>> hits = searcher->Retrieve(Query("rain jacket"), 3);
  ASSERT_TRUE(hits.ok()) << hits.error().message;
  ASSERT_EQ(hits->size(), 3u);  // p1, p6 (title), p5 (description): no OR fill needed
  for (size_t i = 0; i < hits->size(); ++i) {
    const Hit& hit = (*hits)[i];
    EXPECT_EQ(hit.rank, static_cast<int>(i));
    EXPECT_GT(hit.score, 0);
    EXPECT_NE(hit.docid, 0u);
    EXPECT_TRUE(hit.stored_json.empty());
    if (i > 0) {
      EXPECT_LE(hit.score, (*hits)[i - 1].score);
    }
  }
  EXPECT_EQ(hits->back().id, "p5");  // a description match ranks below title matches

  Status loaded = searcher->LoadStored(*hits);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  for (const Hit& hit : *hits) {
    EXPECT_NE(hit.stored_json.find("\"" + hit.id + "\""), std::string::npos) << hit.stored_json;
  }
}

TEST(Searcher, IdsDifferingOnlyInCaseAreTwoProducts) {
  TempDir dir;
  BuildIndex(dir, {R"({"id":"A1","title":"Rain Jacket upper","price":10})",
                   R"({"id":"a1","title":"Rain Jacket lower","price":20})"});
  auto searcher = OpenSearcher(dir);
  SearchResult result = MustSearch(*searcher, Query("rain jacket"));
  EXPECT_EQ(SortedIds(result), (std::vector<std::string>{"A1", "a1"}));
  // LoadStored finds each by its exact id term when the docid no longer fits.
  std::vector<Hit> hits(3);  // docid 0: looked up by id
  hits[0].id = "a1";
  hits[1].id = "A1";
  hits[2].id = "A";
  ASSERT_TRUE(searcher->LoadStored(hits).ok());
  EXPECT_NE(hits[0].stored_json.find("lower"), std::string::npos) << hits[0].stored_json;
  EXPECT_NE(hits[1].stored_json.find("upper"), std::string::npos) << hits[1].stored_json;
  EXPECT_EQ(hits[2].stored_json, "");
}

TEST(Searcher, CandidateModeValidatesDepth) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  Result<std::vector<Hit>> negative = searcher->Retrieve(Query("jacket"), -1);
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().message, "depth: must be >= 0");
  Result<std::vector<Hit>> deep = searcher->Retrieve(Query("jacket"), 1001);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().message, "depth: must be at most 1000");
  Result<std::vector<Hit>> none = searcher->Retrieve(Query("jacket"), 0);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(Searcher, CandidateModeValidatesTheMatchButIgnoresPaging) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  auto searcher = OpenSearcher(dir);
  SearchRequest request = Query("rain jacket");
  request.limit = -1;  // ignored by Retrieve, though Search rejects it
  request.offset = 10001;
  Result<std::vector<Hit>> hits = searcher->Retrieve(request, 10);
  ASSERT_TRUE(hits.ok()) << hits.error().message;
  EXPECT_EQ(hits->size(), 4u);
  request.price_min = 50;
  request.price_max = 10;
  Result<std::vector<Hit>> bad = searcher->Retrieve(request, 10);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "price_min: must be <= price_max");
  Result<std::vector<Hit>> long_query = searcher->Retrieve(Query(std::string(1025, 'a')), 10);
  ASSERT_FALSE(long_query.ok());
  EXPECT_EQ(long_query.error().message, "q: must be at most 1024 bytes");
}

TEST(Searcher, OpenFailsWithoutIndex) {
  TempDir dir;
  Result<std::unique_ptr<Searcher>> missing = Searcher::Open(dir.Path("nothing"), {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kUnavailable);
  std::filesystem::create_directories(dir.Path("empty"));
  Result<std::unique_ptr<Searcher>> empty = Searcher::Open(dir.Path("empty"), {});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kUnavailable);
}

TEST(Searcher, OpenRejectsAnotherFormatVersion) {
  TempDir dir;
  {
    Xapian::WritableDatabase db(dir.Path("index"), Xapian::DB_CREATE);
    db.set_metadata("tailor.format", "1");
    db.commit();
  }
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(dir.Path("index"), {});
  ASSERT_FALSE(searcher.ok());
  EXPECT_EQ(searcher.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(searcher.error().message.find("format"), std::string::npos);
}

TEST(Searcher, OpensAPlainDatabaseWithoutGenerations) {
  TempDir dir;
  {
    Xapian::WritableDatabase db(dir.Path("index"), Xapian::DB_CREATE);
    db.set_metadata("tailor.format", std::to_string(schema::kIndexFormatVersion));
    db.set_metadata("tailor.language", "none");
    Xapian::Document doc;
    doc.add_term("parka");
    doc.add_value(schema::kIdSlot, "x1");
    doc.set_data(R"({"id":"x1"})");
    db.add_document(doc);
    db.commit();
  }
  auto searcher = OpenSearcher(dir);
  SearchResult result = MustSearch(*searcher, Query("parka "));
  ASSERT_EQ(result.hits.size(), 1u);
  EXPECT_EQ(result.hits[0].id, "x1");
  EXPECT_EQ(result.hits[0].stored_json, R"({"id":"x1"})");
}

TEST(Searcher, CountsDocuments) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  EXPECT_EQ(OpenSearcher(dir)->DocumentCount(), 6);
}

}  // namespace
}  // namespace tailor::searcher
