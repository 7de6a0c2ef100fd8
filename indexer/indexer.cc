#include "indexer/indexer.h"

#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <thread>
#include <unordered_map>

#include "core/files.h"
#include "core/index_schema.h"
#include "core/index_stub.h"
#include "indexer/catalog_reader.h"
#include "indexer/internal/index_dir.h"
#include "indexer/internal/record_loop.h"
#include "indexer/internal/sharded_writer.h"

namespace tailor::indexer {
namespace {

namespace fs = std::filesystem;

// Removes a directory on scope exit unless released: a failed build leaves no debris.
class RemoveOnExit {
 public:
  explicit RemoveOnExit(fs::path path) : path_(std::move(path)) {}
  ~RemoveOnExit() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  void Release() { path_.clear(); }

 private:
  fs::path path_;
};

Error XapianFailure(const std::string& place, const Xapian::Error& e) {
  return Error::Unavailable(place + ": " + e.get_description());
}

int ShardCount(int threads) {
  constexpr int kMaxShards = 8;
  if (threads <= 0) threads = static_cast<int>(std::thread::hardware_concurrency());
  return std::clamp(threads, 1, kMaxShards);
}

// Writes all records of the catalog into raw shard databases in `working`; returns their
// paths.
Result<std::vector<std::string>> WriteShards(const BuildOptions& options, CatalogReader& reader,
                                             const fs::path& working, BuildStats* stats) {
  std::vector<std::string> paths;
  for (int i = 0; i < ShardCount(options.threads); ++i) {
    paths.push_back((working / ("shard-" + std::to_string(i))).string());
  }
  internal::ShardedWriter writer(paths, options.language);
  // Duplicate ids are found by id term, which is what would collide in the index.
  std::unordered_map<std::string, long> line_of_id;
  internal::RecordLoop loop(reader, options.on_invalid, options.on_progress);
  Status status = loop.Run([&](CatalogRecord& record) -> Status {
    std::string id_term = schema::IdTerm(record.product.id);
    auto [it, inserted] = line_of_id.try_emplace(std::move(id_term), record.line);
    if (!inserted) {
      return Error::InvalidArgument(reader.name() + ":" + std::to_string(record.line) +
                                    ": id: duplicate of line " + std::to_string(it->second) +
                                    " (\"" + record.product.id + "\")");
    }
    return writer.Add(std::move(record.product));
  });
  stats->records_indexed = loop.progress().records_indexed;
  stats->records_skipped = loop.progress().records_skipped;
  stats->skipped_examples = loop.skipped_examples();
  if (!status) return status.error();
  if (stats->records_indexed == 0) {
    return Error::InvalidArgument(reader.name() +
                                  ": no valid records; refusing to swap in an empty index");
  }
  if (Status s = writer.Finish(); !s) return s.error();
  return paths;
}

// Builds the shards in `working` and compacts them into `working`/db, made durable. The
// compaction merges the shards' spelling data and leaves compact tables for searching.
Status WriteGeneration(const BuildOptions& options, CatalogReader& reader, const fs::path& working,
                       BuildStats* stats) {
  fs::create_directories(working);  // throws filesystem_error, reported by Build
  Result<std::vector<std::string>> shards = WriteShards(options, reader, working, stats);
  if (!shards.ok()) return shards.error();
  Xapian::Database all;
  for (const std::string& shard : *shards) all.add_database(Xapian::Database(shard));
  all.compact((working / "db").string(), 0);
  return internal::SyncTree((working / "db").string());
}

Result<BuildStats> BuildLocked(const BuildOptions& options) {
  Result<std::unique_ptr<CatalogReader>> reader =
      CatalogReader::Open(options.catalog_path, CatalogKind::kBuild);
  if (!reader.ok()) return reader.error();
  internal::RemoveLeftoverTemporaries(options.index_dir);
  Result<std::optional<std::string>> live = internal::ReadLiveGeneration(options.index_dir);
  if (!live.ok()) return live.error();
  std::vector<long> generations = internal::ListGenerations(options.index_dir);
  std::string generation =
      internal::GenerationName(generations.empty() ? 1 : generations.back() + 1);
  fs::path dir(options.index_dir);
  fs::path working = dir / (generation + ".tmp-" + std::to_string(::getpid()));
  RemoveOnExit cleanup(working);
  BuildStats stats;
  try {
    Status status = WriteGeneration(options, **reader, working, &stats);
    if (!status) return status.error();
  } catch (const Xapian::Error& e) {
    return XapianFailure(working.string(), e);
  }
  std::error_code ec;
  fs::rename(working / "db", dir / generation, ec);
  if (ec) return Error::Unavailable((dir / generation).string() + ": " + ec.message());
  if (Status s = SyncDirectory(options.index_dir); !s) return s.error();
  if (Status s = WriteIndexStub(options.index_dir, generation); !s) return s.error();
  std::vector<std::string> keep = {generation};
  if (live->has_value()) keep.push_back(**live);
  internal::RemoveGenerationsExcept(options.index_dir, keep);
  stats.generation = generation;
  return stats;
}

}  // namespace

Result<Language> ParseLanguage(std::string_view name) {
  if (name == "en") return Language::kEnglish;
  if (name == "de") return Language::kGerman;
  if (name == "none") return Language::kNone;
  return Error::InvalidArgument("language: unknown \"" + std::string(name) +
                                "\" (expected en, de or none)");
}

std::string_view LanguageName(Language language) {
  switch (language) {
    case Language::kEnglish:
      return "en";
    case Language::kGerman:
      return "de";
    case Language::kNone:
      return "none";
  }
  return "none";
}

Result<BuildStats> Build(const BuildOptions& options) {
  if (Status s = internal::CheckPaths(options.catalog_path, options.index_dir); !s) {
    return s.error();
  }
  std::error_code ec;
  fs::create_directories(options.index_dir, ec);
  if (ec) return Error::Unavailable(options.index_dir + ": " + ec.message());
  Result<internal::DirLock> lock = internal::DirLock::Acquire(options.index_dir);
  if (!lock.ok()) return lock.error();
  try {
    return BuildLocked(options);
  } catch (const std::exception& e) {
    return Error::Internal(options.index_dir + ": build failed: " + e.what());
  }
}

}  // namespace tailor::indexer
