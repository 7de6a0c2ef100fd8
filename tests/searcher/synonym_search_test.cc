// Searching with synonyms (Searcher::SetSynonyms): one-way and multi-way entries, phrases,
// plurals, and the query features that must keep working with them (filters, the prefix of
// the last word, relaxation, spelling reruns, quoted phrases).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "searcher/searcher.h"
#include "searcher/synonyms.h"
#include "tests/searcher/test_catalog.h"

namespace tailor::searcher {
namespace {

using testing::BuildIndex;
using testing::MustSearch;
using testing::OpenSearcher;
using testing::Query;
using testing::SortedIds;
using testing::TempDir;

std::vector<std::string> Catalog() {
  return {
      R"({"id":"t1","title":"Men Blue Round Neck T-Shirt","brand":"Puma","price":499})",
      R"({"id":"t2","title":"Women Printed Tshirt","brand":"Nike","price":599})",
      R"({"id":"t3","title":"Graphic Tee for Kids","brand":"Puma","price":299})",
      R"({"id":"t4","title":"Teen Slim Jeans","brand":"Levis","price":999})",
      R"({"id":"f1","title":"Brown Leather Sofa","brand":"Urban Ladder","price":25000})",
      R"({"id":"f2","title":"Two Seater Couch Grey","brand":"Pepperfry","price":18000})",
      R"({"id":"f3","title":"Wooden Coffee Table","brand":"Pepperfry","price":7000})",
      R"({"id":"h1","title":"Men Black Hoodie","brand":"Puma","price":1299})",
      R"({"id":"h2","title":"Women Navy Hooded Sweatshirt","brand":"Nike","price":1499})",
      R"({"id":"h3","title":"Crew Neck Sweatshirt","brand":"Nike","price":999})",
  };
}

std::shared_ptr<const Synonyms> ShopSynonyms() {
  Result<std::shared_ptr<const Synonyms>> parsed = ParseSynonyms(R"({"synonyms": [
      {"root": "tee", "synonyms": ["t-shirt", "tshirt"]},
      {"synonyms": ["sofa", "couch"]},
      {"synonyms": ["hoodie", "hooded sweatshirt"]}]})",
                                                                 "test");
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return parsed.ok() ? *parsed : nullptr;
}

// A searcher over Catalog() with ShopSynonyms() and without relaxation, so every hit has
// every word (or a synonym of it).
std::unique_ptr<Searcher> StrictSearcher(const TempDir& dir) {
  BuildIndex(dir, Catalog());
  SearcherOptions options = testing::TestOptions();
  options.relax_mode = RelaxMode::kOff;
  std::unique_ptr<Searcher> searcher = OpenSearcher(dir, options);
  if (searcher != nullptr) searcher->SetSynonyms(ShopSynonyms());
  return searcher;
}

using Ids = std::vector<std::string>;

TEST(SynonymSearch, OneWayRootFindsItsSynonymsButNotTheOtherWay) {
  TempDir dir;
  auto searcher = StrictSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("tee "))), (Ids{"t1", "t2", "t3"}));
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("Tee"))), (Ids{"t1", "t2", "t3"}));
  // t-shirt is not a root: it finds t-shirts only, never the tee-only t3.
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("t-shirt"))), (Ids{"t1"}));
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("tshirt"))), (Ids{"t2"}));
}

TEST(SynonymSearch, MultiWayPhrasesFindEachOther) {
  TempDir dir;
  auto searcher = StrictSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("sofa"))), (Ids{"f1", "f2"}));
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("couch"))), (Ids{"f1", "f2"}));
}

TEST(SynonymSearch, PluralsAndOtherStemsMeetThePhrase) {
  TempDir dir;
  auto searcher = StrictSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("couches"))), (Ids{"f1", "f2"}));
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("Sofas "))), (Ids{"f1", "f2"}));
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("tees "))), (Ids{"t1", "t2", "t3"}));
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("hoodies"))), (Ids{"h1", "h2"}));
}

TEST(SynonymSearch, MultiWordPhrasesWorkBothWays) {
  TempDir dir;
  auto searcher = StrictSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  // The phrase, not its words apart: the crew neck sweatshirt h3 is no hoodie.
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("hoodie"))), (Ids{"h1", "h2"}));
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("hooded sweatshirt"))), (Ids{"h1", "h2"}));
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("navy hooded sweatshirt"))), (Ids{"h2"}));
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("black hooded sweatshirt"))), (Ids{"h1"}));
}

TEST(SynonymSearch, OtherWordsOfTheQueryStillHaveToMatch) {
  TempDir dir;
  auto searcher = StrictSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("grey sofa"))), (Ids{"f2"}));
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("leather couch"))), (Ids{"f1"}));
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("kids tee "))), (Ids{"t3"}));
}

TEST(SynonymSearch, FiltersApplyToSynonymMatches) {
  TempDir dir;
  auto searcher = StrictSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  SearchRequest request = Query("tee ");
  request.brands = {"Nike"};
  EXPECT_EQ(SortedIds(MustSearch(*searcher, request)), (Ids{"t2"}));
  request = Query("couch");
  request.price_max = 20000;
  EXPECT_EQ(SortedIds(MustSearch(*searcher, request)), (Ids{"f2"}));
}

TEST(SynonymSearch, PrefixOfTheLastWordKeepsWorkingWithSynonyms) {
  TempDir dir;
  auto searcher = StrictSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  // "tee" typed on the way to "teen": the prefix matches as well as the synonyms.
  SearchRequest request = Query("tee");
  request.prefix_last_word = PrefixMode::kOn;
  EXPECT_EQ(SortedIds(MustSearch(*searcher, request)), (Ids{"t1", "t2", "t3", "t4"}));
  // The last word after a synonym is still a prefix: "sofa bro" finds the brown sofa.
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("couch bro"))), (Ids{"f1"}));
}

TEST(SynonymSearch, QuotedAndFieldWordsAreTakenAsTyped) {
  TempDir dir;
  auto searcher = StrictSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("\"tee\""))), (Ids{"t3"}));
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("title:sofa"))), (Ids{"f1"}));
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("sofa -leather"))), (Ids{"f2"}));
}

TEST(SynonymSearch, SpellingRerunUsesSynonyms) {
  TempDir dir;
  auto searcher = StrictSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  SearchResult result = MustSearch(*searcher, Query("couhc "));
  EXPECT_TRUE(result.corrected);
  EXPECT_EQ(result.did_you_mean, "couch");
  EXPECT_EQ(SortedIds(result), (Ids{"f1", "f2"}));
}

TEST(SynonymSearch, FillRelaxationRanksSynonymMatchesOfEveryWordFirst) {
  TempDir dir;
  BuildIndex(dir, Catalog());
  auto searcher = OpenSearcher(dir);  // default options: fill relaxation
  ASSERT_NE(searcher, nullptr);
  searcher->SetSynonyms(ShopSynonyms());
  SearchResult result = MustSearch(*searcher, Query("leather couch"));
  ASSERT_EQ(result.hits.size(), 2u);
  EXPECT_TRUE(result.relaxed);
  EXPECT_EQ(result.hits[0].id, "f1");
  EXPECT_TRUE(result.hits[0].strict);
  EXPECT_EQ(result.hits[1].id, "f2");
  EXPECT_FALSE(result.hits[1].strict);
}

TEST(SynonymSearch, AHatedWordExcludesSynonymMatchesInTheRelaxedFillToo) {
  TempDir dir;
  BuildIndex(dir, Catalog());
  auto searcher = OpenSearcher(dir);  // default options: fill relaxation
  ASSERT_NE(searcher, nullptr);
  searcher->SetSynonyms(ShopSynonyms());
  // The grey couch f2 matches "couch" but is hated; the OR fill must not bring it back.
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("brown couch -grey"))), (Ids{"f1"}));
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("couch -grey"))), (Ids{"f1"}));
}

TEST(SynonymSearch, ReplacingTheSetNeedsNoRebuild) {
  TempDir dir;
  auto searcher = StrictSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("sofa"))), (Ids{"f1", "f2"}));
  ASSERT_NE(searcher->synonyms(), nullptr);
  searcher->SetSynonyms(nullptr);
  EXPECT_EQ(searcher->synonyms(), nullptr);
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("sofa"))), (Ids{"f1"}));
  Result<std::shared_ptr<const Synonyms>> other =
      ParseSynonyms(R"({"synonyms": [{"root": "sofa", "synonyms": ["coffee table"]}]})", "t");
  ASSERT_TRUE(other.ok()) << other.error().message;
  searcher->SetSynonyms(*other);
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("sofa"))), (Ids{"f1", "f3"}));
  EXPECT_EQ(SortedIds(MustSearch(*searcher, Query("couch"))), (Ids{"f2"}));
}

TEST(SynonymSearch, CandidatesSeeSynonymsToo) {
  TempDir dir;
  auto searcher = StrictSearcher(dir);
  ASSERT_NE(searcher, nullptr);
  Result<std::vector<Hit>> hits = searcher->Retrieve(Query("couch"), 10);
  ASSERT_TRUE(hits.ok()) << hits.error().message;
  std::vector<std::string> ids = testing::Ids(*hits);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (Ids{"f1", "f2"}));
}

}  // namespace
}  // namespace tailor::searcher
