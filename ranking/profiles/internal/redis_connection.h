// A blocking connection to a Redis server (hiredis), the scripts Tailor runs there, and a
// pool of connections with a circuit breaker, for ranking/profiles/redis_state.cc.
//
// A connection whose command failed at the network level (refused, reset, timed out) is
// broken and never reused: the reply of a timed-out command could still arrive on it. After a
// failed connect, the pool refuses at once (unavailable) for retry_interval_ms, so a search
// does not wait a connect timeout per request while Redis is down.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

struct redisContext;
struct redisReply;

namespace tailor::ranking::internal {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  int connect_timeout_ms = 200;
  int command_timeout_ms = 1000;
};

// A reply, owned. Accessors read hiredis' reply tree.
class RedisReply {
 public:
  explicit RedisReply(redisReply* reply);
  ~RedisReply();
  RedisReply(RedisReply&& other) noexcept;
  RedisReply& operator=(RedisReply&&) = delete;

  const redisReply& get() const { return *reply_; }
  bool is_nil() const;
  bool is_array() const;
  size_t size() const;  // elements of an array
  const redisReply& at(size_t i) const;

 private:
  redisReply* reply_;
};
// Readers of a reply element.
std::string_view ReplyString(const redisReply& reply);  // "" unless a string or status
int64_t ReplyInteger(const redisReply& reply);          // 0 unless an integer
bool ReplyIsArray(const redisReply& reply);

// A Lua script run with EVALSHA, loaded with SCRIPT LOAD when the server does not know it
// (a restarted Redis forgets its scripts).
struct RedisScript {
  std::string name;    // for errors
  std::string source;  // Lua
};

class RedisConnection {
 public:
  // Errors: unavailable naming the address and hiredis' reason.
  static Result<std::unique_ptr<RedisConnection>> Connect(const RedisEndpoint& endpoint);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // One command. Errors: unavailable for a network failure (the connection is then
  // broken); failed_precondition with Redis' message for an error reply.
  Result<RedisReply> Command(const std::vector<std::string_view>& args);
  // EVALSHA script keys... args..., loading the script once when Redis answers NOSCRIPT.
  Result<RedisReply> Run(const RedisScript& script, const std::vector<std::string_view>& keys,
                         const std::vector<std::string_view>& args);
  // Sets the time a command may take (a blocking XREAD needs more than the default).
  void SetCommandTimeout(int timeout_ms);

  bool broken() const { return broken_; }

 private:
  RedisConnection(redisContext* context, std::string address);
  redisContext* context_;
  std::string address_;
  bool broken_ = false;
  // SHA1 of each script this connection's server has loaded, by script name.
  std::vector<std::pair<std::string, std::string>> shas_;
};

class RedisPool {
 public:
  RedisPool(RedisEndpoint endpoint, int max_idle, int retry_interval_ms);
  ~RedisPool();

  // A connection, taken from the idle ones or made. Give it back with Release (a broken one
  // is dropped). Errors: unavailable when connecting fails now or failed less than
  // retry_interval_ms ago.
  Result<std::unique_ptr<RedisConnection>> Acquire();
  void Release(std::unique_ptr<RedisConnection> connection);
  // Records that a command failed at the network level: the breaker opens.
  void MarkDown();

 private:
  const RedisEndpoint endpoint_;
  const size_t max_idle_;
  const std::chrono::milliseconds retry_interval_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;
  std::chrono::steady_clock::time_point down_until_{};
};

}  // namespace tailor::ranking::internal
