#include "ranking/profiles/redis_state.h"

#include <hiredis/hiredis.h>

#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>

#include "core/hash.h"
#include "core/json_options.h"
#include "core/segment_log.h"
#include "ranking/profiles/internal/redis_connection.h"

namespace tailor::ranking {
namespace {

using internal::RedisConnection;
using internal::RedisEndpoint;
using internal::RedisPool;
using internal::RedisReply;
using internal::RedisScript;
using internal::ReplyInteger;
using internal::ReplyIsArray;
using internal::ReplyString;

// ARGV: the stream's key, the prefix of the visitors' lists, the trim id, then (visitor,
// event JSON) pairs. Each event goes to the stream; its stream id goes to its visitor's list,
// so the JSON is stored once and a forget finds the visitor's entries of the stream.
const RedisScript kAppendScript{"append", R"lua(
local stream = ARGV[1]
local lists = ARGV[2]
for i = 4, #ARGV, 2 do
  local id = redis.call('XADD', stream, '*', 'v', ARGV[i], 'e', ARGV[i + 1])
  redis.call('RPUSH', lists .. ARGV[i], id)
end
redis.call('XTRIM', stream, 'MINID', '~', ARGV[3])
return (#ARGV - 3) / 2
)lua"};

// KEYS: the visitor's list, the stream; ARGV: the list's first stream id as this process saw
// it ("" for none) and how many entries it has folded. Answers {0} when the list is gone;
// else {1, first id, ids, events} of the entries after those folded when the list is the one
// folded, or {2, first id, ids, events} of all its entries when it is another (the visitor
// was forgotten and came back). An event the stream no longer holds (older than the retention) is
// "", so positions stay those of the list.
const RedisScript kTailScript{"tail", R"lua(
local first = redis.call('LINDEX', KEYS[1], 0)
if not first then return {0} end
local mode, from = 2, 0
if first == ARGV[1] then mode, from = 1, tonumber(ARGV[2]) end
local ids = redis.call('LRANGE', KEYS[1], from, -1)
local events = {}
for i, id in ipairs(ids) do
  local json = ''
  local entry = redis.call('XRANGE', KEYS[2], id, id)[1]
  if entry then
    local fields = entry[2]
    for j = 1, #fields, 2 do
      if fields[j] == 'e' then json = fields[j + 1] end
    end
  end
  events[i] = json
end
return {mode, first, ids, events}
)lua"};

// ARGV: the stream's key, the visitor's list, the visitor, the forgetting server's id, the
// trim id. Removes the visitor's entries from the stream and their list, adds the forget
// entry; answers how many events there were.
const RedisScript kForgetScript{"forget", R"lua(
local stream = ARGV[1]
local ids = redis.call('LRANGE', ARGV[2], 0, -1)
for i = 1, #ids, 1000 do
  redis.call('XDEL', stream, unpack(ids, i, math.min(i + 999, #ids)))
end
redis.call('DEL', ARGV[2])
redis.call('XADD', stream, '*', 'f', ARGV[3], 's', ARGV[4])
redis.call('XTRIM', stream, 'MINID', '~', ARGV[5])
return #ids
)lua"};

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string RandomInstanceId() {
  std::random_device device;
  std::mt19937_64 random((static_cast<uint64_t>(device()) << 32) ^ device() ^
                         static_cast<uint64_t>(NowMs()));
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(random()));
  return text;
}

// A stream entry id "MS-SEQ", comparable.
using StreamId = std::pair<uint64_t, uint64_t>;
StreamId ParseStreamId(std::string_view id) {
  StreamId parsed{0, 0};
  const size_t dash = id.find('-');
  std::from_chars(id.data(), id.data() + std::min(dash, id.size()), parsed.first);
  if (dash != std::string_view::npos) {
    std::from_chars(id.data() + dash + 1, id.data() + id.size(), parsed.second);
  }
  return parsed;
}

}  // namespace

Result<RedisStateOptions> ParseRedisStateOptions(const rapidjson::Value& json) {
  json_options::Reader<RedisStateOptions> reader;
  reader.String("host", &RedisStateOptions::host)
      .Int("port", &RedisStateOptions::port, 1, 65535)
      .String("key_prefix", &RedisStateOptions::key_prefix)
      .Int("connect_timeout_ms", &RedisStateOptions::connect_timeout_ms, 1, 600000)
      .Int("command_timeout_ms", &RedisStateOptions::command_timeout_ms, 1, 600000)
      .Int("retry_interval_ms", &RedisStateOptions::retry_interval_ms, 1, 600000)
      .Int("connections", &RedisStateOptions::connections, 1, 4096)
      .Int("event_retention_days", &RedisStateOptions::event_retention_days, 1, 36500)
      .Int("max_batch_events", &RedisStateOptions::max_batch_events, 1, 1000000)
      .Int("writers", &RedisStateOptions::writers, 1, 64);
  RedisStateOptions options;
  if (Status status = reader.Read(json, "state.redis", options); !status.ok()) {
    return status.error();
  }
  if (options.host.empty()) return Error::InvalidArgument("state.redis.host: must not be empty");
  return options;
}

class RedisProfileState::Impl {
 public:
  Impl(RedisStateOptions options, ProfileOptions profile_options, StateObserver observer)
      : options_(std::move(options)),
        endpoint_{options_.host, options_.port, options_.connect_timeout_ms,
                  options_.command_timeout_ms},
        pool_(endpoint_, options_.connections, options_.retry_interval_ms),
        store_(profile_options),
        observer_(std::move(observer)),
        instance_(RandomInstanceId()),
        stream_(options_.key_prefix + "events"),
        lists_(options_.key_prefix + "p:") {}

  ~Impl() { Stop(); }

  void Start() {
    for (int i = 0; i < options_.writers; ++i) {
      writer_threads_.emplace_back([this] { RunWriter(); });
    }
  }

  void Stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& writer : writer_threads_) writer.join();
    writer_threads_.clear();
    if (follower_thread_.joinable()) follower_thread_.join();
  }

  Result<int64_t> Follow(StateFollower follower) {
    follower_ = std::move(follower);
    if (!options_.mirror_dir.empty()) {
      // Rewritten from the stream, the truth, on every start.
      std::error_code ec;
      std::filesystem::remove_all(options_.mirror_dir, ec);
      Result<std::unique_ptr<SegmentLog>> mirror =
          SegmentLog::Open(options_.mirror_dir, 1, 64 * 1024 * 1024, /*keyed=*/true);
      if (!mirror.ok()) return mirror.error().WithPrefix("state mirror");
      mirror_ = std::move(*mirror);
    }
    Result<int64_t> read = CatchUp();
    follower_thread_ = std::thread([this] { RunFollower(); });
    return read;
  }

  void Append(std::vector<Event> events, Done done) {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(Job{std::move(events), std::move(done), {}, {}});
    }
    wake_.notify_one();
  }

  void Forget(std::string visitor, std::function<void(Result<bool>)> done) {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(Job{{}, {}, std::move(visitor), std::move(done)});
    }
    wake_.notify_one();
  }

  std::optional<ProfileView> View(std::string_view visitor_view, int64_t now_ms) {
    const std::string visitor(visitor_view);
    Stripe& stripe = StripeOf(visitor);
    std::lock_guard lock(stripe.mutex);
    auto it = stripe.folded.find(visitor);
    const std::string first = it != stripe.folded.end() ? it->second.first_id : "";
    const std::string count = std::to_string(it != stripe.folded.end() ? it->second.count : 0);
    Result<std::unique_ptr<RedisConnection>> connection = pool_.Acquire();
    if (!connection.ok()) return std::nullopt;
    const std::string key = lists_ + visitor;
    Result<RedisReply> reply = (*connection)->Run(kTailScript, {key, stream_}, {first, count});
    pool_.Release(std::move(*connection));
    if (!reply.ok() || reply->size() == 0) return std::nullopt;
    const int64_t mode = ReplyInteger(reply->at(0));
    if (mode == 0 || reply->size() < 4) {
      if (it != stripe.folded.end()) {
        stripe.folded.erase(it);
        store_.Erase(visitor);
      }
      return std::nullopt;
    }
    if (mode == 2 || it == stripe.folded.end()) {
      store_.Erase(visitor);
      it = stripe.folded.insert_or_assign(visitor, Folded{}).first;
      it->second.first_id = std::string(ReplyString(reply->at(1)));
    }
    const redisReply& ids = reply->at(2);
    const redisReply& events = reply->at(3);
    for (size_t i = 0;
         ReplyIsArray(ids) && ReplyIsArray(events) && i < events.elements && i < ids.elements;
         ++i) {
      ++it->second.count;
      // The follower may have folded it already.
      const std::string_view id = ReplyString(*ids.element[i]);
      if (!Fold(it->second, id)) continue;
      const std::string_view json = ReplyString(*events.element[i]);
      if (json.empty()) continue;  // beyond the stream's retention
      if (std::optional<Event> event = ParseEntry(id, json)) store_.Apply(*event);
    }
    return store_.View(visitor, now_ms);
  }

  StateStats Stats() const {
    StateStats stats;
    stats.events_logged = events_logged_.load();
    stats.group_commits = group_commits_.load();
    stats.profiles = store_.size();
    stats.unavailable = unavailable_.load();
    stats.followed = followed_.load();
    return stats;
  }

  const std::vector<std::string>& notes() const { return notes_; }

 private:
  struct Job {
    std::vector<Event> events;
    Done done;
    std::string forget;  // a forget when forget_done is set
    std::function<void(Result<bool>)> forget_done;
  };
  // What this process has folded of a visitor's list.
  // What this process has folded of a visitor's list: its first entry's stream id, how many
  // of its entries, and the stream id of the last one applied. The follower folds events as
  // it reads them (so a visitor's first search finds the profile built, as with the embedded
  // state) and View folds what the follower has not reached yet; stream ids grow along a
  // list, so neither applies an event twice.
  struct Folded {
    std::string first_id;
    int64_t count = 0;
    StreamId last;
  };
  // Whether an event with stream id `id` comes after what is folded; if so it counts as
  // folded now.
  static bool Fold(Folded& folded, std::string_view id) {
    const StreamId parsed = ParseStreamId(id);
    if (!(folded.last < parsed)) return false;
    folded.last = parsed;
    return true;
  }
  struct Stripe {
    std::mutex mutex;
    std::unordered_map<std::string, Folded> folded;
  };

  Stripe& StripeOf(std::string_view visitor) {
    return stripes_[Fnv1a64(visitor) % stripes_.size()];
  }

  std::string TrimId() const {
    const int64_t keep_ms = int64_t{options_.event_retention_days} * 24 * 3600 * 1000;
    return std::to_string(std::max<int64_t>(0, NowMs() - keep_ms)) + "-0";
  }

  // A writer thread's connection, made when missing or broken (and the breaker is closed).
  Result<RedisConnection*> WriterConnection(std::unique_ptr<RedisConnection>& writer) {
    if (writer != nullptr && !writer->broken()) return writer.get();
    writer.reset();
    Result<std::unique_ptr<RedisConnection>> connection = pool_.Acquire();
    if (!connection.ok()) return connection.error();
    writer = std::move(*connection);
    return writer.get();
  }

  // A writer connection that failed at the network level: dropped, and the breaker opens so
  // that searches do not wait on connects either.
  void DropBrokenWriter(std::unique_ptr<RedisConnection>& writer) {
    if (writer != nullptr && writer->broken()) {
      writer.reset();
      pool_.MarkDown();
    }
  }

  // Each writer thread takes what is queued (appends up to max_batch_events together, or one
  // forget) and runs it on its own connection. Several run at once: Redis orders the
  // scripts, and a client's later batch is only sent after its earlier one was answered.
  void RunWriter() {
    std::unique_ptr<RedisConnection> writer;
    std::unique_lock lock(mutex_);
    while (true) {
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and all is written
      if (jobs_.front().forget_done) {
        Job job = std::move(jobs_.front());
        jobs_.pop_front();
        lock.unlock();
        RunForget(writer, std::move(job));
        lock.lock();
        continue;
      }
      std::vector<Job> batch;
      size_t events = 0;
      while (!jobs_.empty() && !jobs_.front().forget_done &&
             (batch.empty() || events + jobs_.front().events.size() <=
                                   static_cast<size_t>(options_.max_batch_events))) {
        events += jobs_.front().events.size();
        batch.push_back(std::move(jobs_.front()));
        jobs_.pop_front();
      }
      lock.unlock();
      const Status status = WriteEvents(writer, batch, events);
      for (Job& job : batch) job.done(status);
      lock.lock();
    }
  }

  Status WriteEvents(std::unique_ptr<RedisConnection>& writer, const std::vector<Job>& batch,
                     size_t events) {
    std::vector<std::string> jsons;
    jsons.reserve(events);
    for (const Job& job : batch) {
      for (const Event& event : job.events) jsons.push_back(EventToJson(event));
    }
    const std::string trim = TrimId();
    std::vector<std::string_view> args = {stream_, lists_, trim};
    args.reserve(3 + 2 * events);
    size_t i = 0;
    for (const Job& job : batch) {
      for (const Event& event : job.events) {
        args.push_back(event.visitor);
        args.push_back(jsons[i++]);
      }
    }
    Result<RedisConnection*> connection = WriterConnection(writer);
    Status status = Status::Ok();
    if (!connection.ok()) {
      status = connection.error();
    } else if (Result<RedisReply> reply = (*connection)->Run(kAppendScript, {}, args);
               !reply.ok()) {
      status = reply.error();
    }
    if (!status.ok()) {
      DropBrokenWriter(writer);
      unavailable_.fetch_add(static_cast<int64_t>(events));
      return Error::Unavailable("events: not stored: " + status.error().message);
    }
    events_logged_.fetch_add(static_cast<int64_t>(events));
    group_commits_.fetch_add(1);
    if (observer_.group_commit) observer_.group_commit(events);
    return Status::Ok();
  }

  void RunForget(std::unique_ptr<RedisConnection>& writer, Job job) {
    const std::string trim = TrimId();
    Result<RedisConnection*> connection = WriterConnection(writer);
    if (!connection.ok()) {
      return job.forget_done(Error::Unavailable("profiles: " + connection.error().message));
    }
    const std::string list = lists_ + job.forget;
    Result<RedisReply> reply =
        (*connection)->Run(kForgetScript, {}, {stream_, list, job.forget, instance_, trim});
    if (!reply.ok()) {
      DropBrokenWriter(writer);
      return job.forget_done(Error::Unavailable("profiles: " + reply.error().message));
    }
    const bool cached = DropCached(job.forget);
    job.forget_done(ReplyInteger(reply->get()) > 0 || cached);
  }

  // The event of a stream entry; nullopt, reported on stderr with the entry's id, when it is
  // not one (only another program writing under the key prefix could put it there). Such an
  // entry is skipped: it is in a store every server shares, which one server cannot repair.
  std::optional<Event> ParseEntry(std::string_view id, std::string_view json) const {
    Result<Event> event = EventFromJson(json);
    if (event.ok()) return std::move(*event);
    std::cerr << "tailor-server: state: " << stream_ << " entry " << id
              << " skipped: " << event.error().message << std::endl;
    return std::nullopt;
  }

  // Folds an event the follower read into the visitor's cached profile (see Folded).
  void FoldFollowed(std::string_view id, const Event& event) {
    Stripe& stripe = StripeOf(event.visitor);
    std::lock_guard lock(stripe.mutex);
    auto [it, inserted] = stripe.folded.try_emplace(event.visitor);
    if (!Fold(it->second, id)) return;
    if (it->second.count == 0) it->second.first_id = std::string(id);
    ++it->second.count;
    store_.Apply(event);
  }

  bool DropCached(const std::string& visitor) {
    Stripe& stripe = StripeOf(visitor);
    std::lock_guard lock(stripe.mutex);
    stripe.folded.erase(visitor);
    return store_.Erase(visitor);
  }

  // One entry of the stream: an event or another server's forget.
  void Follow(std::string_view id, const redisReply& fields, std::set<std::string>* forgotten) {
    std::string_view event_json, forgotten_visitor, server;
    for (size_t i = 0; i + 1 < fields.elements; i += 2) {
      const std::string_view name = ReplyString(*fields.element[i]);
      const std::string_view value = ReplyString(*fields.element[i + 1]);
      if (name == "e") event_json = value;
      if (name == "f") forgotten_visitor = value;
      if (name == "s") server = value;
    }
    if (!event_json.empty()) {
      std::optional<Event> event = ParseEntry(id, event_json);
      if (!event) return;
      if (mirror_ != nullptr) {
        mirror_lines_.append(event_json);
        mirror_lines_ += '\n';
        mirror_keys_.push_back(VisitorKey(event->visitor));
      }
      FoldFollowed(id, *event);
      if (follower_.event) follower_.event(*event);
      return;
    }
    if (forgotten_visitor.empty()) return;
    // Dropped here for this server's own forgets too: the follower may have folded an event
    // read before the forget after the forget dropped the profile.
    std::string visitor(forgotten_visitor);
    DropCached(visitor);
    if (forgotten != nullptr) {  // catching up: told (and purged) once at the end
      forgotten->insert(std::move(visitor));
      return;
    }
    PurgeMirror({visitor});
    if (server != instance_ && follower_.forgotten) follower_.forgotten(visitor);
  }

  // Entries of an XRANGE or of one stream of an XREAD: [[id, [field, value, ...]], ...].
  size_t FollowEntries(const redisReply& entries, std::set<std::string>* forgotten) {
    size_t n = 0;
    for (size_t i = 0; ReplyIsArray(entries) && i < entries.elements; ++i) {
      const redisReply& entry = *entries.element[i];
      if (!ReplyIsArray(entry) || entry.elements < 2) continue;
      last_id_ = std::string(ReplyString(*entry.element[0]));
      followed_.fetch_add(1, std::memory_order_relaxed);
      if (ReplyIsArray(*entry.element[1])) Follow(last_id_, *entry.element[1], forgotten);
      ++n;
    }
    FlushMirror();
    return n;
  }

  // Writes the mirrored lines gathered so far (no fsync: the stream in Redis is the truth,
  // and the mirror is rewritten from it at the next start).
  void FlushMirror() {
    if (mirror_ == nullptr || mirror_lines_.empty()) return;
    if (Status status = mirror_->Append(mirror_lines_, mirror_keys_); !status.ok()) {
      std::cerr << "tailor-server: state mirror: " << status.error().message << std::endl;
    }
    mirror_lines_.clear();
    mirror_keys_.clear();
  }

  // Removes a forgotten visitor's events from the mirror: the lines before the forget entry
  // (the stream's order), so the current segment is sealed first.
  void PurgeMirror(std::vector<std::string> visitors) {
    if (mirror_ == nullptr || visitors.empty()) return;
    FlushMirror();
    Status status = mirror_->Roll();
    if (status.ok()) {
      VisitorPurge purge(std::move(visitors),
                         [](std::string_view line) -> std::optional<std::string> {
                           Result<Event> event = EventFromJson(line);
                           if (!event.ok()) return std::nullopt;
                           return std::move(event->visitor);
                         });
      status = purge.Drop(options_.mirror_dir, mirror_->current_sequence());
    }
    if (!status.ok()) {
      std::cerr << "tailor-server: state mirror: " << status.error().message << std::endl;
    }
  }

  // Reads the stream from last_id_ to its end. Forgets found on the way are told once each
  // at the end (a server that was down when they happened must still forget).
  Result<int64_t> CatchUp() {
    Result<std::unique_ptr<RedisConnection>> connection = RedisConnection::Connect(endpoint_);
    if (!connection.ok()) return connection.error();
    std::set<std::string> forgotten;
    int64_t read = 0;
    while (true) {
      const std::string start = last_id_.empty() ? "-" : "(" + last_id_;
      Result<RedisReply> reply =
          (*connection)->Command({"XRANGE", stream_, start, "+", "COUNT", "10000"});
      if (!reply.ok()) return reply.error();
      const size_t n = FollowEntries(reply->get(), &forgotten);
      read += static_cast<int64_t>(n);
      if (n < 10000) break;
    }
    // A visitor forgotten while the catch-up read the stream may have events in the mirror
    // from before; the others' events had left the stream already.
    PurgeMirror({forgotten.begin(), forgotten.end()});
    if (follower_.forgotten) {
      for (const std::string& visitor : forgotten) follower_.forgotten(visitor);
    }
    caught_up_ = true;
    return read;
  }

  void RunFollower() {
    constexpr int kBlockMs = 200;
    std::unique_ptr<RedisConnection> connection;
    while (true) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
      }
      if (!caught_up_) {
        if (!CatchUp().ok()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(options_.retry_interval_ms));
        }
        continue;
      }
      if (connection == nullptr || connection->broken()) {
        Result<std::unique_ptr<RedisConnection>> made = RedisConnection::Connect(endpoint_);
        if (!made.ok()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(options_.retry_interval_ms));
          continue;
        }
        connection = std::move(*made);
        connection->SetCommandTimeout(kBlockMs + options_.command_timeout_ms);
      }
      const std::string from = last_id_.empty() ? "0" : last_id_;
      Result<RedisReply> reply = connection->Command(
          {"XREAD", "COUNT", "1000", "BLOCK", std::to_string(kBlockMs), "STREAMS", stream_, from});
      if (!reply.ok()) {
        if (!connection->broken()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(options_.retry_interval_ms));
        }
        continue;
      }
      if (reply->is_nil() || reply->size() == 0) continue;
      const redisReply& stream = reply->at(0);
      if (ReplyIsArray(stream) && stream.elements >= 2) FollowEntries(*stream.element[1], nullptr);
    }
  }

  const RedisStateOptions options_;
  const RedisEndpoint endpoint_;
  RedisPool pool_;
  ProfileStore store_;
  const StateObserver observer_;
  const std::string instance_;
  const std::string stream_;
  const std::string lists_;  // a visitor's list is lists_ + visitor
  std::vector<std::string> notes_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> writer_threads_;

  StateFollower follower_;
  std::thread follower_thread_;
  std::string last_id_;  // the follower's position in the stream
  std::unique_ptr<SegmentLog> mirror_;  // the follower's, when mirror_dir is set
  std::string mirror_lines_;
  std::vector<uint64_t> mirror_keys_;
  bool caught_up_ = false;

  std::array<Stripe, 1024> stripes_;
  std::atomic<int64_t> events_logged_{0};
  std::atomic<int64_t> group_commits_{0};
  std::atomic<int64_t> unavailable_{0};
  std::atomic<int64_t> followed_{0};
};

Result<std::unique_ptr<RedisProfileState>> RedisProfileState::Open(RedisStateOptions options,
                                                                   ProfileOptions profile_options,
                                                                   StateObserver observer) {
  if (options.host.empty()) return Error::InvalidArgument("state.redis.host: must not be empty");
  auto impl = std::make_unique<Impl>(std::move(options), profile_options, std::move(observer));
  impl->Start();
  return std::unique_ptr<RedisProfileState>(new RedisProfileState(std::move(impl)));
}

RedisProfileState::RedisProfileState(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RedisProfileState::~RedisProfileState() = default;

Result<int64_t> RedisProfileState::Follow(StateFollower follower) {
  return impl_->Follow(std::move(follower));
}
void RedisProfileState::Append(std::vector<Event> events, Done done) {
  impl_->Append(std::move(events), std::move(done));
}
std::optional<ProfileView> RedisProfileState::View(std::string_view visitor, int64_t now_ms) const {
  return impl_->View(visitor, now_ms);
}
void RedisProfileState::Forget(std::string visitor, std::function<void(Result<bool>)> done) {
  impl_->Forget(std::move(visitor), std::move(done));
}
StateStats RedisProfileState::Stats() const { return impl_->Stats(); }
const std::vector<std::string>& RedisProfileState::RecoveryNotes() const { return impl_->notes(); }

}  // namespace tailor::ranking
