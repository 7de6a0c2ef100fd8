#include "server/http/handlers.h"

#include <chrono>
#include <functional>
#include <memory>
#include <utility>

#include "server/http/admin_handlers.h"
#include "server/http/events_handlers.h"
#include "server/http/profile_handlers.h"
#include "server/http/recommendation_handlers.h"
#include "server/http/scoring_handlers.h"
#include "server/http/search_handlers.h"
#include "server/http/suggest_handlers.h"

namespace tailor::server::http {

Router MakeRouter(Engine& engine, const RouterOptions& options) {
  Router router;
  router.Add("GET", "/search", [&engine](const Request& r) { return HandleSearchGet(r, engine); });
  router.Add("POST", "/search",
             [&engine](const Request& r) { return HandleSearchPost(r, engine); });
  router.Add("POST", "/rerank", [&engine](const Request& r) { return HandleRerank(r, engine); });
  router.AddAsync("POST", "/events", [&engine](const Request& r, Responder respond) {
    HandleEvents(r, engine, std::move(respond));
  });
  router.Add("GET", "/profiles/{visitor}",
             [&engine](const Request& r) { return HandleProfileGet(r, engine); });
  router.AddAsync("DELETE", "/profiles/{visitor}", [&engine](const Request& r, Responder respond) {
    HandleProfileDelete(r, engine, std::move(respond));
  });
  router.Add("GET", "/recommendations",
             [&engine](const Request& r) { return HandleRecommendations(r, engine); });
  router.Add("GET", "/suggest", [&engine](const Request& r) { return HandleSuggest(r, engine); });
  router.Add("GET", "/health", [&engine](const Request& r) { return HandleHealth(r, engine); });
  router.Add("GET", "/metrics", [&engine](const Request& r) { return HandleMetrics(r, engine); });
  router.AddBlocking("POST", "/admin/reload",
                     [&engine, token = options.admin_token](const Request& r) {
                       return HandleAdminReload(r, engine, token);
                     });
  router.Add("GET", "/admin/synonyms", [&engine, token = options.admin_token](const Request& r) {
    return HandleAdminSynonymsGet(r, engine, token);
  });
  router.AddBlocking("PUT", "/admin/synonyms",
                     [&engine, token = options.admin_token](const Request& r) {
                       return HandleAdminSynonymsPut(r, engine, token);
                     });
  router.Add("GET", "/admin/stats", [&engine, token = options.admin_token](const Request& r) {
    return HandleAdminStats(r, engine, token);
  });
  router.AddBlocking("GET", "/admin/analytics",
                     [&engine, token = options.admin_token](const Request& r) {
                       return HandleAdminAnalytics(r, engine, token);
                     });
  const std::string& token = options.admin_token;
  router.Add("GET", "/admin/scoring",
             [&engine, token](const Request& r) { return HandleScoringGet(r, engine, token); });
  router.AddBlocking("PUT", "/admin/scoring", [&engine, token](const Request& r) {
    return HandleScoringPut(r, engine, token);
  });
  router.Add("GET", "/admin/scoring/history",
             [&engine, token](const Request& r) { return HandleScoringHistory(r, engine, token); });
  router.AddBlocking("POST", "/admin/rollback", [&engine, token](const Request& r) {
    return HandleRollback(r, engine, token);
  });
  // Starting a preview flushes the feature log (a file write): off the io threads.
  router.AddBlocking("POST", "/admin/preview", [&engine, token](const Request& r) {
    return HandlePreviewStart(r, engine, token);
  });
  router.Add("GET", "/admin/preview/{id}",
             [&engine, token](const Request& r) { return HandlePreviewGet(r, engine, token); });
  router.Add("DELETE", "/admin/preview/{id}",
             [&engine, token](const Request& r) { return HandlePreviewCancel(r, engine, token); });
  router.Add("GET", "/admin/explain",
             [&engine, token](const Request& r) { return HandleExplain(r, engine, token); });
  for (const auto& [path, file] : options.static_files) {
    if (router.Has("GET", path)) continue;
    // The console is for the shop's staff: off where admin is off.
    if (token.empty() && path.rfind("/console", 0) == 0) continue;
    router.Add("GET", path, [file = std::make_shared<const StaticFile>(file)](const Request& r) {
      return ServeStaticFile(*file, r);
    });
  }
  if (!options.request_metrics && options.access_log == nullptr) return router;
  ServerMetrics* metrics = options.request_metrics ? &engine.metrics() : nullptr;
  router.SetObserver(
      [metrics, log = options.access_log](const Request& request, const std::string& route) {
        std::function<void(const Response&)> logged;
        if (log != nullptr) logged = log->Begin(request, route);
        const auto start = std::chrono::steady_clock::now();
        // The route is the router's own key (Router::Dispatch), alive as long as the router.
        return [metrics, logged = std::move(logged), method = request.method, route = &route,
                start](const Response& response) {
          if (metrics != nullptr) {
            metrics->ObserveRequest(
                method, *route, response.status,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
          }
          if (logged) logged(response);
        };
      });
  return router;
}

void ExportConnectionMetrics(Engine& engine, const HttpServer& server) {
  engine.AddMetricsSource([&server] {
    const ConnectionStats stats = server.connection_stats();
    prometheus::MetricFamily open =
        GaugeFamily("tailor_http_connections_open", "Connections being served now");
    AddSample(open, static_cast<double>(stats.open));
    prometheus::MetricFamily refused =
        CounterFamily("tailor_http_connections_refused_total",
                      "Connections answered 503 and closed because max_connections were open");
    AddSample(refused, static_cast<double>(stats.refused));
    prometheus::MetricFamily limited = CounterFamily(
        "tailor_http_rate_limited_total", "Requests answered 429 by the per-address rate limit");
    AddSample(limited, static_cast<double>(stats.rate_limited));
    std::vector<prometheus::MetricFamily> families;
    families.push_back(std::move(open));
    families.push_back(std::move(refused));
    families.push_back(std::move(limited));
    return families;
  });
}

}  // namespace tailor::server::http
