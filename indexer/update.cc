// Update: upserts and deletes applied to the live generation in one Xapian transaction.
// The other half of indexer/indexer.h, beside Build in indexer.cc.
#include "indexer/indexer.h"

#include <xapian.h>

#include <filesystem>

#include "core/index_schema.h"
#include "indexer/catalog_reader.h"
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

// Applies every record inside the open transaction. Returns the loop's status.
Status ApplyRecords(const UpdateOptions& options, CatalogReader& reader, Language language,
                    Xapian::WritableDatabase& db, UpdateStats* stats) {
  DocumentBuilder builder(language, &db);
  internal::RecordLoop loop(reader, options.on_invalid, options.on_progress);
  Status status = loop.Run([&](CatalogRecord& record) -> Status {
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
    db.replace_document(id_term, builder.Build(record.product));
    ++stats->records_upserted;
    return Status::Ok();
  });
  stats->records_skipped = loop.progress().records_skipped;
  stats->skipped_examples = loop.skipped_examples();
  return status;
}

Result<UpdateStats> UpdateLocked(const UpdateOptions& options) {
  Result<std::optional<std::string>> live = internal::ReadLiveGeneration(options.index_dir);
  if (!live.ok()) return live.error();
  if (!live->has_value()) return NoIndexHere(options.index_dir);
  Result<std::unique_ptr<CatalogReader>> reader =
      CatalogReader::Open(options.catalog_path, CatalogKind::kUpdate);
  if (!reader.ok()) return reader.error();
  std::string path = (fs::path(options.index_dir) / **live).string();
  try {
    Xapian::WritableDatabase db(path, Xapian::DB_OPEN);
    Result<Language> language = IndexLanguage(db, path);
    if (!language.ok()) return language.error();
    UpdateStats stats;
    db.begin_transaction();
    Status status = ApplyRecords(options, **reader, *language, db, &stats);
    if (!status) {
      db.cancel_transaction();
      return status.error();
    }
    db.commit_transaction();
    db.close();
    return stats;
  } catch (const Xapian::DatabaseLockError& e) {
    return Error::Unavailable(path + ": the index is locked by another writer: " + e.get_msg());
  } catch (const Xapian::Error& e) {
    // The WritableDatabase destructor has cancelled the transaction: nothing is committed.
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
