#include "server/http/scoring_handlers.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <ctime>
#include <map>
#include <optional>
#include <utility>

#include "core/event.h"
#include "server/http/admin_handlers.h"
#include "server/http/error_response.h"
#include "server/http/search_handlers.h"

namespace tailor::server::http {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int kMaxPreviewRankings = 1000000;

void Raw(Writer& writer, const std::string& json) {
  writer.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}

std::string IsoTime(int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const size_t length = std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(text, length);
}

// A time field of a JSON body: epoch ms or ISO 8601. Errors name the field.
Result<int64_t> TimeField(const rapidjson::Value& value, const std::string& name) {
  if (value.IsInt64()) return value.GetInt64();
  if (value.IsString()) {
    Result<int64_t> parsed = ParseIsoTimestampMs(value.GetString());
    if (!parsed.ok()) return parsed.error().WithPrefix(name);
    return parsed;
  }
  return Error::InvalidArgument(name + ": must be epoch ms or an ISO 8601 string");
}

Result<rapidjson::Document> ObjectBody(const Request& request, bool empty_ok) {
  rapidjson::Document body;
  if (request.body.empty() && empty_ok) {
    body.SetObject();
    return body;
  }
  body.Parse(request.body.c_str(), request.body.size());
  if (body.HasParseError()) {
    return Error::InvalidArgument("body: invalid JSON at offset " +
                                  std::to_string(body.GetErrorOffset()));
  }
  if (!body.IsObject()) return Error::InvalidArgument("body: must be a JSON object");
  return body;
}

void WriteMetrics(Writer& w, const ranking::ReplayMetrics& m) {
  w.StartObject();
  w.Key("label");
  w.String(m.label.c_str());
  w.Key("rankings");
  w.Int(m.rankings);
  w.Key("judged");
  w.Int(m.judged);
  w.Key("known_size");
  w.Int(m.known_size);
  for (const auto& [name, value] : {std::pair<const char*, double>{"ndcg10", m.ndcg10},
                                    {"ndcg10_ipw", m.ndcg10_ipw},
                                    {"mrr10", m.mrr10},
                                    {"revenue10", m.revenue10},
                                    {"margin10", m.margin10},
                                    {"boosted_share", m.boosted_share},
                                    {"out_of_size", m.out_of_size}}) {
    w.Key(name);
    w.Double(value);
  }
  w.EndObject();
}

// What a person reads of an item in a before/after list: id -> {title, brand}.
using ItemNames = std::map<std::string, std::pair<std::string, std::string>>;

// The titles and brands of the items of a report's lists, from their stored records in the
// live index (an item gone since has none).
ItemNames NamesOf(const ranking::ReplayReport& report, Engine& engine) {
  std::vector<searcher::Hit> hits;
  for (const ranking::ChangedQuery& query : report.changed.back()) {
    for (const auto* ids : {&query.first_top, &query.top}) {
      for (const std::string& id : *ids) {
        searcher::Hit hit;
        hit.id = id;
        hits.push_back(std::move(hit));
      }
    }
  }
  ItemNames names;
  if (hits.empty() || !engine.searcher().LoadStored(hits).ok()) return names;
  for (const searcher::Hit& hit : hits) {
    rapidjson::Document record;
    record.Parse(hit.stored_json.c_str());
    if (record.HasParseError() || !record.IsObject()) continue;
    auto text = [&](const char* key) {
      auto it = record.FindMember(key);
      return it != record.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString())
                                                              : std::string();
    };
    names[hit.id] = {text("title"), text("brand")};
  }
  return names;
}

void WriteItems(Writer& w, const std::vector<std::string>& ids, const ItemNames& names) {
  w.StartArray();
  for (const std::string& id : ids) {
    w.StartObject();
    w.Key("id");
    w.String(id.c_str());
    if (auto it = names.find(id); it != names.end()) {
      w.Key("title");
      w.String(it->second.first.c_str());
      w.Key("brand");
      w.String(it->second.second.c_str());
    }
    w.EndObject();
  }
  w.EndArray();
}

std::string StatusJson(const PreviewStatus& status, const ItemNames& items) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("id");
  w.String(status.id.c_str());
  w.Key("status");
  w.String(PreviewStateName(status.state));
  w.Key("rankings_read");
  w.Int64(status.rankings_read);
  w.Key("elapsed_ms");
  w.Int64(status.elapsed_ms);
  w.Key("truncated");
  w.Bool(status.truncated);
  if (status.report && status.report->variants.size() == 2) {
    const ranking::ReplayReport& report = *status.report;
    w.Key("report");
    w.StartObject();
    w.Key("rankings");
    w.Int(report.variants[0].rankings);
    w.Key("skipped_items");
    w.Int(report.skipped_items);
    w.Key("live");
    WriteMetrics(w, report.variants[0]);
    w.Key("proposed");
    WriteMetrics(w, report.variants[1]);
    w.Key("changed");
    w.StartArray();
    for (const ranking::ChangedQuery& query : report.changed[1]) {
      w.StartObject();
      w.Key("query");
      w.String(query.query.c_str());
      w.Key("changed");
      w.Double(query.changed);
      w.Key("rankings");
      w.Int(query.rankings);
      w.Key("live");
      WriteItems(w, query.first_top, items);
      w.Key("proposed");
      WriteItems(w, query.top, items);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  if (status.error) {
    w.Key("error");
    w.StartObject();
    w.Key("code");
    const std::string_view code = ErrorCodeName(status.error->code);
    w.String(code.data(), static_cast<rapidjson::SizeType>(code.size()));
    w.Key("message");
    w.String(status.error->message.c_str());
    w.EndObject();
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

Response HandleScoringGet(const Request& request, Engine& engine, const std::string& admin_token) {
  if (std::optional<Response> refused = RefuseUnlessAdmin(request, admin_token)) return *refused;
  const std::vector<ScoringVersion> versions = engine.ScoringVersions();
  if (versions.empty()) {
    return ErrorResponse(
        Error::FailedPrecondition("scoring: this server was started without a scoring config"));
  }
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("version");
  w.Int(versions.front().version);
  w.Key("config");
  Raw(w, versions.front().config);
  w.EndObject();
  return JsonResponse(std::string(buffer.GetString(), buffer.GetSize()));
}

Response HandleScoringPut(const Request& request, Engine& engine, const std::string& admin_token) {
  if (std::optional<Response> refused = RefuseUnlessAdmin(request, admin_token)) return *refused;
  Result<int> version = engine.ReplaceScoring(request.body);
  if (!version.ok()) return ErrorResponse(version.error());
  return JsonResponse("{\"version\":" + std::to_string(*version) + "}");
}

Response HandleScoringHistory(const Request& request, Engine& engine,
                              const std::string& admin_token) {
  if (std::optional<Response> refused = RefuseUnlessAdmin(request, admin_token)) return *refused;
  const std::vector<ScoringVersion> versions = engine.ScoringVersions();
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("live");
  if (versions.empty()) {
    w.Null();
  } else {
    w.Int(versions.front().version);
  }
  w.Key("versions");
  w.StartArray();
  for (const ScoringVersion& version : versions) {
    w.StartObject();
    w.Key("version");
    w.Int(version.version);
    w.Key("saved_at");
    w.String(IsoTime(version.saved_at_ms).c_str());
    w.Key("saved_at_ms");
    w.Int64(version.saved_at_ms);
    w.Key("source");
    w.String(version.source.c_str());
    w.Key("config");
    Raw(w, version.config);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return JsonResponse(std::string(buffer.GetString(), buffer.GetSize()));
}

Response HandleRollback(const Request& request, Engine& engine, const std::string& admin_token) {
  if (std::optional<Response> refused = RefuseUnlessAdmin(request, admin_token)) return *refused;
  Result<rapidjson::Document> body = ObjectBody(request, /*empty_ok=*/true);
  if (!body.ok()) return ErrorResponse(body.error());
  std::optional<int> version;
  for (const auto& member : body->GetObject()) {
    const std::string name = member.name.GetString();
    if (name != "version") {
      return ErrorResponse(Error::InvalidArgument(name + ": unknown field (version)"));
    }
    if (!member.value.IsInt() || member.value.GetInt() < 1) {
      return ErrorResponse(Error::InvalidArgument("version: must be an integer >= 1"));
    }
    version = member.value.GetInt();
  }
  Result<std::pair<int, int>> rolled = engine.RollbackScoring(version);
  if (!rolled.ok()) return ErrorResponse(rolled.error());
  return JsonResponse("{\"version\":" + std::to_string(rolled->first) +
                      ",\"restored\":" + std::to_string(rolled->second) + "}");
}

Response HandlePreviewStart(const Request& request, Engine& engine,
                            const std::string& admin_token) {
  if (std::optional<Response> refused = RefuseUnlessAdmin(request, admin_token)) return *refused;
  Result<rapidjson::Document> body = ObjectBody(request, /*empty_ok=*/false);
  if (!body.ok()) return ErrorResponse(body.error());
  Engine::PreviewParams params;
  params.from_ms = Engine::NowMs() - 7 * kDayMs;
  bool has_config = false;
  for (const auto& member : body->GetObject()) {
    const std::string name = member.name.GetString();
    const rapidjson::Value& value = member.value;
    if (name == "config") {
      if (!value.IsObject())
        return ErrorResponse(Error::InvalidArgument("config: must be an object"));
      rapidjson::StringBuffer buffer;
      Writer writer(buffer);
      value.Accept(writer);
      params.config.assign(buffer.GetString(), buffer.GetSize());
      has_config = true;
    } else if (name == "variant" || name == "live_variant") {
      if (!value.IsString() || value.GetStringLength() == 0) {
        return ErrorResponse(Error::InvalidArgument(name + ": must be a non-empty string"));
      }
      (name == "variant" ? params.proposed_variant : params.live_variant) = value.GetString();
    } else if (name == "from" || name == "to") {
      Result<int64_t> time = TimeField(value, name);
      if (!time.ok()) return ErrorResponse(time.error());
      (name == "from" ? params.from_ms : params.until_ms) = *time;
    } else if (name == "max_rankings") {
      if (!value.IsInt() || value.GetInt() < 1 || value.GetInt() > kMaxPreviewRankings) {
        return ErrorResponse(Error::InvalidArgument("max_rankings: must be an integer in [1, " +
                                                    std::to_string(kMaxPreviewRankings) + "]"));
      }
      params.max_rankings = value.GetInt();
    } else {
      return ErrorResponse(Error::InvalidArgument(
          name + ": unknown field (config, variant, live_variant, from, to, max_rankings)"));
    }
  }
  if (!has_config) return ErrorResponse(Error::InvalidArgument("config: required"));
  if (params.until_ms <= params.from_ms) {
    return ErrorResponse(Error::InvalidArgument("to: must be after from"));
  }
  Result<std::string> id = engine.StartPreview(params);
  if (!id.ok()) return ErrorResponse(id.error());
  return JsonResponse("{\"id\":\"" + *id + "\",\"status\":\"running\"}", 202);
}

Response HandlePreviewGet(const Request& request, Engine& engine, const std::string& admin_token) {
  if (std::optional<Response> refused = RefuseUnlessAdmin(request, admin_token)) return *refused;
  const std::string& id = request.path_params.at("id");
  std::optional<PreviewStatus> status = engine.Preview(id);
  if (!status) return ErrorResponse(Error::NotFound("preview: no preview \"" + id + "\""));
  const ItemNames names = status->report && status->report->changed.size() == 2
                              ? NamesOf(*status->report, engine)
                              : ItemNames{};
  return JsonResponse(StatusJson(*status, names));
}

Response HandlePreviewCancel(const Request& request, Engine& engine,
                             const std::string& admin_token) {
  if (std::optional<Response> refused = RefuseUnlessAdmin(request, admin_token)) return *refused;
  const std::string& id = request.path_params.at("id");
  if (!engine.CancelPreview(id)) {
    return ErrorResponse(Error::NotFound("preview: no preview \"" + id + "\""));
  }
  std::optional<PreviewStatus> status = engine.Preview(id);
  PreviewStatus shown = status ? *status : PreviewStatus{};
  shown.id = id;
  // Asked to stop: it says cancelled once its thread sees that, which is soon.
  if (shown.state == PreviewState::kRunning) shown.state = PreviewState::kCancelled;
  shown.report.reset();
  return JsonResponse(StatusJson(shown, {}));
}

Response HandleExplain(const Request& request, Engine& engine, const std::string& admin_token) {
  if (std::optional<Response> refused = RefuseUnlessAdmin(request, admin_token)) return *refused;
  Request explained = request;
  explained.query_params.erase("explain");
  explained.query_params.emplace("explain", "true");
  return HandleSearchGet(explained, engine);
}

}  // namespace tailor::server::http
