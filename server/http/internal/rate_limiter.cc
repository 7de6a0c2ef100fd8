#include "server/http/internal/rate_limiter.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <random>

#include "core/hash.h"

namespace tailor::server::http::internal {
namespace {

// Enough shards that two io threads rarely meet on one lock, few enough to sweep cheaply.
constexpr size_t kMaxShards = 16;

}  // namespace

size_t RateLimiter::AddressHash::operator()(const Address& address) const {
  uint64_t high = 0;
  uint64_t low = 0;
  std::memcpy(&high, address.data(), 8);
  std::memcpy(&low, address.data() + 8, 8);
  return static_cast<size_t>(MixBits64(MixBits64(high ^ seed) ^ low));
}

RateLimiter::RateLimiter(const RateLimitOptions& options)
    : tokens_per_ns_(options.requests_per_second / 1e9),
      burst_(options.burst),
      // Seeded per process, so a client choosing many addresses cannot aim them at one slot.
      hash_{(static_cast<uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}()} {
  const size_t max_clients = static_cast<size_t>(std::max(1, options.max_clients));
  const size_t shards = std::min(kMaxShards, max_clients);
  // Rounded down, so the shards together never hold more than max_clients.
  per_shard_ = max_clients / shards;
  for (size_t i = 0; i < shards; ++i) shards_.push_back(std::make_unique<Shard>(hash_));
}

double RateLimiter::Refilled(const Bucket& bucket, int64_t now_ns) const {
  const double elapsed_ns = static_cast<double>(std::max<int64_t>(0, now_ns - bucket.last_ns));
  return std::min(burst_, bucket.tokens + elapsed_ns * tokens_per_ns_);
}

RateLimiter::Decision RateLimiter::Admit(const Address& client, int64_t now_ns) {
  const size_t hash = hash_(client);
  Shard& shard = *shards_[(hash >> 32) % shards_.size()];
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto it = shard.buckets.find(client);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= per_shard_) Evict(shard, now_ns);
    shard.buckets.emplace(client, Bucket{burst_ - 1, now_ns});
    return Decision{};
  }
  Bucket& bucket = it->second;
  bucket.tokens = Refilled(bucket, now_ns);
  bucket.last_ns = std::max(bucket.last_ns, now_ns);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return Decision{};
  }
  const double wait_s = (1 - bucket.tokens) / (tokens_per_ns_ * 1e9);
  return Decision{false, static_cast<int>(std::clamp(std::ceil(wait_s), 1.0, 86400.0))};
}

RateLimiter::Decision RateLimiter::Admit(const Address& client) {
  return Admit(client, std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::steady_clock::now().time_since_epoch())
                           .count());
}

void RateLimiter::Evict(Shard& shard, int64_t now_ns) const {
  // A full bucket behaves exactly like a missing one, so forgetting it changes no answer.
  const size_t before = shard.buckets.size();
  std::erase_if(shard.buckets,
                [&](const auto& entry) { return Refilled(entry.second, now_ns) >= burst_; });
  if (shard.buckets.size() < before) return;
  auto oldest = std::min_element(
      shard.buckets.begin(), shard.buckets.end(),
      [](const auto& a, const auto& b) { return a.second.last_ns < b.second.last_ns; });
  if (oldest != shard.buckets.end()) shard.buckets.erase(oldest);
}

size_t RateLimiter::tracked() const {
  size_t total = 0;
  for (const auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mutex);
    total += shard->buckets.size();
  }
  return total;
}

}  // namespace tailor::server::http::internal
