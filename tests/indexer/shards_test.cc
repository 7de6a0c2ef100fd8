// Catalog shards: `build --shards N` lays a generation out as N databases listed by the stub,
// each product in the shard its id hashes to, and `update` routes upserts and deletes there
// and refuses another shard count.
#include <gtest/gtest.h>
#include <xapian.h>

#include <string>

#include "core/files.h"
#include "core/index_schema.h"
#include "indexer/indexer.h"
#include "tests/indexer/test_util.h"

namespace tailor::indexer {
namespace {

using testing::TempDir;

std::string Catalog(int products) {
  std::string catalog;
  for (int i = 0; i < products; ++i) {
    catalog += R"({"id": "P)" + std::to_string(i) + R"(", "title": "Parka number )" +
               std::to_string(i) + R"(", "price": )" + std::to_string(10 + i) + "}\n";
  }
  return catalog;
}

Result<BuildStats> BuildShards(const TempDir& dir, const std::string& catalog, int shards) {
  BuildOptions options;
  options.catalog_path = dir.Write("catalog.jsonl", catalog);
  options.index_dir = dir.Path("index");
  options.shards = shards;
  return Build(options);
}

// Which shard of a live sharded generation holds the product, -1 when none does.
int ShardHolding(const TempDir& dir, const std::string& generation, int shards,
                 const std::string& id) {
  int found = -1;
  for (int shard = 0; shard < shards; ++shard) {
    Xapian::Database db(dir.Path("index/" + generation + "/shard-" + std::to_string(shard)));
    if (db.term_exists(schema::IdTerm(id))) {
      EXPECT_EQ(found, -1) << id << " is in two shards";
      found = shard;
    }
  }
  return found;
}

TEST(IndexerShards, BuildListsEveryShardInTheStubAndPlacesProductsByIdHash) {
  TempDir dir;
  Result<BuildStats> built = BuildShards(dir, Catalog(300), 3);
  ASSERT_TRUE(built.ok()) << built.error().message;
  EXPECT_EQ(built->shards, 3);
  EXPECT_EQ(*ReadFile(dir.Path("index/XAPIANDB")),
            "glass gen-1/shard-0\nglass gen-1/shard-1\nglass gen-1/shard-2\n");
  EXPECT_EQ(*ReadFile(dir.Path("index/XAPIANDB.shard-1")), "glass gen-1/shard-1\n");
  Xapian::Database all(dir.Path("index"));
  EXPECT_EQ(all.get_doccount(), 300u);
  for (int shard = 0; shard < 3; ++shard) {
    Xapian::Database db(dir.Path("index/gen-1/shard-" + std::to_string(shard)));
    EXPECT_GT(db.get_doccount(), 50u) << "the hash spreads the ids";
    EXPECT_EQ(db.get_metadata("tailor.format"), std::to_string(schema::kIndexFormatVersion));
    EXPECT_EQ(db.get_metadata("tailor.shards"), "3");
    EXPECT_EQ(db.get_metadata("tailor.shard"), std::to_string(shard));
    EXPECT_EQ(db.get_metadata("tailor.generation"), "gen-1");
  }
  for (const char* id : {"P0", "P7", "P123"}) {
    EXPECT_EQ(ShardHolding(dir, "gen-1", 3, id), schema::ShardOf(id, 3)) << id;
  }
}

TEST(IndexerShards, UpdateUpsertsAndDeletesInTheShardOfTheId) {
  TempDir dir;
  ASSERT_TRUE(BuildShards(dir, Catalog(100), 2).ok());
  UpdateOptions options;
  options.catalog_path = dir.Write("update.jsonl", R"({"id": "P3", "title": "Renamed", "price": 1})"
                                                   "\n"
                                                   R"({"id": "NEW", "title": "Fresh", "price": 2})"
                                                   "\n"
                                                   R"({"id": "P4", "deleted": true})"
                                                   "\n");
  options.index_dir = dir.Path("index");
  Result<UpdateStats> updated = Update(options);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->records_upserted, 2);
  EXPECT_EQ(updated->records_deleted, 1);
  EXPECT_EQ(updated->shards, 2);
  EXPECT_EQ(ShardHolding(dir, "gen-1", 2, "P3"), schema::ShardOf("P3", 2));
  EXPECT_EQ(ShardHolding(dir, "gen-1", 2, "NEW"), schema::ShardOf("NEW", 2));
  EXPECT_EQ(ShardHolding(dir, "gen-1", 2, "P4"), -1);
  Xapian::Database all(dir.Path("index"));
  EXPECT_EQ(all.get_doccount(), 100u);
  // Each shard counts the commit: what a searcher over remote shards watches.
  for (int shard = 0; shard < 2; ++shard) {
    Xapian::Database db(dir.Path("index/gen-1/shard-" + std::to_string(shard)));
    EXPECT_EQ(db.get_metadata("tailor.commits"), "1");
  }
}

TEST(IndexerShards, UpdateWithAnotherShardCountNamesBothCounts) {
  TempDir dir;
  ASSERT_TRUE(BuildShards(dir, Catalog(20), 2).ok());
  UpdateOptions options;
  options.catalog_path = dir.Write("update.jsonl", R"({"id": "P1", "deleted": true})"
                                                   "\n");
  options.index_dir = dir.Path("index");
  options.shards = 3;
  Result<UpdateStats> updated = Update(options);
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(updated.error().message.find("shards: 3 given"), std::string::npos)
      << updated.error().message;
  EXPECT_NE(updated.error().message.find("has 2"), std::string::npos) << updated.error().message;
  options.shards = 2;
  EXPECT_TRUE(Update(options).ok());
}

TEST(IndexerShards, RebuildWithFewerShardsSwapsAndCleansUp) {
  TempDir dir;
  ASSERT_TRUE(BuildShards(dir, Catalog(50), 3).ok());
  ASSERT_TRUE(BuildShards(dir, Catalog(50), 2).ok());
  EXPECT_EQ(*ReadFile(dir.Path("index/XAPIANDB")), "glass gen-2/shard-0\nglass gen-2/shard-1\n");
  EXPECT_FALSE(ReadFile(dir.Path("index/XAPIANDB.shard-2")).ok()) << "a stale shard stub";
  ASSERT_TRUE(BuildShards(dir, Catalog(50), 1).ok());
  EXPECT_EQ(*ReadFile(dir.Path("index/XAPIANDB")), "glass gen-3\n");
  EXPECT_FALSE(ReadFile(dir.Path("index/XAPIANDB.shard-0")).ok());
  ASSERT_TRUE(BuildShards(dir, Catalog(50), 1).ok());
  EXPECT_FALSE(std::filesystem::exists(dir.Path("index/gen-2"))) << "two swaps old";
  EXPECT_EQ(Xapian::Database(dir.Path("index")).get_doccount(), 50u);
}

TEST(IndexerShards, ShardCountOutOfRangeIsRefused) {
  TempDir dir;
  for (int shards : {0, -1, schema::kMaxShards + 1}) {
    Result<BuildStats> built = BuildShards(dir, Catalog(5), shards);
    ASSERT_FALSE(built.ok());
    EXPECT_EQ(built.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(built.error().message.find("shards: must be from 1 to 64"), std::string::npos)
        << built.error().message;
  }
}

}  // namespace
}  // namespace tailor::indexer
