// The operations endpoints of DESIGN.md's HTTP API: health, which anyone may ask, and the
// admin endpoints, which need the admin bearer token.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"
#include "server/engine.h"
#include "server/http/request.h"

namespace tailor::server::http {

// GET /health: {"status": "ok", "documents": N}.
Response HandleHealth(const Request& request, Engine& engine);

// GET /metrics: Engine::MetricsText() as text/plain; version=0.0.4 (Prometheus' text
// format). Open like /health: it holds counts, never a visitor id or a query.
Response HandleMetrics(const Request& request, Engine& engine);

// GET /admin/stats (admin token): the index's size and the searcher caches' counters
// (internal::StatsToJson).
Response HandleAdminStats(const Request& request, Engine& engine, const std::string& admin_token);

// The answer to a request without the admin token (401 with WWW-Authenticate: Bearer, or
// 404 when admin is disabled); nullopt when it has it.
std::optional<Response> RefuseUnlessAdmin(const Request& request, const std::string& admin_token);

// Whether the request carries "Authorization: Bearer <admin_token>", compared in time that
// depends neither on how much of it is right nor on the configured token's length. Errors:
// not_found when admin_token is empty (admin endpoints disabled), unauthenticated otherwise.
Status CheckAdmin(const Request& request, const std::string& admin_token);

// POST /admin/reload: reloads the synonyms file, the scoring config and models and picks up a new
// index revision; 200 {"reloaded": true}, or the loading error (the old config keeps serving). 401
// (with WWW-Authenticate: Bearer) without the right bearer token, 404 when admin is
// disabled. Blocks while it reads files, so the route table registers it with
// Router::AddBlocking and the server runs it on its reload thread, off the io threads.
Response HandleAdminReload(const Request& request, Engine& engine, const std::string& admin_token);

// GET /admin/synonyms: the live synonym set in the synonyms file's format (searcher/
// synonyms.h), {"synonyms": []} when there is none. 401 / 404 as HandleAdminReload.
Response HandleAdminSynonymsGet(const Request& request, Engine& engine,
                                const std::string& admin_token);

// PUT /admin/synonyms with a body in the synonyms file's format: validates it, writes the
// synonyms file atomically and swaps the set in; 200 {"synonyms": N} (entries). 400 naming
// entry and field for a bad body (the old set keeps serving), 409 failed_precondition when
// the server has no synonyms file; 401 / 404 as HandleAdminReload. Writes and fsyncs a file,
// so the route table registers it with Router::AddBlocking.
Response HandleAdminSynonymsPut(const Request& request, Engine& engine,
                                const std::string& admin_token);

// GET /admin/analytics?from=&to=&limit=&variant=: search analytics of the server's logs
// (ranking/analytics/search_analytics.h: top queries, no-result and no-click queries,
// filters, per variant), 200 with AnalyticsReportToJson. 400 naming the parameter for a
// bad or unknown one, 401 / 404 as for reload, 503 without a state directory. Reads the
// logs, so it is registered with Router::AddBlocking and runs off the io threads.
Response HandleAdminAnalytics(const Request& request, Engine& engine,
                              const std::string& admin_token);

}  // namespace tailor::server::http
