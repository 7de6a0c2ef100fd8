// Test helper of simulator_tests: a Transport that answers every search with the same page
// and records the requests and the events it is sent. Not thread-safe.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tools/http_client.h"

namespace tailor::simulator {

// Answers every search with the same page and counts the events it is sent.
class FakeServer final : public Transport {
 public:
  explicit FakeServer(std::vector<std::string> page) : page_(std::move(page)) {}

  Result<HttpAnswer> Send(std::string_view method, const std::string& target,
                          const std::string& body) override {
    log_.push_back(std::string(method) + " " + target + " " + body);
    if (method == "GET") {
      std::string hits;
      for (const std::string& id : page_)
        hits += (hits.empty() ? "" : ",") + ("{\"id\":\"" + id + "\"}");
      return HttpAnswer{
          200, "{\"request_id\":\"r" + std::to_string(log_.size()) + "\",\"hits\":[" + hits + "]}"};
    }
    rapidjson::Document json;
    json.Parse(body.c_str());
    for (const rapidjson::Value& event : json["events"].GetArray())
      events_.push_back(ToEvent(event));
    return HttpAnswer{202, "{\"accepted\":" + std::to_string(json["events"].Size()) + "}"};
  }

  struct Event {
    std::string type, item, request_id;
    int position = -1;
  };
  const std::vector<Event>& events() const { return events_; }
  const std::vector<std::string>& log() const { return log_; }

 private:
  static Event ToEvent(const rapidjson::Value& json) {
    Event event{json["type"].GetString(), json["item"].GetString(), json["request_id"].GetString(),
                -1};
    if (json.HasMember("position")) event.position = json["position"].GetInt();
    return event;
  }
  std::vector<std::string> page_;
  std::vector<Event> events_;
  std::vector<std::string> log_;
};

}  // namespace tailor::simulator
