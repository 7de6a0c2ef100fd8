// Where the profiles live: the interface the server's engine talks to, with two
// implementations chosen by the server config's "state.backend":
//  - "embedded" (ranking/profiles/profile_state.h): the event log, snapshots and profiles of
//    this one process, in its state directory;
//  - "redis" (ranking/profiles/redis_state.h): the visitors' events in a Redis server that
//    several tailor-server processes share, each keeping a cache of the profiles it read.
// Both acknowledge an event only once it is durable under their policy, and both let the
// visitor's next search see it (read-your-writes; across servers for "redis").
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "ranking/profiles/profile.h"

namespace tailor::ranking {

// Which implementation holds the profiles (the server config's "state.backend").
enum class StateBackend { kEmbedded, kRedis };

struct StateStats {
  int64_t events_logged = 0;     // since Open, by this process
  int64_t events_recovered = 0;  // replayed from the log at Open (embedded)
  int64_t group_commits = 0;     // since Open
  int64_t snapshots = 0;         // taken since Open (embedded)
  int64_t wal_bytes = 0;         // current size of wal/ (embedded)
  size_t profiles = 0;           // profiles held in this process's memory
  int64_t unavailable = 0;       // appends refused because the store could not be written
  int64_t followed = 0;          // stream entries the follower has read (redis)
};

class ProfileBackend {
 public:
  virtual ~ProfileBackend() = default;

  using Done = std::function<void(Status)>;
  // Queues events. Once they are durable under the backend's policy, done(Ok) is called (on
  // a thread of the backend: done must not block); when they cannot be made durable, done
  // gets unavailable and nothing of them is acknowledged. Requires: the events are valid
  // (ParseEvents) with facts resolved. Thread-safe.
  virtual void Append(std::vector<Event> events, Done done) = 0;
  // Append and wait. Thread-safe.
  Status AppendAndWait(std::vector<Event> events);

  // The visitor's profile now, with every event acknowledged before the call (by any
  // server sharing the store); nullopt when there is none or the store cannot be read.
  // Thread-safe.
  virtual std::optional<ProfileView> View(std::string_view visitor, int64_t now_ms) const = 0;

  // Forgets a visitor's profile and events. done(true) when a profile or any event existed,
  // done(false) when nothing was known; called (on a thread of the backend; done must not
  // block) once nothing of the visitor is left in the store. Thread-safe.
  virtual void Forget(std::string visitor, std::function<void(Result<bool>)> done) = 0;
  Result<bool> ForgetAndWait(std::string visitor);

  virtual StateStats Stats() const = 0;
  // What recovery at Open dropped and where, one line each; empty when it kept everything.
  virtual const std::vector<std::string>& RecoveryNotes() const = 0;
};

}  // namespace tailor::ranking
