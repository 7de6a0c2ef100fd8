#include "core/segment_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/files.h"
#include "tests/common/temp_dir.h"

namespace tailor {
namespace {

using ::testing::ElementsAre;

std::string Segment(const testing::TempDir& dir, uint64_t sequence) {
  return dir.Path("log/" + SegmentFileName(sequence));
}

TEST(SegmentLog, NamesSegmentsByTwentyDigits) {
  EXPECT_EQ(SegmentFileName(42), "segment-00000000000000000042.log");
}

TEST(SegmentLog, AppendsRollsAndListsSegmentsInOrder) {
  testing::TempDir dir;
  Result<std::unique_ptr<SegmentLog>> log = SegmentLog::Open(dir.Path("log"), 7, 10);
  ASSERT_TRUE(log.ok()) << log.error().message;
  ASSERT_TRUE((*log)->Append("first line\n").ok());  // 11 bytes: over the 10-byte segments
  ASSERT_TRUE((*log)->Append("second\n").ok());      // so this one starts segment 8
  ASSERT_TRUE((*log)->Sync().ok());
  EXPECT_EQ((*log)->current_sequence(), 8u);
  ASSERT_TRUE((*log)->Roll().ok());
  EXPECT_EQ((*log)->current_sequence(), 9u);
  EXPECT_EQ((*log)->current_bytes(), 0);
  Result<std::vector<uint64_t>> segments = ListSegments(dir.Path("log"));
  ASSERT_TRUE(segments.ok());
  EXPECT_THAT(*segments, ElementsAre(7u, 8u, 9u));
  EXPECT_EQ(*ReadFile(Segment(dir, 7)), "first line\n");
  EXPECT_EQ(*ReadFile(Segment(dir, 8)), "second\n");
}

TEST(SegmentLog, ListingIgnoresOtherFiles) {
  testing::TempDir dir;
  dir.Write("segment-1.log", "short name");
  dir.Write("segment-00000000000000000003.log.tmp", "a temporary");
  dir.Write(SegmentFileName(5), "x\n");
  Result<std::vector<uint64_t>> segments = ListSegments(dir.path().string());
  ASSERT_TRUE(segments.ok());
  EXPECT_THAT(*segments, ElementsAre(5u));
}

TEST(SegmentLog, VisitorNeedleIsTheCompactJsonField) {
  EXPECT_EQ(VisitorNeedle("v1"), "\"visitor\":\"v1\"");
  EXPECT_EQ(VisitorNeedle("a\"b"), "\"visitor\":\"a\\\"b\"");
}

TEST(SegmentLog, DropLinesRewritesOnlyOlderSegmentsThatChange) {
  testing::TempDir dir;
  Result<std::unique_ptr<SegmentLog>> log = SegmentLog::Open(dir.Path("log"), 1, 1 << 20);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->Append("{\"visitor\":\"a\"}\n{\"visitor\":\"b\"}\n").ok());
  ASSERT_TRUE((*log)->Roll().ok());
  ASSERT_TRUE((*log)->Append("{\"visitor\":\"a\"}\n").ok());
  ASSERT_TRUE((*log)->Sync().ok());
  const std::string needle = VisitorNeedle("a");
  auto drop = [&](std::string_view line) { return line.find(needle) != std::string::npos; };
  Result<bool> dropped = DropLines(dir.Path("log"), (*log)->current_sequence(), drop);
  ASSERT_TRUE(dropped.ok()) << dropped.error().message;
  EXPECT_TRUE(*dropped);
  EXPECT_EQ(*ReadFile(Segment(dir, 1)), "{\"visitor\":\"b\"}\n");
  EXPECT_EQ(*ReadFile(Segment(dir, 2)), "{\"visitor\":\"a\"}\n");  // the open one is not touched
  Result<bool> again = DropLines(dir.Path("log"), (*log)->current_sequence(), drop);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
}

TEST(SegmentLog, APurgeReadsOnlyTheSegmentsWhoseKeysListTheVisitor) {
  testing::TempDir dir;
  Result<std::unique_ptr<SegmentLog>> log =
      SegmentLog::Open(dir.Path("log"), 1, 1 << 20, /*keyed=*/true);
  ASSERT_TRUE(log.ok());
  const uint64_t a = VisitorKey("a"), b = VisitorKey("b");
  ASSERT_TRUE((*log)->Append("{\"visitor\":\"a\"}\n", std::vector<uint64_t>{a}).ok());
  ASSERT_TRUE((*log)->Roll().ok());  // segment 1: a's, with its keys file
  ASSERT_TRUE((*log)->Append("{\"visitor\":\"b\"}\n", std::vector<uint64_t>{b}).ok());
  ASSERT_TRUE((*log)->Roll().ok());  // segment 2: b's
  EXPECT_TRUE(ReadFile(dir.Path("log/" + SegmentKeysFileName(1))).ok());
  // Segment 3 as a crash leaves it: lines of a, never sealed, so no keys file.
  dir.Write("log/" + SegmentFileName(3), "{\"visitor\":\"a\"}\n");

  std::vector<std::string> read;
  const std::string needle = VisitorNeedle("a");
  auto drop = [&](std::string_view line) {
    read.emplace_back(line);
    return line.find(needle) != std::string::npos;
  };
  const std::vector<uint64_t> keys = {a};
  Result<bool> dropped = DropLines(dir.Path("log"), 4, drop, keys);
  ASSERT_TRUE(dropped.ok()) << dropped.error().message;
  EXPECT_TRUE(*dropped);
  // Segment 2's keys rule a out: its line was never read. Segment 3 has no keys: read.
  EXPECT_THAT(read, ElementsAre("{\"visitor\":\"a\"}", "{\"visitor\":\"a\"}"));
  EXPECT_EQ(*ReadFile(Segment(dir, 1)), "");
  EXPECT_EQ(*ReadFile(Segment(dir, 2)), "{\"visitor\":\"b\"}\n");
  EXPECT_EQ(*ReadFile(Segment(dir, 3)), "");
  // Without keys every segment is read, as before.
  read.clear();
  ASSERT_TRUE(DropLines(dir.Path("log"), 4, drop).ok());
  EXPECT_THAT(read, ElementsAre("{\"visitor\":\"b\"}"));
}

TEST(SegmentLog, AKeysFileThatDoesNotReadBackIsIgnored) {
  testing::TempDir dir;
  dir.Write(SegmentFileName(1), "{\"visitor\":\"a\"}\n");
  dir.Write(SegmentKeysFileName(1), "12345");  // not whole 64-bit keys
  const std::vector<uint64_t> keys = {VisitorKey("a")};
  Result<bool> dropped = DropLines(
      dir.path().string(), 2, [](std::string_view) { return true; }, keys);
  ASSERT_TRUE(dropped.ok());
  EXPECT_TRUE(*dropped);  // read in full despite the file
}

TEST(SegmentLog, OpeningRemovesWhatAnInterruptedRewriteLeft) {
  testing::TempDir dir;
  dir.Write(SegmentKeysFileName(3) + ".tmp", "half a keys file");
  dir.Write(SegmentFileName(2) + ".tmp", "half a purged segment");
  dir.Write("notes.tmp", "not ours");
  Result<std::unique_ptr<SegmentLog>> log = SegmentLog::Open(dir.path().string(), 4, 1 << 20);
  ASSERT_TRUE(log.ok());
  EXPECT_FALSE(std::filesystem::exists(dir.Path(SegmentKeysFileName(3) + ".tmp")));
  EXPECT_FALSE(std::filesystem::exists(dir.Path(SegmentFileName(2) + ".tmp")));
  EXPECT_TRUE(std::filesystem::exists(dir.Path("notes.tmp")));
}

}  // namespace
}  // namespace tailor
