// Visitor events, as DESIGN.md's POST /events defines them, and the item facts the engine
// attaches to each event before it is logged.
//
// An event says what a visitor did with an item (view, click, add_to_cart,
// remove_from_cart, purchase). The taste profile learns from it, the event log keeps it
// durably, and training joins it to the ranking that showed the item (request_id). The
// engine resolves the item against the live index when the event arrives and stores what
// it found (ItemFacts: brand, category, colours, sizes, the price the visitor saw) with the
// event, so that replaying the log rebuilds exactly the same profiles even after the
// catalog has changed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tailor {

enum class EventType {
  kView,
  kClick,
  kAddToCart,
  kRemoveFromCart,
  kPurchase,
  // Internal: the visitor searched with a size filter (Event::sizes). Never accepted from
  // POST /events; the engine records it so the profile learns sizes from filters.
  kSizeFilter,
};

// "view", "click", "add_to_cart", "remove_from_cart", "purchase", "size_filter".
std::string_view EventTypeName(EventType type);
// The type named `name`, nullopt for an unknown name. Accepts the internal
// "size_filter" only when allow_internal is kAllow.
enum class InternalTypes { kRefuse, kAllow };
std::optional<EventType> ParseEventType(std::string_view name, InternalTypes internal);

// What the index knew of the event's item when the event arrived.
struct ItemFacts {
  std::string brand;                  // display form, may be empty
  std::vector<std::string> category;  // path, root first
  std::vector<std::string> colors;
  std::vector<std::string> sizes;     // every size the item comes in
  double price = 0;                   // the price the visitor saw
  double list_price = 0;              // equals price when the record has none
};

struct Event {
  EventType type = EventType::kView;
  std::string visitor;               // required, 1..kMaxVisitorBytes
  std::string item;                  // product id; required except for kSizeFilter
  std::string query;                 // the search that led to a click, may be empty
  std::optional<int> position;       // 0-based position of the clicked result
  std::string request_id;            // the search or rerank that showed the item
  std::string size;                  // the size chosen (add_to_cart, purchase)
  int quantity = 1;                  // >= 1
  int64_t timestamp_ms = 0;          // epoch milliseconds
  std::vector<std::string> sizes;    // kSizeFilter only: the sizes filtered on
  std::optional<ItemFacts> facts;    // set by the engine; nullopt: item not in the index

  static constexpr size_t kMaxVisitorBytes = 256;
  static constexpr size_t kMaxTextBytes = 1024;  // query, request_id, size
  static constexpr int kMaxQuantity = 1000000;
};

struct EventParseOptions {
  int64_t now_ms = 0;                 // timestamp of events that give none
  size_t max_events = 10000;          // more in one batch is invalid_argument
  int64_t max_future_ms = 86400000;   // a timestamp further ahead of now_ms is refused
};

// Parses a POST /events body: one event object, or {"events": [ ... ]} (non-empty). Each
// event needs type and visitor, and item; timestamp is epoch milliseconds (number) or ISO
// 8601 ("2026-11-23T10:15:00Z", "2026-11-23T10:15:00.250+01:00"), now_ms when absent.
// Unknown fields are refused. Errors: invalid_argument naming the place, e.g.
// "body: invalid JSON at offset 14: ...", "events[3].type: unknown \"clik\"",
// "events[0].visitor: required", "quantity: must be >= 1" (a single event has no index).
// The batch is all or nothing: one bad event fails the whole parse.
Result<std::vector<Event>> ParseEvents(std::string_view body, const EventParseOptions& options);

// One event as one line of the event log: a compact JSON object with the POST fields
// (timestamp always as epoch milliseconds), "sizes" for kSizeFilter and "facts" when set.
// EventFromJson reads it back (internal types accepted) and gives an equal Event. Errors:
// invalid_argument naming the field ("facts.price: must be a number"), without a place in
// a file (the log reader adds file and line).
std::string EventToJson(const Event& event);
Result<Event> EventFromJson(std::string_view json);

// Parses an ISO 8601 date-time with a time zone ("Z" or +hh:mm) into epoch milliseconds.
// Errors: invalid_argument without a place (the caller names the field).
Result<int64_t> ParseIsoTimestampMs(std::string_view text);

}  // namespace tailor
