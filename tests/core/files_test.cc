#include "core/files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/common/temp_dir.h"

namespace tailor {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

using Lines = std::vector<std::pair<std::string, size_t>>;

Result<Lines> LinesOf(const std::string& path, TornTail torn_tail) {
  Lines lines;
  Status status = ForEachLine(path, torn_tail, [&](std::string_view line, size_t number) {
    lines.emplace_back(std::string(line), number);
    return Status::Ok();
  });
  if (!status.ok()) return status.error();
  return lines;
}

TEST(ReadFile, ReadsEveryByteAndNamesAMissingFile) {
  testing::TempDir dir;
  const std::string text = std::string("a\0b\n", 4) + std::string(100000, 'x');
  const std::string path = dir.Write("f.bin", text);
  Result<std::string> read = ReadFile(path);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(*read, text);
  Result<std::string> missing = ReadFile(dir.Path("none.json"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, dir.Path("none.json") + ": cannot be read");
  Result<std::string> a_dir = ReadFile(dir.path().string());
  ASSERT_FALSE(a_dir.ok());
  EXPECT_EQ(a_dir.error().code, ErrorCode::kUnavailable);
}

TEST(ForEachLine, NumbersLinesAndSkipsEmptyOnes) {
  testing::TempDir dir;
  Result<Lines> lines = LinesOf(dir.Write("log", "one\n\nthree\n"), TornTail::kRefuse);
  ASSERT_TRUE(lines.ok()) << lines.error().message;
  EXPECT_THAT(*lines, ElementsAre(Pair("one", 1u), Pair("three", 3u)));
}

TEST(ForEachLine, ATornLastLineIsRepairedIgnoredOrRefused) {
  testing::TempDir dir;
  const std::string path = dir.Write("log", "one\ntwo\nthr");
  Result<Lines> refused = LinesOf(path, TornTail::kRefuse);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kDataLoss);
  EXPECT_THAT(refused.error().message, HasSubstr(path + ":3: line without end"));
  Result<Lines> ignored = LinesOf(path, TornTail::kIgnore);
  ASSERT_TRUE(ignored.ok());
  EXPECT_EQ(ignored->size(), 2u);
  EXPECT_EQ(std::filesystem::file_size(path), 11u);  // left as it was
  Result<Lines> repaired = LinesOf(path, TornTail::kRepair);
  ASSERT_TRUE(repaired.ok());
  EXPECT_EQ(repaired->size(), 2u);
  EXPECT_EQ(*ReadFile(path), "one\ntwo\n");  // the torn tail is cut off the file
}

TEST(ForEachLine, StopsAtTheFirstErrorOfTheCallback) {
  testing::TempDir dir;
  int calls = 0;
  Status status = ForEachLine(dir.Write("log", "a\nb\nc\n"), TornTail::kRefuse,
                              [&](std::string_view line, size_t) {
                                ++calls;
                                if (line == "b") return Status(Error::InvalidArgument("b"));
                                return Status::Ok();
                              });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(calls, 2);
}

TEST(WriteFileAtomically, ReplacesTheFileAndLeavesNoTemporary) {
  testing::TempDir dir;
  const std::string path = dir.Write("snapshot", "old");
  ASSERT_TRUE(WriteFileAtomically(path, "new content").ok());
  EXPECT_EQ(*ReadFile(path), "new content");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  Status refused = WriteFileAtomically(dir.Path("no-such-dir/file"), "x");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(refused.error().message, HasSubstr("no-such-dir/file.tmp"));
}

}  // namespace
}  // namespace tailor
