#include "server/http/handlers.h"

#include "server/http/error_response.h"
#include "server/http/search_json.h"
#include "server/http/search_request_parser.h"

namespace tailor::server::http {
namespace {

Response AnswerSearch(const Request& request, Result<ParsedSearch> parsed, Engine& engine) {
  if (!parsed.ok()) return ErrorResponse(parsed.error());
  parsed->context.request_id = request.request_id;
  Result<SearchResponse> result = engine.Search(parsed->request, parsed->context);
  if (!result.ok()) return ErrorResponse(result.error());
  return JsonResponse(SearchResponseToJson(*result));
}

}  // namespace

Response HandleSearchGet(const Request& request, Engine& engine) {
  return AnswerSearch(request, ParseSearchQuery(request.query_params), engine);
}

Response HandleSearchPost(const Request& request, Engine& engine) {
  if (!request.query_params.empty()) {
    return ErrorResponse(Error::InvalidArgument(request.query_params.begin()->first +
                                                ": POST /search takes its parameters in the body"));
  }
  return AnswerSearch(request, ParseSearchBody(request.body), engine);
}

Response HandleHealth(const Request& /*request*/, Engine& engine) {
  return JsonResponse(HealthToJson(engine.Health()));
}

Router MakeRouter(Engine& engine, const RouterOptions& options) {
  Router router;
  router.Add("POST", "/rerank", [&engine](const Request& r) { return HandleRerank(r, engine); });
  router.Add("GET", "/recommendations",
             [&engine](const Request& r) { return HandleRecommendations(r, engine); });
  router.AddBlocking("POST", "/admin/reload",
                     [&engine, token = options.admin_token](const Request& r) {
                       return HandleAdminReload(r, engine, token);
                     });
  router.Add("GET", "/search", [&engine](const Request& r) { return HandleSearchGet(r, engine); });
  router.Add("POST", "/search",
             [&engine](const Request& r) { return HandleSearchPost(r, engine); });
  router.Add("GET", "/health", [&engine](const Request& r) { return HandleHealth(r, engine); });
  router.AddAsync("POST", "/events", [&engine](const Request& r, Responder respond) {
    HandleEvents(r, engine, std::move(respond));
  });
  router.Add("GET", "/profiles/{visitor}",
             [&engine](const Request& r) { return HandleProfileGet(r, engine); });
  router.AddAsync("DELETE", "/profiles/{visitor}", [&engine](const Request& r, Responder respond) {
    HandleProfileDelete(r, engine, std::move(respond));
  });
  return router;
}

}  // namespace tailor::server::http
