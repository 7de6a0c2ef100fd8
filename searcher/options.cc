#include "searcher/options.h"

#include <limits>
#include <string>

#include "core/json_options.h"

namespace tailor::searcher {
namespace {

using json_options::Bound;
constexpr int kIntMax = std::numeric_limits<int>::max();

const json_options::Reader<SearcherOptions>& OptionsReader() {
  static const json_options::Reader<SearcherOptions> kReader = [] {
    using O = SearcherOptions;
    json_options::Reader<O> reader;
    reader.Int("default_limit", &O::default_limit, 0)
        .Int("max_limit", &O::max_limit, 0, kIntMax, Bound::kExclusive)
        .Int("max_offset", &O::max_offset, 0)
        .Int("facet_values", &O::facet_values, 0)
        .Int("exact_total_up_to", &O::exact_total_up_to, 0)
        .Int("refresh_interval_ms", &O::refresh_interval_ms, 0)
        .Int("max_depth", &O::max_depth, 0, kIntMax, Bound::kExclusive)
        .Int64("result_cache_bytes", &O::result_cache_bytes, 0, int64_t{1} << 40)
        .Int64("stored_cache_bytes", &O::stored_cache_bytes, 0, int64_t{1} << 40)
        .Double("bm25_k1", &O::bm25_k1, 0, 1000)
        .Double("bm25_k2", &O::bm25_k2, 0, 1000)
        .Double("bm25_k3", &O::bm25_k3, 0, 1000)
        .Double("bm25_b", &O::bm25_b, 0, 1)
        .Double("bm25_min_normlen", &O::bm25_min_normlen, 0, 1000)
        .Choice<RelaxMode>("relax_mode", &O::relax_mode,
                           {{"fill", RelaxMode::kFill},
                            {"replace", RelaxMode::kReplace},
                            {"off", RelaxMode::kOff}})
        .Int("relax_below", &O::relax_below, 0, kIntMax, Bound::kExclusive)
        .Choice<PrefixMode>(
            "prefix_last_word", &O::prefix_last_word,
            {{"auto", PrefixMode::kAuto}, {"on", PrefixMode::kOn}, {"off", PrefixMode::kOff}})
        .Bool("spelling_rerun", &O::spelling_rerun)
        .Choice<SpellingRerunWhen>("spelling_rerun_when", &O::spelling_rerun_when,
                                   {{"no_strict_match", SpellingRerunWhen::kNoStrictMatch},
                                    {"no_match", SpellingRerunWhen::kNoMatch}})
        .Bool("spelling_rerun_relaxed", &O::spelling_rerun_relaxed)
        .Bool("normalize_measurements", &O::normalize_measurements)
        .Bool("stopwords", &O::stopwords)
        .Bool("lowercase_query", &O::lowercase_query)
        .Double("relax_word_bonus", &O::relax_word_bonus, 0, 1000)
        .Int("feedback_docs", &O::feedback_docs, 0, 1000)
        .Int("feedback_terms", &O::feedback_terms, 0, 1000)
        .Int("feedback_min_docs", &O::feedback_min_docs, 1, 1000)
        .Double("feedback_weight", &O::feedback_weight, 0, 1000)
        .Bool("ties_by_id", &O::ties_by_id)
        .String("text_model", &O::text_model)
        .Int("text_model_depth", &O::text_model_depth, 1, 10000)
        .Int("partial_max_expansion", &O::partial_max_expansion, 0, kIntMax, Bound::kExclusive)
        .Int("wildcard_max_expansion", &O::wildcard_max_expansion, 0, kIntMax, Bound::kExclusive);
    return reader;
  }();
  return kReader;
}

}  // namespace

Result<SearcherOptions> ParseSearcherOptions(const rapidjson::Value& json) {
  SearcherOptions options;
  if (Status read = OptionsReader().Read(json, "searcher", options); !read.ok()) {
    return read.error();
  }
  if (options.default_limit > options.max_limit) {
    return Error::InvalidArgument("searcher.default_limit: must be at most max_limit (" +
                                  std::to_string(options.max_limit) + ")");
  }
  return options;
}

}  // namespace tailor::searcher
