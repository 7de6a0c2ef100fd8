#include "server/http/profile_handlers.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <string>

#include "ranking/profiles/profile.h"
#include "server/http/error_response.h"
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
