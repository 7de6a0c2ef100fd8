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
  // Threads that build documents, each into its own shard, merged at the end; 0 means one
  // per core (at most 8). Document ids follow catalog order only within a shard's batches
  // of 512 records, so a catalog of up to 512 records keeps catalog order.
  int threads = 0;
};

struct BuildStats {
  long records_indexed = 0;
  long records_skipped = 0;
  // Messages of skipped lines ("catalog.jsonl:17: price: must be >= 0"), the first few.
  std::vector<std::string> skipped_examples;
  // Name of the generation directory now live, e.g. "gen-3".
  std::string generation;
};

// Builds a whole new index generation from the catalog beside the live one and, when it is
// complete and committed, makes it live by atomically replacing the stub file. A failed or
// killed build leaves the previous generation serving; old generations are removed once
// they are two swaps old. Errors: invalid_argument for a bad catalog line (with file, line
// and field) or a duplicate id, unavailable for I/O or Xapian failures.
Result<BuildStats> Build(const BuildOptions& options);

struct UpdateOptions {
  std::string catalog_path;
  std::string index_dir;
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
};

// Upserts the records of the catalog file into the live generation (by id); a record
// {"id": "...", "deleted": true} removes that product. Uses the language the index was
// built with. Errors: not_found when the index has no live generation, invalid_argument for
// bad lines, unavailable for I/O or Xapian failures (then nothing is committed).
Result<UpdateStats> Update(const UpdateOptions& options);

}  // namespace tailor::indexer
