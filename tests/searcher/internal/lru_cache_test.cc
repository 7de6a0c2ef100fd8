// LruCache (searcher/internal/lru_cache.h): the coldest entry goes first, the byte bound
// holds, and entries of an older epoch are neither served nor kept.
#include "searcher/internal/lru_cache.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace tailor::searcher::internal {
namespace {

constexpr CacheEpoch kFirst{1, 1, 0};

std::shared_ptr<const std::string> Value(const std::string& text) {
  return std::make_shared<const std::string>(text);
}

// One shard holding three entries of 100 bytes (with their keys and bookkeeping).
constexpr size_t kEntry = 100 + 2 * 1 + LruCache<std::string>::kEntryOverheadBytes;

TEST(LruCache, EvictsTheLeastRecentlyUsed) {
  LruCache<std::string> cache(3 * kEntry, /*shards=*/1);
  cache.Put(kFirst, "a", Value("A"), 100);
  cache.Put(kFirst, "b", Value("B"), 100);
  cache.Put(kFirst, "c", Value("C"), 100);
  ASSERT_NE(cache.Get(kFirst, "a"), nullptr);  // "b" is now the coldest
  cache.Put(kFirst, "d", Value("D"), 100);
  EXPECT_EQ(cache.Get(kFirst, "b"), nullptr);
  EXPECT_EQ(*cache.Get(kFirst, "a"), "A");
  EXPECT_EQ(*cache.Get(kFirst, "c"), "C");
  EXPECT_EQ(*cache.Get(kFirst, "d"), "D");
  const CacheCounters counters = cache.Counters();
  EXPECT_EQ(counters.entries, 3);
  EXPECT_EQ(counters.bytes, static_cast<long>(3 * kEntry));
  EXPECT_EQ(counters.evictions, 1);
  EXPECT_EQ(counters.inserts, 4);
  EXPECT_EQ(counters.hits, 4);
  EXPECT_EQ(counters.misses, 1);
}

TEST(LruCache, ReplacingAKeyKeepsOneEntry) {
  LruCache<std::string> cache(3 * kEntry, 1);
  cache.Put(kFirst, "a", Value("A"), 100);
  cache.Put(kFirst, "a", Value("A2"), 100);
  EXPECT_EQ(*cache.Get(kFirst, "a"), "A2");
  EXPECT_EQ(cache.Counters().entries, 1);
  EXPECT_EQ(cache.Counters().bytes, static_cast<long>(kEntry));
}

TEST(LruCache, AValueLargerThanTheBoundIsNotKept) {
  LruCache<std::string> cache(3 * kEntry, 1);
  cache.Put(kFirst, "a", Value("A"), 100);
  cache.Put(kFirst, "big", Value("B"), 4 * kEntry);
  EXPECT_EQ(cache.Get(kFirst, "big"), nullptr);
  EXPECT_NE(cache.Get(kFirst, "a"), nullptr);  // nothing was evicted for it
}

TEST(LruCache, ANewerEpochDropsTheOlderEntries) {
  LruCache<std::string> cache(1 << 20, 4);
  cache.Put(kFirst, "a", Value("A"), 10);
  const CacheEpoch updated{1, 2, 0};
  EXPECT_EQ(cache.Get(updated, "a"), nullptr);  // computed on an older revision
  cache.Put(updated, "a", Value("A2"), 10);
  EXPECT_EQ(*cache.Get(updated, "a"), "A2");
  EXPECT_EQ(cache.Get(kFirst, "a"), nullptr);
  // A search that started on the old revision finishes after the update: not kept.
  cache.Put(kFirst, "a", Value("stale"), 10);
  EXPECT_EQ(*cache.Get(updated, "a"), "A2");
  // A new generation and new synonyms are newer epochs too.
  EXPECT_TRUE((CacheEpoch{2, 1, 0}).NewerThan(updated));
  EXPECT_TRUE((CacheEpoch{1, 2, 1}).NewerThan(updated));
  EXPECT_FALSE(kFirst.NewerThan(updated));
}

TEST(LruCache, ZeroCapacityIsOff) {
  LruCache<std::string> cache(0);
  EXPECT_FALSE(cache.enabled());
  cache.Put(kFirst, "a", Value("A"), 1);
  EXPECT_EQ(cache.Get(kFirst, "a"), nullptr);
  EXPECT_EQ(cache.Counters().entries, 0);
  EXPECT_EQ(cache.Counters().misses, 0);
}

}  // namespace
}  // namespace tailor::searcher::internal
