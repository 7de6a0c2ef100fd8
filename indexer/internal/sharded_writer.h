// Writes documents into several raw Xapian databases on worker threads, so a build uses
// several cores: the calling thread reads and validates the catalog, the workers build
// documents and feed Xapian. Each database is compacted afterwards: all into one for a
// one-shard index, each into its catalog shard for `--shards N`. Internal to the indexer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/product.h"
#include "core/result.h"
#include "indexer/indexer.h"

namespace tailor::indexer::internal {

// Which database a product goes to.
enum class Routing {
  kRoundRobin,  // batches in turn, to balance the workers (merged into one index later)
  kById,        // database schema::ShardOf(id, databases): the catalog shards
};

class ShardedWriter {
 public:
  // Creates the glass databases at the given paths (at least one), each with the index
  // metadata of `language`, and starts one worker per database. Throws Xapian::Error when a
  // database cannot be created.
  ShardedWriter(const std::vector<std::string>& paths, Language language, Routing routing);
  // Stops the workers without committing what is still queued.
  ~ShardedWriter();
  ShardedWriter(const ShardedWriter&) = delete;
  ShardedWriter& operator=(const ShardedWriter&) = delete;

  // Queues a product; blocks while the workers are far behind. Products are given to the
  // databases in batches (kRoundRobin: in turn, so small catalogs stay in catalog order in
  // database 0); each database receives its products in catalog order.
  // Errors: unavailable when a worker has failed (the build should stop).
  Status Add(Product product);

  // Sends what is queued, waits for the workers and commits every shard. Errors:
  // unavailable naming the shard's failure.
  Status Finish();

 private:
  struct Shard;
  void Work(Shard& shard);
  Status Dispatch(size_t shard);
  Status FirstFailure() const;

  Language language_;
  Routing routing_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::vector<std::vector<Product>> batches_;  // per database
  size_t next_shard_ = 0;  // kRoundRobin: the database the batch being filled goes to
};

}  // namespace tailor::indexer::internal
