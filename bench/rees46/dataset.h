// The REES46 clickstream ("eCommerce behavior data from multi category store", CSV) read
// into events of its dev half, in time order, and what the replay derives from them: the
// train/eval split, which events are "next items" to search for, and the search a shop
// would have served for an item (its category's leaf words within its category path).
//
// The dev half is the users whose CRC-32 of the UTF-8 user_id is even. Every row is tested
// before anything else of it is read, so nothing of the odd half (not even its products)
// reaches the caller. All functions are pure and none throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tailor::rees46 {

// zlib's CRC-32 (IEEE): Crc32("123456789") == 0xCBF43926.
uint32_t Crc32(std::string_view bytes);

// Whether user_id belongs to the dev half: Crc32(user_id) is even.
bool IsDevUser(std::string_view user_id);

// Splits one CSV line on commas; a trailing "\r" (CRLF files) is dropped and empty fields
// are kept ("a,,b" -> 3 fields). Errors: invalid_argument "quoted fields are not supported"
// for a line holding a double quote (the REES46 files have none).
Result<std::vector<std::string>> SplitCsvLine(std::string_view line);

// "2019-10-01 00:00:01 UTC" -> epoch milliseconds. Errors: invalid_argument naming the text.
Result<int64_t> ParseEventTimeMs(std::string_view text);

struct Rees46Event {
  int line = 0;            // 1-based line in the file (the header is line 1)
  int64_t time_ms = 0;     // event_time, epoch milliseconds
  std::string type;        // "view", "cart" or "purchase" as in the file
  std::string product_id;  // never empty
  std::string category_id;
  std::string category_code;  // dotted path, may be empty
  std::string brand;          // may be empty
  double price = 0;
  std::string user_id;  // never empty, always of the dev half
  std::string user_session;
};

struct DevHalf {
  std::vector<Rees46Event> events;  // in event_time order, stable by file order
  long odd_rows = 0;                // rows of the other half, skipped unread
  long truncated_rows = 0;          // a cut-off last line, dropped (0 or 1)
};

// Reads the CSV text (header row first) into the dev half's events. The last line may be
// cut off (fewer than 9 fields): it is dropped and counted. Errors: invalid_argument
// "<source_name>:<line>: <field>: ..." for a bad header, a short line that is not the last,
// an unknown event_type, a bad event_time or price, an empty product_id or user_id.
Result<DevHalf> ReadDevHalf(std::string_view text, std::string_view source_name);

// Reads the file at path and calls ReadDevHalf. Errors: not_found "<path>: cannot read".
Result<DevHalf> LoadDevHalf(const std::string& path);

// Events [0, TrainCount) form the train phase, the rest the eval phase: the split is by
// count, floor(events * share). Requires: 0 <= share <= 1.
size_t TrainCount(size_t events, double share);

// What the replay does before an event: nothing, or search for its item.
enum class NextItem {
  kNone,    // the user's first event, or an item without category_code
  kRepeat,  // the user had an earlier event with this item
  kNew,     // the user had earlier events, none with this item
};

// One entry per event of `events` (in time order), judged on the whole dev half, so an
// eval-phase event's history includes the train phase.
std::vector<NextItem> ClassifyNextItems(const std::vector<Rees46Event>& events);

// The words of a category_code's leaf, underscores as spaces: "appliances.kitchen.
// water_heater" -> "water heater". Empty for an empty code.
std::string LeafWords(std::string_view category_code);

// The category levels of a code: "electronics.smartphone" -> {"electronics", "smartphone"}.
std::vector<std::string> CategoryPath(std::string_view category_code);

// The searcher's category filter (a path prefix) for a code: "electronics/smartphone".
std::string CategoryFilter(std::string_view category_code);

// The shift that moves the data's last event into the last day before now_ms by whole
// days: floor((now_ms - last_ms) / 1 day) days, in milliseconds (0 when last_ms is not in
// the past). Profiles decay with the age of their events at search time, so a night of
// 2019 replayed with its own timestamps would leave every affinity near zero.
int64_t WholeDaysShiftMs(int64_t last_ms, int64_t now_ms);

// The ids Tailor knows the item and the visitor by: "rees46-" + id.
std::string TailorId(std::string_view rees46_id);

}  // namespace tailor::rees46
