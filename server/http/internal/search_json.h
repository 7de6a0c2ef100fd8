// Serializes Engine results as the JSON bodies DESIGN.md's HTTP API defines (internal to
// server/http: the search, recommendation and admin handlers use it).
#pragma once

#include <string>

#include "server/engine.h"

namespace tailor::server::http::internal {

// {"request_id", "query", "total", "took_ms", "variant", "hits": [...], "facets": {...}},
// plus "did_you_mean" when there is a suggestion and "relaxed": true when relaxed. A hit is
// its stored catalog record with "score" merged in; "id", "title", "brand", "price",
// "list_price" (the price when the record has none) and "score" come first, the other stored
// fields follow in their stored order. A hit whose stored JSON cannot be parsed still
// appears, with "id" and "score" only.
std::string SearchResponseToJson(const SearchResponse& response);

// POST /rerank: {"request_id", "took_ms", "variant", "personalized", "hits": [...] (as in
// search), "unknown": [ids not in the index]}.
std::string RerankResponseToJson(const RerankResponse& response);

// {"status": "ok", "documents": N}
std::string HealthToJson(const HealthInfo& health);

}  // namespace tailor::server::http::internal
