// LiveIndex with a refresh interval checks the index on its own thread: a rebuild is
// opened, warmed and swapped in without any search asking, so no search pays for it.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "searcher/internal/live_index.h"
#include "tests/searcher/test_catalog.h"

namespace tailor::searcher::internal {
namespace {

using testing::BuildIndex;
using testing::ShopCatalog;
using testing::TempDir;
using testing::UpdateIndex;

// Current() until it is not `old`, for at most 10 s; with an interval Current() itself
// never looks at the disk, so only the background thread can change what it returns.
std::shared_ptr<Generation> WaitForAnother(LiveIndex& index, const Generation* old) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::shared_ptr<Generation> current = index.Current();
  while (current.get() == old && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    current = index.Current();
  }
  return current;
}

TEST(BackgroundRefresh, ARebuildIsSwappedInWarmWithoutASearchAsking) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  Result<std::unique_ptr<LiveIndex>> index = LiveIndex::Open(dir.Path("index"), 10);
  ASSERT_TRUE(index.ok()) << index.error().message;
  std::shared_ptr<Generation> first = (*index)->Current();
  {
    // Three searches at once make the live generation open three handles.
    std::vector<Generation::Lease> leases;
    for (int i = 0; i < 3; ++i) leases.push_back(first->Acquire());
  }
  ASSERT_GE(first->handles_made(), 3);
  std::vector<std::string> catalog = ShopCatalog();
  catalog.push_back(R"({"id":"p7","title":"Arctic Parka","price":300})");
  BuildIndex(dir, catalog);
  std::shared_ptr<Generation> second = WaitForAnother(**index, first.get());
  ASSERT_NE(second.get(), first.get()) << "no swap within 10 s";
  EXPECT_GT((*index)->background_checks(), 0);
  EXPECT_GT(second->serial(), first->serial());
  // Warmed before it was served: the handles the old one needed are open.
  EXPECT_GE(second->handles_made(), 3);
  Generation::Lease lease = second->Acquire();
  EXPECT_EQ(lease.handle().db.get_doccount(), 7u);
  ASSERT_NE(lease.handle().facet_table, nullptr);
  EXPECT_EQ(lease.handle().facet_table->revision(), lease.handle().db.get_revision());
}

TEST(BackgroundRefresh, AnUpdateIsLoadedWithoutASearchAsking) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  Result<std::unique_ptr<LiveIndex>> index = LiveIndex::Open(dir.Path("index"), 10);
  ASSERT_TRUE(index.ok()) << index.error().message;
  std::shared_ptr<Generation> live = (*index)->Current();
  const Xapian::rev before = live->revision();
  UpdateIndex(dir, {R"({"id":"p7","title":"Arctic Parka","price":300})"});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (live->revision() == before && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_GT(live->revision(), before) << "the update was not seen within 10 s";
  Generation::Lease lease = live->Acquire();
  EXPECT_EQ(lease.handle().db.get_doccount(), 7u);
  ASSERT_NE(lease.handle().facet_table, nullptr);
  EXPECT_EQ(lease.handle().facet_table->revision(), lease.handle().db.get_revision());
}

TEST(BackgroundRefresh, WithIntervalZeroEveryCurrentChecksAndNoThreadRuns) {
  TempDir dir;
  BuildIndex(dir, ShopCatalog());
  Result<std::unique_ptr<LiveIndex>> index = LiveIndex::Open(dir.Path("index"), 0);
  ASSERT_TRUE(index.ok()) << index.error().message;
  std::shared_ptr<Generation> first = (*index)->Current();
  BuildIndex(dir, ShopCatalog());
  EXPECT_NE((*index)->Current().get(), first.get());
  EXPECT_EQ((*index)->background_checks(), 0);
}

}  // namespace
}  // namespace tailor::searcher::internal
