// Options of the searcher, read from the "searcher" object of the server config.
#pragma once

#include <rapidjson/document.h>

#include "core/result.h"

namespace tailor::searcher {

struct SearcherOptions {
  // Hits returned when a request gives no `limit`.
  int default_limit = 20;
  // Largest `limit` a request may ask for; more is an invalid_argument error.
  int max_limit = 100;
  // Largest `offset` a request may ask for (deep paging costs linear time).
  int max_offset = 10000;
  // Values returned per facet (brand, category, size, colour), most frequent first.
  int facet_values = 20;
  // The match count and facets are exact up to this many matches, estimated beyond.
  int exact_total_up_to = 100000;
  // How often, at most, a search checks whether the index changed on disk.
  int refresh_interval_ms = 200;
};

// Reads the "searcher" object, e.g. "searcher.max_limit: must be > 0". Unknown keys are errors.
Result<SearcherOptions> ParseSearcherOptions(const rapidjson::Value& json);

}  // namespace tailor::searcher
