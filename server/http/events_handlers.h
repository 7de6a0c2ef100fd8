// The event endpoint of DESIGN.md's HTTP API: what visitors did, which their profiles learn
// from. It runs on the server's io threads and answers once the events are durable.
#pragma once

#include "server/engine.h"
#include "server/http/request.h"
#include "server/http/router.h"

namespace tailor::server::http {

// POST /events: one event or {"events": [...]}; 202 {"accepted": N} once durable, 400
// naming the event index and field for a bad batch (none accepted), 400 for query
// parameters. Answers through respond, possibly from the Engine's writer thread.
void HandleEvents(const Request& request, Engine& engine, Responder respond);

}  // namespace tailor::server::http
