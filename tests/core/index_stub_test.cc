#include "core/index_stub.h"

#include <gtest/gtest.h>

#include "core/files.h"
#include "tests/common/temp_dir.h"

namespace tailor {
namespace {

TEST(IndexStub, NoStubIsNoValue) {
  testing::TempDir dir;
  Result<std::optional<IndexStub>> stub = ReadIndexStub(dir.path().string());
  ASSERT_TRUE(stub.ok()) << stub.error().message;
  EXPECT_FALSE(stub->has_value());
}

TEST(IndexStub, WrittenStubReadsBackAsItsGeneration) {
  testing::TempDir dir;
  ASSERT_TRUE(WriteIndexStub(dir.path().string(), "gen-3").ok());
  EXPECT_EQ(*ReadFile(dir.Path("XAPIANDB")), "glass gen-3\n");
  Result<std::optional<IndexStub>> stub = ReadIndexStub(dir.path().string());
  ASSERT_TRUE(stub.ok() && stub->has_value());
  ASSERT_EQ((*stub)->entries.size(), 1u);
  EXPECT_EQ((*stub)->entries[0].backend, "glass");
  EXPECT_EQ((*stub)->entries[0].path, "gen-3");
  EXPECT_EQ((*stub)->SingleDatabase(dir.path().string()), dir.Path("gen-3"));
}

TEST(IndexStub, CommentsBlankLinesAndSpacesAreSkipped) {
  testing::TempDir dir;
  dir.Write("XAPIANDB", "# written by hand\n\n  auto \t /abs/db one \r\n");
  Result<std::optional<IndexStub>> stub = ReadIndexStub(dir.path().string());
  ASSERT_TRUE(stub.ok() && stub->has_value());
  ASSERT_EQ((*stub)->entries.size(), 1u);
  EXPECT_EQ((*stub)->entries[0].backend, "auto");
  EXPECT_EQ((*stub)->entries[0].path, "/abs/db one");
  EXPECT_EQ((*stub)->SingleDatabase(dir.path().string()), "/abs/db one");
}

TEST(IndexStub, SeveralOrRemoteDatabasesAreNotASingleLocalOne) {
  testing::TempDir dir;
  dir.Write("XAPIANDB", "glass gen-1\nglass gen-2\n");
  Result<std::optional<IndexStub>> two = ReadIndexStub(dir.path().string());
  ASSERT_TRUE(two.ok() && two->has_value());
  EXPECT_EQ((*two)->entries.size(), 2u);
  EXPECT_FALSE((*two)->SingleDatabase(dir.path().string()).has_value());
  dir.Write("XAPIANDB", "remote :127.0.0.1:7000\n");
  Result<std::optional<IndexStub>> remote = ReadIndexStub(dir.path().string());
  ASSERT_TRUE(remote.ok() && remote->has_value());
  EXPECT_FALSE((*remote)->SingleDatabase(dir.path().string()).has_value());
  EXPECT_EQ((*remote)->content, "remote :127.0.0.1:7000\n");
}

}  // namespace
}  // namespace tailor
