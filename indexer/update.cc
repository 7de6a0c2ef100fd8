// Update: upserts and deletes applied to the live generation in one Xapian transaction per
// shard.
// The other half of indexer/indexer.h, beside Build in indexer.cc.
#include <xapian.h>

#include <filesystem>
#include <vector>

#include "core/index_schema.h"
#include "indexer/catalog_reader.h"
#include "indexer/indexer.h"
#include "indexer/internal/document_builder.h"
#include "indexer/internal/index_dir.h"
#include "indexer/internal/record_loop.h"

namespace tailor::indexer {
namespace {

namespace fs = std::filesystem;
using internal::DocumentBuilder;

Error NoIndexHere(const std::string& index_dir) {
  return Error::NotFound(index_dir + ": no index here; run `tailor-indexer build` first");
}

// The language the live generation was built with, after checking its format.
Result<Language> IndexLanguage(const Xapian::WritableDatabase& db, const std::string& place) {
  std::string format = db.get_metadata(std::string(schema::kFormatMetadataKey));
  if (format != std::to_string(schema::kIndexFormatVersion)) {
    return Error::Unavailable(place + ": not a Tailor index of format " +
                              std::to_string(schema::kIndexFormatVersion) + " (found \"" + format +
                              "\")");
  }
  std::string language = db.get_metadata(std::string(schema::kLanguageMetadataKey));
  Result<Language> parsed = ParseLanguage(language);
  if (!parsed.ok())
    return Error::Unavailable(place + ": index metadata: " + parsed.error().message);
  return parsed;
}

// The open shards of the live generation (one for an unsharded index), in stub order.
struct Shards {
  std::vector<std::string> paths;
  std::vector<Xapian::WritableDatabase> dbs;
};

// Checks that each shard knows its place among the shards, as the build stamped it. An
// index built before shards has no stamp: one database.
Status CheckShardStamps(const Shards& shards) {
  const int count = static_cast<int>(shards.dbs.size());
  for (int i = 0; i < count; ++i) {
    std::string total = shards.dbs[i].get_metadata(std::string(schema::kShardsMetadataKey));
    std::string number = shards.dbs[i].get_metadata(std::string(schema::kShardMetadataKey));
    if (total.empty() && number.empty() && count == 1) continue;
    if (total != std::to_string(count) || number != std::to_string(i)) {
      return Error::Unavailable(shards.paths[i] + ": is shard \"" + number + "\" of \"" + total +
                                "\" but the stub lists it as shard " + std::to_string(i) + " of " +
                                std::to_string(count));
    }
  }
  return Status::Ok();
}

// Applies every record inside the shards' open transactions. Returns the loop's status.
Status ApplyRecords(const UpdateOptions& options, CatalogReader& reader, Language language,
                    Shards& shards, UpdateStats* stats) {
  std::vector<DocumentBuilder> builders;
  builders.reserve(shards.dbs.size());
  for (Xapian::WritableDatabase& db : shards.dbs) builders.emplace_back(language, &db);
  const int count = static_cast<int>(shards.dbs.size());
  internal::RecordLoop loop(reader, options.on_invalid, options.on_progress);
  Status status = loop.Run([&](CatalogRecord& record) -> Status {
    const int shard = count == 1 ? 0 : schema::ShardOf(record.product.id, count);
    Xapian::WritableDatabase& db = shards.dbs[shard];
    std::string id_term = schema::IdTerm(record.product.id);
    if (record.deleted) {
      if (db.term_exists(id_term)) {
        db.delete_document(id_term);
        ++stats->records_deleted;
      } else {
        ++stats->deletes_not_found;
      }
      return Status::Ok();
    }
    db.replace_document(id_term, builders[shard].Build(record.product));
    ++stats->records_upserted;
    return Status::Ok();
  });
  stats->records_skipped = loop.progress().records_skipped;
  stats->skipped_examples = loop.skipped_examples();
  return status;
}

// Counts the commit in the database's metadata: what a searcher over xapian-tcpsrv, where
// Xapian reports no revision, watches to notice the update.
void CountCommit(Xapian::WritableDatabase& db) {
  const std::string key(schema::kCommitsMetadataKey);
  const std::string commits = db.get_metadata(key);
  db.set_metadata(key, std::to_string(commits.empty() ? 1 : std::stol(commits) + 1));
}

Result<UpdateStats> UpdateLocked(const UpdateOptions& options) {
  Result<std::optional<internal::LiveLayout>> live = internal::ReadLiveLayout(options.index_dir);
  if (!live.ok()) return live.error();
  if (!live->has_value()) return NoIndexHere(options.index_dir);
  const int count = static_cast<int>((*live)->databases.size());
  if (options.shards != 0 && options.shards != count) {
    return Error::InvalidArgument("shards: " + std::to_string(options.shards) +
                                  " given, but the index at " + options.index_dir + " has " +
                                  std::to_string(count) +
                                  " (a product's shard depends on the count; rebuild with "
                                  "--shards " +
                                  std::to_string(options.shards) + " to change it)");
  }
  Result<std::unique_ptr<CatalogReader>> reader =
      CatalogReader::Open(options.catalog_path, CatalogKind::kUpdate);
  if (!reader.ok()) return reader.error();
  Shards shards;
  for (const std::string& database : (*live)->databases) {
    shards.paths.push_back((fs::path(options.index_dir) / database).string());
  }
  std::string path = shards.paths[0];
  try {
    for (const std::string& shard_path : shards.paths) {
      path = shard_path;
      shards.dbs.emplace_back(shard_path, Xapian::DB_OPEN);
    }
    path = shards.paths[0];
    Result<Language> language = IndexLanguage(shards.dbs[0], path);
    if (!language.ok()) return language.error();
    if (Status s = CheckShardStamps(shards); !s) return s.error();
    UpdateStats stats;
    stats.shards = count;
    for (Xapian::WritableDatabase& db : shards.dbs) db.begin_transaction();
    Status status = ApplyRecords(options, **reader, *language, shards, &stats);
    if (!status) {
      for (Xapian::WritableDatabase& db : shards.dbs) db.cancel_transaction();
      return status.error();
    }
    for (size_t i = 0; i < shards.dbs.size(); ++i) {
      path = shards.paths[i];
      CountCommit(shards.dbs[i]);
      shards.dbs[i].commit_transaction();
    }
    for (Xapian::WritableDatabase& db : shards.dbs) db.close();
    return stats;
  } catch (const Xapian::DatabaseLockError& e) {
    return Error::Unavailable(path + ": the index is locked by another writer: " + e.get_msg());
  } catch (const Xapian::Error& e) {
    // The WritableDatabase destructors cancel open transactions: nothing more is committed.
    return Error::Unavailable(path + ": " + e.get_description());
  }
}

}  // namespace

Result<UpdateStats> Update(const UpdateOptions& options) {
  if (Status s = internal::CheckPaths(options.catalog_path, options.index_dir); !s) {
    return s.error();
  }
  std::error_code ec;
  if (!fs::is_directory(options.index_dir, ec)) return NoIndexHere(options.index_dir);
  Result<internal::DirLock> lock = internal::DirLock::Acquire(options.index_dir);
  if (!lock.ok()) return lock.error();
  try {
    return UpdateLocked(options);
  } catch (const std::exception& e) {
    return Error::Internal(options.index_dir + ": update failed: " + e.what());
  }
}

}  // namespace tailor::indexer
