// The simulator's side of Tailor's HTTP API, shared by the shoppers' sessions (session.cc)
// and the pool-recall measure (pool_recall.cc): URL encoding, one JSON exchange, and the
// ids of a page of search hits.
//
// Functions are thread-safe; a Transport is not (one per thread).
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "bench/simulator/catalog_model.h"
#include "tools/http_client.h"
#include "core/result.h"

namespace tailor::simulator {

// Percent-encodes everything but unreserved characters (RFC 3986).
std::string UrlEncode(std::string_view text);

// Sends one request and parses the answer. Errors: the transport's, and unavailable
// "METHOD TARGET: HTTP 400: {body}" for a status other than 2xx or "...: answer is not a
// JSON object: ..." when it is not one.
Result<rapidjson::Document> Exchange(Transport& transport, std::string_view method,
                                     const std::string& target, const std::string& body);

// One hit of a search answer: its product index (-1 for an id not in the catalog, or a hit
// without one) and whether its "explain" object holds "final_score" (the scoring layer
// ranked it).
struct AnsweredHit {
  long item = -1;
  bool ranked = false;
};

// The "hits" of a search answer. Errors: unavailable "WHERE: answer lacks hits".
Result<std::vector<AnsweredHit>> HitsOf(const Catalog& catalog, const rapidjson::Document& answer,
                                        const std::string& where);

}  // namespace tailor::simulator
