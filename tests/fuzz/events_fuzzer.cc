// Fuzzes the POST /events body parser (core/event.h): one event or {"events": [...]}. Every
// batch it accepts must survive the event log's round trip (EventToJson, EventFromJson) and
// write the same line again, since recovery replays exactly those lines.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/event.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body = tailor::fuzz::AsText(data, size);
  tailor::EventParseOptions options;
  options.now_ms = 1764000000000;  // fixed, so a run is reproducible
  tailor::Result<std::vector<tailor::Event>> events = tailor::ParseEvents(body, options);
  if (events.ok()) {
    for (const tailor::Event& event : *events) {
      std::string line = tailor::EventToJson(event);
      tailor::Result<tailor::Event> back = tailor::EventFromJson(line);
      tailor::fuzz::Check(back.ok(), "an accepted event reads back from its log line");
      tailor::fuzz::Check(tailor::EventToJson(*back) == line, "a log line reads back unchanged");
    }
  }
  // The log reader sees single lines; the timestamp parser sees any text a client sends.
  (void)tailor::EventFromJson(body);
  (void)tailor::ParseIsoTimestampMs(body);
  return 0;
}
