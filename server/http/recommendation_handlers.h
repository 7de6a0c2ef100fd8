// The recommendation endpoint of DESIGN.md's HTTP API: the shop's recommendation slots,
// ranked with the same scoring as search. It runs on the server's io threads.
#pragma once

#include "server/engine.h"
#include "server/http/request.h"

namespace tailor::server::http {

// GET /recommendations?type=similar|reduced|also_bought|complements&visitor=&item=&limit=
// &explain=&personalize=&variant=: a recommendation slot (Engine::Recommend), answered as
// /rerank is; 404 for an unknown item, 400 naming a bad or repeated parameter.
Response HandleRecommendations(const Request& request, Engine& engine);

}  // namespace tailor::server::http
