#include "server/suggest_options.h"

#include "core/json_options.h"

namespace tailor::server {

Result<SuggestOptions> ParseSuggestOptions(const rapidjson::Value& json) {
  static const json_options::Reader<SuggestOptions> kReader = [] {
    using O = SuggestOptions;
    json_options::Reader<O> reader;
    reader.Int("min_visitors", &O::min_visitors, 1, 1000000)
        .Double("half_life_hours", &O::half_life_hours, 0, 1e6, json_options::Bound::kExclusive)
        .Int("max_queries", &O::max_queries, 1, 100000000)
        .Int("max_visitors_per_query", &O::max_visitors_per_query, 1, 1000000)
        .Int("max_phrases", &O::max_phrases, 0, 10000000)
        .Int("min_phrase_items", &O::min_phrase_items, 1, 1000000)
        .Int("max_cached_counts", &O::max_cached_counts, 0, 100000000);
    return reader;
  }();
  SuggestOptions options;
  if (Status read = kReader.Read(json, "suggest", options); !read.ok()) return read.error();
  return options;
}

}  // namespace tailor::server
