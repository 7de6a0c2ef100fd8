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

// A router with every endpoint bound to `engine`. Requires: engine outlives the router.
Router MakeRouter(Engine& engine);

}  // namespace tailor::server::http
