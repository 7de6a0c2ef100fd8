// POST /events, GET and DELETE /profiles/{visitor}: the profile side of DESIGN.md's API.
#include <string>
#include <utility>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/event.h"
#include "ranking/profile.h"
#include "server/http/error_response.h"
#include "server/http/handlers.h"
#include "server/http/internal/request_context.h"

namespace tailor::server::http {
namespace {

// The visitor named by the path, or the error to answer.
Result<std::string> VisitorOf(const Request& request) {
  auto it = request.path_params.find("visitor");
  if (it == request.path_params.end() || it->second.empty()) {
    return Error::InvalidArgument("visitor: required in the path");
  }
  Status checked = internal::CheckVisitor(it->second);
  if (!checked.ok()) return checked.error();
  return it->second;
}

std::string ForgetJson(const std::string& visitor) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("visitor");
  writer.String(visitor.c_str(), static_cast<rapidjson::SizeType>(visitor.size()));
  writer.Key("deleted");
  writer.Bool(true);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

void HandleEvents(const Request& request, Engine& engine, Responder respond) {
  if (!request.query_params.empty()) {
    return respond(ErrorResponse(Error::InvalidArgument(
        request.query_params.begin()->first + ": POST /events takes the events in the body")));
  }
  EventParseOptions options;
  options.now_ms = Engine::NowMs();
  Result<std::vector<Event>> events = ParseEvents(request.body, options);
  if (!events.ok()) return respond(ErrorResponse(events.error()));
  const size_t count = events->size();
  engine.Ingest(std::move(*events), [respond, count](Status status) {
    if (!status.ok()) return respond(ErrorResponse(status.error()));
    respond(JsonResponse("{\"accepted\":" + std::to_string(count) + "}", 202));
  });
}

Response HandleProfileGet(const Request& request, Engine& engine) {
  Result<std::string> visitor = VisitorOf(request);
  if (!visitor.ok()) return ErrorResponse(visitor.error());
  std::optional<ranking::ProfileView> profile = engine.Profile(*visitor);
  if (!profile) return ErrorResponse(Error::NotFound("profile " + *visitor + ": not found"));
  return JsonResponse(ranking::ProfileViewToJson(*profile));
}

void HandleProfileDelete(const Request& request, Engine& engine, Responder respond) {
  Result<std::string> visitor = VisitorOf(request);
  if (!visitor.ok()) return respond(ErrorResponse(visitor.error()));
  engine.Forget(*visitor, [respond, name = *visitor](Result<bool> found) {
    if (!found.ok()) return respond(ErrorResponse(found.error()));
    if (!*found) return respond(ErrorResponse(Error::NotFound("profile " + name + ": not found")));
    respond(JsonResponse(ForgetJson(name)));
  });
}

}  // namespace tailor::server::http
