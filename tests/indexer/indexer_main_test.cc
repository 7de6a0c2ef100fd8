// The tailor-indexer executable itself, run through the shell.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/common/run_command.h"
#include "tests/indexer/test_util.h"

namespace tailor::indexer {
namespace {

using tailor::testing::ProcessRun;
using tailor::testing::RunCommand;

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::TempDir;

// Runs tailor-indexer with the given arguments (shell syntax).
ProcessRun RunIndexer(const std::string& arguments) {
  return RunCommand(std::string(TAILOR_INDEXER_BINARY) + " " + arguments);
}

TEST(IndexerMain, HelpShowsUsageAndSucceeds) {
  ProcessRun run = RunIndexer("--help");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.output, StartsWith("Usage:"));
  EXPECT_THAT(run.output, HasSubstr("--skip-invalid"));
}

TEST(IndexerMain, UsageErrorsExitWithTwo) {
  EXPECT_EQ(RunIndexer("").exit_code, 2);
  EXPECT_EQ(RunIndexer("rebuild --catalog a --index b").exit_code, 2);
  ProcessRun missing = RunIndexer("build --catalog a.jsonl");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.output, HasSubstr("--index is required"));
  ProcessRun language = RunIndexer("build --catalog a --index b --language fr");
  EXPECT_EQ(language.exit_code, 2);
  EXPECT_THAT(language.output, HasSubstr("--language: unknown \"fr\""));
}

TEST(IndexerMain, BuildsAndUpdatesAnIndex) {
  TempDir dir;
  dir.Write("catalog.jsonl", R"({"id": "P1", "title": "Parka", "price": 10})"
                             "\n");
  ProcessRun build = RunIndexer("build --catalog " + dir.Path("catalog.jsonl") + " --index " +
                                dir.Path("index") + " --language=de");
  EXPECT_EQ(build.exit_code, 0) << build.output;
  EXPECT_THAT(build.output, HasSubstr("built gen-1: 1 records indexed, 0 skipped"));
  dir.Write("update.jsonl", R"({"id": "P1", "deleted": true})"
                            "\n");
  ProcessRun update =
      RunIndexer("update --catalog " + dir.Path("update.jsonl") + " --index " + dir.Path("index"));
  EXPECT_EQ(update.exit_code, 0) << update.output;
  EXPECT_THAT(update.output, HasSubstr("0 upserted, 1 deleted"));
}

TEST(IndexerMain, ShardsFlagBuildsShardsAndUpdateRefusesAnotherCount) {
  TempDir dir;
  dir.Write("catalog.jsonl", R"({"id": "P1", "title": "Parka", "price": 10})"
                             "\n"
                             R"({"id": "P2", "title": "Coat", "price": 20})"
                             "\n");
  const std::string paths =
      " --catalog " + dir.Path("catalog.jsonl") + " --index " + dir.Path("index");
  ProcessRun bad = RunIndexer("build" + paths + " --shards two");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.output, HasSubstr("--shards: must be a whole number from 1 to 64 (got \"two\")"));
  ProcessRun build = RunIndexer("build" + paths + " --shards 2");
  EXPECT_EQ(build.exit_code, 0) << build.output;
  EXPECT_THAT(build.output, HasSubstr("built gen-1 in 2 shards: 2 records indexed"));
  ProcessRun mismatch = RunIndexer("update" + paths + " --shards 4");
  EXPECT_EQ(mismatch.exit_code, 1);
  EXPECT_THAT(mismatch.output,
              HasSubstr("shards: 4 given, but the index at " + dir.Path("index") + " has 2"));
  ProcessRun update = RunIndexer("update" + paths + " --shards 2");
  EXPECT_EQ(update.exit_code, 0) << update.output;
  EXPECT_THAT(update.output, HasSubstr("2 upserted"));
}

TEST(IndexerMain, BadLineExitsWithOneAndNamesTheLine) {
  TempDir dir;
  dir.Write("catalog.jsonl", R"({"id": "P1", "title": "Parka", "price": "ten"})"
                             "\n");
  ProcessRun run =
      RunIndexer("build --catalog " + dir.Path("catalog.jsonl") + " --index " + dir.Path("index"));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.output,
            "tailor-indexer: " + dir.Path("catalog.jsonl") + ":1: price: must be a number\n");
}

TEST(IndexerMain, SkipInvalidReportsSkippedLines) {
  TempDir dir;
  dir.Write("catalog.jsonl",
            "{bad\n"
            R"({"id": "P1", "title": "Parka", "price": 10})"
            "\n");
  ProcessRun run = RunIndexer("build --skip-invalid --catalog - --index " + dir.Path("index") +
                              " < " + dir.Path("catalog.jsonl"));
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("skipped <stdin>:1: invalid JSON"));
  EXPECT_THAT(run.output, HasSubstr("1 records indexed, 1 skipped"));
}

}  // namespace
}  // namespace tailor::indexer
