// A byte-bounded, least-recently-used cache of immutable values shared between threads,
// for the searcher's caches of text results and stored documents (searcher/searcher.h,
// SearchCacheStats).
//
// Entries belong to an epoch (the index generation and revision they were computed on, and
// the synonym set): a lookup names the epoch it wants and finds only entries of that epoch,
// and the first insert of a newer epoch drops every older entry, so nothing computed on an
// index or synonym set that is no longer live is ever served or kept.
//
// The cache is split into shards by key hash, each with its own mutex held only to look up,
// link or unlink an entry (never while a value is computed or copied). Every shard keeps
// its share of the byte bound; the coldest entries of a shard go first.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "searcher/searcher.h"

namespace tailor::searcher::internal {

// What an epoch is made of; compared field by field, a later one is newer.
struct CacheEpoch {
  uint64_t generation = 0;  // Generation::serial(): opened later, newer
  uint64_t revision = 0;    // Xapian revision of that generation
  uint64_t synonyms = 0;    // the searcher's count of synonym sets installed

  bool operator==(const CacheEpoch& o) const {
    return generation == o.generation && revision == o.revision && synonyms == o.synonyms;
  }
  bool NewerThan(const CacheEpoch& o) const {
    if (generation != o.generation) return generation > o.generation;
    if (revision != o.revision) return revision > o.revision;
    return synonyms > o.synonyms;
  }
};

template <typename Value>
class LruCache {
 public:
  // capacity_bytes 0: the cache is off (Get always misses, Put keeps nothing).
  explicit LruCache(size_t capacity_bytes, size_t shards = 16)
      : capacity_bytes_(capacity_bytes), shards_(capacity_bytes == 0 ? 1 : shards) {
    for (Shard& shard : shards_) shard.capacity = capacity_bytes_ / shards_.size();
  }

  bool enabled() const { return capacity_bytes_ > 0; }

  // The value under key in this epoch, made the most recently used; null when absent.
  std::shared_ptr<const Value> Get(const CacheEpoch& epoch, const std::string& key) {
    if (!enabled()) return nullptr;
    std::shared_ptr<const Value> value;
    {
      Shard& shard = ShardOf(key);
      std::lock_guard<std::mutex> lock(shard.mu);
      if (shard.epoch == epoch) {
        auto found = shard.index.find(key);
        if (found != shard.index.end()) {
          shard.order.splice(shard.order.begin(), shard.order, found->second);
          value = found->second->value;
        }
      }
    }
    (value ? hits_ : misses_).fetch_add(1, std::memory_order_relaxed);
    return value;
  }

  // Keeps value under key in this epoch, counted as `bytes` (besides the key and the
  // entry's own bookkeeping), evicting the coldest entries of its shard to stay within the
  // bound. A value larger than a shard's share is not kept. An epoch older than the one the
  // shard holds is ignored (the value was computed on an index already replaced); a newer
  // one first empties the shard.
  void Put(const CacheEpoch& epoch, const std::string& key, std::shared_ptr<const Value> value,
           size_t bytes) {
    if (!enabled()) return;
    const size_t cost = bytes + 2 * key.size() + kEntryOverheadBytes;
    Shard& shard = ShardOf(key);
    std::vector<std::shared_ptr<const Value>> dropped;  // freed after the lock is released
    {
      std::lock_guard<std::mutex> lock(shard.mu);
      if (shard.epoch.NewerThan(epoch)) return;
      if (!(shard.epoch == epoch)) {
        for (Entry& entry : shard.order) dropped.push_back(std::move(entry.value));
        shard.order.clear();
        shard.index.clear();
        shard.bytes = 0;
        shard.epoch = epoch;
      }
      if (cost > shard.capacity) return;
      auto found = shard.index.find(key);
      if (found != shard.index.end()) {
        shard.bytes -= found->second->bytes;
        dropped.push_back(std::move(found->second->value));
        shard.order.erase(found->second);
        shard.index.erase(found);
      }
      while (shard.bytes + cost > shard.capacity && !shard.order.empty()) {
        Entry& coldest = shard.order.back();
        shard.bytes -= coldest.bytes;
        dropped.push_back(std::move(coldest.value));
        shard.index.erase(coldest.key);
        shard.order.pop_back();
        evictions_.fetch_add(1, std::memory_order_relaxed);
      }
      shard.order.push_front(Entry{key, std::move(value), cost});
      shard.index.emplace(key, shard.order.begin());
      shard.bytes += cost;
    }
    inserts_.fetch_add(1, std::memory_order_relaxed);
  }

  CacheCounters Counters() const {
    CacheCounters counters;
    counters.hits = static_cast<long>(hits_.load(std::memory_order_relaxed));
    counters.misses = static_cast<long>(misses_.load(std::memory_order_relaxed));
    counters.inserts = static_cast<long>(inserts_.load(std::memory_order_relaxed));
    counters.evictions = static_cast<long>(evictions_.load(std::memory_order_relaxed));
    counters.capacity_bytes = static_cast<long>(capacity_bytes_);
    for (const Shard& shard : shards_) {
      std::lock_guard<std::mutex> lock(shard.mu);
      counters.entries += static_cast<long>(shard.index.size());
      counters.bytes += static_cast<long>(shard.bytes);
    }
    return counters;
  }

  // What an entry costs beyond its value and its key's two copies (list and map): the list
  // node, the map node and its bucket, the strings' own fields and the shared_ptr control
  // block (libstdc++, rounded up).
  static constexpr size_t kEntryOverheadBytes = 160;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const Value> value;
    size_t bytes = 0;
  };
  struct Shard {
    mutable std::mutex mu;
    CacheEpoch epoch;
    std::list<Entry> order;  // most recently used first
    std::unordered_map<std::string, typename std::list<Entry>::iterator> index;
    size_t bytes = 0;
    size_t capacity = 0;
  };

  Shard& ShardOf(const std::string& key) {
    return shards_[std::hash<std::string>()(key) % shards_.size()];
  }

  const size_t capacity_bytes_;
  std::vector<Shard> shards_;
  std::atomic<uint64_t> hits_{0}, misses_{0}, inserts_{0}, evictions_{0};
};

}  // namespace tailor::searcher::internal
