// Durable profile state: the event log, snapshots and recovery behind the ProfileStore.
//
// A state directory holds (the formats are ours, see ranking/internal/):
//   wal/         the append-only event log, in segments of JSON lines (core/event.h's
//                EventToJson), one event per line, written by one log thread with group
//                commit: the events of every request waiting are written together and, under
//                FsyncPolicy::kBatch, fsync()ed once before any of them is acknowledged;
//   snapshots/   the newest snapshot of every profile (ProfileStore::Save) and the log
//                position it covers, written to a temporary file, fsync()ed and renamed;
//   events/      sealed log segments that a snapshot covers, kept for training
//                (StateOptions::keep_events_for_training) for event_retention_days.
// Recovery loads the newest snapshot and replays the log after its position, so a restart
// restores every acknowledged event; a torn last line (a crash in the middle of a write,
// never acknowledged) is cut off. Compaction: once a snapshot is durable, the segments
// before its position leave wal/ (moved to events/ or removed), so recovery time and wal/
// stay bounded. Writing snapshot files, moving and purging segments happen on a second
// thread, one job at a time, while the log thread keeps committing.
//
// Events are applied to the profiles by the log thread, in log order, after they are
// durable and before the request is answered: read-your-writes for the visitor's next
// search, and replay reproduces the same profiles.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "ranking/profiles/profile.h"
#include "ranking/profiles/profile_backend.h"

namespace tailor::ranking {

enum class FsyncPolicy {
  kBatch,     // fsync once per group commit, before acknowledging (default)
  kInterval,  // acknowledge after write(); fsync every fsync_interval_ms (survives a crash
              // of the process, not of the machine)
  kNone,      // acknowledge after write(); leave flushing to the OS
};

struct StateOptions {
  // When an acknowledged event is on stable storage (see FsyncPolicy).
  FsyncPolicy fsync = FsyncPolicy::kBatch;
  // kInterval: the longest an acknowledged event waits for fsync.
  int fsync_interval_ms = 100;
  // A log segment is sealed and a new one started beyond this size.
  int64_t segment_bytes = 64 * 1024 * 1024;
  // A snapshot is written when this many events were logged since the last one...
  int64_t snapshot_every_events = 1000000;
  // ...or this long after the last one, if any event arrived since.
  int snapshot_interval_s = 300;
  // Move sealed segments covered by a snapshot to events/ (for tailor-ranker train)
  // instead of removing them.
  bool keep_events_for_training = true;
  // Segments in events/ older than this are removed.
  int event_retention_days = 90;
};

// Reads the "durability" object of the server config over the defaults, e.g.
// "durability.fsync: must be \"batch\", \"interval\" or \"none\"". Unknown keys refused.
Result<StateOptions> ParseStateOptions(const rapidjson::Value& json);

// Told about the event log's work as it happens, on the log thread (GET /metrics); each
// function may be empty and must not block.
struct StateObserver {
  std::function<void(size_t events)> group_commit;  // events written by one group commit
  std::function<void(double seconds)> fsync;        // how long one fsync of the log took
};

class ProfileState final : public ProfileBackend {
 public:
  // Opens (creating when missing) the state directory, loads the newest snapshot and
  // replays the log after it, then starts the log thread. Errors: unavailable when the
  // directory cannot be created or read; data_loss naming file and line for a corrupt
  // line that is not the torn tail of the newest segment, or for a bad snapshot.
  static Result<std::unique_ptr<ProfileState>> Open(const std::string& dir, StateOptions options,
                                                    ProfileOptions profile_options,
                                                    StateObserver observer = {});
  // Commits what is queued, writes no snapshot, stops the log thread.
  ~ProfileState() override;
  ProfileState(const ProfileState&) = delete;
  ProfileState& operator=(const ProfileState&) = delete;

  // Queues events for the log. Once they are durable under the policy, the log thread
  // applies them to the profiles and calls done(Ok) (on the log thread: done must not
  // block). On a write or fsync failure, done gets unavailable and the events are not
  // applied. Requires: the events are valid (ParseEvents) with facts resolved.
  // Thread-safe.
  void Append(std::vector<Event> events, Done done) override;

  // The visitor's profile now (ProfileStore::View). Thread-safe, no log lock.
  std::optional<ProfileView> View(std::string_view visitor, int64_t now_ms) const override;

  // Forgets a visitor everywhere: removes the profile at once (the next View has none), then
  // writes a fresh snapshot without it and rewrites every log segment (wal/ and events/)
  // without the visitor's events. The file work runs on a thread of its own, so events keep
  // being committed meanwhile; forgets that arrive during a purge share the next one.
  // done(true) when a profile or any event existed, done(false) when nothing was known;
  // called (on that thread; done must not block) once nothing of the visitor is left on
  // disk. Thread-safe.
  void Forget(std::string visitor, std::function<void(Result<bool>)> done) override;

  // Writes a snapshot now and compacts the log. Thread-safe (runs on the log thread).
  Status SnapshotNow();

  StateStats Stats() const override;
  // What recovery at Open dropped and where, one line each ("wal/segment-...log:31: a torn
  // last line of 40 bytes was cut off ..."); empty when it kept everything. Thread-safe.
  const std::vector<std::string>& RecoveryNotes() const override;
  const ProfileStore& store() const { return *store_; }

 private:
  class Impl;
  ProfileState(std::unique_ptr<ProfileStore> store, std::unique_ptr<Impl> impl);
  std::unique_ptr<ProfileStore> store_;
  std::unique_ptr<Impl> impl_;
};

// Reads every logged event of a state directory (events/ then wal/, in log order, then
// shared-events/, a Redis-backed server's copy of the shared stream) and
// calls fn for each; stops at the first error. For tools (training, the bench). Errors:
// data_loss naming file and line for a corrupt line; unavailable when a file cannot be read.
Status ForEachLoggedEvent(const std::string& dir, const std::function<void(const Event&)>& fn);

}  // namespace tailor::ranking
