#include "ranking/profiles/internal/redis_connection.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <cstring>
#include <utility>

namespace tailor::ranking::internal {
namespace {

timeval ToTimeval(int ms) {
  timeval tv{};
  tv.tv_sec = ms / 1000;
  tv.tv_usec = static_cast<suseconds_t>(ms % 1000) * 1000;
  return tv;
}

}  // namespace

RedisReply::RedisReply(redisReply* reply) : reply_(reply) {}
RedisReply::~RedisReply() {
  if (reply_ != nullptr) freeReplyObject(reply_);
}
RedisReply::RedisReply(RedisReply&& other) noexcept
    : reply_(std::exchange(other.reply_, nullptr)) {}
bool RedisReply::is_nil() const { return reply_->type == REDIS_REPLY_NIL; }
bool RedisReply::is_array() const { return reply_->type == REDIS_REPLY_ARRAY; }
size_t RedisReply::size() const { return is_array() ? reply_->elements : 0; }
const redisReply& RedisReply::at(size_t i) const { return *reply_->element[i]; }

std::string_view ReplyString(const redisReply& reply) {
  if (reply.type != REDIS_REPLY_STRING && reply.type != REDIS_REPLY_STATUS) return {};
  return {reply.str, reply.len};
}
int64_t ReplyInteger(const redisReply& reply) {
  return reply.type == REDIS_REPLY_INTEGER ? reply.integer : 0;
}
bool ReplyIsArray(const redisReply& reply) { return reply.type == REDIS_REPLY_ARRAY; }

Result<std::unique_ptr<RedisConnection>> RedisConnection::Connect(const RedisEndpoint& endpoint) {
  const std::string address = endpoint.host + ":" + std::to_string(endpoint.port);
  redisContext* context = redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port,
                                                  ToTimeval(endpoint.connect_timeout_ms));
  if (context == nullptr) return Error::Unavailable("redis " + address + ": out of memory");
  if (context->err != 0) {
    std::string reason = context->errstr;
    redisFree(context);
    return Error::Unavailable("redis " + address + ": " + reason);
  }
  redisSetTimeout(context, ToTimeval(endpoint.command_timeout_ms));
  redisEnableKeepAlive(context);
  return std::unique_ptr<RedisConnection>(new RedisConnection(context, address));
}

RedisConnection::RedisConnection(redisContext* context, std::string address)
    : context_(context), address_(std::move(address)) {}

RedisConnection::~RedisConnection() { redisFree(context_); }

void RedisConnection::SetCommandTimeout(int timeout_ms) {
  redisSetTimeout(context_, ToTimeval(timeout_ms));
}

Result<RedisReply> RedisConnection::Command(const std::vector<std::string_view>& args) {
  if (broken_) return Error::Unavailable("redis " + address_ + ": connection lost");
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (std::string_view arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lengths.data()));
  if (reply == nullptr) {
    broken_ = true;
    return Error::Unavailable("redis " + address_ + ": " +
                              (context_->err != 0 ? context_->errstr : "no reply"));
  }
  RedisReply owned(reply);
  if (reply->type == REDIS_REPLY_ERROR) {
    return Error::FailedPrecondition("redis " + address_ + ": " +
                                     std::string(reply->str, reply->len));
  }
  return owned;
}

Result<RedisReply> RedisConnection::Run(const RedisScript& script,
                                        const std::vector<std::string_view>& keys,
                                        const std::vector<std::string_view>& args) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::string* sha = nullptr;
    for (auto& [name, loaded] : shas_) {
      if (name == script.name) sha = &loaded;
    }
    if (sha == nullptr) {
      Result<RedisReply> loaded = Command({"SCRIPT", "LOAD", script.source});
      if (!loaded.ok()) return loaded.error().WithPrefix("script " + script.name);
      shas_.emplace_back(script.name, std::string(ReplyString(loaded->get())));
      sha = &shas_.back().second;
    }
    const std::string key_count = std::to_string(keys.size());
    std::vector<std::string_view> command = {"EVALSHA", *sha, key_count};
    command.insert(command.end(), keys.begin(), keys.end());
    command.insert(command.end(), args.begin(), args.end());
    Result<RedisReply> reply = Command(command);
    if (reply.ok() || broken_) return reply;
    if (reply.error().message.find("NOSCRIPT") == std::string::npos) {
      return reply.error().WithPrefix("script " + script.name);
    }
    // The server lost its scripts (a restart or SCRIPT FLUSH): load it again.
    std::erase_if(shas_, [&](const auto& entry) { return entry.first == script.name; });
  }
  return Error::Unavailable("redis " + address_ + ": script " + script.name + " not loaded");
}

RedisPool::RedisPool(RedisEndpoint endpoint, int max_idle, int retry_interval_ms)
    : endpoint_(std::move(endpoint)),
      max_idle_(static_cast<size_t>(max_idle)),
      retry_interval_(retry_interval_ms) {}

RedisPool::~RedisPool() = default;

Result<std::unique_ptr<RedisConnection>> RedisPool::Acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<RedisConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    if (std::chrono::steady_clock::now() < down_until_) {
      return Error::Unavailable("redis " + endpoint_.host + ":" + std::to_string(endpoint_.port) +
                                ": down, retrying");
    }
  }
  Result<std::unique_ptr<RedisConnection>> connection = RedisConnection::Connect(endpoint_);
  if (!connection.ok()) MarkDown();
  return connection;
}

void RedisPool::Release(std::unique_ptr<RedisConnection> connection) {
  if (connection == nullptr) return;
  if (connection->broken()) {
    MarkDown();
    return;
  }
  std::lock_guard lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(connection));
}

void RedisPool::MarkDown() {
  std::lock_guard lock(mutex_);
  down_until_ = std::chrono::steady_clock::now() + retry_interval_;
  // The idle connections reach the same server: they are as good as broken.
  idle_.clear();
}

}  // namespace tailor::ranking::internal
