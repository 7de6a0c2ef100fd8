#include "ranking/profiles/profile_state.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <future>
#include <limits>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/json_options.h"
#include "core/segment_log.h"
#include "core/serial_worker.h"

namespace tailor::ranking {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// A logged line that does not read back as an event: the log is damaged, not the caller's
// input. data_loss "<file>:<line>: <why>".
Error CorruptLine(const std::string& file, size_t line_number, const Error& why) {
  return {ErrorCode::kDataLoss, file + ":" + std::to_string(line_number) + ": " + why.message};
}

constexpr std::string_view kSnapshotPrefix = "snapshot-";
constexpr std::string_view kSnapshotSuffix = ".bin";

struct Dirs {
  std::string root, wal, events, snapshots;
  explicit Dirs(const std::string& dir)
      : root(dir), wal(dir + "/wal"), events(dir + "/events"), snapshots(dir + "/snapshots") {}
};

std::string SnapshotPath(const Dirs& dirs, uint64_t sequence) {
  char name[64];
  std::snprintf(name, sizeof(name), "snapshot-%020llu.bin",
                static_cast<unsigned long long>(sequence));
  return dirs.snapshots + "/" + name;
}

// The sequence of a file name SnapshotPath writes; nullopt for any other name, so that a
// stray file in snapshots/ (a copy, an editor's backup) is passed over, not thrown on.
std::optional<uint64_t> SnapshotSequence(std::string_view name) {
  constexpr size_t kDigits = 20;
  if (name.size() != kSnapshotPrefix.size() + kDigits + kSnapshotSuffix.size() ||
      !name.starts_with(kSnapshotPrefix) || !name.ends_with(kSnapshotSuffix)) {
    return std::nullopt;
  }
  const std::string_view digits = name.substr(kSnapshotPrefix.size(), kDigits);
  uint64_t sequence = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), sequence);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return sequence;
}

// The newest complete snapshot's sequence, 0 when there is none; removes leftovers of an
// interrupted snapshot.
uint64_t NewestSnapshot(const Dirs& dirs) {
  uint64_t newest = 0;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dirs.snapshots, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 4 && name.substr(name.size() - 4) == ".tmp") {
      fs::remove(entry.path(), ec);
      continue;
    }
    if (std::optional<uint64_t> sequence = SnapshotSequence(name)) {
      newest = std::max(newest, *sequence);
    }
  }
  return newest;
}

}  // namespace

Result<StateOptions> ParseStateOptions(const rapidjson::Value& json) {
  json_options::Reader<StateOptions> reader;
  reader
      .Choice<FsyncPolicy>("fsync", &StateOptions::fsync,
                           {{"batch", FsyncPolicy::kBatch},
                            {"interval", FsyncPolicy::kInterval},
                            {"none", FsyncPolicy::kNone}})
      .Int("fsync_interval_ms", &StateOptions::fsync_interval_ms, 1, 3600000)
      .Int64("segment_bytes", &StateOptions::segment_bytes, 4096)
      .Int64("snapshot_every_events", &StateOptions::snapshot_every_events, 1)
      .Int("snapshot_interval_s", &StateOptions::snapshot_interval_s, 1)
      .Bool("keep_events_for_training", &StateOptions::keep_events_for_training)
      .Int("event_retention_days", &StateOptions::event_retention_days, 1, 36500);
  StateOptions options;
  if (Status status = reader.Read(json, "durability", options); !status.ok()) {
    return status.error();
  }
  return options;
}

class ProfileState::Impl {
 public:
  Impl(Dirs dirs, StateOptions options, ProfileStore& store, StateObserver observer)
      : dirs_(std::move(dirs)), options_(options), store_(store), observer_(std::move(observer)) {}
  ~Impl() { Stop(); }

  Status Recover();
  void Start() {
    files_ = std::make_unique<SerialWorker>();
    thread_ = std::thread([this] { Run(); });
  }
  void Stop();

  void Append(std::vector<Event> events, Done done);
  void Forget(std::string visitor, std::function<void(Result<bool>)> done);
  Status SnapshotNow();
  StateStats Stats() const;
  const std::vector<std::string>& recovery_notes() const { return recovery_notes_; }

 private:
  struct Batch {
    std::vector<Event> events;
    Done done;
  };
  struct ForgetRequest {
    std::string visitor;
    std::function<void(Result<bool>)> done;
  };

  // A snapshot taken on the log thread, for the files thread to write.
  struct TakenSnapshot {
    uint64_t sequence = 0;  // covers the log segments before this one
    std::string bytes;
  };
  // Visitors forgotten together: their profiles are gone from the store; the files thread
  // writes the snapshot taken without them and purges their events from every segment.
  struct Purge {
    std::vector<ForgetRequest> requests;
    std::vector<bool> found;  // per request: a profile or an event was there
    TakenSnapshot snapshot;
    std::vector<std::promise<Status>> snapshot_requests;  // answered by the same snapshot
  };

  void Run();
  void Commit(std::deque<Batch>& batches);
  // Fsyncs the log's open segment, timed for the observer.
  Status Sync();
  // On the log thread: seals the current segment and serializes every profile, which then
  // holds exactly the log before the new segment.
  Result<TakenSnapshot> TakeSnapshot();
  // On the log thread: takes a snapshot and has the files thread write it.
  void Snapshot(std::vector<std::promise<Status>> requests);
  // On the log thread: erases the visitors' profiles, takes a snapshot without them and has
  // the files thread write it and purge the events (RunPurge).
  void StartPurge(std::deque<ForgetRequest> forgets,
                  std::vector<std::promise<Status>> snapshot_requests);

  // The files thread (files_) does the slow file work, so that the log thread keeps
  // committing events meanwhile; every job that moves, rewrites or removes log segments or
  // snapshots runs there, one at a time.
  // Writes the snapshot, then moves the segments it covers out of wal/.
  Status WriteSnapshotFile(const TakenSnapshot& snapshot);
  void RunPurge(Purge& purge);
  Status MoveSealedSegments(uint64_t before);
  void RemoveExpiredEvents();
  // Drops every visitor's events from the sealed segments before `before`; per visitor,
  // whether any was there.
  Result<std::vector<bool>> PurgeSegments(const std::vector<std::string>& visitors,
                                          uint64_t before);
  Status Replay(uint64_t sequence, bool newest);

  const Dirs dirs_;
  const StateOptions options_;
  ProfileStore& store_;
  const StateObserver observer_;
  std::unique_ptr<SegmentLog> wal_;
  std::vector<std::string> recovery_notes_;  // written by Recover only

  mutable std::mutex mutex_;  // guards the fields up to the thread
  std::condition_variable wake_;
  std::deque<Batch> batches_;
  std::deque<ForgetRequest> forgets_;
  std::vector<std::promise<Status>> snapshot_requests_;
  bool stop_ = false;
  // A purge is on the files thread; forgets_ wait for it, so that forgets arriving
  // meanwhile share the next pass over the files.
  bool purge_in_flight_ = false;
  std::thread thread_;
  std::unique_ptr<SerialWorker> files_;  // after thread_: stopped after it

  // Owned by the log thread.
  bool unsynced_ = false;
  Clock::time_point last_sync_ = Clock::now();
  Clock::time_point last_snapshot_ = Clock::now();
  int64_t events_since_snapshot_ = 0;

  std::atomic<int64_t> unavailable_{0};  // events refused: the log could not take them
  std::atomic<int64_t> events_logged_{0}, events_recovered_{0}, group_commits_{0},
      snapshots_{0};
};

Status ProfileState::Impl::Replay(uint64_t sequence, bool newest) {
  const std::string path = dirs_.wal + "/" + SegmentFileName(sequence);
  const std::string name = "wal/" + SegmentFileName(sequence);
  TornLine cut;
  Status status = ForEachLine(
      path, newest ? TornTail::kRepair : TornTail::kRefuse,
      [&](std::string_view line, size_t line_number) -> Status {
        Result<Event> event = EventFromJson(line);
        if (!event.ok()) return CorruptLine(name, line_number, event.error());
        store_.Apply(*event);
        ++events_recovered_;
        return Status::Ok();
      },
      &cut);
  if (status.ok() && cut.bytes > 0) {
    recovery_notes_.push_back(name + ":" + std::to_string(cut.line) + ": a torn last line of " +
                              std::to_string(cut.bytes) +
                              " bytes was cut off (a write cut short by a crash, never "
                              "acknowledged)");
  }
  return status;
}

Status ProfileState::Impl::Recover() {
  for (const std::string& dir : {dirs_.wal, dirs_.events, dirs_.snapshots}) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Error::Unavailable("create " + dir + ": " + ec.message());
  }
  // An interrupted purge's rewrite (wal/'s go when the log opens below).
  RemoveTemporarySegmentFiles(dirs_.events);
  const uint64_t snapshot = NewestSnapshot(dirs_);
  if (snapshot > 0) {
    std::ifstream in(SnapshotPath(dirs_, snapshot), std::ios::binary);
    if (!in) return Error::Unavailable("read " + SnapshotPath(dirs_, snapshot) + ": cannot open");
    if (Status status = store_.Load(in); !status.ok()) {
      return status.error().WithPrefix(SnapshotPath(dirs_, snapshot));
    }
  }
  Result<std::vector<uint64_t>> segments = ListSegments(dirs_.wal);
  if (!segments.ok()) return segments.error();
  uint64_t next = std::max<uint64_t>(snapshot, 1);
  for (size_t i = 0; i < segments->size(); ++i) {
    const uint64_t sequence = (*segments)[i];
    next = std::max(next, sequence + 1);
    if (sequence < snapshot) continue;  // covered; moved out below
    if (Status status = Replay(sequence, i + 1 == segments->size()); !status.ok()) return status;
  }
  // A crash between a snapshot and the move of the segments it covers leaves them here.
  if (Status status = MoveSealedSegments(snapshot); !status.ok()) return status;
  RemoveExpiredEvents();
  Result<std::unique_ptr<SegmentLog>> wal =
      SegmentLog::Open(dirs_.wal, next, options_.segment_bytes, /*keyed=*/true);
  if (!wal.ok()) return wal.error();
  wal_ = std::move(*wal);
  return Status::Ok();
}

void ProfileState::Impl::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stop_) return;
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  files_.reset();  // runs the file work still queued
}

void ProfileState::Impl::Append(std::vector<Event> events, Done done) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stop_) {
      batches_.push_back(Batch{std::move(events), std::move(done)});
      wake_.notify_one();
      return;
    }
  }
  done(Error::Unavailable("event log: shutting down"));
}

void ProfileState::Impl::Forget(std::string visitor, std::function<void(Result<bool>)> done) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stop_) {
      forgets_.push_back(ForgetRequest{std::move(visitor), std::move(done)});
      wake_.notify_one();
      return;
    }
  }
  done(Error::Unavailable("event log: shutting down"));
}

Status ProfileState::Impl::SnapshotNow() {
  std::future<Status> result;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stop_) return Error::Unavailable("event log: shutting down");
    snapshot_requests_.emplace_back();
    result = snapshot_requests_.back().get_future();
  }
  wake_.notify_one();
  return result.get();
}

const std::vector<std::string>& ProfileState::RecoveryNotes() const {
  return impl_->recovery_notes();
}

StateStats ProfileState::Impl::Stats() const {
  StateStats stats;
  stats.events_logged = events_logged_;
  stats.events_recovered = events_recovered_;
  stats.group_commits = group_commits_;
  stats.snapshots = snapshots_;
  stats.unavailable = unavailable_;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dirs_.wal, ec)) {
    stats.wal_bytes += static_cast<int64_t>(entry.file_size(ec));
  }
  stats.profiles = store_.size();
  return stats;
}

void ProfileState::Impl::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    Clock::time_point deadline = Clock::now() + std::chrono::seconds(options_.snapshot_interval_s);
    if (events_since_snapshot_ > 0) {
      deadline = last_snapshot_ + std::chrono::seconds(options_.snapshot_interval_s);
    }
    if (unsynced_) {
      deadline = std::min(deadline, last_sync_ + std::chrono::milliseconds(options_.fsync_interval_ms));
    }
    wake_.wait_until(lock, deadline, [&] {
      return !batches_.empty() || !snapshot_requests_.empty() ||
             (!purge_in_flight_ && (stop_ || !forgets_.empty()));
    });
    std::deque<Batch> batches;
    std::deque<ForgetRequest> forgets;
    std::vector<std::promise<Status>> snapshot_requests;
    batches.swap(batches_);
    if (!purge_in_flight_) forgets.swap(forgets_);
    if (!forgets.empty()) purge_in_flight_ = true;
    snapshot_requests.swap(snapshot_requests_);
    const bool stopping = stop_;
    lock.unlock();

    if (!batches.empty()) Commit(batches);
    const Clock::time_point now = Clock::now();
    if (unsynced_ && (stopping || now - last_sync_ >= std::chrono::milliseconds(
                                                           options_.fsync_interval_ms))) {
      if (Sync().ok()) unsynced_ = false;
      last_sync_ = now;
    }
    const bool snapshot_due =
        !snapshot_requests.empty() || events_since_snapshot_ >= options_.snapshot_every_events ||
        (events_since_snapshot_ > 0 &&
         now - last_snapshot_ >= std::chrono::seconds(options_.snapshot_interval_s));
    if (!forgets.empty()) {
      // The purge's snapshot is fresh: it answers the snapshot requests too.
      StartPurge(std::move(forgets), std::move(snapshot_requests));
    } else if (snapshot_due) {
      Snapshot(std::move(snapshot_requests));
    }
    lock.lock();
    if (stopping && batches_.empty() && forgets_.empty() && snapshot_requests_.empty() &&
        !purge_in_flight_) {
      return;
    }
  }
}

void ProfileState::Impl::Commit(std::deque<Batch>& batches) {
  std::string buffer;
  std::vector<uint64_t> keys;
  size_t count = 0;
  for (const Batch& batch : batches) {
    for (const Event& event : batch.events) {
      buffer += EventToJson(event);
      buffer += '\n';
      keys.push_back(VisitorKey(event.visitor));
      ++count;
    }
  }
  Status status = wal_->Append(buffer, keys);
  if (status.ok() && options_.fsync == FsyncPolicy::kBatch) status = Sync();
  if (status.ok() && options_.fsync == FsyncPolicy::kInterval) unsynced_ = true;
  if (!status.ok()) {
    unavailable_ += static_cast<int64_t>(count);
    for (Batch& batch : batches) batch.done(status.error().WithPrefix("event log"));
    return;
  }
  // Applied only once durable, and before anyone is told: the visitor's next search sees
  // exactly what the log holds.
  for (const Batch& batch : batches) {
    for (const Event& event : batch.events) store_.Apply(event);
  }
  events_logged_ += static_cast<int64_t>(count);
  events_since_snapshot_ += static_cast<int64_t>(count);
  ++group_commits_;
  if (observer_.group_commit) observer_.group_commit(count);
  for (Batch& batch : batches) batch.done(Status::Ok());
}

Status ProfileState::Impl::Sync() {
  const Clock::time_point start = Clock::now();
  Status status = wal_->Sync();
  if (observer_.fsync) {
    observer_.fsync(std::chrono::duration<double>(Clock::now() - start).count());
  }
  return status;
}

Result<ProfileState::Impl::TakenSnapshot> ProfileState::Impl::TakeSnapshot() {
  // Everything logged so far is in the store: the snapshot covers the sealed segments.
  if (Status status = wal_->Roll(); !status.ok()) return status.error();
  unsynced_ = false;
  TakenSnapshot snapshot;
  snapshot.sequence = wal_->current_sequence();
  std::ostringstream out;
  store_.Save(out);
  snapshot.bytes = std::move(out).str();
  ++snapshots_;
  events_since_snapshot_ = 0;
  last_snapshot_ = Clock::now();
  return snapshot;
}

void ProfileState::Impl::Snapshot(std::vector<std::promise<Status>> requests) {
  Result<TakenSnapshot> taken = TakeSnapshot();
  if (!taken.ok()) {
    for (std::promise<Status>& request : requests) request.set_value(taken.error());
    return;
  }
  // std::function wants a copyable job: the promises travel in a shared_ptr.
  auto job = std::make_shared<std::pair<TakenSnapshot, std::vector<std::promise<Status>>>>(
      std::move(*taken), std::move(requests));
  files_->Post([this, job] {
    Status status = WriteSnapshotFile(job->first);
    for (std::promise<Status>& request : job->second) request.set_value(status);
  });
}

void ProfileState::Impl::StartPurge(std::deque<ForgetRequest> forgets,
                                    std::vector<std::promise<Status>> snapshot_requests) {
  auto purge = std::make_shared<Purge>();
  for (ForgetRequest& request : forgets) {
    purge->found.push_back(store_.Erase(request.visitor));
    purge->requests.push_back(std::move(request));
  }
  purge->snapshot_requests = std::move(snapshot_requests);
  Result<TakenSnapshot> taken = TakeSnapshot();
  if (taken.ok()) {
    purge->snapshot = std::move(*taken);
    files_->Post([this, purge] { RunPurge(*purge); });
    return;
  }
  for (ForgetRequest& request : purge->requests) request.done(taken.error());
  for (std::promise<Status>& request : purge->snapshot_requests) request.set_value(taken.error());
  std::lock_guard<std::mutex> lock(mutex_);
  purge_in_flight_ = false;
}

void ProfileState::Impl::RunPurge(Purge& purge) {
  // The snapshot first, so that no snapshot on disk holds the profiles any more; then the
  // events, from every sealed segment (the purge's own snapshot sealed the last one that
  // could hold them).
  Status status = WriteSnapshotFile(purge.snapshot);
  if (status.ok()) {
    std::vector<std::string> visitors;
    for (const ForgetRequest& request : purge.requests) visitors.push_back(request.visitor);
    Result<std::vector<bool>> purged = PurgeSegments(visitors, purge.snapshot.sequence);
    if (purged.ok()) {
      for (size_t i = 0; i < visitors.size(); ++i) {
        if ((*purged)[i]) purge.found[i] = true;
      }
    } else {
      status = purged.error();
    }
  }
  for (size_t i = 0; i < purge.requests.size(); ++i) {
    if (status.ok()) {
      purge.requests[i].done(static_cast<bool>(purge.found[i]));
    } else {
      purge.requests[i].done(status.error());
    }
  }
  for (std::promise<Status>& request : purge.snapshot_requests) request.set_value(status);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    purge_in_flight_ = false;
  }
  wake_.notify_all();
}

Status ProfileState::Impl::WriteSnapshotFile(const TakenSnapshot& snapshot) {
  const std::string path = SnapshotPath(dirs_, snapshot.sequence);
  if (Status status = WriteFileAtomically(path, snapshot.bytes); !status.ok()) return status;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dirs_.snapshots, ec)) {
    if (entry.path().string() != path) fs::remove(entry.path(), ec);
  }
  Status moved = MoveSealedSegments(snapshot.sequence);
  RemoveExpiredEvents();
  return moved;
}

Status ProfileState::Impl::MoveSealedSegments(uint64_t before) {
  Result<std::vector<uint64_t>> segments = ListSegments(dirs_.wal);
  if (!segments.ok()) return segments.error();
  bool moved = false;
  for (uint64_t sequence : *segments) {
    if (sequence >= before) break;
    // The segment, then its keys file (a crash between leaves the segment without one, to
    // be read in full by a purge, and a stray keys file in wal/ that nothing reads).
    for (const std::string& name : {SegmentFileName(sequence), SegmentKeysFileName(sequence)}) {
      const bool keys_file = name != SegmentFileName(sequence);
      std::error_code ec;
      if (keys_file && !fs::exists(dirs_.wal + "/" + name, ec)) continue;
      if (options_.keep_events_for_training) {
        fs::rename(dirs_.wal + "/" + name, dirs_.events + "/" + name, ec);
      } else {
        fs::remove(dirs_.wal + "/" + name, ec);
      }
      if (ec) return Error::Unavailable("move " + name + ": " + ec.message());
    }
    moved = true;
  }
  if (!moved) return Status::Ok();
  if (Status status = SyncDirectory(dirs_.events); !status.ok()) return status;
  return SyncDirectory(dirs_.wal);
}

void ProfileState::Impl::RemoveExpiredEvents() {
  const auto oldest = fs::file_time_type::clock::now() -
                      std::chrono::hours(24 * static_cast<int64_t>(options_.event_retention_days));
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dirs_.events, ec)) {
    if (entry.last_write_time(ec) < oldest) fs::remove(entry.path(), ec);
  }
}

Result<std::vector<bool>> ProfileState::Impl::PurgeSegments(
    const std::vector<std::string>& visitors, uint64_t before) {
  VisitorPurge purge(visitors, [](std::string_view line) -> std::optional<std::string> {
    Result<Event> event = EventFromJson(line);
    if (!event.ok()) return std::nullopt;
    return std::move(event->visitor);
  });
  if (Status status = purge.Drop(dirs_.events, std::numeric_limits<uint64_t>::max());
      !status.ok()) {
    return status.error();
  }
  // Normally empty below `before` (the snapshot moved them), unless a move failed earlier.
  if (Status status = purge.Drop(dirs_.wal, before); !status.ok()) return status.error();
  return purge.found();
}

ProfileState::ProfileState(std::unique_ptr<ProfileStore> store, std::unique_ptr<Impl> impl)
    : store_(std::move(store)), impl_(std::move(impl)) {}

ProfileState::~ProfileState() { impl_->Stop(); }

Result<std::unique_ptr<ProfileState>> ProfileState::Open(const std::string& dir,
                                                         StateOptions options,
                                                         ProfileOptions profile_options,
                                                         StateObserver observer) {
  auto store = std::make_unique<ProfileStore>(profile_options);
  auto impl = std::make_unique<Impl>(Dirs(dir), options, *store, std::move(observer));
  if (Status status = impl->Recover(); !status.ok()) return status.error();
  impl->Start();
  return std::unique_ptr<ProfileState>(new ProfileState(std::move(store), std::move(impl)));
}

void ProfileState::Append(std::vector<Event> events, Done done) {
  impl_->Append(std::move(events), std::move(done));
}

std::optional<ProfileView> ProfileState::View(std::string_view visitor, int64_t now_ms) const {
  return store_->View(visitor, now_ms);
}

void ProfileState::Forget(std::string visitor, std::function<void(Result<bool>)> done) {
  impl_->Forget(std::move(visitor), std::move(done));
}

Status ProfileState::SnapshotNow() { return impl_->SnapshotNow(); }

StateStats ProfileState::Stats() const { return impl_->Stats(); }

Status ForEachLoggedEvent(const std::string& dir, const std::function<void(const Event&)>& fn) {
  const Dirs dirs(dir);
  for (const std::string& sub : {dirs.events, dirs.wal, dir + "/shared-events"}) {
    if (!fs::exists(sub)) continue;
    Result<std::vector<uint64_t>> segments = ListSegments(sub);
    if (!segments.ok()) return segments.error();
    for (uint64_t sequence : *segments) {
      const std::string name = SegmentFileName(sequence);
      Status status = ForEachLine(
          sub + "/" + name, TornTail::kIgnore,
          [&](std::string_view line, size_t line_number) -> Status {
            Result<Event> event = EventFromJson(line);
            if (!event.ok()) {
              return CorruptLine(sub.substr(dir.size() + 1) + "/" + name, line_number,
                                 event.error());
            }
            fn(*event);
            return Status::Ok();
          });
      if (!status.ok()) return status;
    }
  }
  return Status::Ok();
}

}  // namespace tailor::ranking
