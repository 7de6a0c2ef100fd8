// Request rate limits per client address (internal to server/http): a token bucket per
// address, as HttpServerOptions::rate_limit describes. The session asks it once per request
// before routing; an address over its rate is answered 429 with Retry-After.
//
// Memory is bounded by RateLimitOptions::max_clients: a bucket that has refilled to its
// burst is the same as no bucket, so such idle buckets are forgotten first; when every
// tracked address is still busy, the one quiet for longest is forgotten.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "server/http/server.h"

namespace tailor::server::http::internal {

class RateLimiter {
 public:
  // A client's IPv6 address, or an IPv4 one mapped into IPv6 (::ffff:a.b.c.d).
  using Address = std::array<uint8_t, 16>;

  struct Decision {
    bool allowed = true;
    // When refused: whole seconds until the address has a request again (at least 1).
    int retry_after_s = 0;
  };

  // Requires: options.requests_per_second > 0, options.burst >= 1, options.max_clients >= 1
  // (ParseServerOptions checks them).
  explicit RateLimiter(const RateLimitOptions& options);

  // Takes one request from client's bucket at now_ns (any monotonic clock in nanoseconds;
  // calls must not go back in time for one address). Thread-safe: addresses are spread
  // over independently locked shards, so concurrent clients rarely wait on each other.
  Decision Admit(const Address& client, int64_t now_ns);
  // The same at the steady clock's now.
  Decision Admit(const Address& client);

  // Addresses tracked now; at most options.max_clients. Thread-safe.
  size_t tracked() const;

 private:
  struct Bucket {
    double tokens = 0;
    int64_t last_ns = 0;
  };
  struct AddressHash {
    uint64_t seed;
    size_t operator()(const Address& address) const;
  };
  struct Shard {
    explicit Shard(const AddressHash& hash) : buckets(0, hash) {}
    mutable std::mutex mutex;
    std::unordered_map<Address, Bucket, AddressHash> buckets;
  };

  // Tokens in bucket at now_ns, refilled since its last request, at most the burst.
  double Refilled(const Bucket& bucket, int64_t now_ns) const;
  // Makes room for one more bucket in a full shard. Requires: shard.mutex held.
  void Evict(Shard& shard, int64_t now_ns) const;

  const double tokens_per_ns_;
  const double burst_;
  const AddressHash hash_;
  size_t per_shard_ = 0;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace tailor::server::http::internal
