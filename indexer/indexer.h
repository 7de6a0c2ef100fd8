// The indexer: turns a catalog (JSON Lines, DESIGN.md's record format) into a Tailor Xapian
// index (core/index_schema.h), either as a whole new generation swapped in atomically
// (Build) or as upserts and deletes applied to the live generation (Update).
//
// Neither function throws; Xapian and I/O failures come back as Errors. Both are safe to
// run while a server reads the index: Build never touches the live generation, and Update
// commits through Xapian's single-writer lock, so readers see all of a commit or none.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tailor::indexer {

enum class Language { kNone, kEnglish, kGerman };

// "en", "de" or "none"; anything else is an invalid_argument error naming the value.
Result<Language> ParseLanguage(std::string_view name);
std::string_view LanguageName(Language language);

enum class InvalidRecordPolicy {
  kStop,  // the first bad line fails the whole run; nothing is swapped in or committed
  kSkip,  // bad lines are counted and reported, the rest is indexed
};

struct Progress {
  long lines_read = 0;
  long records_indexed = 0;
  long records_skipped = 0;
};

struct BuildOptions {
  // Catalog file in JSON Lines; "-" reads standard input.
  std::string catalog_path;
  // Index directory; created when missing.
  std::string index_dir;
  Language language = Language::kEnglish;
  InvalidRecordPolicy on_invalid = InvalidRecordPolicy::kStop;
  // Called every few thousand records and once at the end; may be empty.
  std::function<void(const Progress&)> on_progress;
  // Threads that build documents, each into its own database, merged at the end; 0 means
  // one per core (at most 8). Document ids follow catalog order only within a thread's
  // batches of 512 records, so a catalog of up to 512 records keeps catalog order. Ignored
  // when shards > 1 (one thread per shard).
  int threads = 0;
  // Catalog shards, 1 .. schema::kMaxShards: 1 writes one database per generation (the
  // layout of core/index_schema.h); N > 1 writes N databases "gen-<K>/shard-<i>", a product
  // in shard schema::ShardOf(id, N), each in catalog order, and a stub listing all of them.
  int shards = 1;
};

struct BuildStats {
  long records_indexed = 0;
  long records_skipped = 0;
  // Messages of skipped lines ("catalog.jsonl:17: price: must be >= 0"), the first few.
  std::vector<std::string> skipped_examples;
  // Name of the generation directory now live, e.g. "gen-3".
  std::string generation;
  int shards = 1;
};

// Builds a whole new index generation from the catalog beside the live one and, when it is
// complete and committed, makes it live by atomically replacing the stub file. A failed or
// killed build leaves the previous generation serving; old generations are removed once
// they are two swaps old. With shards > 1 the one stub replacement swaps every shard at
// once. Errors: invalid_argument for a bad catalog line (with file, line and field), a
// duplicate id or a shard count out of range, unavailable for I/O or Xapian failures.
Result<BuildStats> Build(const BuildOptions& options);

struct UpdateOptions {
  std::string catalog_path;
  std::string index_dir;
  // The shard count the caller expects the index to have; 0: whatever it was built with.
  // A product's shard depends on the count, so a different one is an error, not a reshard.
  int shards = 0;
  InvalidRecordPolicy on_invalid = InvalidRecordPolicy::kStop;
  std::function<void(const Progress&)> on_progress;
};

struct UpdateStats {
  long records_upserted = 0;
  long records_deleted = 0;
  // Deletes of ids the index did not hold. Not an error: deleting twice is harmless, and an
  // update file may be replayed.
  long deletes_not_found = 0;
  long records_skipped = 0;
  std::vector<std::string> skipped_examples;
  int shards = 1;  // of the index updated
};

// Upserts the records of the catalog file into the live generation (by id); a record
// {"id": "...", "deleted": true} removes that product. Uses the language the index was
// built with. On a sharded index each record goes to the shard its id hashes to, and every
// shard commits in turn at the end: a reader may see one shard's commit before the next
// one's (each shard's is all or nothing). Errors: not_found when the index has no live
// generation, invalid_argument for bad lines or options.shards not the index's count (both
// named), unavailable for I/O or Xapian failures (then nothing is committed).
Result<UpdateStats> Update(const UpdateOptions& options);

}  // namespace tailor::indexer
