// The endpoints of DESIGN.md's HTTP API. Each handler parses its Request, calls the Engine
// and serializes the answer; nothing else. They run on the server's io_context threads, so
// they rely on the Engine being thread-safe, and tests call them directly without a socket.
#pragma once

#include "server/engine.h"
#include "server/http/request.h"
#include "server/http/router.h"

namespace tailor::server::http {

// GET /search?q=...: parameters from the query string (search_request_parser.h).
Response HandleSearchGet(const Request& request, Engine& engine);

// POST /search: the same parameters as a JSON object body.
Response HandleSearchPost(const Request& request, Engine& engine);

// GET /health: {"status": "ok", "documents": N}.
Response HandleHealth(const Request& request, Engine& engine);

// POST /events: one event or {"events": [...]}; 202 {"accepted": N} once durable, 400
// naming the event index and field for a bad batch (none accepted).
void HandleEvents(const Request& request, Engine& engine, Responder respond);

// GET /profiles/{visitor}: the live profile, readable by a person; 404 when unknown.
Response HandleProfileGet(const Request& request, Engine& engine);

// DELETE /profiles/{visitor}: forgets the visitor everywhere, answering once nothing of them
// is left on disk: 200 {"visitor", "deleted": true}; 404 when nothing was known.
void HandleProfileDelete(const Request& request, Engine& engine, Responder respond);

// POST /rerank {"visitor", "items": [ids], "query"?, "explain"?, "personalize"?,
// "variant"?}: the shop's list ranked with the same scoring as search.
Response HandleRerank(const Request& request, Engine& engine);

// GET /recommendations?type=similar|reduced|also_bought|complements&visitor=&item=&limit=
// &explain=&personalize=&variant=: a recommendation slot (Engine::Recommend), answered as
// /rerank is; 404 for an unknown item, 400 naming a bad parameter.
Response HandleRecommendations(const Request& request, Engine& engine);

// Whether the request carries "Authorization: Bearer <admin_token>". Errors: not_found
// when admin_token is empty (admin endpoints disabled), unauthenticated otherwise.
Status CheckAdmin(const Request& request, const std::string& admin_token);

// POST /admin/reload: reloads the scoring config and models and picks up a new index
// revision; 200 {"reloaded": true}, or the loading error (the old config keeps serving). 401
// without the right bearer token, 404 when admin is disabled. Blocks while it reads files:
// the router runs it as a blocking handler, off the io threads (Router::AddBlocking).
Response HandleAdminReload(const Request& request, Engine& engine,
                           const std::string& admin_token);

struct RouterOptions {
  // The admin bearer token; empty disables the admin endpoints.
  std::string admin_token;
};

// A router with every endpoint bound to `engine`. Requires: engine outlives the router.
Router MakeRouter(Engine& engine, const RouterOptions& options = {});

}  // namespace tailor::server::http
