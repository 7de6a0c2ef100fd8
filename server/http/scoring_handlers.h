// The merchandiser's admin endpoints (admin token on every one): the live scoring config,
// replaced with a history to roll back to; previews of a proposed config on logged traffic;
// explain of a ranked page. The console (web/console/) is their user.
#pragma once

#include <string>

#include "server/engine.h"
#include "server/http/request.h"

namespace tailor::server::http {

// GET /admin/scoring: {"version": N, "config": {...}}, the live config.
Response HandleScoringGet(const Request& request, Engine& engine, const std::string& admin_token);

// PUT /admin/scoring with a scoring config as the body: validated (400 naming the JSON path,
// nothing changes), written to the config file atomically, swapped in with no request
// dropped, recorded in the history; 200 {"version": N}. 409 without a config file. Writes a
// file and loads models: registered with Router::AddBlocking.
Response HandleScoringPut(const Request& request, Engine& engine, const std::string& admin_token);

// GET /admin/scoring/history: {"live": N, "versions": [{"version", "saved_at", "saved_at_ms",
// "source", "config"}]}, newest first.
Response HandleScoringHistory(const Request& request, Engine& engine,
                              const std::string& admin_token);

// POST /admin/rollback, body empty or {"version": N}: that version (default: the one before
// the live one) made live again as a new version; 200 {"version": M, "restored": N}, 404 for
// a version not kept, 409 when there is none before the live one. AddBlocking.
Response HandleRollback(const Request& request, Engine& engine, const std::string& admin_token);

// POST /admin/preview {"config": {...}, "variant"?, "live_variant"?, "from"?, "to"?,
// "max_rankings"?}: starts a preview, 202 {"id", "status": "running"}; 400 naming the field
// ("config.variants.default...: ..."), 409 while another runs, 503 without logs.
// from/to are epoch ms or ISO 8601 (default: the last 7 days); max_rankings in
// [1, 1000000] (100000).
Response HandlePreviewStart(const Request& request, Engine& engine, const std::string& admin_token);

// GET /admin/preview/{id}: {"id", "status", "rankings_read", "elapsed_ms", "truncated",
// "report"? (when done), "error"? (when failed)}; 404 for an unknown id.
Response HandlePreviewGet(const Request& request, Engine& engine, const std::string& admin_token);

// DELETE /admin/preview/{id}: asks it to stop; 200 with its status; 404 for an unknown id.
Response HandlePreviewCancel(const Request& request, Engine& engine,
                             const std::string& admin_token);

// GET /admin/explain?q=&visitor=&...: GET /search's answer with explain=true, so a person can
// see why each hit ranked where it did.
Response HandleExplain(const Request& request, Engine& engine, const std::string& admin_token);

}  // namespace tailor::server::http
