#include "indexer/internal/sharded_writer.h"

#include <xapian.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include "core/index_schema.h"
#include "indexer/internal/document_builder.h"

namespace tailor::indexer::internal {
namespace {

// Products per batch handed to a worker: large enough that locking is rare, small enough
// that a catalog of a few hundred records stays in one shard and in catalog order.
constexpr size_t kBatchSize = 512;
// Batches a shard may have queued before Add() waits; bounds the memory held in queues.
constexpr size_t kMaxQueuedBatches = 4;
// Frequent small commits keep Xapian's in-memory inverter small, which costs less CPU for
// short product documents than its default of 10000 documents (measured: about 30% less).
// The shards are private to the build, so their commits skip fsync (DB_NO_SYNC); the
// compaction that follows rewrites the fragmented tables compactly.
constexpr long kCommitEvery = 2000;

}  // namespace

struct ShardedWriter::Shard {
  Xapian::WritableDatabase db;
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::vector<Product>> queue;
  bool closing = false;    // no more batches will come
  bool cancelled = false;  // stop at once, commit nothing
  std::string failure;     // set by the worker when Xapian failed
  std::thread thread;
};

ShardedWriter::ShardedWriter(const std::vector<std::string>& paths, Language language,
                             Routing routing)
    : language_(language), routing_(routing), batches_(paths.size()) {
  for (const std::string& path : paths) {
    auto shard = std::make_unique<Shard>();
    shard->db = Xapian::WritableDatabase(
        path, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC);
    shard->db.set_metadata(std::string(schema::kFormatMetadataKey),
                           std::to_string(schema::kIndexFormatVersion));
    shard->db.set_metadata(std::string(schema::kLanguageMetadataKey),
                           std::string(LanguageName(language)));
    shards_.push_back(std::move(shard));
  }
  for (auto& shard : shards_) shard->thread = std::thread([this, &s = *shard] { Work(s); });
}

ShardedWriter::~ShardedWriter() {
  for (auto& shard : shards_) {
    {
      std::lock_guard lock(shard->mutex);
      shard->cancelled = true;
    }
    shard->changed.notify_all();
  }
  for (auto& shard : shards_) {
    if (shard->thread.joinable()) shard->thread.join();
  }
}

void ShardedWriter::Work(Shard& shard) {
  try {
    DocumentBuilder builder(language_, &shard.db);
    long added = 0;
    while (true) {
      std::vector<Product> batch;
      {
        std::unique_lock lock(shard.mutex);
        shard.changed.wait(
            lock, [&] { return shard.cancelled || shard.closing || !shard.queue.empty(); });
        if (shard.cancelled || shard.queue.empty()) return;
        batch = std::move(shard.queue.front());
        shard.queue.pop_front();
      }
      shard.changed.notify_all();
      for (const Product& product : batch) {
        shard.db.add_document(builder.Build(product));
        if (++added % kCommitEvery == 0) shard.db.commit();
      }
    }
  } catch (const Xapian::Error& e) {
    std::lock_guard lock(shard.mutex);
    shard.failure = e.get_description();
  } catch (const std::exception& e) {
    std::lock_guard lock(shard.mutex);
    shard.failure = e.what();
  }
  shard.changed.notify_all();
}

Status ShardedWriter::FirstFailure() const {
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard->mutex);
    if (!shard->failure.empty()) return Error::Unavailable(shard->failure);
  }
  return Status::Ok();
}

Status ShardedWriter::Dispatch(size_t index) {
  std::vector<Product>& batch = batches_[index];
  if (batch.empty()) return Status::Ok();
  Shard& shard = *shards_[index];
  {
    std::unique_lock lock(shard.mutex);
    shard.changed.wait(
        lock, [&] { return shard.queue.size() < kMaxQueuedBatches || !shard.failure.empty(); });
    if (!shard.failure.empty()) return Error::Unavailable(shard.failure);
    shard.queue.push_back(std::move(batch));
  }
  shard.changed.notify_all();
  batch.clear();
  batch.reserve(kBatchSize);
  return Status::Ok();
}

Status ShardedWriter::Add(Product product) {
  const size_t index =
      routing_ == Routing::kById
          ? static_cast<size_t>(schema::ShardOf(product.id, static_cast<int>(shards_.size())))
          : next_shard_;
  std::vector<Product>& batch = batches_[index];
  batch.push_back(std::move(product));
  if (batch.size() < kBatchSize) return Status::Ok();
  if (routing_ == Routing::kRoundRobin) next_shard_ = (next_shard_ + 1) % shards_.size();
  return Dispatch(index);
}

Status ShardedWriter::Finish() {
  for (size_t index = 0; index < batches_.size(); ++index) {
    if (Status s = Dispatch(index); !s) return s;
  }
  for (auto& shard : shards_) {
    {
      std::lock_guard lock(shard->mutex);
      shard->closing = true;
    }
    shard->changed.notify_all();
  }
  for (auto& shard : shards_) shard->thread.join();
  if (Status s = FirstFailure(); !s) return s;
  for (auto& shard : shards_) {
    shard->db.commit();
    shard->db.close();
  }
  return Status::Ok();
}

}  // namespace tailor::indexer::internal
