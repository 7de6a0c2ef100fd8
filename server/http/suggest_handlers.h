// The query suggestion endpoint of DESIGN.md's HTTP API: completions while the visitor
// types. It runs on the server's io threads.
#pragma once

#include "server/engine.h"
#include "server/http/request.h"

namespace tailor::server::http {

// GET /suggest?q=par&visitor=v1&limit=8 (Engine::Suggest): {"query", "suggestions": [{"text",
// "kind": "query"|"brand"|"category"|"phrase", "results"}], "took_ms"}. 400 naming the
// parameter for a missing, empty, too long (as /search's q) or non-UTF-8 q, a limit outside
// 1..50, a bad visitor, a repeated or unknown parameter.
Response HandleSuggest(const Request& request, Engine& engine);

}  // namespace tailor::server::http
