#include "server/http/recommendation_handlers.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>

#include "server/http/error_response.h"
#include "server/http/internal/request_context.h"
#include "server/http/internal/search_json.h"

namespace tailor::server::http {
namespace {

// The query parameters of GET /recommendations.
Result<std::pair<RecommendRequest, SearchContext>> ParseRecommendQuery(
    const std::multimap<std::string, std::string>& params) {
  RecommendRequest request;
  SearchContext context;
  bool has_type = false;
  for (const auto& [key, value] : params) {
    if (params.count(key) > 1) return Error::InvalidArgument(key + ": given more than once");
    if (key == "type") {
      request.type = value;
      has_type = true;
    } else if (key == "item") {
      request.item = value;
    } else if (internal::IsContextKey(key)) {
      Status status = internal::SetContextParam(key, value, context);
      if (!status.ok()) return status.error();
    } else if (key == "limit") {
      char* end = nullptr;
      const long limit = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0') return Error::InvalidArgument("limit: must be an integer");
      request.limit = static_cast<int>(std::clamp(limit, -1L, 1000000L));
    } else {
      return Error::InvalidArgument(key + ": unknown parameter");
    }
  }
  if (!has_type) {
    return Error::InvalidArgument("type: required (also_bought, complements, reduced, similar)");
  }
  return std::pair{request, context};
}

}  // namespace

Response HandleRecommendations(const Request& request, Engine& engine) {
  auto parsed = ParseRecommendQuery(request.query_params);
  if (!parsed.ok()) return ErrorResponse(parsed.error());
  parsed->second.request_id = request.request_id;
  return internal::AnswerJson(engine.Recommend(parsed->first, parsed->second));
}

}  // namespace tailor::server::http
