#include "ranking/feature_log/ranking_log.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>

namespace tailor::ranking {
namespace {

namespace fs = std::filesystem;

std::string TempDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() /
                 ("tailor-ranking-log-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir.string();
}

RankingRecord Record(std::string request_id, std::string visitor) {
  RankingRecord record;
  record.request_id = std::move(request_id);
  record.visitor = std::move(visitor);
  record.variant = "default";
  record.query = "parka \"warm\"";
  record.timestamp_ms = 1764500000000;
  record.personalized = true;
  record.feature_names = {"text_score", "brand_affinity"};
  for (int i = 0; i < 3; ++i) {
    LoggedItem item;
    item.id = "P" + std::to_string(i);
    item.position = i;
    item.price = 10.5 * (i + 1);
    if (i == 1) item.margin = 0.25;
    item.score = 1.0 / (i + 1);
    item.boosted = i == 2;
    item.features = {1.0f / (i + 1), 0.125f * i};
    record.items.push_back(item);
  }
  return record;
}

std::vector<RankingRecord> ReadAll(const std::string& dir) {
  std::vector<RankingRecord> records;
  Status status = ForEachLoggedRanking(dir, [&](RankingRecord&& r) { records.push_back(r); });
  EXPECT_TRUE(status.ok()) << status.error().message;
  return records;
}

TEST(RankingLog, RecordRoundTripsThroughJson) {
  RankingRecord record = Record("r1", "alice");
  Result<RankingRecord> back = RankingRecordFromJson(RankingRecordToJson(record));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->request_id, "r1");
  EXPECT_EQ(back->query, record.query);
  EXPECT_EQ(back->feature_names, record.feature_names);
  ASSERT_EQ(back->items.size(), 3u);
  EXPECT_EQ(back->items[1].margin, 0.25);
  EXPECT_FALSE(back->items[0].margin.has_value());
  EXPECT_TRUE(back->items[2].boosted);
  ASSERT_EQ(back->items[2].features.size(), 2u);
  EXPECT_NEAR(back->items[2].features[0], 1.0 / 3, 1e-6);  // six decimals are written
  EXPECT_FLOAT_EQ(back->items[2].features[1], 0.25f);
  EXPECT_DOUBLE_EQ(back->items[1].price, 21.0);
}

TEST(RankingLog, MalformedRecordsNameTheField) {
  Result<RankingRecord> bad = RankingRecordFromJson(
      R"({"request_id":"r","visitor":"v","timestamp":1,"names":["a","b"],)"
      R"("items":[{"id":"x","f":[1,2]},{"id":"y","f":[1]}]})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("items[1].f: 1 values for 2 names"), std::string::npos)
      << bad.error().message;
  Result<RankingRecord> no_visitor = RankingRecordFromJson(R"({"request_id":"r","timestamp":1})");
  ASSERT_FALSE(no_visitor.ok());
  EXPECT_NE(no_visitor.error().message.find("visitor: required"), std::string::npos);
}

TEST(RankingLog, AppendedRecordsAreReadBackAfterFlushAndReopen) {
  const std::string dir = TempDir("reopen");
  {
    auto log = RankingLog::Open(dir, RankingLogOptions{});
    ASSERT_TRUE(log.ok()) << log.error().message;
    for (int i = 0; i < 5; ++i) (*log)->Append(Record("r" + std::to_string(i), "alice"));
    ASSERT_TRUE((*log)->Flush().ok());
    EXPECT_EQ((*log)->written(), 5u);
  }
  {
    auto log = RankingLog::Open(dir, RankingLogOptions{});
    ASSERT_TRUE(log.ok());
    (*log)->Append(Record("r5", "bob"));
  }  // the destructor writes what is queued
  std::vector<RankingRecord> records = ReadAll(dir);
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(records[0].request_id, "r0");
  EXPECT_EQ(records[5].visitor, "bob");
  fs::remove_all(dir);
}

TEST(RankingLog, ForgetRemovesEveryRecordOfTheVisitorOnly) {
  const std::string dir = TempDir("forget");
  auto log = RankingLog::Open(dir, RankingLogOptions{});
  ASSERT_TRUE(log.ok());
  (*log)->Append(Record("r1", "alice"));
  (*log)->Append(Record("r2", "bob"));
  ASSERT_TRUE((*log)->Flush().ok());
  (*log)->Append(Record("r3", "alice"));  // maybe still queued when the forget arrives
  std::promise<Result<bool>> forgotten;
  (*log)->Forget("alice", [&](Result<bool> result) { forgotten.set_value(result); });
  Result<bool> result = forgotten.get_future().get();
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(*result);
  ASSERT_TRUE((*log)->Flush().ok());
  std::vector<RankingRecord> records = ReadAll(dir);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].visitor, "bob");
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    std::ifstream in(entry.path());
    std::string content((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(content.find("alice"), std::string::npos) << entry.path();
  }
  fs::remove_all(dir);
}

TEST(RankingLog, RecordsKeepBeingWrittenWhileAPurgeHoldsItsThread) {
  const std::string dir = TempDir("purge-thread");
  auto log = RankingLog::Open(dir, RankingLogOptions{});
  ASSERT_TRUE(log.ok());
  (*log)->Append(Record("r1", "alice"));
  ASSERT_TRUE((*log)->Flush().ok());
  // alice's done runs on the purge's thread and holds it until the test lets go.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  bool let_go = false;
  // Lets go on the way out of a failed assertion too, or the log's destructor would wait.
  std::shared_ptr<void> guard(nullptr, [&](void*) {
    if (!let_go) release.set_value();
  });
  std::promise<Result<bool>> forgotten;
  (*log)->Forget("alice", [&forgotten, released](Result<bool> result) {
    forgotten.set_value(result);
    released.wait();
  });
  Result<bool> result = forgotten.get_future().get();
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(*result);
  (*log)->Append(Record("r2", "bob"));
  std::future<Status> flushed = std::async(std::launch::async, [&] { return (*log)->Flush(); });
  // A deadlock guard, not a speed bound: a writer waiting for the purge would never flush.
  const bool ready = flushed.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
  // A forget asked meanwhile waits for the purge in flight, then runs.
  std::promise<Result<bool>> bob_forgotten;
  (*log)->Forget("bob", [&](Result<bool> result) { bob_forgotten.set_value(result); });
  release.set_value();
  let_go = true;
  ASSERT_TRUE(ready) << "the writer waited for a purge";
  EXPECT_TRUE(flushed.get().ok());
  Result<bool> bob = bob_forgotten.get_future().get();
  ASSERT_TRUE(bob.ok());
  EXPECT_TRUE(*bob);
  EXPECT_TRUE(ReadAll(dir).empty());
  log->reset();
  fs::remove_all(dir);
}

TEST(RankingLog, AMalformedLineIsReportedWithFileAndLine) {
  const std::string dir = TempDir("malformed");
  fs::create_directories(dir);
  std::ofstream(dir + "/segment-00000000000000000001.log")
      << RankingRecordToJson(Record("r1", "a")) << "\n{\"request_id\": 5}\n";
  Status status = ForEachLoggedRanking(dir, [](RankingRecord&&) {});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("segment-00000000000000000001.log:2: request_id"),
            std::string::npos)
      << status.error().message;
  fs::remove_all(dir);
}

TEST(RankingLog, SearchTotalAndFiltersRoundTrip) {
  RankingRecord record = Record("r1", "alice");
  record.total = 0;
  record.items.clear();  // a search that found nothing
  record.filters.brands = {"Puma", "Nike"};
  record.filters.categories = {"Men/Topwear"};
  record.filters.sizes = {"M"};
  record.filters.colors = {"Blue"};
  record.filters.price_min = 500;
  record.filters.price_max = 1500.5;
  record.filters.in_stock = true;
  Result<RankingRecord> back = RankingRecordFromJson(RankingRecordToJson(record));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->total, 0);
  EXPECT_TRUE(back->items.empty());
  EXPECT_EQ(back->filters.brands, (std::vector<std::string>{"Puma", "Nike"}));
  EXPECT_EQ(back->filters.categories, (std::vector<std::string>{"Men/Topwear"}));
  EXPECT_EQ(back->filters.sizes, (std::vector<std::string>{"M"}));
  EXPECT_EQ(back->filters.colors, (std::vector<std::string>{"Blue"}));
  EXPECT_EQ(back->filters.price_min, 500);
  EXPECT_EQ(back->filters.price_max, 1500.5);
  EXPECT_TRUE(back->filters.in_stock);
  // A rerank has neither: nothing is written for them.
  const std::string rerank = RankingRecordToJson(Record("r2", "bob"));
  EXPECT_EQ(rerank.find("\"total\""), std::string::npos);
  EXPECT_EQ(rerank.find("\"filters\""), std::string::npos);
}

TEST(RankingLog, LinesWithoutTotalOrFiltersStillRead) {
  // A line as logged before total and filters existed.
  Result<RankingRecord> old = RankingRecordFromJson(
      R"({"request_id":"r","visitor":"v","variant":"default","query":"parka",)"
      R"("timestamp":1764500000000,"personalized":false,"names":["text_score"],)"
      R"("items":[{"id":"P1","position":0,"price":10,"score":1,"f":[0.5]}]})");
  ASSERT_TRUE(old.ok()) << old.error().message;
  EXPECT_FALSE(old->total.has_value());
  EXPECT_TRUE(old->filters.empty());
  EXPECT_EQ(old->query, "parka");
  ASSERT_EQ(old->items.size(), 1u);
  EXPECT_EQ(old->items[0].id, "P1");
}

TEST(RankingLog, BadTotalOrFiltersNameTheField) {
  const std::string head =
      R"({"request_id":"r","visitor":"v","timestamp":1,"names":[],"items":[],)";
  for (auto [tail, field] :
       {std::pair{R"("total":"many"})", "total: must be an integer"},
        std::pair{R"("filters":[]})", "filters: must be an object"},
        std::pair{R"("filters":{"brand":[1]}})", "filters.brand: must hold strings"},
        std::pair{R"("filters":{"price_max":"x"}})", "filters.price_max: must be a number"},
        std::pair{R"("filters":{"in_stock":1}})", "filters.in_stock: must be a boolean"}}) {
    Result<RankingRecord> bad = RankingRecordFromJson(head + tail);
    ASSERT_FALSE(bad.ok()) << tail;
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(bad.error().message.find(field), std::string::npos) << bad.error().message;
  }
}

TEST(RankingLog, ScanStopsWhenAskedAndSkipsSegmentsWrittenBeforeTheWindow) {
  const std::string dir = TempDir("scan");
  {
    auto log = RankingLog::Open(dir, RankingLogOptions{});
    ASSERT_TRUE(log.ok());
    for (int i = 0; i < 4; ++i) (*log)->Append(Record("r" + std::to_string(i), "alice"));
  }
  std::vector<std::string> seen;
  Status status = ScanLoggedRankings(dir, 0, [&](RankingRecord&& r) {
    seen.push_back(r.request_id);
    return seen.size() < 2;
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(seen, (std::vector<std::string>{"r0", "r1"}));
  // The segment was written now: a window starting an hour ahead skips it unread.
  const int64_t later_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count() +
                           3600000;
  seen.clear();
  status = ScanLoggedRankings(dir, later_ms, [&](RankingRecord&& r) {
    seen.push_back(r.request_id);
    return true;
  });
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(seen.empty());
  fs::remove_all(dir);
}

TEST(RankingLog, OptionsParseWithPaths) {
  rapidjson::Document json;
  json.Parse(R"({"enabled": false, "flush_interval_ms": 0})");
  Result<RankingLogOptions> options = ParseRankingLogOptions(json);
  ASSERT_FALSE(options.ok());
  EXPECT_NE(options.error().message.find("feature_log.flush_interval_ms"), std::string::npos);
}

}  // namespace
}  // namespace tailor::ranking
