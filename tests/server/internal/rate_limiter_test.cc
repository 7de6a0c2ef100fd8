#include "server/http/internal/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace tailor::server::http::internal {
namespace {

constexpr int64_t kSecondNs = 1000000000;

RateLimiter::Address V4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return RateLimiter::Address{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d};
}

RateLimitOptions Limit(double requests_per_second, int burst, int max_clients = 1000) {
  RateLimitOptions options;
  options.enabled = true;
  options.requests_per_second = requests_per_second;
  options.burst = burst;
  options.max_clients = max_clients;
  return options;
}

TEST(RateLimiter, BurstPassesThenTheNextIsRefusedWithRetryAfter) {
  RateLimiter limiter(Limit(2, 3));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Admit(V4(10, 0, 0, 1), 0).allowed) << i;
  RateLimiter::Decision refused = limiter.Admit(V4(10, 0, 0, 1), 0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_s, 1);  // half a second to the next token, rounded up
}

TEST(RateLimiter, RetryAfterIsTheWholeSecondsUntilTheNextToken) {
  RateLimiter limiter(Limit(0.1, 1));
  EXPECT_TRUE(limiter.Admit(V4(10, 0, 0, 1), 0).allowed);
  EXPECT_EQ(limiter.Admit(V4(10, 0, 0, 1), 0).retry_after_s, 10);
  EXPECT_EQ(limiter.Admit(V4(10, 0, 0, 1), 4 * kSecondNs).retry_after_s, 6);
  EXPECT_TRUE(limiter.Admit(V4(10, 0, 0, 1), 10 * kSecondNs).allowed);
}

TEST(RateLimiter, TokensRefillAtTheRateUpToTheBurst) {
  RateLimiter limiter(Limit(10, 2));
  const RateLimiter::Address client = V4(10, 0, 0, 1);
  EXPECT_TRUE(limiter.Admit(client, 0).allowed);
  EXPECT_TRUE(limiter.Admit(client, 0).allowed);
  EXPECT_FALSE(limiter.Admit(client, 0).allowed);
  EXPECT_TRUE(limiter.Admit(client, kSecondNs / 10).allowed);  // one token in 100 ms
  EXPECT_FALSE(limiter.Admit(client, kSecondNs / 10).allowed);
  // A long quiet refills to the burst, not beyond.
  const int64_t later = 100 * kSecondNs;
  EXPECT_TRUE(limiter.Admit(client, later).allowed);
  EXPECT_TRUE(limiter.Admit(client, later).allowed);
  EXPECT_FALSE(limiter.Admit(client, later).allowed);
}

TEST(RateLimiter, EachAddressHasItsOwnBucket) {
  RateLimiter limiter(Limit(1, 2));
  EXPECT_TRUE(limiter.Admit(V4(10, 0, 0, 1), 0).allowed);
  EXPECT_TRUE(limiter.Admit(V4(10, 0, 0, 1), 0).allowed);
  EXPECT_FALSE(limiter.Admit(V4(10, 0, 0, 1), 0).allowed);
  EXPECT_TRUE(limiter.Admit(V4(10, 0, 0, 2), 0).allowed);
  EXPECT_TRUE(limiter.Admit(V4(10, 0, 0, 2), 0).allowed);
  RateLimiter::Address v6{};
  v6[0] = 0x20;
  v6[1] = 0x01;
  v6[15] = 1;
  EXPECT_TRUE(limiter.Admit(v6, 0).allowed);
  EXPECT_EQ(limiter.tracked(), 3u);
}

TEST(RateLimiter, MemoryIsBoundedByMaxClients) {
  RateLimiter limiter(Limit(1, 5, /*max_clients=*/64));
  for (int i = 0; i < 10000; ++i) {
    limiter.Admit(V4(10, static_cast<uint8_t>(i >> 16), static_cast<uint8_t>(i >> 8),
                     static_cast<uint8_t>(i)),
                  i);
    ASSERT_LE(limiter.tracked(), 64u) << i;
  }
}

TEST(RateLimiter, ForgetsIdleBucketsFirstWhichChangesNoAnswer) {
  // 256 clients over at most 16 shards: 16 per shard, so the first 16 addresses stay
  // tracked wherever the (randomly keyed) hash puts them.
  RateLimiter limiter(Limit(1, 1, /*max_clients=*/256));
  for (uint8_t i = 1; i <= 16; ++i) EXPECT_TRUE(limiter.Admit(V4(10, 0, 0, i), 0).allowed);
  EXPECT_FALSE(limiter.Admit(V4(10, 0, 0, 1), 0).allowed);
  // Two seconds later every bucket has refilled: new addresses replace those, and an old
  // address, forgotten, starts again with a full bucket, which is exactly what it had.
  for (int i = 17; i <= 600; ++i) {
    limiter.Admit(V4(10, 0, static_cast<uint8_t>(i / 256), static_cast<uint8_t>(i % 256)),
                  2 * kSecondNs);
  }
  EXPECT_LE(limiter.tracked(), 256u);
  EXPECT_TRUE(limiter.Admit(V4(10, 0, 0, 1), 2 * kSecondNs).allowed);
}

TEST(RateLimiter, WhenEveryTrackedAddressIsBusyTheLongestQuietIsForgotten) {
  RateLimiter limiter(Limit(1, 1, /*max_clients=*/1));
  const RateLimiter::Address first = V4(10, 0, 0, 1);
  EXPECT_TRUE(limiter.Admit(first, 0).allowed);
  EXPECT_FALSE(limiter.Admit(first, 0).allowed);
  EXPECT_TRUE(limiter.Admit(V4(10, 0, 0, 2), 1).allowed);
  EXPECT_EQ(limiter.tracked(), 1u);
  EXPECT_TRUE(limiter.Admit(first, 2).allowed);  // forgotten: the bound wins over its state
}

TEST(RateLimiter, ConcurrentClientsGetExactlyTheirBurst) {
  RateLimiter limiter(Limit(1e-6, 100));
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&limiter, &allowed, t] {
      for (int i = 0; i < 1000; ++i) {
        // Eight addresses, each hit by every thread.
        if (limiter.Admit(V4(10, 0, 0, static_cast<uint8_t>(i % 8)), t).allowed) ++allowed;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 8 * 100);
}

}  // namespace
}  // namespace tailor::server::http::internal
