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

int ThreadCount(int threads) {
  constexpr int kMaxThreads = 8;
  if (threads <= 0) threads = static_cast<int>(std::thread::hardware_concurrency());
  return std::clamp(threads, 1, kMaxThreads);
}

// Writes all records of the catalog into raw databases in `working` ("raw-<i>"), one per
// thread, or one per catalog shard when options.shards > 1; returns their paths.
Result<std::vector<std::string>> WriteRaw(const BuildOptions& options, CatalogReader& reader,
                                          const fs::path& working, BuildStats* stats) {
  const bool sharded = options.shards > 1;
  const int databases = sharded ? options.shards : ThreadCount(options.threads);
  std::vector<std::string> paths;
  for (int i = 0; i < databases; ++i) {
    paths.push_back((working / ("raw-" + std::to_string(i))).string());
  }
  internal::ShardedWriter writer(
      paths, options.language, sharded ? internal::Routing::kById : internal::Routing::kRoundRobin);
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

// Compacts `sources` into the database at `path` and records its place among the shards,
// durably. The compaction merges the sources' spelling data and leaves compact tables.
Status CompactShard(const std::vector<std::string>& sources, const fs::path& path,
                    const std::string& generation, int shard, int shards) {
  Xapian::Database all;
  for (const std::string& source : sources) all.add_database(Xapian::Database(source));
  all.compact(path.string(), 0);
  Xapian::WritableDatabase out(path.string(), Xapian::DB_OPEN);
  out.set_metadata(std::string(schema::kShardsMetadataKey), std::to_string(shards));
  out.set_metadata(std::string(schema::kShardMetadataKey), std::to_string(shard));
  out.set_metadata(std::string(schema::kGenerationMetadataKey), generation);
  out.commit();
  out.close();
  return internal::SyncTree(path.string());
}

// Builds the generation in `working`/db: one database, or a directory of shard databases.
Status WriteGeneration(const BuildOptions& options, CatalogReader& reader, const fs::path& working,
                       const std::string& generation, BuildStats* stats) {
  fs::create_directories(working);  // throws filesystem_error, reported by Build
  Result<std::vector<std::string>> raw = WriteRaw(options, reader, working, stats);
  if (!raw.ok()) return raw.error();
  const fs::path db = working / "db";
  if (options.shards == 1) return CompactShard(*raw, db, generation, 0, 1);
  fs::create_directories(db);
  for (int shard = 0; shard < options.shards; ++shard) {
    const fs::path path = db / (std::string(schema::kShardPrefix) + std::to_string(shard));
    if (Status s = CompactShard({(*raw)[shard]}, path, generation, shard, options.shards); !s) {
      return s;
    }
  }
  return SyncDirectory(db.string());
}

// Writes DIR/XAPIANDB.shard-<i> for each shard of a sharded generation (what xapian-tcpsrv
// serves, core/index_schema.h) and removes those of shards the generation does not have.
Status WriteShardStubs(const std::string& dir, const std::vector<std::string>& databases) {
  const size_t count = databases.size() > 1 ? databases.size() : 0;
  for (size_t shard = 0; shard < count; ++shard) {
    const std::string path =
        (fs::path(dir) / (std::string(schema::kShardStubPrefix) + std::to_string(shard))).string();
    if (Status s = WriteFileAtomically(path, "glass " + databases[shard] + "\n"); !s) {
      return s.error().WithPrefix(path + ": cannot replace the shard's stub file");
    }
  }
  std::error_code ec;
  for (size_t shard = count;; ++shard) {
    const fs::path path =
        fs::path(dir) / (std::string(schema::kShardStubPrefix) + std::to_string(shard));
    if (!fs::remove(path, ec)) break;
  }
  return Status::Ok();
}

Result<BuildStats> BuildLocked(const BuildOptions& options) {
  Result<std::unique_ptr<CatalogReader>> reader =
      CatalogReader::Open(options.catalog_path, CatalogKind::kBuild);
  if (!reader.ok()) return reader.error();
  internal::RemoveLeftoverTemporaries(options.index_dir);
  Result<std::optional<internal::LiveLayout>> live = internal::ReadLiveLayout(options.index_dir);
  if (!live.ok()) return live.error();
  std::vector<long> generations = internal::ListGenerations(options.index_dir);
  std::string generation =
      internal::GenerationName(generations.empty() ? 1 : generations.back() + 1);
  fs::path dir(options.index_dir);
  fs::path working = dir / (generation + ".tmp-" + std::to_string(::getpid()));
  RemoveOnExit cleanup(working);
  BuildStats stats;
  try {
    Status status = WriteGeneration(options, **reader, working, generation, &stats);
    if (!status) return status.error();
  } catch (const Xapian::Error& e) {
    return XapianFailure(working.string(), e);
  }
  std::error_code ec;
  fs::rename(working / "db", dir / generation, ec);
  if (ec) return Error::Unavailable((dir / generation).string() + ": " + ec.message());
  if (Status s = SyncDirectory(options.index_dir); !s) return s.error();
  std::vector<std::string> databases = {generation};
  if (options.shards > 1) {
    databases.clear();
    for (int shard = 0; shard < options.shards; ++shard) {
      databases.push_back(internal::ShardPath(generation, shard));
    }
  }
  if (Status s = WriteShardStubs(options.index_dir, databases); !s) return s.error();
  if (Status s = WriteIndexStub(options.index_dir, databases); !s) return s.error();
  std::vector<std::string> keep = {generation};
  if (live->has_value()) keep.push_back((*live)->generation);
  internal::RemoveGenerationsExcept(options.index_dir, keep);
  stats.generation = generation;
  stats.shards = options.shards;
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
  if (options.shards < 1 || options.shards > schema::kMaxShards) {
    return Error::InvalidArgument("shards: must be from 1 to " +
                                  std::to_string(schema::kMaxShards) + ", got " +
                                  std::to_string(options.shards));
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
