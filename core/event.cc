#include "core/event.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <cmath>
#include <utility>

#include "core/json.h"
#include "core/product.h"

namespace tailor {
namespace {

using rapidjson::Value;

constexpr std::array<std::pair<std::string_view, EventType>, 6> kTypeNames = {{
    {"view", EventType::kView},
    {"click", EventType::kClick},
    {"add_to_cart", EventType::kAddToCart},
    {"remove_from_cart", EventType::kRemoveFromCart},
    {"purchase", EventType::kPurchase},
    {"size_filter", EventType::kSizeFilter},
}};

constexpr int kMaxPosition = 1000000;
constexpr const char* kTimestampFormat =
    "must be epoch milliseconds or an ISO 8601 date-time with a time zone, e.g. "
    "2026-11-23T10:15:00Z";

std::string_view View(const Value& value) { return {value.GetString(), value.GetStringLength()}; }

// Names the fields of one event ("events[3].type", or "type" for a single event).
class Place {
 public:
  explicit Place(std::string prefix) : prefix_(std::move(prefix)) {}
  Error Fail(std::string_view field, std::string_view what) const {
    if (field.empty()) {  // the event itself: "events[2]", or "body" for a single one
      std::string where = prefix_.empty() ? "body" : prefix_.substr(0, prefix_.size() - 1);
      return Error::InvalidArgument(where + ": " + std::string(what));
    }
    return Error::InvalidArgument(prefix_ + std::string(field) + ": " + std::string(what));
  }

 private:
  std::string prefix_;
};

bool HasControlCharacter(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

Status ReadText(const Value& value, std::string_view field, size_t max_bytes, const Place& place,
                std::string& out) {
  if (!value.IsString()) return place.Fail(field, "must be a string");
  if (value.GetStringLength() > max_bytes) {
    return place.Fail(field, "must be at most " + std::to_string(max_bytes) + " bytes");
  }
  out.assign(value.GetString(), value.GetStringLength());
  return Status::Ok();
}

Status ReadTimestamp(const Value& value, const EventParseOptions& options, const Place& place,
                     int64_t& out) {
  if (value.IsInt64()) {
    if (value.GetInt64() < 0) return place.Fail("timestamp", "must be >= 0");
    out = value.GetInt64();
  } else if (value.IsString()) {
    Result<int64_t> parsed = ParseIsoTimestampMs(View(value));
    if (!parsed.ok()) return place.Fail("timestamp", parsed.error().message);
    out = *parsed;
  } else {
    return place.Fail("timestamp", kTimestampFormat);
  }
  if (out > options.now_ms + options.max_future_ms) {
    return place.Fail("timestamp", "more than " + std::to_string(options.max_future_ms / 3600000) +
                                       " h in the future");
  }
  return Status::Ok();
}

Status ReadInt(const Value& value, std::string_view field, int min_value, int max_value,
               const Place& place, int& out) {
  if (!value.IsInt()) return place.Fail(field, "must be an integer");
  if (value.GetInt() < min_value) {
    return place.Fail(field, "must be >= " + std::to_string(min_value));
  }
  if (value.GetInt() > max_value) {
    return place.Fail(field, "must be at most " + std::to_string(max_value));
  }
  out = value.GetInt();
  return Status::Ok();
}

// Reads one member of a client event into event.
Status ReadMember(std::string_view name, const Value& value, const EventParseOptions& options,
                  const Place& place, Event& event) {
  if (value.IsNull() && name != "type" && name != "visitor" && name != "item") {
    return Status::Ok();  // null is absent for optional fields
  }
  if (name == "type") {
    if (!value.IsString()) return place.Fail("type", "must be a string");
    std::optional<EventType> type = ParseEventType(View(value), InternalTypes::kRefuse);
    if (!type) return place.Fail("type", "unknown \"" + std::string(View(value)) + "\"");
    event.type = *type;
    return Status::Ok();
  }
  if (name == "visitor") {
    Status status = ReadText(value, name, Event::kMaxVisitorBytes, place, event.visitor);
    if (status.ok() && HasControlCharacter(event.visitor)) {
      return place.Fail(name, "must not contain control characters");
    }
    return status;
  }
  if (name == "item") return ReadText(value, name, Product::kMaxIdBytes, place, event.item);
  if (name == "query") return ReadText(value, name, Event::kMaxTextBytes, place, event.query);
  if (name == "request_id") {
    return ReadText(value, name, Event::kMaxTextBytes, place, event.request_id);
  }
  if (name == "size") return ReadText(value, name, Event::kMaxTextBytes, place, event.size);
  if (name == "position") {
    int position = 0;
    Status status = ReadInt(value, name, 0, kMaxPosition, place, position);
    if (status.ok()) event.position = position;
    return status;
  }
  if (name == "quantity") return ReadInt(value, name, 1, Event::kMaxQuantity, place, event.quantity);
  if (name == "timestamp") return ReadTimestamp(value, options, place, event.timestamp_ms);
  return place.Fail(name, "unknown field");
}

Result<Event> ReadEvent(const Value& object, const EventParseOptions& options,
                        const Place& place) {
  if (!object.IsObject()) return place.Fail("", "must be a JSON object");
  Event event;
  event.timestamp_ms = options.now_ms;
  bool has_type = false;
  for (const auto& member : object.GetObject()) {
    std::string_view name = View(member.name);
    if (name == "type") has_type = true;
    if (Status status = ReadMember(name, member.value, options, place, event); !status.ok()) {
      return status.error();
    }
  }
  if (!has_type) return place.Fail("type", "required");
  if (event.visitor.empty()) return place.Fail("visitor", "required");
  if (event.item.empty()) return place.Fail("item", "required");
  return event;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

bool IsLeap(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

// Reads exactly `digits` decimal digits at text[pos], advancing pos.
bool ReadDigits(std::string_view text, size_t& pos, int digits, int& out) {
  if (pos + digits > text.size()) return false;
  out = 0;
  for (int i = 0; i < digits; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  pos += digits;
  return true;
}

bool Expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// The time zone at text[pos]: "Z", "+hh:mm", "-hh:mm" or "+hhmm", as an offset in minutes.
bool ReadZone(std::string_view text, size_t& pos, int& offset_minutes) {
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
    offset_minutes = 0;
    return true;
  }
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return false;
  const int sign = text[pos++] == '-' ? -1 : 1;
  int hours = 0, minutes = 0;
  if (!ReadDigits(text, pos, 2, hours)) return false;
  if (pos < text.size() && text[pos] == ':') ++pos;
  if (!ReadDigits(text, pos, 2, minutes) || hours > 23 || minutes > 59) return false;
  offset_minutes = sign * (hours * 60 + minutes);
  return true;
}

void WriteString(rapidjson::Writer<rapidjson::StringBuffer>& writer, std::string_view key,
                 std::string_view text) {
  writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void WriteStrings(rapidjson::Writer<rapidjson::StringBuffer>& writer, std::string_view key,
                  const std::vector<std::string>& texts) {
  writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  writer.StartArray();
  for (const std::string& text : texts) {
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  }
  writer.EndArray();
}

}  // namespace

std::string_view EventTypeName(EventType type) {
  for (const auto& [name, value] : kTypeNames) {
    if (value == type) return name;
  }
  return "unknown";
}

std::optional<EventType> ParseEventType(std::string_view name, InternalTypes internal) {
  for (const auto& [type_name, value] : kTypeNames) {
    if (type_name != name) continue;
    if (value == EventType::kSizeFilter && internal == InternalTypes::kRefuse) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

Result<std::vector<Event>> ParseEvents(std::string_view body, const EventParseOptions& options) {
  rapidjson::Document document;
  if (Status parsed = ParseJson<rapidjson::kParseValidateEncodingFlag>(body, "body", document); !parsed.ok()) {
    return parsed.error();
  }
  if (!document.IsObject()) return Error::InvalidArgument("body: must be a JSON object");
  std::vector<Event> events;
  auto batch = document.FindMember("events");
  if (batch == document.MemberEnd()) {
    Result<Event> event = ReadEvent(document, options, Place(""));
    if (!event.ok()) return event.error();
    events.push_back(std::move(*event));
    return events;
  }
  if (document.MemberCount() != 1) {
    for (const auto& member : document.GetObject()) {
      if (View(member.name) != "events") {
        return Error::InvalidArgument(std::string(View(member.name)) +
                                      ": unknown field next to \"events\"");
      }
    }
  }
  if (!batch->value.IsArray()) return Error::InvalidArgument("events: must be an array");
  const auto& array = batch->value.GetArray();
  if (array.Empty()) return Error::InvalidArgument("events: must not be empty");
  if (array.Size() > options.max_events) {
    return Error::InvalidArgument("events: at most " + std::to_string(options.max_events) +
                                  " events in one request");
  }
  events.reserve(array.Size());
  for (rapidjson::SizeType i = 0; i < array.Size(); ++i) {
    Result<Event> event = ReadEvent(array[i], options, Place("events[" + std::to_string(i) + "]."));
    if (!event.ok()) return event.error();
    events.push_back(std::move(*event));
  }
  return events;
}

Result<int64_t> ParseIsoTimestampMs(std::string_view text) {
  const Error invalid = Error::InvalidArgument(kTimestampFormat);
  size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(text, pos, 4, year) || !Expect(text, pos, '-') ||
      !ReadDigits(text, pos, 2, month) || !Expect(text, pos, '-') ||
      !ReadDigits(text, pos, 2, day)) {
    return invalid;
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) {
    return invalid;
  }
  ++pos;
  if (!ReadDigits(text, pos, 2, hour) || !Expect(text, pos, ':') ||
      !ReadDigits(text, pos, 2, minute) || !Expect(text, pos, ':') ||
      !ReadDigits(text, pos, 2, second)) {
    return invalid;
  }
  int64_t millis = 0;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return invalid;
    for (int i = digits; i < 3; ++i) millis *= 10;
  }
  int offset_minutes = 0;
  if (!ReadZone(text, pos, offset_minutes) || pos != text.size()) return invalid;
  if (month < 1 || month > 12 || day < 1 || static_cast<unsigned>(day) > DaysInMonth(year, month) ||
      hour > 23 || minute > 59 || second > 60) {
    return invalid;
  }
  const int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

std::string EventToJson(const Event& event) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  WriteString(writer, "type", EventTypeName(event.type));
  WriteString(writer, "visitor", event.visitor);
  if (!event.item.empty()) WriteString(writer, "item", event.item);
  if (!event.query.empty()) WriteString(writer, "query", event.query);
  if (event.position) {
    writer.Key("position");
    writer.Int(*event.position);
  }
  if (!event.request_id.empty()) WriteString(writer, "request_id", event.request_id);
  if (!event.size.empty()) WriteString(writer, "size", event.size);
  writer.Key("quantity");
  writer.Int(event.quantity);
  writer.Key("ts");
  writer.Int64(event.timestamp_ms);
  if (!event.sizes.empty()) WriteStrings(writer, "sizes", event.sizes);
  if (event.facts) {
    const ItemFacts& facts = *event.facts;
    writer.Key("facts");
    writer.StartObject();
    WriteString(writer, "brand", facts.brand);
    WriteStrings(writer, "category", facts.category);
    WriteStrings(writer, "colors", facts.colors);
    WriteStrings(writer, "sizes", facts.sizes);
    writer.Key("price");
    writer.Double(facts.price);
    writer.Key("list_price");
    writer.Double(facts.list_price);
    writer.EndObject();
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

namespace {

Status ReadStrings(const Value& value, std::string_view field, std::vector<std::string>& out) {
  if (!value.IsArray()) return Error::InvalidArgument(std::string(field) + ": must be an array");
  for (const Value& element : value.GetArray()) {
    if (!element.IsString()) {
      return Error::InvalidArgument(std::string(field) + ": must hold strings");
    }
    out.emplace_back(View(element));
  }
  return Status::Ok();
}

Status ReadFacts(const Value& value, ItemFacts& facts) {
  if (!value.IsObject()) return Error::InvalidArgument("facts: must be an object");
  for (const auto& member : value.GetObject()) {
    std::string_view name = View(member.name);
    const Value& field = member.value;
    Status status = Status::Ok();
    if (name == "brand") {
      if (!field.IsString()) return Error::InvalidArgument("facts.brand: must be a string");
      facts.brand.assign(View(field));
    } else if (name == "category") {
      status = ReadStrings(field, "facts.category", facts.category);
    } else if (name == "colors") {
      status = ReadStrings(field, "facts.colors", facts.colors);
    } else if (name == "sizes") {
      status = ReadStrings(field, "facts.sizes", facts.sizes);
    } else if (name == "price" || name == "list_price") {
      if (!field.IsNumber()) {
        return Error::InvalidArgument("facts." + std::string(name) + ": must be a number");
      }
      (name == "price" ? facts.price : facts.list_price) = field.GetDouble();
    } else {
      return Error::InvalidArgument("facts." + std::string(name) + ": unknown field");
    }
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

Status ReadLogMember(std::string_view name, const Value& value, Event& event) {
  auto text = [&](std::string& out) -> Status {
    if (!value.IsString()) return Error::InvalidArgument(std::string(name) + ": must be a string");
    out.assign(View(value));
    return Status::Ok();
  };
  if (name == "type") {
    if (!value.IsString()) return Error::InvalidArgument("type: must be a string");
    std::optional<EventType> type = ParseEventType(View(value), InternalTypes::kAllow);
    if (!type) return Error::InvalidArgument("type: unknown \"" + std::string(View(value)) + "\"");
    event.type = *type;
    return Status::Ok();
  }
  if (name == "visitor") return text(event.visitor);
  if (name == "item") return text(event.item);
  if (name == "query") return text(event.query);
  if (name == "request_id") return text(event.request_id);
  if (name == "size") return text(event.size);
  if (name == "position" || name == "quantity") {
    if (!value.IsInt()) return Error::InvalidArgument(std::string(name) + ": must be an integer");
    if (name == "position") event.position = value.GetInt();
    if (name == "quantity") event.quantity = value.GetInt();
    return Status::Ok();
  }
  if (name == "ts") {
    if (!value.IsInt64()) return Error::InvalidArgument("ts: must be an integer");
    event.timestamp_ms = value.GetInt64();
    return Status::Ok();
  }
  if (name == "sizes") return ReadStrings(value, "sizes", event.sizes);
  if (name == "facts") {
    event.facts.emplace();
    return ReadFacts(value, *event.facts);
  }
  return Error::InvalidArgument(std::string(name) + ": unknown field");
}

}  // namespace

Result<Event> EventFromJson(std::string_view json) {
  rapidjson::Document document;
  if (Status parsed = ParseJson(json, "", document); !parsed.ok()) {
    return parsed.error();
  }
  if (!document.IsObject()) return Error::InvalidArgument("must be a JSON object");
  Event event;
  bool has_type = false, has_ts = false;
  for (const auto& member : document.GetObject()) {
    std::string_view name = View(member.name);
    has_type = has_type || name == "type";
    has_ts = has_ts || name == "ts";
    if (Status status = ReadLogMember(name, member.value, event); !status.ok()) {
      return status.error();
    }
  }
  if (!has_type) return Error::InvalidArgument("type: required");
  if (!has_ts) return Error::InvalidArgument("ts: required");
  if (event.visitor.empty()) return Error::InvalidArgument("visitor: required");
  if (event.item.empty() && event.type != EventType::kSizeFilter) {
    return Error::InvalidArgument("item: required");
  }
  return event;
}

}  // namespace tailor
