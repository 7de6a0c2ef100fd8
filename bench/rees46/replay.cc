#include "bench/rees46/replay.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <ostream>
#include <utility>

#include "bench/simulator/server_api.h"

namespace tailor::rees46 {
namespace {

using simulator::UrlEncode;

// The page a search served for a next item.
struct Page {
  std::string request_id;
  std::string query;
  std::vector<std::string> ids;
};

std::string Place(size_t index, const Rees46Event& event) {
  return "events[" + std::to_string(index) + "] (line " + std::to_string(event.line) + ")";
}

// The server's own message when the body is its JSON error, the body itself otherwise. A
// 4xx is the replay's input being refused, anything else the server being unavailable.
Error ServerError(const std::string& what, const HttpAnswer& answer) {
  std::string message = answer.body;
  rapidjson::Document json;
  json.Parse(answer.body.c_str());
  if (!json.HasParseError() && json.IsObject() && json.HasMember("error") &&
      json["error"].IsObject() && json["error"].HasMember("message") &&
      json["error"]["message"].IsString()) {
    message = json["error"]["message"].GetString();
  }
  const ErrorCode code = answer.status >= 400 && answer.status < 500 ? ErrorCode::kInvalidArgument
                                                                     : ErrorCode::kUnavailable;
  return {code, what + ": " + std::to_string(answer.status) + ": " + message};
}

Result<Page> ReadPage(const std::string& body, const std::string& target, std::string query) {
  rapidjson::Document json;
  json.Parse(body.c_str());
  if (json.HasParseError() || !json.IsObject() || !json.HasMember("request_id") ||
      !json["request_id"].IsString() || !json.HasMember("hits") || !json["hits"].IsArray()) {
    return Error::Unavailable("GET " + target + ": answer lacks request_id or hits");
  }
  Page page{json["request_id"].GetString(), std::move(query), {}};
  for (const rapidjson::Value& hit : json["hits"].GetArray()) {
    if (hit.IsObject() && hit.HasMember("id") && hit["id"].IsString()) {
      page.ids.push_back(hit["id"].GetString());
    }
  }
  return page;
}

// The search the shop would have served before the event: the item's leaf category words
// within its category path, for its visitor.
Result<Page> Search(Transport& transport, const Rees46Event& event, const std::string& variant,
                    int limit) {
  std::string query = LeafWords(event.category_code);
  const std::string target = "/search?q=" + UrlEncode(query) +
                             "&category=" + UrlEncode(CategoryFilter(event.category_code)) +
                             "&visitor=" + UrlEncode(TailorId(event.user_id)) +
                             "&limit=" + std::to_string(limit) + "&variant=" + UrlEncode(variant);
  Result<HttpAnswer> answer = transport.Send("GET", target, "");
  if (!answer.ok()) return answer.error().WithPrefix("GET /search");
  if (answer->status != 200) return ServerError("GET " + target, *answer);
  return ReadPage(answer->body, target, std::move(query));
}

const char* TailorType(const std::string& rees46_type) {
  if (rees46_type == "cart") return "add_to_cart";
  if (rees46_type == "purchase") return "purchase";
  return "view";
}

// The event as POST /events takes it; with the page that showed the item, when there is one.
std::string EventJson(const Rees46Event& event, int64_t shift_ms, const Page* page) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("type");
  writer.String(TailorType(event.type));
  writer.Key("visitor");
  writer.String(TailorId(event.user_id));
  writer.Key("item");
  writer.String(TailorId(event.product_id));
  writer.Key("timestamp");
  writer.Int64(event.time_ms + shift_ms);
  if (page != nullptr) {
    writer.Key("request_id");
    writer.String(page->request_id);
    writer.Key("query");
    writer.String(page->query);
    if (int rank = RankOf(page->ids, TailorId(event.product_id)); rank > 0) {
      writer.Key("position");
      writer.Int(rank - 1);
    }
  }
  writer.EndObject();
  return buffer.GetString();
}

Status Post(Transport& transport, const std::string& body) {
  Result<HttpAnswer> answer = transport.Send("POST", "/events", body);
  if (!answer.ok()) return answer.error().WithPrefix("POST /events");
  if (answer->status != 202) return ServerError("POST /events", *answer);
  return Status::Ok();
}

struct Range {
  size_t begin = 0;
  size_t end = 0;
};

Range PhaseRange(const DevHalf& half, const ReplayOptions& options) {
  const size_t train = TrainCount(half.events.size(), options.split_share);
  if (options.phase == Phase::kTrain) return {0, train};
  return {train, half.events.size()};
}

class Progress {
 public:
  Progress(std::ostream& out, const char* phase, Range range, long every)
      : out_(out), phase_(phase), range_(range), every_(every) {}

  void After(size_t index, const ReplayCounts& counts) {
    const size_t done = index + 1 - range_.begin;
    if (every_ <= 0 || (done % static_cast<size_t>(every_) != 0 && index + 1 != range_.end)) {
      return;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    char line[160];
    std::snprintf(line, sizeof line, "%s: %zu/%zu events, %ld searches, %.1f s\n", phase_, done,
                  range_.end - range_.begin, counts.searches, seconds);
    out_ << line << std::flush;
  }

 private:
  std::ostream& out_;
  const char* phase_;
  Range range_;
  long every_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace

Result<ReplayCounts> ReplayTrain(Transport& transport, const DevHalf& half,
                                 const ReplayOptions& options, std::ostream& progress_out) {
  const std::vector<NextItem> kinds = ClassifyNextItems(half.events);
  const Range range = PhaseRange(half, options);
  Progress progress(progress_out, "train", range, options.progress_every);
  ReplayCounts counts;
  for (size_t i = range.begin; i < range.end; ++i) {
    const Rees46Event& event = half.events[i];
    std::optional<Page> page;
    if (kinds[i] != NextItem::kNone) {
      Result<Page> served = Search(transport, event, options.log_variant, options.limit);
      if (!served.ok()) return served.error().WithPrefix(Place(i, event));
      page = std::move(*served);
      ++counts.searches;
      if (RankOf(page->ids, TailorId(event.product_id)) > 0) ++counts.found;
    }
    Status posted = Post(transport, EventJson(event, options.shift_ms, page ? &*page : nullptr));
    if (!posted.ok()) return posted.error().WithPrefix(Place(i, event));
    ++counts.events;
    progress.After(i, counts);
  }
  return counts;
}

Result<EvalReport> ReplayEval(Transport& transport, const DevHalf& half,
                              const ReplayOptions& options, std::ostream& progress_out) {
  const std::vector<NextItem> kinds = ClassifyNextItems(half.events);
  const Range range = PhaseRange(half, options);
  Progress progress(progress_out, "eval", range, options.progress_every);
  EvalReport report(options.variants, options.limit);
  ReplayCounts counts;
  for (size_t i = range.begin; i < range.end; ++i) {
    const Rees46Event& event = half.events[i];
    // Every variant is asked before the event is posted, so all see the same profile.
    for (size_t v = 0; kinds[i] != NextItem::kNone && v < options.variants.size(); ++v) {
      Result<Page> page = Search(transport, event, options.variants[v], options.limit);
      if (!page.ok()) return page.error().WithPrefix(Place(i, event));
      ++counts.searches;
      report.Add(v, kinds[i], RankOf(page->ids, TailorId(event.product_id)));
    }
    Status posted = Post(transport, EventJson(event, options.shift_ms, nullptr));
    if (!posted.ok()) return posted.error().WithPrefix(Place(i, event));
    ++counts.events;
    progress.After(i, counts);
  }
  return report;
}

}  // namespace tailor::rees46
