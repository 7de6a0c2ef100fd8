// Options of query suggestions (GET /suggest, Engine::Suggest), read from the "suggest" object
// of the server config.
#pragma once

#include <rapidjson/document.h>

#include "core/result.h"

namespace tailor::server {

struct SuggestOptions {
  // Distinct visitors who must have typed a query (and found results) before it is
  // suggested to anyone else; a visitor's own past queries are suggested to them at once.
  int min_visitors = 3;
  // A past query's weight (one per distinct visitor) halves every half-life.
  double half_life_hours = 168;
  // Most distinct past queries kept; beyond it the coldest tenth is dropped.
  int max_queries = 100000;
  // Most visitors remembered per query; beyond it the least recent one is dropped.
  int max_visitors_per_query = 1000;
  // Title phrases (runs of 1 to 3 title words) kept per index revision, most frequent first.
  int max_phrases = 50000;
  // Titles a phrase of two or three words must appear in to be suggested.
  int min_phrase_items = 2;
  // Result counts of suggested texts remembered per index revision.
  int max_cached_counts = 100000;
};

// Reads the "suggest" object over the defaults, e.g. "suggest.min_visitors: must be >= 1".
// Unknown keys and values out of range are invalid_argument errors naming the key path.
Result<SuggestOptions> ParseSuggestOptions(const rapidjson::Value& json);

}  // namespace tailor::server
