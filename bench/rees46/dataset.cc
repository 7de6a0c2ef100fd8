#include "bench/rees46/dataset.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/event.h"
#include "core/files.h"
#include "core/text.h"

namespace tailor::rees46 {
namespace {

constexpr size_t kFields = 9;
constexpr size_t kUserIdField = 7;
constexpr std::array<std::string_view, kFields> kHeader = {
    "event_time", "event_type", "product_id", "category_id", "category_code",
    "brand",      "price",      "user_id",    "user_session"};

Result<double> ParsePrice(const std::string& text) {
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
      value < 0) {
    return Error::InvalidArgument("price: not a number >= 0: \"" + text + "\"");
  }
  return value;
}

// Fills an event from the 9 fields of a dev-half row. Errors name the field, no place.
Result<Rees46Event> ToEvent(std::vector<std::string> fields, int line) {
  Rees46Event event;
  event.line = line;
  Result<int64_t> time_ms = ParseEventTimeMs(fields[0]);
  if (!time_ms.ok()) return time_ms.error().WithPrefix("event_time");
  event.time_ms = *time_ms;
  event.type = std::move(fields[1]);
  if (event.type != "view" && event.type != "cart" && event.type != "purchase") {
    return Error::InvalidArgument("event_type: unknown \"" + event.type + "\"");
  }
  event.product_id = std::move(fields[2]);
  if (event.product_id.empty()) return Error::InvalidArgument("product_id: empty");
  event.category_id = std::move(fields[3]);
  event.category_code = std::move(fields[4]);
  event.brand = std::move(fields[5]);
  Result<double> price = ParsePrice(fields[6]);
  if (!price.ok()) return price.error();
  event.price = *price;
  event.user_id = std::move(fields[kUserIdField]);
  event.user_session = std::move(fields[8]);
  return event;
}

Status CheckHeader(std::string_view line) {
  Result<std::vector<std::string>> fields = SplitCsvLine(line);
  if (!fields.ok()) return fields.error();
  if (!std::equal(fields->begin(), fields->end(), kHeader.begin(), kHeader.end())) {
    return Error::InvalidArgument("header: expected the 9 REES46 columns, event_time first");
  }
  return Status::Ok();
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace

uint32_t Crc32(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size()));
  return static_cast<uint32_t>(crc);
}

bool IsDevUser(std::string_view user_id) { return Crc32(user_id) % 2 == 0; }

Result<std::vector<std::string>> SplitCsvLine(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find('"') != std::string_view::npos) {
    return Error::InvalidArgument("quoted fields are not supported");
  }
  return Split(line, ',');
}

Result<int64_t> ParseEventTimeMs(std::string_view text) {
  // "YYYY-MM-DD HH:MM:SS UTC" is ISO 8601 with a space for the "T" and " UTC" for the "Z".
  constexpr std::string_view kSuffix = " UTC";
  if (text.size() != 19 + kSuffix.size() || !text.ends_with(kSuffix) || text[10] != ' ') {
    return Error::InvalidArgument("expected \"YYYY-MM-DD HH:MM:SS UTC\", got \"" +
                                  std::string(text) + "\"");
  }
  std::string iso(text.substr(0, 19));
  iso[10] = 'T';
  iso += 'Z';
  Result<int64_t> ms = ParseIsoTimestampMs(iso);
  if (!ms.ok())
    return Error::InvalidArgument(ms.error().message + ": \"" + std::string(text) + "\"");
  return ms;
}

Result<DevHalf> ReadDevHalf(std::string_view text, std::string_view source_name) {
  const std::string source(source_name);
  std::vector<std::string_view> lines = Lines(text);
  if (lines.empty()) return Error::InvalidArgument(source + ":1: header: missing");
  if (Status header = CheckHeader(lines[0]); !header.ok()) {
    return header.error().WithPrefix(source + ":1");
  }
  DevHalf half;
  for (size_t i = 1; i < lines.size(); ++i) {
    const int line = static_cast<int>(i + 1);
    const std::string place = source + ":" + std::to_string(line);
    Result<std::vector<std::string>> fields = SplitCsvLine(lines[i]);
    if (!fields.ok()) return fields.error().WithPrefix(place);
    if (fields->size() == 1 && fields->front().empty()) continue;  // a blank line
    if (fields->size() < kFields && i + 1 == lines.size()) {
      ++half.truncated_rows;
      continue;
    }
    if (fields->size() != kFields) {
      return Error::InvalidArgument(place + ": expected 9 fields, got " +
                                    std::to_string(fields->size()));
    }
    // The half is decided before any other field is looked at.
    if (!IsDevUser((*fields)[kUserIdField])) {
      ++half.odd_rows;
      continue;
    }
    if ((*fields)[kUserIdField].empty()) return Error::InvalidArgument(place + ": user_id: empty");
    Result<Rees46Event> event = ToEvent(std::move(*fields), line);
    if (!event.ok()) return event.error().WithPrefix(place);
    half.events.push_back(std::move(*event));
  }
  std::stable_sort(
      half.events.begin(), half.events.end(),
      [](const Rees46Event& a, const Rees46Event& b) { return a.time_ms < b.time_ms; });
  return half;
}

Result<DevHalf> LoadDevHalf(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) return text.error();
  return ReadDevHalf(*text, path);
}

size_t TrainCount(size_t events, double share) {
  return static_cast<size_t>(std::floor(static_cast<double>(events) * share));
}

std::vector<NextItem> ClassifyNextItems(const std::vector<Rees46Event>& events) {
  std::vector<NextItem> kinds;
  kinds.reserve(events.size());
  std::unordered_map<std::string, std::unordered_set<std::string>> items_of_user;
  for (const Rees46Event& event : events) {
    auto [it, first] = items_of_user.try_emplace(event.user_id);
    NextItem kind = NextItem::kNone;
    if (!first && !event.category_code.empty()) {
      kind = it->second.count(event.product_id) > 0 ? NextItem::kRepeat : NextItem::kNew;
    }
    kinds.push_back(kind);
    it->second.insert(event.product_id);
  }
  return kinds;
}

std::string LeafWords(std::string_view category_code) {
  std::string leaf(category_code.substr(category_code.rfind('.') + 1));
  std::replace(leaf.begin(), leaf.end(), '_', ' ');
  return leaf;
}

std::vector<std::string> CategoryPath(std::string_view category_code) {
  if (category_code.empty()) return {};
  return Split(category_code, '.');
}

std::string CategoryFilter(std::string_view category_code) {
  return Join(CategoryPath(category_code), '/');
}

int64_t WholeDaysShiftMs(int64_t last_ms, int64_t now_ms) {
  constexpr int64_t kDayMs = 86400000;
  return now_ms > last_ms ? (now_ms - last_ms) / kDayMs * kDayMs : 0;
}

std::string TailorId(std::string_view rees46_id) { return "rees46-" + std::string(rees46_id); }

}  // namespace tailor::rees46
