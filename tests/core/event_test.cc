#include "core/event.h"

#include <gtest/gtest.h>

#include <string>

namespace tailor {
namespace {

constexpr int64_t kNow = 1795500000000;  // 2026-11-24T06:00Z

EventParseOptions Options() {
  EventParseOptions options;
  options.now_ms = kNow;
  return options;
}

// The error message of parsing body, "" when it parsed.
std::string ErrorOf(const std::string& body) {
  Result<std::vector<Event>> events = ParseEvents(body, Options());
  if (events.ok()) return "";
  EXPECT_EQ(events.error().code, ErrorCode::kInvalidArgument);
  return events.error().message;
}

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

TEST(ParseEvents, ReadsOneEventWithDefaults) {
  Result<std::vector<Event>> events =
      ParseEvents(R"({"type": "click", "visitor": "v1", "item": "P1", "query": "parka",
                      "position": 3, "request_id": "r1"})",
                  Options());
  ASSERT_TRUE(events.ok()) << events.error().message;
  ASSERT_EQ(events->size(), 1u);
  const Event& event = (*events)[0];
  EXPECT_EQ(event.type, EventType::kClick);
  EXPECT_EQ(event.visitor, "v1");
  EXPECT_EQ(event.item, "P1");
  EXPECT_EQ(event.query, "parka");
  EXPECT_EQ(event.position, 3);
  EXPECT_EQ(event.request_id, "r1");
  EXPECT_EQ(event.quantity, 1);
  EXPECT_EQ(event.timestamp_ms, kNow);
  EXPECT_FALSE(event.facts.has_value());
}

TEST(ParseEvents, ReadsABatchInOrder) {
  Result<std::vector<Event>> events = ParseEvents(
      R"({"events": [{"type": "view", "visitor": "a", "item": "P1", "timestamp": 1000},
                     {"type": "add_to_cart", "visitor": "a", "item": "P2", "size": "M",
                      "quantity": 2, "timestamp": "2026-11-23T10:15:00Z"},
                     {"type": "remove_from_cart", "visitor": "a", "item": "P2", "position": null},
                     {"type": "purchase", "visitor": "a", "item": "P3"}]})",
      Options());
  ASSERT_TRUE(events.ok()) << events.error().message;
  ASSERT_EQ(events->size(), 4u);
  EXPECT_EQ((*events)[0].timestamp_ms, 1000);
  EXPECT_EQ((*events)[1].type, EventType::kAddToCart);
  EXPECT_EQ((*events)[1].size, "M");
  EXPECT_EQ((*events)[1].quantity, 2);
  EXPECT_EQ((*events)[1].timestamp_ms, 1795428900000);
  EXPECT_FALSE((*events)[2].position.has_value());
  EXPECT_EQ((*events)[3].type, EventType::kPurchase);
}

TEST(ParseEvents, NamesTheBadFieldOfABatchByIndex) {
  EXPECT_TRUE(StartsWith(ErrorOf(R"({"events": [{"type": "view", "visitor": "v", "item": "P"},
      {"type": "clik", "visitor": "v", "item": "P"}]})"),
                         "events[1].type: unknown \"clik\""));
  EXPECT_TRUE(StartsWith(ErrorOf(R"({"events": [{"visitor": "v", "item": "P"}]})"),
                         "events[0].type: required"));
  EXPECT_TRUE(StartsWith(ErrorOf(R"({"events": [{"type": "view", "item": "P"}]})"),
                         "events[0].visitor: required"));
  EXPECT_TRUE(StartsWith(ErrorOf(R"({"events": [{"type": "view", "visitor": "v"}]})"),
                         "events[0].item: required"));
  EXPECT_TRUE(StartsWith(ErrorOf(R"({"events": [{"type": "view", "visitor": 7, "item": "P"}]})"),
                         "events[0].visitor: must be a string"));
  EXPECT_TRUE(StartsWith(ErrorOf(R"({"events": [{"type": "view", "visitor": "v", "item": "P",
      "colour": "red"}]})"),
                         "events[0].colour: unknown field"));
  EXPECT_TRUE(StartsWith(ErrorOf(R"({"events": [3]})"), "events[0]: must be a JSON object"));
}

TEST(ParseEvents, ChecksRangesAndSizes) {
  const std::string head = R"({"type": "purchase", "visitor": "v", "item": "P", )";
  EXPECT_TRUE(StartsWith(ErrorOf(head + R"("quantity": 0})"), "quantity: must be >= 1"));
  EXPECT_TRUE(StartsWith(ErrorOf(head + R"("quantity": 1.5})"), "quantity: must be an integer"));
  EXPECT_TRUE(StartsWith(ErrorOf(head + R"("position": -1})"), "position: must be >= 0"));
  EXPECT_TRUE(StartsWith(ErrorOf(head + R"("timestamp": -5})"), "timestamp: must be >= 0"));
  EXPECT_TRUE(StartsWith(ErrorOf(head + R"("timestamp": true})"), "timestamp: must be epoch"));
  EXPECT_TRUE(StartsWith(ErrorOf(head + R"("timestamp": "yesterday"})"), "timestamp: must be"));
  EXPECT_TRUE(StartsWith(ErrorOf(head + R"("timestamp": 1795700000000})"),
                         "timestamp: more than 24 h in the future"));
  EXPECT_TRUE(StartsWith(ErrorOf(R"({"type": "view", "visitor": ")" + std::string(300, 'x') +
                                 R"(", "item": "P"})"),
                         "visitor: must be at most 256 bytes"));
  EXPECT_TRUE(StartsWith(ErrorOf(R"({"type": "view", "visitor": "a\nb", "item": "P"})"),
                         "visitor: must not contain control characters"));
  EXPECT_TRUE(StartsWith(ErrorOf(R"({"type": "view", "visitor": "v", "item": ")" +
                                 std::string(129, 'p') + R"("})"),
                         "item: must be at most 128 bytes"));
}

TEST(ParseEvents, RefusesBadBodies) {
  EXPECT_TRUE(StartsWith(ErrorOf("{not json"), "body: invalid JSON at offset 1"));
  EXPECT_TRUE(StartsWith(ErrorOf("[1]"), "body: must be a JSON object"));
  EXPECT_TRUE(StartsWith(ErrorOf(R"({"events": []})"), "events: must not be empty"));
  EXPECT_TRUE(StartsWith(ErrorOf(R"({"events": {}})"), "events: must be an array"));
  EXPECT_TRUE(StartsWith(ErrorOf(R"({"events": [], "extra": 1})"), "extra: unknown field"));
  EXPECT_TRUE(StartsWith(ErrorOf("{\"type\": \"view\", \"visitor\": \"\xff\", \"item\": \"P\"}"),
                         "body: invalid JSON"));
  EventParseOptions small = Options();
  small.max_events = 2;
  Result<std::vector<Event>> events = ParseEvents(
      R"({"events": [{"type":"view","visitor":"v","item":"P"},{"type":"view","visitor":"v","item":"P"},
                     {"type":"view","visitor":"v","item":"P"}]})",
      small);
  ASSERT_FALSE(events.ok());
  EXPECT_EQ(events.error().message, "events: at most 2 events in one request");
}

TEST(ParseEvents, RefusesTheInternalSizeFilterType) {
  EXPECT_TRUE(StartsWith(ErrorOf(R"({"type": "size_filter", "visitor": "v", "item": "P"})"),
                         "type: unknown \"size_filter\""));
}

TEST(ParseIsoTimestampMs, ReadsZonesFractionsAndLeapDays) {
  EXPECT_EQ(*ParseIsoTimestampMs("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseIsoTimestampMs("2026-11-23T10:15:00Z"), 1795428900000);
  EXPECT_EQ(*ParseIsoTimestampMs("2026-11-23T11:15:00+01:00"), 1795428900000);
  EXPECT_EQ(*ParseIsoTimestampMs("2026-11-23T05:15:00-0500"), 1795428900000);
  EXPECT_EQ(*ParseIsoTimestampMs("2026-11-23 10:15:00.25Z"), 1795428900250);
  EXPECT_EQ(*ParseIsoTimestampMs("2026-11-23T10:15:00.123456Z"), 1795428900123);
  EXPECT_TRUE(ParseIsoTimestampMs("2024-02-29T00:00:00Z").ok());
  EXPECT_FALSE(ParseIsoTimestampMs("2023-02-29T00:00:00Z").ok());
  EXPECT_FALSE(ParseIsoTimestampMs("2026-13-01T00:00:00Z").ok());
  EXPECT_FALSE(ParseIsoTimestampMs("2026-11-23T24:00:00Z").ok());
  EXPECT_FALSE(ParseIsoTimestampMs("2026-11-23T10:15:00").ok());  // no zone
  EXPECT_FALSE(ParseIsoTimestampMs("2026-11-23T10:15:00Zjunk").ok());
  EXPECT_FALSE(ParseIsoTimestampMs("2026-11-23").ok());
}

TEST(EventJson, RoundTripsEveryField) {
  Event event;
  event.type = EventType::kAddToCart;
  event.visitor = "v \"quoted\" ü";
  event.item = "P/1";
  event.query = "red parka";
  event.position = 4;
  event.request_id = "abc";
  event.size = "M";
  event.quantity = 3;
  event.timestamp_ms = 1795428900123;
  event.facts = ItemFacts{"Acme", {"Men", "Jackets"}, {"red", "blue"}, {"S", "M"}, 79.9, 119.95};
  Result<Event> back = EventFromJson(EventToJson(event));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->type, event.type);
  EXPECT_EQ(back->visitor, event.visitor);
  EXPECT_EQ(back->item, event.item);
  EXPECT_EQ(back->query, event.query);
  EXPECT_EQ(back->position, event.position);
  EXPECT_EQ(back->request_id, event.request_id);
  EXPECT_EQ(back->size, event.size);
  EXPECT_EQ(back->quantity, event.quantity);
  EXPECT_EQ(back->timestamp_ms, event.timestamp_ms);
  ASSERT_TRUE(back->facts.has_value());
  EXPECT_EQ(back->facts->brand, "Acme");
  EXPECT_EQ(back->facts->category, event.facts->category);
  EXPECT_EQ(back->facts->colors, event.facts->colors);
  EXPECT_EQ(back->facts->sizes, event.facts->sizes);
  EXPECT_EQ(back->facts->price, 79.9);
  EXPECT_EQ(back->facts->list_price, 119.95);
}

TEST(EventJson, RoundTripsTheInternalSizeFilter) {
  Event event;
  event.type = EventType::kSizeFilter;
  event.visitor = "v";
  event.timestamp_ms = 5;
  event.sizes = {"M", "L"};
  Result<Event> back = EventFromJson(EventToJson(event));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->type, EventType::kSizeFilter);
  EXPECT_EQ(back->sizes, event.sizes);
  EXPECT_TRUE(back->item.empty());
}

TEST(EventJson, NamesTheBadFieldOfALogLine) {
  EXPECT_EQ(EventFromJson(R"({"type":"view","visitor":"v","item":"P","ts":1,"x":1})")
                .error().message, "x: unknown field");
  EXPECT_EQ(EventFromJson(R"({"type":"view","visitor":"v","item":"P","ts":1,"facts":{"price":"a"}})")
                .error().message, "facts.price: must be a number");
  EXPECT_EQ(EventFromJson(R"({"type":"view","visitor":"v","item":"P"})").error().message,
            "ts: required");
  EXPECT_FALSE(EventFromJson(R"({"type":"view","visitor":"v","item":"P","ts":1)").ok());
}

}  // namespace
}  // namespace tailor
