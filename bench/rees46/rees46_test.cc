#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "bench/rees46/catalog.h"
#include "bench/rees46/dataset.h"
#include "bench/rees46/metrics.h"
#include "bench/rees46/replay.h"

namespace tailor::rees46 {
namespace {

constexpr char kHeader[] =
    "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,"
    "user_session\r\n";

// Users by the parity of zlib.crc32(user_id): u1, u2, u3 and d are even (dev half), u4 odd.
std::string Row(const std::string& time, const std::string& type, const std::string& product,
                const std::string& code, const std::string& brand, const std::string& user) {
  return "2019-10-01 " + time + " UTC," + type + "," + product + ",205," + code + "," + brand +
         ",12.50," + user + ",s-" + user + "\r\n";
}

Rees46Event MakeEvent(const std::string& user, const std::string& product, const std::string& code,
                      int64_t time_ms = 0) {
  Rees46Event event;
  event.user_id = user;
  event.product_id = product;
  event.category_code = code;
  event.time_ms = time_ms;
  event.type = "view";
  return event;
}

TEST(Crc32, MatchesZlib) {
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(Crc32("554748717"), 875292126u);   // python3: zlib.crc32(b"554748717")
  EXPECT_EQ(Crc32("541312140"), 1911290545u);  // python3: zlib.crc32(b"541312140")
}

TEST(IsDevUser, KeepsEvenCrcUsersOnly) {
  EXPECT_TRUE(IsDevUser("554748717"));
  EXPECT_FALSE(IsDevUser("541312140"));
  EXPECT_TRUE(IsDevUser("u1"));
  EXPECT_FALSE(IsDevUser("u4"));
}

TEST(SplitCsvLine, DropsCarriageReturnAndKeepsEmptyFields) {
  Result<std::vector<std::string>> fields = SplitCsvLine("a,,b,\r");
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(*fields, (std::vector<std::string>{"a", "", "b", ""}));
}

TEST(SplitCsvLine, RefusesQuotedFields) {
  Result<std::vector<std::string>> fields = SplitCsvLine("a,\"b,c\"");
  ASSERT_FALSE(fields.ok());
  EXPECT_EQ(fields.error().code, ErrorCode::kInvalidArgument);
}

TEST(ParseEventTimeMs, ReadsUtcTimes) {
  Result<int64_t> ms = ParseEventTimeMs("2019-10-01 00:00:01 UTC");
  ASSERT_TRUE(ms.ok());
  EXPECT_EQ(*ms, 1569888001000);  // python3: calendar.timegm((2019,10,1,0,0,1)) * 1000
  EXPECT_FALSE(ParseEventTimeMs("2019-10-01T00:00:01Z").ok());
  EXPECT_FALSE(ParseEventTimeMs("2019-13-01 00:00:01 UTC").ok());
}

TEST(ReadDevHalf, KeepsTheDevHalfInTimeOrderAndDropsTheTruncatedLastLine) {
  const std::string csv = std::string(kHeader) +
                          Row("00:00:02", "view", "10", "electronics.smartphone", "apple", "u1") +
                          Row("00:00:01", "cart", "11", "", "", "u2") +
                          Row("00:00:01", "view", "12", "", "x", "u4") +
                          Row("00:00:02", "purchase", "13", "", "", "u3") +
                          "2019-10-01 00:00:03 UTC,view,14,205,,,1.00,u1\r\n";
  Result<DevHalf> half = ReadDevHalf(csv, "events.csv");
  ASSERT_TRUE(half.ok()) << half.error().message;
  ASSERT_EQ(half->events.size(), 3u);
  EXPECT_EQ(half->odd_rows, 1);
  EXPECT_EQ(half->truncated_rows, 1);
  // 00:00:01 first; the two 00:00:02 events keep their file order.
  EXPECT_EQ(half->events[0].product_id, "11");
  EXPECT_EQ(half->events[0].line, 3);
  EXPECT_EQ(half->events[1].product_id, "10");
  EXPECT_EQ(half->events[1].brand, "apple");
  EXPECT_EQ(half->events[1].category_code, "electronics.smartphone");
  EXPECT_DOUBLE_EQ(half->events[1].price, 12.5);
  EXPECT_EQ(half->events[2].product_id, "13");
  EXPECT_EQ(half->events[2].type, "purchase");
}

TEST(ReadDevHalf, NeverReadsTheFieldsOfTheOtherHalf) {
  const std::string csv = std::string(kHeader) + "not a time,clik,,,,,-1,u4,\r\n" +
                          Row("00:00:01", "view", "10", "", "", "u1");
  Result<DevHalf> half = ReadDevHalf(csv, "events.csv");
  ASSERT_TRUE(half.ok()) << half.error().message;
  EXPECT_EQ(half->events.size(), 1u);
  EXPECT_EQ(half->odd_rows, 1);
}

TEST(ReadDevHalf, RejectsAShortLineThatIsNotTheLastWithItsLine) {
  const std::string csv = std::string(kHeader) + "2019-10-01 00:00:03 UTC,view,14\r\n" +
                          Row("00:00:01", "view", "10", "", "", "u1");
  Result<DevHalf> half = ReadDevHalf(csv, "events.csv");
  ASSERT_FALSE(half.ok());
  EXPECT_EQ(half.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(half.error().message, "events.csv:2: expected 9 fields, got 3");
}

TEST(ReadDevHalf, NamesTheLineAndFieldOfABadValue) {
  const std::string csv = std::string(kHeader) + Row("00:00:01", "view", "10", "", "", "u1") +
                          Row("00:00:01", "clik", "10", "", "", "u1");
  Result<DevHalf> half = ReadDevHalf(csv, "events.csv");
  ASSERT_FALSE(half.ok());
  EXPECT_EQ(half.error().message, "events.csv:3: event_type: unknown \"clik\"");
}

TEST(ReadDevHalf, RejectsAnotherHeader) {
  Result<DevHalf> half = ReadDevHalf("time,type\r\n", "events.csv");
  ASSERT_FALSE(half.ok());
  EXPECT_EQ(half.error().message.rfind("events.csv:1: header:", 0), 0u) << half.error().message;
}

TEST(CatalogRecordJson, WithCategoryCode) {
  Rees46Event event = MakeEvent("u1", "3900821", "appliances.environment.water_heater");
  event.brand = "aqua";
  event.price = 33.2;
  event.category_id = "2053013552326770905";
  EXPECT_EQ(CatalogRecordJson(event),
            R"({"id":"rees46-3900821","title":"aqua water heater",)"
            R"("description":"appliances environment water heater","brand":"aqua",)"
            R"("category":["appliances","environment","water_heater"],"price":33.2,)"
            R"("currency":"USD","attributes":{"category_id":"2053013552326770905"}})");
}

TEST(CatalogRecordJson, WithoutCategoryCodeOrBrand) {
  Rees46Event event = MakeEvent("u1", "44600062", "");
  event.price = 35.79;
  event.category_id = "7";
  EXPECT_EQ(CatalogRecordJson(event),
            R"({"id":"rees46-44600062","title":"product 44600062","category":["other"],)"
            R"("price":35.79,"currency":"USD","attributes":{"category_id":"7"}})");
  event.brand = "shiseido";
  EXPECT_NE(CatalogRecordJson(event).find(R"("title":"shiseido","brand":"shiseido")"),
            std::string::npos);
}

TEST(BuildCatalog, OneRecordPerProductAtItsFirstPrice) {
  std::vector<Rees46Event> events = {MakeEvent("u1", "1", "a.b"), MakeEvent("u2", "1", "a.b"),
                                     MakeEvent("u2", "2", "")};
  events[0].price = 10;
  events[1].price = 8;
  Catalog catalog = BuildCatalog(events);
  ASSERT_EQ(catalog.records.size(), 2u);
  EXPECT_NE(catalog.records[0].find("\"price\":10.0"), std::string::npos) << catalog.records[0];
  EXPECT_EQ(catalog.with_category, 1);
  EXPECT_EQ(catalog.without_category, 1);
}

TEST(Categories, LeafWordsPathAndFilter) {
  EXPECT_EQ(LeafWords("appliances.kitchen.water_heater"), "water heater");
  EXPECT_EQ(LeafWords("electronics"), "electronics");
  EXPECT_EQ(LeafWords(""), "");
  EXPECT_EQ(CategoryPath("electronics.smartphone"),
            (std::vector<std::string>{"electronics", "smartphone"}));
  EXPECT_EQ(CategoryFilter("furniture.living_room.sofa"), "furniture/living_room/sofa");
  EXPECT_EQ(TailorId("42"), "rees46-42");
}

TEST(TrainCount, SplitsByCountRoundingDown) {
  EXPECT_EQ(TrainCount(10, 0.7), 7u);
  EXPECT_EQ(TrainCount(8668, 0.7), 6067u);
  EXPECT_EQ(TrainCount(5, 0), 0u);
  EXPECT_EQ(TrainCount(5, 1), 5u);
}

TEST(ClassifyNextItems, NeedsAnEarlierEventOfTheUserAndACategory) {
  std::vector<Rees46Event> events = {
      MakeEvent("u1", "1", "a.b"),  // first of u1
      MakeEvent("u2", "1", "a.b"),  // first of u2
      MakeEvent("u1", "2", "a.c"),  // new for u1
      MakeEvent("u1", "1", "a.b"),  // repeat for u1
      MakeEvent("u1", "3", ""),     // no category
  };
  EXPECT_EQ(ClassifyNextItems(events),
            (std::vector<NextItem>{NextItem::kNone, NextItem::kNone, NextItem::kNew,
                                   NextItem::kRepeat, NextItem::kNone}));
}

TEST(WholeDaysShiftMs, MovesTheLastEventIntoTheLastDay) {
  constexpr int64_t kDay = 86400000;
  EXPECT_EQ(WholeDaysShiftMs(1000, 1000 + 3 * kDay + 5), 3 * kDay);
  EXPECT_EQ(WholeDaysShiftMs(1000, 1000 + kDay - 1), 0);
  EXPECT_EQ(WholeDaysShiftMs(5000, 1000), 0);
}

TEST(Metrics, MrrAndHitRates) {
  RankStats stats;
  for (int rank : {1, 2, 0, 20}) AddRank(stats, rank);
  EXPECT_EQ(stats.evaluated, 4);
  EXPECT_DOUBLE_EQ(Mrr(stats), (1 + 0.5 + 0 + 0.05) / 4);
  EXPECT_DOUBLE_EQ(HitRateAt10(stats), 0.5);
  EXPECT_DOUBLE_EQ(HitRateAtLimit(stats), 0.75);
  EXPECT_DOUBLE_EQ(Mrr(RankStats{}), 0);
  EXPECT_EQ(RankOf({"a", "b", "c"}, "c"), 3);
  EXPECT_EQ(RankOf({"a", "b", "c"}, "d"), 0);
}

TEST(EvalReport, CountsGroupsAndComparesWithText) {
  EvalReport report({"text", "default"}, 100);
  report.Add(0, NextItem::kRepeat, 4);
  report.Add(1, NextItem::kRepeat, 1);
  report.Add(0, NextItem::kNew, 0);
  report.Add(1, NextItem::kNew, 2);
  EXPECT_EQ(report.Stats(Group::kAll, 0).evaluated, 2);
  EXPECT_DOUBLE_EQ(Mrr(report.Stats(Group::kAll, 1)), 0.75);
  EXPECT_DOUBLE_EQ(Mrr(report.Stats(Group::kRepeat, 0)), 0.25);
  EXPECT_DOUBLE_EQ(Mrr(report.Stats(Group::kNew, 1)), 0.5);
  const std::string table = report.Format();
  EXPECT_NE(table.find("MRR@100"), std::string::npos) << table;
  // default against text over all next items: 0.75 / 0.125.
  EXPECT_NE(table.find("6.0000"), std::string::npos) << table;
}

// Answers every search with the same page (rees46-2 first) and every event with 202, or
// with the given refusal; records what was sent.
class FakeServer final : public Transport {
 public:
  Result<HttpAnswer> Send(std::string_view method, const std::string& target,
                                     const std::string& body) override {
    sent.push_back(std::string(method) + " " + target + (body.empty() ? "" : " " + body));
    if (method == "GET") {
      return HttpAnswer{200, R"({"request_id":"r)" + std::to_string(sent.size()) +
                                            R"(","hits":[{"id":"rees46-2"},{"id":"rees46-1"}]})"};
    }
    return refusal.status != 0 ? refusal : HttpAnswer{202, R"({"accepted":1})"};
  }
  std::vector<std::string> sent;
  HttpAnswer refusal;
};

DevHalf TwoViews() {
  DevHalf half;
  half.events = {MakeEvent("u1", "1", "a.b", 1000), MakeEvent("u1", "2", "a.water_heater", 2000)};
  half.events[0].line = 2;
  half.events[1].line = 3;
  return half;
}

TEST(ReplayTrain, LogsTheSearchAndJoinsTheEventToIt) {
  FakeServer server;
  ReplayOptions options;
  options.split_share = 1;
  options.shift_ms = 10;
  std::ostringstream progress;
  Result<ReplayCounts> counts = ReplayTrain(server, TwoViews(), options, progress);
  ASSERT_TRUE(counts.ok()) << counts.error().message;
  EXPECT_EQ(counts->events, 2);
  EXPECT_EQ(counts->searches, 1);
  EXPECT_EQ(counts->found, 1);
  ASSERT_EQ(server.sent.size(), 3u);
  EXPECT_EQ(server.sent[0],
            R"(POST /events {"type":"view","visitor":"rees46-u1","item":"rees46-1",)"
            R"("timestamp":1010})");
  EXPECT_EQ(server.sent[1],
            "GET /search?q=water%20heater&category=a%2Fwater_heater&visitor=rees46-u1"
            "&limit=100&variant=explore");
  EXPECT_EQ(server.sent[2],
            R"(POST /events {"type":"view","visitor":"rees46-u1","item":"rees46-2",)"
            R"("timestamp":2010,"request_id":"r2","query":"water heater","position":0})");
}

TEST(ReplayEval, SearchesEveryVariantBeforeThePost) {
  FakeServer server;
  ReplayOptions options;
  options.phase = Phase::kEval;
  options.split_share = 0.5;
  options.variants = {"text", "default"};
  std::ostringstream progress;
  Result<EvalReport> report = ReplayEval(server, TwoViews(), options, progress);
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(server.sent.size(), 3u);
  EXPECT_NE(server.sent[0].find("&variant=text"), std::string::npos);
  EXPECT_NE(server.sent[1].find("&variant=default"), std::string::npos);
  EXPECT_EQ(server.sent[2].rfind("POST /events", 0), 0u);
  EXPECT_DOUBLE_EQ(Mrr(report->Stats(Group::kNew, 1)), 1.0);
  EXPECT_EQ(report->Stats(Group::kRepeat, 1).evaluated, 0);
}

TEST(ReplayTrain, StopsWithTheServersMessageAndTheEventsPlace) {
  FakeServer server;
  server.refusal = {400, R"({"error":{"code":"invalid_argument","message":"item: unknown"}})"};
  ReplayOptions options;
  options.split_share = 1;
  std::ostringstream progress;
  Result<ReplayCounts> counts = ReplayTrain(server, TwoViews(), options, progress);
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(counts.error().message, "events[0] (line 2): POST /events: 400: item: unknown");
}

}  // namespace
}  // namespace tailor::rees46
