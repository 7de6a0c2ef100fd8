// Build's lifecycle: invalid lines, duplicate ids, and the atomic swap of generations.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <string>

#include "core/index_schema.h"
#include "indexer/indexer.h"
#include "tests/indexer/test_util.h"

namespace tailor::indexer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TempDir;

std::string Record(const std::string& id, const std::string& title) {
  return R"({"id": ")" + id + R"(", "title": ")" + title +
         R"(", "price": 10})"
         "\n";
}

Result<BuildStats> BuildFrom(const TempDir& dir, const std::string& catalog,
                             InvalidRecordPolicy policy = InvalidRecordPolicy::kStop) {
  BuildOptions options;
  options.catalog_path = dir.Write("catalog.jsonl", catalog);
  options.index_dir = dir.Path("index");
  options.on_invalid = policy;
  return Build(options);
}

std::vector<std::string> Entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (!name.starts_with(".")) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(BuildLifecycle, StopsAtTheFirstBadLineNamingFileAndLine) {
  TempDir dir;
  Result<BuildStats> stats =
      BuildFrom(dir, Record("P1", "a") + R"({"id": "P2", "title": "b", "price": -1})"
                                         "\n");
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(stats.error().message, dir.Path("catalog.jsonl") + ":2: price: must be >= 0");
  EXPECT_THAT(Entries(dir.Path("index")), ::testing::IsEmpty());
}

TEST(BuildLifecycle, SkipInvalidCountsAndReportsBadLines) {
  TempDir dir;
  Result<BuildStats> stats = BuildFrom(dir,
                                       Record("P1", "a") + "{oops\n" + Record("P2", "b") +
                                           R"({"id": "P3"})"
                                           "\n",
                                       InvalidRecordPolicy::kSkip);
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(stats->records_indexed, 2);
  EXPECT_EQ(stats->records_skipped, 2);
  ASSERT_EQ(stats->skipped_examples.size(), 2u);
  EXPECT_THAT(stats->skipped_examples[0], HasSubstr("catalog.jsonl:2: invalid JSON"));
  EXPECT_THAT(stats->skipped_examples[1], HasSubstr("catalog.jsonl:4: title: is required"));
  EXPECT_EQ(Xapian::Database(dir.Path("index")).get_doccount(), 2u);
}

TEST(BuildLifecycle, RejectsDuplicateIdsNamingBothLines) {
  TempDir dir;
  Result<BuildStats> stats =
      BuildFrom(dir, Record("P1", "a") + Record("P2", "b") + Record("P1", "c"));
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(stats.error().message, HasSubstr("catalog.jsonl:3: id: duplicate of line 1"));
}

TEST(BuildLifecycle, SkipInvalidKeepsTheFirstOfDuplicateIds) {
  TempDir dir;
  Result<BuildStats> stats =
      BuildFrom(dir, Record("P1", "first") + Record("P1", "second"), InvalidRecordPolicy::kSkip);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->records_skipped, 1);
  Xapian::Database db(dir.Path("index"));
  EXPECT_TRUE(db.term_exists("Sfirst"));
  EXPECT_FALSE(db.term_exists("Ssecond"));
}

TEST(BuildLifecycle, RefusesToSwapInAnEmptyIndex) {
  TempDir dir;
  ASSERT_TRUE(BuildFrom(dir, Record("P1", "a")).ok());
  Result<BuildStats> stats = BuildFrom(dir, "\n\n");
  ASSERT_FALSE(stats.ok());
  EXPECT_THAT(stats.error().message, HasSubstr("no valid records"));
  EXPECT_EQ(Xapian::Database(dir.Path("index")).get_doccount(), 1u);
}

TEST(BuildLifecycle, ReportsAMissingCatalog) {
  TempDir dir;
  BuildOptions options;
  options.catalog_path = dir.Path("missing.jsonl");
  options.index_dir = dir.Path("index");
  Result<BuildStats> stats = Build(options);
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.error().code, ErrorCode::kNotFound);
}

TEST(BuildLifecycle, SwapsGenerationsWhileAnOpenReaderKeepsWorking) {
  TempDir dir;
  Result<BuildStats> first = BuildFrom(dir, Record("P1", "parka"));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->generation, "gen-1");
  Xapian::Database before(dir.Path("index"));

  Result<BuildStats> second = BuildFrom(dir, Record("P2", "shirt") + Record("P3", "dress"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->generation, "gen-2");
  EXPECT_EQ(before.get_doccount(), 1u);
  EXPECT_TRUE(before.term_exists("Sparka"));
  EXPECT_EQ(before.get_document(1).get_value(11), "P1");

  Xapian::Database after(dir.Path("index"));
  EXPECT_EQ(after.get_doccount(), 2u);
  EXPECT_FALSE(after.term_exists("Sparka"));
  EXPECT_TRUE(after.term_exists("Sdress"));
}

TEST(BuildLifecycle, KeepsTheLiveAndThePreviousGenerationOnly) {
  TempDir dir;
  for (const char* title : {"one", "two", "three", "four"}) {
    ASSERT_TRUE(BuildFrom(dir, Record("P1", title)).ok());
  }
  EXPECT_THAT(Entries(dir.Path("index")), ElementsAre("XAPIANDB", "gen-3", "gen-4"));
  std::ifstream stub(dir.Path("index/XAPIANDB"));
  std::string content((std::istreambuf_iterator<char>(stub)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "glass gen-4\n");
}

TEST(BuildLifecycle, FailedBuildLeavesTheOldGenerationLiveAndNoDebris) {
  TempDir dir;
  ASSERT_TRUE(BuildFrom(dir, Record("P1", "parka")).ok());
  ASSERT_FALSE(BuildFrom(dir, Record("P2", "shirt") + "not json\n").ok());
  EXPECT_THAT(Entries(dir.Path("index")), ElementsAre("XAPIANDB", "gen-1"));
  Xapian::Database db(dir.Path("index"));
  EXPECT_TRUE(db.term_exists("Sparka"));
  EXPECT_FALSE(db.term_exists("Sshirt"));
}

TEST(BuildLifecycle, RemovesTheLeftoverOfAKilledBuild) {
  TempDir dir;
  ASSERT_TRUE(BuildFrom(dir, Record("P1", "parka")).ok());
  std::filesystem::create_directories(dir.Path("index/gen-2.tmp-99999"));
  std::ofstream(dir.Path("index/gen-2.tmp-99999/postlist.glass")) << "half written";
  ASSERT_TRUE(BuildFrom(dir, Record("P2", "shirt")).ok());
  EXPECT_THAT(Entries(dir.Path("index")), ElementsAre("XAPIANDB", "gen-1", "gen-2"));
  EXPECT_TRUE(Xapian::Database(dir.Path("index")).term_exists("Sshirt"));
}

TEST(BuildLifecycle, MergesShardsBuiltOnSeveralThreads) {
  TempDir dir;
  std::string catalog;
  for (int i = 0; i < 3000; ++i) {
    catalog += Record("P" + std::to_string(i), i == 2999 ? "trolley" : "parka");
  }
  BuildOptions options;
  options.catalog_path = dir.Write("catalog.jsonl", catalog);
  options.index_dir = dir.Path("index");
  options.threads = 3;
  Result<BuildStats> stats = Build(options);
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(stats->records_indexed, 3000);
  Xapian::Database db(dir.Path("index"));
  EXPECT_EQ(db.get_doccount(), 3000u);
  EXPECT_EQ(db.get_lastdocid(), 3000u);
  EXPECT_EQ(db.get_termfreq("Sparka"), 2999u);
  EXPECT_EQ(db.get_termfreq("QP2999"), 1u);
  EXPECT_EQ(db.get_spelling_suggestion("trolly"), "trolley");
  EXPECT_EQ(db.get_metadata("tailor.format"), std::to_string(schema::kIndexFormatVersion));
  EXPECT_EQ(db.get_document(1).get_value(11), "P0");
}

TEST(BuildLifecycle, ReportsProgressAtTheEnd) {
  TempDir dir;
  BuildOptions options;
  options.catalog_path = dir.Write("catalog.jsonl", Record("P1", "a") + Record("P2", "b"));
  options.index_dir = dir.Path("index");
  Progress last;
  int calls = 0;
  options.on_progress = [&](const Progress& progress) {
    last = progress;
    ++calls;
  };
  ASSERT_TRUE(Build(options).ok());
  EXPECT_GE(calls, 1);
  EXPECT_EQ(last.records_indexed, 2);
  EXPECT_EQ(last.lines_read, 2);
}

}  // namespace
}  // namespace tailor::indexer
