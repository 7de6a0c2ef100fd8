// RedisProfileState in process against a real redis-server (tests/e2e/redis_server.h): what
// the two-server tests do not reach from HTTP, such as a visitor forgotten and back between
// two reads of another server, and a Redis that is not there yet when the state opens.
#include "ranking/profiles/redis_state.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/redis_server.h"
#include "tests/server/test_support.h"

namespace tailor::testing {
namespace {

using ranking::ProfileOptions;
using ranking::RedisProfileState;
using ranking::RedisStateOptions;

Event Cart(const std::string& visitor, const std::string& item, int64_t at_ms) {
  Event event;
  event.type = EventType::kAddToCart;
  event.visitor = visitor;
  event.item = item;
  event.size = "M";
  event.quantity = 1;
  event.timestamp_ms = at_ms;
  return event;
}

RedisStateOptions OptionsFor(uint16_t port) {
  RedisStateOptions options;
  options.port = port;
  options.key_prefix = "unit:";
  options.retry_interval_ms = 50;
  return options;
}

std::unique_ptr<RedisProfileState> Open(uint16_t port) {
  auto state = RedisProfileState::Open(OptionsFor(port), ProfileOptions{});
  EXPECT_TRUE(state.ok()) << state.error().message;
  return state.ok() ? std::move(*state) : nullptr;
}

int CartQuantity(const RedisProfileState& state, const std::string& visitor) {
  std::optional<ranking::ProfileView> view = state.View(visitor, 2'000'000'000'000);
  if (!view) return 0;
  int quantity = 0;
  for (const auto& line : view->cart) quantity += line.quantity;
  return quantity;
}

class RedisState : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!RedisServer::Installed()) GTEST_SKIP() << kRedisServer << " is not installed";
    redis_ = std::make_unique<RedisServer>(dir_.path() / "redis");
    ASSERT_TRUE(redis_->Start());
  }
  TempDir dir_;
  std::unique_ptr<RedisServer> redis_;
};

TEST_F(RedisState, AVisitorForgottenAndBackIsFoldedAfreshByAnotherServer) {
  std::unique_ptr<RedisProfileState> a = Open(redis_->port());
  std::unique_ptr<RedisProfileState> b = Open(redis_->port());
  ASSERT_TRUE(a && b);
  // Odd ids are keys like any other.
  const std::string visitor = "v:1 ü*";
  ASSERT_TRUE(a->AppendAndWait({Cart(visitor, "A1", 1000), Cart(visitor, "A1", 2000)}).ok());
  EXPECT_EQ(CartQuantity(*b, visitor), 2);  // b folds both and caches them
  Result<bool> forgot = a->ForgetAndWait(visitor);
  ASSERT_TRUE(forgot.ok());
  EXPECT_TRUE(*forgot);
  ASSERT_TRUE(a->AppendAndWait({Cart(visitor, "A1", 3000)}).ok());
  // b's cache held two events of a list that is gone: the new list is folded from its start.
  EXPECT_EQ(CartQuantity(*b, visitor), 1);
  Result<bool> again = b->ForgetAndWait("nobody");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
}

TEST_F(RedisState, OpensWithoutRedisAndRecoversWhenItComes) {
  redis_->Kill();
  std::unique_ptr<RedisProfileState> state = Open(redis_->port());
  ASSERT_TRUE(state);
  std::atomic<int> followed{0};
  Result<int64_t> caught_up = state->Follow({[&](const Event&) { ++followed; }, {}});
  EXPECT_FALSE(caught_up.ok());
  Status refused = state->AppendAndWait({Cart("v1", "A1", 1000)});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(CartQuantity(*state, "v1"), 0);
  ASSERT_TRUE(redis_->Start());
  // The breaker lets a connect through every retry_interval_ms; the deadline guards a hang.
  Status taken = Error::Unavailable("not tried");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!taken.ok() && std::chrono::steady_clock::now() < deadline) {
    taken = state->AppendAndWait({Cart("v1", "A1", 2000)});
    if (!taken.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(taken.ok()) << taken.error().message;
  EXPECT_EQ(CartQuantity(*state, "v1"), 1);
  // The follower caught up once Redis answered: the accepted event reached it.
  while (followed.load() < 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(followed.load(), 1);
  EXPECT_EQ(state->Stats().events_logged, 1);
  EXPECT_GE(state->Stats().unavailable, 1);
}

TEST_F(RedisState, AServerStartedLaterFollowsEveryEventOnceInOrder) {
  std::unique_ptr<RedisProfileState> writer = Open(redis_->port());
  ASSERT_TRUE(writer);
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(writer->AppendAndWait({Cart("v" + std::to_string(i % 3), "A1", 1000 + i)}).ok());
  }
  ASSERT_TRUE(writer->ForgetAndWait("v2").ok());
  std::unique_ptr<RedisProfileState> late = Open(redis_->port());
  ASSERT_TRUE(late);
  std::vector<int64_t> times;
  std::vector<std::string> forgotten;
  Result<int64_t> read =
      late->Follow({[&](const Event& event) { times.push_back(event.timestamp_ms); },
                    [&](const std::string& v) { forgotten.push_back(v); }});
  ASSERT_TRUE(read.ok()) << read.error().message;
  // v2's ten events left the stream with the forget; the forget entry is told.
  ASSERT_EQ(times.size(), 20u);
  for (size_t i = 1; i < times.size(); ++i) EXPECT_LT(times[i - 1], times[i]);
  EXPECT_EQ(forgotten, std::vector<std::string>{"v2"});
}

TEST_F(RedisState, TheFollowerAndReadsFoldEachEventOnce) {
  std::unique_ptr<RedisProfileState> writer = Open(redis_->port());
  std::unique_ptr<RedisProfileState> reader = Open(redis_->port());
  ASSERT_TRUE(writer && reader);
  ASSERT_TRUE(reader->Follow({}).ok());
  // Reads race the follower for the same events: each must count once.
  std::atomic<bool> done{false};
  std::thread reads([&] {
    while (!done.load()) CartQuantity(*reader, "racer");
  });
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(writer->AppendAndWait({Cart("racer", "A1", 1000 + i)}).ok());
  }
  done = true;
  reads.join();
  EXPECT_EQ(CartQuantity(*reader, "racer"), 200);
  EXPECT_EQ(CartQuantity(*writer, "racer"), 200);
}

}  // namespace
}  // namespace tailor::testing
