// Writes documents into several raw Xapian databases ("shards") on worker threads, so a build
// uses every core: the calling thread reads and validates the catalog, the workers build
// documents and feed Xapian. The shards are compacted into one database afterwards. Internal
// to the indexer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/product.h"
#include "core/result.h"
#include "indexer/indexer.h"

namespace tailor::indexer::internal {

class ShardedWriter {
 public:
  // Creates `shards` (>= 1) glass databases at the given paths, each with the index metadata
  // of `language`, and starts one worker per shard. Throws Xapian::Error when a database
  // cannot be created.
  ShardedWriter(const std::vector<std::string>& paths, Language language);
  // Stops the workers without committing what is still queued.
  ~ShardedWriter();
  ShardedWriter(const ShardedWriter&) = delete;
  ShardedWriter& operator=(const ShardedWriter&) = delete;

  // Queues a product; blocks while the workers are far behind. Products are given to the
  // shards in batches, round robin, so small catalogs stay in catalog order in shard 0.
  // Errors: unavailable when a worker has failed (the build should stop).
  Status Add(Product product);

  // Sends what is queued, waits for the workers and commits every shard. Errors:
  // unavailable naming the shard's failure.
  Status Finish();

 private:
  struct Shard;
  void Work(Shard& shard);
  Status Dispatch();
  Status FirstFailure() const;

  Language language_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::vector<Product> batch_;
  size_t next_shard_ = 0;
};

}  // namespace tailor::indexer::internal
