#include "server/http/internal/reloader.h"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace tailor::server::http::internal {
namespace {

TEST(Reloader, RunsJobsOneAtATimeInOrderOffTheCallingThread) {
  std::mutex mutex;
  std::vector<int> order;
  std::vector<std::thread::id> threads;
  {
    Reloader reloader;
    for (int i = 0; i < 5; ++i) {
      reloader.Run([&, i] {
        std::lock_guard lock(mutex);
        order.push_back(i);
        threads.push_back(std::this_thread::get_id());
      });
    }
  }  // the destructor runs what is queued and joins
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  ASSERT_EQ(threads.size(), 5u);
  for (std::thread::id id : threads) {
    EXPECT_NE(id, std::this_thread::get_id());
    EXPECT_EQ(id, threads.front());
  }
}

TEST(Reloader, StopWaitsForTheRunningJob) {
  Reloader reloader;
  std::promise<void> started;
  std::promise<void> release;
  bool finished = false;
  reloader.Run([&] {
    started.set_value();
    release.get_future().wait();
    finished = true;
  });
  started.get_future().wait();
  std::thread stopper([&] { reloader.Stop(); });
  release.set_value();
  stopper.join();
  EXPECT_TRUE(finished);
}

TEST(Reloader, OnceStoppedRunsAJobOnTheCallingThread) {
  Reloader reloader;
  reloader.Stop();
  reloader.Stop();  // idempotent
  std::thread::id ran_on;
  reloader.Run([&] { ran_on = std::this_thread::get_id(); });
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

}  // namespace
}  // namespace tailor::server::http::internal
