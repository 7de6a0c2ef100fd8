// One opened generation of a Tailor index (DIR/gen-<N>) and its pool of Xapian handles.
//
// Xapian::Database, Xapian::Stem and Xapian::QueryParser are not safe for concurrent use,
// so every search leases a Handle of its own from the pool and gives it back when done;
// the pool's mutex is held only to push or pop a handle, never while a query runs. A
// Generation is shared through std::shared_ptr: requests in flight keep the generation
// they started with after a newer one is swapped in.
#pragma once

#include <xapian.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"
#include "searcher/internal/facet_table.h"
#include "searcher/internal/lru_cache.h"
#include "searcher/internal/synonym_table.h"
#include "searcher/synonyms.h"

namespace tailor::searcher::internal {

// Where one database (shard) of a generation is: a local path Xapian opens, or the address
// of a xapian-tcpsrv serving it.
struct ShardSource {
  std::string path;  // local: a database directory, or anything Xapian opens
  std::string host;  // remote when not empty
  unsigned port = 0;
  bool remote() const { return !host.empty(); }
  // "gen-4/shard-0" as given, or "remote HOST:PORT", for messages.
  std::string Describe() const;
};

// A database handle with the per-handle helpers that carry mutable state.
struct Handle {
  // Every shard as one database (Xapian's multi-database: docids interleave, statistics
  // are global); `shards` holds the same shards one by one (they share their state with db,
  // so db.reopen() reopens them), to read what Xapian gives per shard only.
  Xapian::Database db;
  std::vector<Xapian::Database> shards;
  bool remote = false;             // some shard is served by xapian-tcpsrv
  Xapian::rev revision = 0;        // ReadRevision() as of the last open or Reopen()
  // Whether facets are counted by value slot (FacetCounter): over several shards a match
  // spy is shown each shard's own docids, not the multi-database's the facet table rows
  // are, and xapian-tcpsrv runs no spy but Xapian's own.
  bool slot_facets() const { return remote || shards.size() > 1; }
  uint64_t generation_serial = 0;  // Generation::serial() of the generation that lent it
  // The spelling corrections (SuggestSpelling) of the generation's words, shared by its
  // handles, per revision ("" when none): a query stream's tail repeats its misspellings
  // more than its queries.
  std::shared_ptr<LruCache<std::string>> spelling;
  Xapian::Stem stemmer;          // empty stemmer for language "none"
  Xapian::SimpleStopper stopper;  // common words of the index language
  // The generation's facet table when lent; use it only when its revision is db's.
  std::shared_ptr<const FacetTable> facet_table;
  // The searcher's synonym set this handle last saw and its table, stemmed with this
  // handle's stemmer; rebuilt by the searcher when the set is replaced. Null: none.
  std::shared_ptr<const Synonyms> synonyms_source;
  std::shared_ptr<const SynonymTable> synonyms;
  uint64_t synonyms_serial = 0;  // the searcher's serial of synonyms_source (cache epoch)
};

// How equal scores are ordered. Over several shards (or a remote one) by product id: a
// multi-database interleaves its shards' docids, so docid order would differ between
// layouts, and ids do not. One local database keeps Xapian's docid order unless by_id
// (SearcherOptions::ties_by_id): reading a sort key for every match made a retrieval about
// 1.65x as slow (tailor-search-bench, 2026-12-07).
void OrderTies(Xapian::Enquire& enquire, const Handle& handle, bool by_id);

// The handle's revision: Xapian's revision of a single local database; over shards, the sum
// of each shard's (Xapian's revision of a local one, the commit counter of the index
// metadata for a remote one, whose revision Xapian does not report). Grows with every
// commit of any shard, so it compares like a revision within one generation. Throws
// Xapian::Error.
Xapian::rev ReadRevision(const Handle& handle);
// Reopens the handle's database at its newest commit and updates handle.revision. Throws
// Xapian::Error.
void Reopen(Handle& handle);

// The identity of the databases a generation's shards are now: each one's UUID and its
// "tailor.generation" metadata. Opens fresh connections to remote shards, so it shows what
// a new handle would open. Throws Xapian::Error.
std::vector<std::string> ShardIdentity(const std::vector<ShardSource>& sources);

class Generation {
 public:
  // Opens the shards (one database for an unsharded index) as one Xapian database and
  // checks their metadata: every shard of our format and language and of one build.
  // stub_content is the text of the stub file that named them, kept to notice the next
  // swap. Errors: unavailable when Xapian cannot open a shard or the shards are of
  // different builds (a swap of remote shards under way), invalid_argument when the
  // format version or language is not ours.
  static Result<std::shared_ptr<Generation>> Open(std::vector<ShardSource> shards,
                                                  std::string stub_content);

  Generation(const Generation&) = delete;
  Generation& operator=(const Generation&) = delete;

  // A handle on loan; returns it to the pool when destroyed. Requires: the Generation
  // outlives the Lease.
  class Lease {
   public:
    Lease(Generation* owner, std::unique_ptr<Handle> handle)
        : owner_(owner), handle_(std::move(handle)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Handle& handle() { return *handle_; }

   private:
    Generation* owner_;
    std::unique_ptr<Handle> handle_;
  };

  // Lends a handle at the newest revision seen by CheckForUpdate(). Throws Xapian::Error
  // when a new handle cannot be opened: e.g. the generation was removed, or (remote shards)
  // a new connection finds other databases than the generation's, a
  // DatabaseOpeningError, as for a removed one.
  Lease Acquire();

  // Reopens one handle to see whether the indexer committed an update; if so, loads the
  // facet table of the new revision and every handle lent from now on is reopened first.
  // Throws Xapian::Error.
  void CheckForUpdate();

  // Opens handles until the pool holds `handles` (at most 64), so the searches of a new
  // generation do not open their own. Throws Xapian::Error.
  void Warm(int handles);
  // How many handles this generation has opened. Thread-safe.
  int handles_made() const { return handles_made_.load(std::memory_order_relaxed); }

  const std::string& stub_content() const { return stub_content_; }
  const std::vector<ShardSource>& shards() const { return shards_; }
  bool remote() const { return remote_; }
  // ShardIdentity() of the shards when the generation was opened.
  const std::vector<std::string>& identity() const { return identity_; }
  // Unique per opened Generation in this process, larger for one opened later: what the
  // searcher's caches tell generations apart by (a rebuild may reuse a directory name).
  uint64_t serial() const { return serial_; }
  // The newest revision seen by Open or CheckForUpdate: what handles are lent at.
  Xapian::rev revision() const { return newest_revision_.load(std::memory_order_acquire); }
  const std::string& language() const { return language_; }

 private:
  Generation(std::vector<ShardSource> shards, std::string stub_content, std::string language,
             std::vector<std::string> identity);
  static uint64_t NextSerial();
  std::unique_ptr<Handle> NewHandle() const;
  void Release(std::unique_ptr<Handle> handle);

  const std::vector<ShardSource> shards_;
  const bool remote_;
  const std::vector<std::string> identity_;
  const std::string stub_content_;
  const std::string language_;  // "en", "de" or "none"
  const uint64_t serial_;
  std::atomic<Xapian::rev> newest_revision_{0};
  mutable std::atomic<int> handles_made_{0};
  static constexpr size_t kSpellingCacheBytes = 4 << 20;
  const std::shared_ptr<LruCache<std::string>> spelling_ =
      std::make_shared<LruCache<std::string>>(kSpellingCacheBytes);
  std::mutex table_mu_;
  std::shared_ptr<const FacetTable> facet_table_;  // guarded by table_mu_
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Handle>> pool_;  // guarded by pool_mu_
};

}  // namespace tailor::searcher::internal
