// Profiles shared by several tailor-server processes through one Redis server (the server
// config's "state": {"backend": "redis"}). Redis holds the visitors' events; each process
// keeps a cache of the profiles it has read and brings it up to date on every read.
//
// Keys, under the configured prefix P (default "tailor:"):
//   P events        a stream of every event in commit order (fields v: visitor, e: the
//                   event's JSON, core/event.h's EventToJson with facts), trimmed to
//                   event_retention_days; forgets add an entry (f: visitor, s: the server
//                   that forgot) so that every server forgets too. Training and the
//                   co-occurrence counts of "others also bought" are built from it.
//   P p:VISITOR     a list of the visitor's events, "STREAM-ID JSON" each, in commit order.
//
// Why lists and not stored profiles: a profile is the fold of its visitor's events in order
// (ranking/profiles/profile.h), so the event lists are the truth and every server folds them
// the same way. Per-visitor atomicity comes from Redis running each script alone: a batch of
// events is appended by one script (XADD and RPUSH for each), so two servers taking events
// of one visitor at once both land, in the order Redis ran them, and neither is lost.
//
// Read-your-writes across servers: View runs one script that returns the events of the
// visitor's list this process has not folded yet (or all of them, when the list's first
// entry changed: the visitor was forgotten and came back), folds them into the cached
// profile, and answers from it. One round trip per personalized search.
//
// Durability: an event is acknowledged once the script that appended it returned, so it is
// as durable as Redis' own persistence makes it: with appendonly yes and appendfsync always,
// Redis writes and fsyncs the append-only file before it replies (no acknowledged event lost
// in a crash of Redis or its machine); with appendfsync everysec, up to a second of
// acknowledged events can be lost if the machine fails. README says which to choose.
//
// A lost connection: Append answers unavailable (the server answers POST /events 503, and
// nothing is acknowledged that Redis did not take), View answers nullopt (searches are not
// personalized), and connections are retried every retry_interval_ms without a restart.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "ranking/profiles/profile.h"
#include "ranking/profiles/profile_backend.h"
#include "ranking/profiles/profile_state.h"

namespace tailor::ranking {

struct RedisStateOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  // Every key Tailor writes starts with it, so shops (or tests) can share a Redis.
  std::string key_prefix = "tailor:";
  int connect_timeout_ms = 200;
  // The longest one command may take before the connection counts as lost.
  int command_timeout_ms = 1000;
  // After a failed connect, how long reads and writes fail at once before the next try.
  int retry_interval_ms = 500;
  // Idle connections kept for reads (searches); more are opened under load.
  int connections = 16;
  // The events stream keeps this many days of events (for training and co-occurrence).
  int event_retention_days = 90;
  // Where this server keeps a copy of the stream's events as an event log (segments of
  // JSON lines, the embedded state's events/ format), rewritten from the stream at Follow
  // and purged of forgotten visitors as their forget entries arrive; so that training,
  // analytics and the console's preview read a Redis-backed server's state directory as an
  // embedded one's. Empty: none. Not part of the config: the engine sets <state>/shared-events.
  std::string mirror_dir;
  // Events written by one script at most; more waiting are written by the next.
  int max_batch_events = 5000;
  // Connections (and threads) writing events at once; each sends one script at a time.
  int writers = 4;
};

// Reads the "state.redis" object over the defaults. Unknown keys and bad values are
// invalid_argument errors naming the key path ("state.redis.port: must be <= 65535").
Result<RedisStateOptions> ParseRedisStateOptions(const rapidjson::Value& json);

// What a server does with the shared stream: every event any server committed, in commit
// order, and the forgets of other servers. Called on the follower thread; must not block long.
struct StateFollower {
  std::function<void(const Event& event)> event;
  std::function<void(const std::string& visitor)> forgotten;
};

class RedisProfileState final : public ProfileBackend {
 public:
  // Connects (a Redis that is down is not an error: the state serves degraded and retries)
  // and starts the writer threads. Errors: invalid_argument for bad options.
  static Result<std::unique_ptr<RedisProfileState>> Open(RedisStateOptions options,
                                                         ProfileOptions profile_options,
                                                         StateObserver observer = {});
  // Stops the threads; what is queued is written first when Redis is there.
  ~RedisProfileState() override;

  // Reads the events stream from its start into follower.event (and forgets) and the
  // mirror, then keeps following it on a thread of its own. Call once. Returns the events read
  // before it returned; unavailable when Redis cannot be read now (the thread catches up later).
  Result<int64_t> Follow(StateFollower follower);

  void Append(std::vector<Event> events, Done done) override;
  std::optional<ProfileView> View(std::string_view visitor, int64_t now_ms) const override;
  // Deletes the visitor's list and their entries of the stream in one script, adds a forget
  // entry for the other servers, and drops this process's cached profile.
  void Forget(std::string visitor, std::function<void(Result<bool>)> done) override;
  StateStats Stats() const override;
  const std::vector<std::string>& RecoveryNotes() const override;

 private:
  class Impl;
  explicit RedisProfileState(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tailor::ranking
