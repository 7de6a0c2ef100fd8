// POST /rerank and POST /admin/reload: the scoring side of DESIGN.md's API.
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>

#include "server/http/error_response.h"
#include "server/http/handlers.h"
#include "server/http/internal/request_context.h"
#include "server/http/search_json.h"

namespace tailor::server::http {
namespace {

struct ParsedRerank {
  RerankRequest request;
  SearchContext context;
};

Status ReadString(const rapidjson::Value& value, const char* field, std::string& out) {
  if (!value.IsString()) return Error::InvalidArgument(std::string(field) + ": must be a string");
  out.assign(value.GetString(), value.GetStringLength());
  return Status::Ok();
}

Status ReadItems(const rapidjson::Value& value, std::vector<std::string>& items) {
  if (!value.IsArray()) return Error::InvalidArgument("items: must be an array of product ids");
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    if (!value[i].IsString() || value[i].GetStringLength() == 0) {
      return Error::InvalidArgument("items[" + std::to_string(i) + "]: must be a product id");
    }
    items.emplace_back(value[i].GetString(), value[i].GetStringLength());
  }
  return Status::Ok();
}

// {"visitor", "items": [ids], "query"?, "explain"?, "personalize"?, "variant"?}
Result<ParsedRerank> ParseRerankBody(std::string_view body) {
  rapidjson::Document json;
  Status parsed = internal::ParseJsonObjectBody(body, json);
  if (!parsed.ok()) return parsed.error();
  ParsedRerank out;
  bool has_items = false;
  for (const auto& member : json.GetObject()) {
    const std::string key(member.name.GetString(), member.name.GetStringLength());
    Status status = Status::Ok();
    if (key == "items") {
      has_items = true;
      status = ReadItems(member.value, out.request.items);
    } else if (key == "query") {
      status = ReadString(member.value, "query", out.request.query);
    } else if (internal::IsContextKey(key)) {
      status = internal::SetContextField(key, member.value, out.context);
    } else {
      status = Error::InvalidArgument(key + ": unknown field");
    }
    if (!status.ok()) return status.error();
  }
  if (!has_items) return Error::InvalidArgument("items: required");
  return out;
}

// Compares without stopping at the first difference, so the time taken does not tell how
// much of a guessed token was right.
bool SameToken(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

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
  Result<RerankResponse> result = engine.Recommend(parsed->first, parsed->second);
  if (!result.ok()) return ErrorResponse(result.error());
  return JsonResponse(RerankResponseToJson(*result));
}

Response HandleRerank(const Request& request, Engine& engine) {
  Result<ParsedRerank> parsed = ParseRerankBody(request.body);
  if (!parsed.ok()) return ErrorResponse(parsed.error());
  parsed->context.request_id = request.request_id;
  Result<RerankResponse> result = engine.Rerank(parsed->request, parsed->context);
  if (!result.ok()) return ErrorResponse(result.error());
  return JsonResponse(RerankResponseToJson(*result));
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

Response HandleAdminReload(const Request& request, Engine& engine,
                           const std::string& admin_token) {
  if (Status allowed = CheckAdmin(request, admin_token); !allowed.ok()) {
    Response response = ErrorResponse(allowed.error());
    if (allowed.error().code == ErrorCode::kUnauthenticated) {
      response.headers.emplace_back("WWW-Authenticate", "Bearer");
    }
    return response;
  }
  Status status = engine.ReloadScoring();
  if (!status.ok()) return ErrorResponse(status.error());
  return JsonResponse("{\"reloaded\":true}");
}

}  // namespace tailor::server::http
