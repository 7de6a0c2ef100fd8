// Serializes Engine results as the JSON bodies DESIGN.md's HTTP API defines (internal to
// server/http: the search, recommendation and admin handlers use it).
#pragma once

#include <string>

#include "core/result.h"
#include "server/engine.h"
#include "server/http/request.h"

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

// The answer to a search, rerank or recommendation: 200 with the result's JSON as above, or
// the Engine's error (error_response.h).
Response AnswerJson(const Result<SearchResponse>& result);
Response AnswerJson(const Result<RerankResponse>& result);

// {"status": "ok", "documents": N}
std::string HealthToJson(const HealthInfo& health);

// GET /admin/stats: {"documents": N, "caches": {"results": {...}, "stored": {...}}}, each
// cache with hits, misses, hit_rate (null before any lookup), inserts, evictions, entries,
// bytes and capacity_bytes.
std::string StatsToJson(const HealthInfo& health, const searcher::SearchCacheStats& caches);

}  // namespace tailor::server::http::internal
