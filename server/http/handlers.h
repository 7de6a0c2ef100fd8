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

// A router with every endpoint bound to `engine`. Requires: engine outlives the router.
Router MakeRouter(Engine& engine);

}  // namespace tailor::server::http
