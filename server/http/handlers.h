// The route table of DESIGN.md's HTTP API: every endpoint, bound to one Engine. The handlers
// themselves are grouped by resource, each group in its own header: search_handlers.h
// (/search, /rerank), events_handlers.h (/events), profile_handlers.h (/profiles),
// recommendation_handlers.h (/recommendations), suggest_handlers.h (/suggest) and
// admin_handlers.h (/health, /admin).
#pragma once

#include <string>

#include "server/engine.h"
#include "server/http/router.h"

namespace tailor::server::http {

struct RouterOptions {
  // The admin bearer token; empty disables the admin endpoints.
  std::string admin_token;
};

// A router with every endpoint bound to `engine`. Requires: engine outlives the router and
// every server serving it.
Router MakeRouter(Engine& engine, const RouterOptions& options = {});

}  // namespace tailor::server::http
