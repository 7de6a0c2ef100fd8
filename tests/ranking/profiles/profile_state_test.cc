#include "ranking/profiles/profile_state.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <thread>

#include "tests/common/temp_dir.h"

namespace tailor::ranking {
namespace {

namespace fs = std::filesystem;
using tailor::testing::TempDir;

constexpr int64_t kT0 = 1795000000000;

Event CartEvent(const std::string& visitor, const std::string& item, int64_t at = kT0) {
  Event event;
  event.type = EventType::kAddToCart;
  event.visitor = visitor;
  event.item = item;
  event.size = "M";
  event.timestamp_ms = at;
  event.facts = ItemFacts{"Acme", {"Men", "Shirts"}, {"blue"}, {"M", "L"}, 25, 30};
  return event;
}

std::unique_ptr<ProfileState> OpenState(const TempDir& dir, StateOptions options = {}) {
  Result<std::unique_ptr<ProfileState>> state =
      ProfileState::Open((dir.path() / "state").string(), options, ProfileOptions{});
  EXPECT_TRUE(state.ok()) << state.error().message;
  return state.ok() ? std::move(*state) : nullptr;
}

int CartQuantity(const ProfileState& state, const std::string& visitor) {
  std::optional<ProfileView> view = state.View(visitor, kT0);
  if (!view || view->cart.empty()) return 0;
  return view->cart[0].quantity;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

size_t CountLogged(const TempDir& dir) {
  size_t count = 0;
  Status status =
      ForEachLoggedEvent((dir.path() / "state").string(), [&](const Event&) { ++count; });
  EXPECT_TRUE(status.ok()) << status.error().message;
  return count;
}

TEST(ProfileState, EveryAcknowledgedEventIsReplayedAfterReopening) {
  TempDir dir;
  std::string before;
  {
    std::unique_ptr<ProfileState> state = OpenState(dir);
    ASSERT_NE(state, nullptr);
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(state->AppendAndWait({CartEvent("v", "P1"), CartEvent("w", "P2")}).ok());
    }
    EXPECT_EQ(CartQuantity(*state, "v"), 10);
    before = ProfileViewToJson(*state->View("v", kT0));
  }
  std::unique_ptr<ProfileState> reopened = OpenState(dir);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->Stats().events_recovered, 20);
  EXPECT_EQ(ProfileViewToJson(*reopened->View("v", kT0)), before);
  EXPECT_EQ(CartQuantity(*reopened, "w"), 10);
}

// Found by clang (fuzz build): the snapshot suffix was never checked and the sequence was
// read with std::stoull, so a stray file of a snapshot's length threw out of Open.
TEST(ProfileState, FilesInSnapshotsThatAreNotSnapshotsAreIgnored) {
  TempDir dir;
  {
    std::unique_ptr<ProfileState> state = OpenState(dir);
    ASSERT_NE(state, nullptr);
    ASSERT_TRUE(state->AppendAndWait({CartEvent("v", "P1")}).ok());
  }
  const fs::path snapshots = dir.path() / "state" / "snapshots";
  fs::create_directories(snapshots);
  std::ofstream(snapshots / "snapshot-copy-of-the-newest-1.bin") << "x";
  std::ofstream(snapshots / "snapshot-00000000000000000099.old") << "x";
  std::ofstream(snapshots / "snapshot-99999999999999999999.bin") << "x";  // over 2^64
  std::unique_ptr<ProfileState> reopened = OpenState(dir);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(CartQuantity(*reopened, "v"), 1);
}

TEST(ProfileState, EveryAcknowledgedEventSurvivesSigkill) {
  TempDir dir;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    Result<std::unique_ptr<ProfileState>> state =
        ProfileState::Open((dir.path() / "state").string(), StateOptions{}, ProfileOptions{});
    if (!state.ok()) ::_exit(2);
    for (int acknowledged = 1;; ++acknowledged) {
      if (!(*state)->AppendAndWait({CartEvent("v", "P1")}).ok()) ::_exit(3);
      if (::write(fds[1], &acknowledged, sizeof(acknowledged)) != sizeof(acknowledged)) ::_exit(4);
    }
  }
  ::close(fds[1]);
  int acknowledged = 0;
  int last = 0;
  while (last < 300 && ::read(fds[0], &last, sizeof(last)) == sizeof(last)) acknowledged = last;
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  // Acknowledgements the child sent before it died.
  while (::read(fds[0], &last, sizeof(last)) == sizeof(last)) acknowledged = last;
  ::close(fds[0]);
  ASSERT_GE(acknowledged, 300);

  std::unique_ptr<ProfileState> state = OpenState(dir);
  ASSERT_NE(state, nullptr);
  const int recovered = CartQuantity(*state, "v");
  EXPECT_GE(recovered, acknowledged);
  EXPECT_LE(recovered, acknowledged + 1);  // the one in flight may have been written
}

TEST(ProfileState, ATornLastLineIsCutOffAndACorruptEarlierLineIsAnError) {
  TempDir dir;
  {
    std::unique_ptr<ProfileState> state = OpenState(dir);
    ASSERT_NE(state, nullptr);
    ASSERT_TRUE(state->AppendAndWait({CartEvent("v", "P1"), CartEvent("v", "P1")}).ok());
  }
  const fs::path wal = dir.path() / "state" / "wal";
  fs::path newest;
  for (const auto& entry : fs::directory_iterator(wal)) {
    if (entry.path().extension() == ".log" && entry.file_size() > 0 && entry.path() > newest) {
      newest = entry.path();
    }
  }
  ASSERT_FALSE(newest.empty());
  { std::ofstream(newest, std::ios::app) << R"({"type":"add_to_cart","visi)"; }
  {
    std::unique_ptr<ProfileState> state = OpenState(dir);
    ASSERT_NE(state, nullptr);
    EXPECT_EQ(CartQuantity(*state, "v"), 2);
    // What was cut is said, with file and line.
    ASSERT_EQ(state->RecoveryNotes().size(), 1u);
    EXPECT_EQ(state->RecoveryNotes()[0].rfind("wal/" + newest.filename().string() +
                                                  ":3: a torn last line of 27 bytes was cut off",
                                              0),
              0u)
        << state->RecoveryNotes()[0];
  }
  {
    std::unique_ptr<ProfileState> state = OpenState(dir);
    ASSERT_NE(state, nullptr);
    EXPECT_TRUE(state->RecoveryNotes().empty()) << "nothing more to cut";
  }
  EXPECT_EQ(ReadAll(newest).back(), '\n');
  { std::ofstream(newest, std::ios::app) << "garbage\n"; }
  // An empty newer segment makes the corrupt one not the newest: no repair applies.
  Result<std::unique_ptr<ProfileState>> broken =
      ProfileState::Open((dir.path() / "state").string(), StateOptions{}, ProfileOptions{});
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code, ErrorCode::kDataLoss) << "a damaged log, not bad input";
  EXPECT_NE(broken.error().message.find(newest.filename().string() + ":3"), std::string::npos)
      << broken.error().message;
}

TEST(ProfileState, SnapshotsCompactTheLogAndKeepOldSegmentsForTraining) {
  TempDir dir;
  {
    std::unique_ptr<ProfileState> state = OpenState(dir);
    ASSERT_NE(state, nullptr);
    ASSERT_TRUE(state->AppendAndWait({CartEvent("v", "P1"), CartEvent("v", "P1")}).ok());
    ASSERT_TRUE(state->SnapshotNow().ok());
    ASSERT_TRUE(state->AppendAndWait({CartEvent("v", "P1")}).ok());
    EXPECT_EQ(state->Stats().snapshots, 1);
  }
  const fs::path root = dir.path() / "state";
  EXPECT_EQ(std::distance(fs::directory_iterator(root / "snapshots"), fs::directory_iterator()), 1);
  EXPECT_GE(std::distance(fs::directory_iterator(root / "events"), fs::directory_iterator()), 1);
  EXPECT_EQ(CountLogged(dir), 3u);
  std::unique_ptr<ProfileState> reopened = OpenState(dir);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->Stats().events_recovered, 1);  // only what came after the snapshot
  EXPECT_EQ(CartQuantity(*reopened, "v"), 3);
}

TEST(ProfileState, SnapshotEveryEventsTriggersAndTrainingCopiesCanBeTurnedOff) {
  TempDir dir;
  StateOptions options;
  options.snapshot_every_events = 5;
  options.keep_events_for_training = false;
  std::unique_ptr<ProfileState> state = OpenState(dir, options);
  ASSERT_NE(state, nullptr);
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(state->AppendAndWait({CartEvent("v", "P1")}).ok());
  // The snapshot runs after the commit that crossed the threshold; another commit after
  // it is ordered after the snapshot on the log thread.
  ASSERT_TRUE(state->AppendAndWait({CartEvent("v", "P1")}).ok());
  EXPECT_GE(state->Stats().snapshots, 1);
  state.reset();  // the files thread has written the snapshot and removed what it covers
  const fs::path events = dir.path() / "state" / "events";
  EXPECT_EQ(std::distance(fs::directory_iterator(events), fs::directory_iterator()), 0);
}

TEST(ProfileState, ConcurrentAppendsAreEachLoggedOnce) {
  TempDir dir;
  std::unique_ptr<ProfileState> state = OpenState(dir);
  ASSERT_NE(state, nullptr);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (!state->AppendAndWait({CartEvent("v" + std::to_string(t), "P")}).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(state->Stats().events_logged, 400);
  EXPECT_LE(state->Stats().group_commits, 400);
  EXPECT_EQ(CountLogged(dir), 400u);
  for (int t = 0; t < 8; ++t) EXPECT_EQ(CartQuantity(*state, "v" + std::to_string(t)), 50);
}

TEST(ProfileState, IntervalAndNoFsyncPoliciesAcknowledgeAndReplay) {
  for (FsyncPolicy policy : {FsyncPolicy::kInterval, FsyncPolicy::kNone}) {
    TempDir dir;
    StateOptions options;
    options.fsync = policy;
    options.fsync_interval_ms = 5;
    {
      std::unique_ptr<ProfileState> state = OpenState(dir, options);
      ASSERT_NE(state, nullptr);
      for (int i = 0; i < 5; ++i) ASSERT_TRUE(state->AppendAndWait({CartEvent("v", "P")}).ok());
    }
    std::unique_ptr<ProfileState> reopened = OpenState(dir, options);
    ASSERT_NE(reopened, nullptr);
    EXPECT_EQ(CartQuantity(*reopened, "v"), 5);
  }
}

TEST(ProfileState, ForgetRemovesTheVisitorFromEveryFile) {
  TempDir dir;
  const std::string secret = "visitor-to-forget-7f3a";
  {
    std::unique_ptr<ProfileState> state = OpenState(dir);
    ASSERT_NE(state, nullptr);
    ASSERT_TRUE(state->AppendAndWait({CartEvent(secret, "P1"), CartEvent("keep", "P2")}).ok());
    ASSERT_TRUE(state->SnapshotNow().ok());  // some events now in events/, a snapshot too
    ASSERT_TRUE(state->AppendAndWait({CartEvent(secret, "P3"), CartEvent("keep", "P4")}).ok());
    Result<bool> forgotten = state->ForgetAndWait(secret);
    ASSERT_TRUE(forgotten.ok()) << forgotten.error().message;
    EXPECT_TRUE(*forgotten);
    EXPECT_FALSE(state->View(secret, kT0).has_value());
    Result<bool> unknown = state->ForgetAndWait("never-seen");
    ASSERT_TRUE(unknown.ok());
    EXPECT_FALSE(*unknown);
  }
  for (const auto& entry : fs::recursive_directory_iterator(dir.path() / "state")) {
    if (!entry.is_regular_file()) continue;
    EXPECT_EQ(ReadAll(entry.path()).find(secret), std::string::npos) << entry.path();
  }
  std::unique_ptr<ProfileState> reopened = OpenState(dir);
  ASSERT_NE(reopened, nullptr);
  EXPECT_FALSE(reopened->View(secret, kT0).has_value());
  EXPECT_EQ(CartQuantity(*reopened, "keep"), 1);
  EXPECT_EQ(CountLogged(dir), 2u);
}

TEST(ProfileState, ForgetsAskedTogetherEachSayWhetherTheVisitorWasKnown) {
  TempDir dir;
  std::unique_ptr<ProfileState> state = OpenState(dir);
  ASSERT_NE(state, nullptr);
  ASSERT_TRUE(state
                  ->AppendAndWait({CartEvent("a", "P1"), CartEvent("b", "P2"), CartEvent("c", "P3"),
                                   CartEvent("keep", "P4")})
                  .ok());
  // Queued while the log thread may be busy with the first: they can share one purge.
  std::vector<std::promise<Result<bool>>> answers(4);
  const std::vector<std::string> visitors = {"a", "nobody", "b", "c"};
  for (size_t i = 0; i < visitors.size(); ++i) {
    state->Forget(visitors[i],
                  [&answers, i](Result<bool> known) { answers[i].set_value(std::move(known)); });
  }
  for (size_t i = 0; i < visitors.size(); ++i) {
    Result<bool> known = answers[i].get_future().get();
    ASSERT_TRUE(known.ok()) << known.error().message;
    EXPECT_EQ(*known, visitors[i] != "nobody") << visitors[i];
  }
  EXPECT_EQ(CountLogged(dir), 1u);
  EXPECT_EQ(CartQuantity(*state, "keep"), 1);
}

TEST(ProfileState, EventsKeepCommittingWhileAPurgeHoldsTheFilesThread) {
  TempDir dir;
  std::unique_ptr<ProfileState> state = OpenState(dir);
  ASSERT_NE(state, nullptr);
  ASSERT_TRUE(state->AppendAndWait({CartEvent("first", "P1"), CartEvent("second", "P2")}).ok());
  // The first forget's done runs on the thread that does the purges' file work and holds it
  // there until the test lets go. Were purges on the log thread, nothing could be committed
  // until then.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  bool let_go = false;
  // Lets go on the way out of a failed assertion too, or the state's destructor would wait.
  std::shared_ptr<void> guard(nullptr, [&](void*) {
    if (!let_go) release.set_value();
  });
  std::promise<Result<bool>> first, second;
  state->Forget("first", [&first, released](Result<bool> known) {
    first.set_value(std::move(known));
    released.wait();
  });
  Result<bool> first_known = first.get_future().get();
  ASSERT_TRUE(first_known.ok());
  EXPECT_FALSE(state->View("first", kT0).has_value());

  std::future<Status> appended = std::async(
      std::launch::async, [&] { return state->AppendAndWait({CartEvent("keep", "P3")}); });
  // A deadlock guard, not a speed bound: a blocked log thread would never answer.
  const bool ready = appended.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
  // A forget asked meanwhile waits for the purge in flight, then runs.
  state->Forget("second", [&second](Result<bool> known) { second.set_value(std::move(known)); });
  release.set_value();
  let_go = true;
  ASSERT_TRUE(ready) << "an append waited for a purge";
  EXPECT_TRUE(appended.get().ok());
  EXPECT_EQ(CartQuantity(*state, "keep"), 1);
  Result<bool> second_known = second.get_future().get();
  ASSERT_TRUE(second_known.ok()) << second_known.error().message;
  EXPECT_TRUE(*second_known);
  EXPECT_EQ(CountLogged(dir), 1u);
}

TEST(ParseStateOptions, NamesTheKeyPath) {
  rapidjson::Document json;
  json.Parse(R"({"fsync": "sometimes"})");
  EXPECT_EQ(ParseStateOptions(json).error().message,
            "durability.fsync: must be one of \"batch\", \"interval\", \"none\"");
  json.Parse(R"({"segment_bytes": 10})");
  EXPECT_EQ(ParseStateOptions(json).error().message, "durability.segment_bytes: must be >= 4096");
  json.Parse(R"({"fsync": "interval", "fsync_interval_ms": 20})");
  Result<StateOptions> options = ParseStateOptions(json);
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->fsync, FsyncPolicy::kInterval);
  EXPECT_EQ(options->fsync_interval_ms, 20);
}

}  // namespace
}  // namespace tailor::ranking
