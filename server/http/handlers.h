// The route table of DESIGN.md's HTTP API: every endpoint, bound to one Engine. The handlers
// themselves are grouped by resource, each group in its own header: search_handlers.h
// (/search, /rerank), events_handlers.h (/events), profile_handlers.h (/profiles),
// recommendation_handlers.h (/recommendations), suggest_handlers.h (/suggest) and
// admin_handlers.h (/health, /admin); static_files.h (web/).
#pragma once

#include <memory>
#include <string>

#include "server/engine.h"
#include "server/http/access_log.h"
#include "server/http/router.h"
#include "server/http/server.h"
#include "server/http/static_files.h"

namespace tailor::server::http {

struct RouterOptions {
  // The admin bearer token; empty disables the admin endpoints.
  std::string admin_token;
  // Served by GET at their paths (web/: the demo shop, tailor.js, openapi.json); a file
  // whose path is also an endpoint's is not served.
  StaticFiles static_files;
  // Whether each answered request is counted in engine.metrics() (ServerOptions::
  // request_metrics).
  bool request_metrics = true;
  // Where each answered request is logged; null: no access log.
  std::shared_ptr<AccessLog> access_log;
};

// A router with every endpoint bound to `engine`. Requires: engine outlives the router and
// every server serving it. Every request answered is counted in engine.metrics() (GET
// /metrics) and logged to options.access_log.
Router MakeRouter(Engine& engine, const RouterOptions& options = {});

// Adds the HTTP server's connection counters to engine's GET /metrics, read at each scrape:
// tailor_http_connections_open, tailor_http_connections_refused_total (503s beyond
// max_connections) and tailor_http_rate_limited_total (429s of the per-address limit),
// which never reach the router and so are not in tailor_http_requests_total. Requires:
// server outlives every scrape.
void ExportConnectionMetrics(Engine& engine, const HttpServer& server);

}  // namespace tailor::server::http
