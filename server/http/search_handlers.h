// The ranked-list endpoints of DESIGN.md's HTTP API: a search, and the shop's own list ranked
// with the same scoring. Each parses its Request, calls the Engine and serializes the answer;
// they run on the server's io threads, relying on the Engine being thread-safe.
#pragma once

#include "server/engine.h"
#include "server/http/request.h"

namespace tailor::server::http {

// GET /search?q=...: parameters from the query string (search_request_parser.h); 400 naming
// a bad parameter.
Response HandleSearchGet(const Request& request, Engine& engine);

// POST /search: the same parameters as a JSON object body; 400 for query parameters.
Response HandleSearchPost(const Request& request, Engine& engine);

// POST /rerank {"visitor", "items": [ids], "query"?, "explain"?, "personalize"?,
// "variant"?}: the shop's list ranked with the same scoring as search; 400 naming a bad
// field.
Response HandleRerank(const Request& request, Engine& engine);

}  // namespace tailor::server::http
