#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <string>

#include "indexer/indexer.h"
#include "tests/indexer/test_util.h"

namespace tailor::indexer {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

constexpr char kCatalog[] =
    R"({"id": "P1", "title": "Parka", "price": 100, "sizes": {"S": 1, "M": 0}})"
    "\n"
    R"({"id": "P2", "title": "Shirt", "price": 20})"
    "\n";

void BuildIndex(const TempDir& dir, Language language = Language::kEnglish) {
  BuildOptions options;
  options.catalog_path = dir.Write("catalog.jsonl", kCatalog);
  options.index_dir = dir.Path("index");
  options.language = language;
  Result<BuildStats> stats = Build(options);
  ASSERT_TRUE(stats.ok()) << stats.error().message;
}

Result<UpdateStats> UpdateWith(const TempDir& dir, const std::string& records,
                               InvalidRecordPolicy policy = InvalidRecordPolicy::kStop) {
  UpdateOptions options;
  options.catalog_path = dir.Write("update.jsonl", records);
  options.index_dir = dir.Path("index");
  options.on_invalid = policy;
  return Update(options);
}

TEST(Update, UpsertsNewAndChangedRecords) {
  TempDir dir;
  BuildIndex(dir);
  Result<UpdateStats> stats = UpdateWith(dir, R"({"id": "P2", "title": "Linen Shirt", "price": 25})"
                                              "\n"
                                              R"({"id": "P3", "title": "Dress", "price": 50})"
                                              "\n");
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(stats->records_upserted, 2);
  Xapian::Database db(dir.Path("index"));
  EXPECT_EQ(db.get_doccount(), 3u);
  EXPECT_EQ(db.get_termfreq("QP2"), 1u);
  EXPECT_TRUE(db.term_exists("Slinen"));
  EXPECT_TRUE(db.term_exists("Sdress"));
}

TEST(Update, DeletesRecordsAndCountsUnknownIdsSeparately) {
  TempDir dir;
  BuildIndex(dir);
  Result<UpdateStats> stats = UpdateWith(dir, R"({"id": "P1", "deleted": true})"
                                              "\n"
                                              R"({"id": "P9", "deleted": true})"
                                              "\n");
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(stats->records_deleted, 1);
  EXPECT_EQ(stats->deletes_not_found, 1);
  Xapian::Database db(dir.Path("index"));
  EXPECT_EQ(db.get_doccount(), 1u);
  EXPECT_FALSE(db.term_exists("QP1"));
}

TEST(Update, ChangesSizeInStockTerms) {
  TempDir dir;
  BuildIndex(dir);
  ASSERT_TRUE(
      UpdateWith(dir, R"({"id": "P1", "title": "Parka", "price": 100, "sizes": {"S": 0, "M": 3}})"
                      "\n")
          .ok());
  Xapian::Database db(dir.Path("index"));
  EXPECT_FALSE(db.term_exists("XSs"));
  EXPECT_EQ(db.get_termfreq("XSm"), 1u);
}

TEST(Update, CommitsNothingWhenALineIsBad) {
  TempDir dir;
  BuildIndex(dir);
  Result<UpdateStats> stats = UpdateWith(dir, R"({"id": "P3", "title": "Dress", "price": 50})"
                                              "\n"
                                              R"({"id": "P1", "deleted": true})"
                                              "\n"
                                              R"({"id": "P4", "title": "Hat", "price": -3})"
                                              "\n");
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(stats.error().message, HasSubstr("update.jsonl:3: price: must be >= 0"));
  Xapian::Database db(dir.Path("index"));
  EXPECT_EQ(db.get_doccount(), 2u);
  EXPECT_TRUE(db.term_exists("QP1"));
  EXPECT_FALSE(db.term_exists("QP3"));
  EXPECT_EQ(db.get_spelling_suggestion("dres"), "");
}

TEST(Update, SkipInvalidAppliesTheGoodLines) {
  TempDir dir;
  BuildIndex(dir);
  Result<UpdateStats> stats = UpdateWith(dir,
                                         "{broken\n"
                                         R"({"id": "P3", "title": "Dress", "price": 50})"
                                         "\n",
                                         InvalidRecordPolicy::kSkip);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->records_skipped, 1);
  EXPECT_EQ(stats->records_upserted, 1);
  EXPECT_EQ(Xapian::Database(dir.Path("index")).get_doccount(), 3u);
}

TEST(Update, UsesTheLanguageTheIndexWasBuiltWith) {
  TempDir dir;
  BuildIndex(dir, Language::kGerman);
  ASSERT_TRUE(UpdateWith(dir, R"({"id": "P3", "title": "Winterjacken", "price": 5})"
                              "\n")
                  .ok());
  EXPECT_TRUE(Xapian::Database(dir.Path("index")).term_exists("Zwinterjack"));
}

TEST(Update, AnOpenReaderSeesTheUpdateAfterReopen) {
  TempDir dir;
  BuildIndex(dir);
  Xapian::Database reader(dir.Path("index"));
  ASSERT_TRUE(UpdateWith(dir, R"({"id": "P3", "title": "Dress", "price": 50})"
                              "\n")
                  .ok());
  reader.reopen();
  EXPECT_EQ(reader.get_doccount(), 3u);
}

TEST(Update, ReportsAMissingIndex) {
  TempDir dir;
  Result<UpdateStats> stats = UpdateWith(dir, R"({"id": "P1", "deleted": true})"
                                              "\n");
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(stats.error().message, HasSubstr("no index"));
}

}  // namespace
}  // namespace tailor::indexer
