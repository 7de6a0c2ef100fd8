// The profile endpoints of DESIGN.md's HTTP API: a visitor's live profile, readable by a
// person, and forgetting a visitor. The visitor is the path's {visitor}, at most 256 bytes
// (400 otherwise). They run on the server's io threads.
#pragma once

#include "server/engine.h"
#include "server/http/request.h"
#include "server/http/router.h"

namespace tailor::server::http {

// GET /profiles/{visitor}: the live profile as JSON; 404 when unknown.
Response HandleProfileGet(const Request& request, Engine& engine);

// DELETE /profiles/{visitor}: forgets the visitor everywhere, answering through respond once
// nothing of them is left on disk: 200 {"visitor", "deleted": true}; 404 when nothing was
// known.
void HandleProfileDelete(const Request& request, Engine& engine, Responder respond);

}  // namespace tailor::server::http
