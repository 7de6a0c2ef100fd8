// Pool recall (simulation.h): how much of a visitor's ideal top 10 for a broad query the
// server's ranked candidate pool holds, against the text top 200 of the same query.
//
// Functions are thread-safe; a Transport is not (one per thread).
#pragma once

#include <optional>
#include <string>

#include "bench/simulator/catalog_model.h"
#include "tools/http_client.h"
#include "bench/simulator/rng.h"
#include "bench/simulator/shopper.h"
#include "bench/simulator/simulation.h"
#include "core/result.h"

namespace tailor::simulator {

// A broad query for the visitor: the leaf name alone of one of their interests whose leaf
// matches more than kBroadMatches items, else of any such leaf drawn by item count;
// nullopt when the catalog has no such leaf.
std::optional<Query> PickBroadQuery(const Catalog& catalog, const Visitor& visitor, Rng& rng);

// Poses `query` as visitor `visitor_id` (no event is sent) and adds the measure to `stats`:
// nothing when the visitor's ideal top 10 is empty, pool_unranked when the first hit was
// not ranked, else the pool size and both recalls. Errors: Exchange's and HitsOf's.
Status MeasurePool(const Catalog& catalog, const SimulationOptions& options, const Visitor& visitor,
                   const std::string& visitor_id, const Query& query, Transport& transport,
                   SimulationStats& stats);

}  // namespace tailor::simulator
