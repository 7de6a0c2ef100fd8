#include "server/http/admin_handlers.h"

#include <string_view>
#include <utility>
#include <vector>

#include "server/http/error_response.h"
#include "server/http/internal/search_json.h"

namespace tailor::server::http {
namespace {

// Compares without stopping at the first difference, so the time taken does not tell how
// much of a guessed token was right.
bool SameToken(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

// The answer to a request without the right token: 401 says how to authenticate.
Response RefusedAdmin(const Error& error) {
  Response response = ErrorResponse(error);
  if (error.code == ErrorCode::kUnauthenticated) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  return response;
}

}  // namespace

Response HandleHealth(const Request& /*request*/, Engine& engine) {
  return JsonResponse(internal::HealthToJson(engine.Health()));
}

Status CheckAdmin(const Request& request, const std::string& admin_token) {
  if (admin_token.empty()) {
    return Error::NotFound("admin endpoints are disabled: no admin token is configured");
  }
  constexpr std::string_view kBearer = "Bearer ";
  std::string_view given = request.authorization;
  if (given.substr(0, kBearer.size()) != kBearer) {
    return Error::Unauthenticated("Authorization: a bearer token is required");
  }
  if (!SameToken(given.substr(kBearer.size()), admin_token)) {
    return Error::Unauthenticated("Authorization: wrong token");
  }
  return Status::Ok();
}

Response HandleAdminReload(const Request& request, Engine& engine, const std::string& admin_token) {
  if (Status allowed = CheckAdmin(request, admin_token); !allowed.ok()) {
    return RefusedAdmin(allowed.error());
  }
  Status status = engine.ReloadScoring();
  if (!status.ok()) return ErrorResponse(status.error());
  return JsonResponse("{\"reloaded\":true}");
}

Response HandleAdminAnalytics(const Request& request, Engine& engine,
                              const std::string& admin_token) {
  if (Status allowed = CheckAdmin(request, admin_token); !allowed.ok()) {
    return RefusedAdmin(allowed.error());
  }
  const std::vector<std::pair<std::string, std::string>> params(request.query_params.begin(),
                                                                request.query_params.end());
  Result<ranking::AnalyticsQuery> query = ranking::ParseAnalyticsQuery(params, Engine::NowMs());
  if (!query.ok()) return ErrorResponse(query.error());
  Result<ranking::AnalyticsReport> report = engine.Analytics(*query);
  if (!report.ok()) return ErrorResponse(report.error());
  return JsonResponse(ranking::AnalyticsReportToJson(*report));
}

}  // namespace tailor::server::http
