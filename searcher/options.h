// Options of the searcher, read from the "searcher" object of the server config.
//
// Paging limits, facet sizes and how often the live index is checked for changes, plus the
// relevance knobs a relevance engineer tunes on judged queries: the BM25 parameters, the
// AND-to-OR relaxation, stopwords and the expansion limits of search-as-you-type.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>

#include "core/result.h"

namespace tailor::searcher {

// AND-to-OR relaxation (SearcherOptions::relax_mode).
enum class RelaxMode { kFill, kReplace, kOff };
// Prefix matching of the last word (SearcherOptions::prefix_last_word).
enum class PrefixMode { kAuto, kOn, kOff };

// When the spelling suggestion replaces the query (SearcherOptions::spelling_rerun_when).
enum class SpellingRerunWhen { kNoStrictMatch, kNoMatch };

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
  // Largest `depth` Retrieve() accepts (candidates for the ranking layer).
  int max_depth = 1000;
  // Bound of the shared cache of text results (searcher/searcher.h): what a query with its
  // filters, sort and depth found, reused by every visitor until the index or the synonyms
  // change; a result is kept from its second run on. 0: off. A 16th of it more goes to the
  // keys seen once.
  int64_t result_cache_bytes = int64_t{256} << 20;
  // Bound of the cache of returned hits' stored JSON (the catalog records). 0: off.
  int64_t stored_cache_bytes = 32 << 20;

  // BM25 parameters (Xapian::BM25Weight; these defaults are Xapian's own). k1: how fast
  // term frequency saturates; k2: query-length correction (0 = off); k3: query term
  // frequency saturation; b: document length normalisation, 0 (none) .. 1 (full);
  // min_normlen: floor of the normalised document length.
  double bm25_k1 = 1.0;
  double bm25_k2 = 0.0;
  double bm25_k3 = 1.0;
  double bm25_b = 0.5;
  double bm25_min_normlen = 0.5;

  // What happens when the AND of the query words finds too few matches:
  //  kFill (default): the OR matches that are not AND matches are appended after all AND
  //    matches (AND matches keep their order and always rank first); "too few" is fewer
  //    than the page needs (offset + limit; Retrieve: depth) or than `relax_below`. The
  //    total and facets then count the union. Measured best on the relevance benchmark.
  //  kReplace: when AND finds fewer than `relax_below`, the OR results replace them.
  //  kOff: AND only.
  // SearchResult::relaxed says when OR-only matches are in the result.
  RelaxMode relax_mode = RelaxMode::kFill;
  // Relaxation threshold (see relax_mode): 1 relaxes when AND found nothing.
  int relax_below = 1;
  // Search-as-you-type: whether the last word also matches as a prefix ("jack" -> "jacket").
  //  kAuto (default): only when the text does not end in a space and the last word is not
  //    itself a word of the index (the shopper is mid-word). So full queries such as "tile"
  //    are not widened to "tiles", "tiler"... which cost NDCG on the benchmark.
  //  kOn: always (unless the text ends in a space); kOff: never.
  // A request may ask for a mode (SearchRequest::prefix_last_word).
  PrefixMode prefix_last_word = PrefixMode::kAuto;
  // When nothing matches and there is a spelling suggestion, run the suggestion instead and
  // return its results (SearchResult::corrected, did_you_mean). false: only suggest.
  bool spelling_rerun = true;
  // What "nothing matches" means for spelling_rerun:
  //  kNoStrictMatch (default): no product has every word ("celing light": no product has
  //    "celing"), though the OR relaxation finds some; the suggestion's results are taken
  //    only when some product has all of its words, else the relaxed results stay.
  //  kNoMatch: not even one word matches.
  SpellingRerunWhen spelling_rerun_when = SpellingRerunWhen::kNoStrictMatch;
  // With kNoStrictMatch, when the suggestion's words are not all in one product either: true
  // (default), the suggestion's relaxed results replace those of the text as typed, whose
  // unknown word matched nothing ("steel enrty doors" then weighs "entry"); false: the
  // typed text's relaxed results stay.
  bool spelling_rerun_relaxed = true;
  // Run the query text through NormalizeMeasurements (core/text.h) before parsing, as the
  // indexer does with the indexed text, so "12x12" and "18v" meet "12 in. x 12 in." and
  // "18-Volt". Only useful on an index built with the same normalization.
  bool normalize_measurements = true;
  // Drop common words ("and", "for", "und", "mit") of the index language from queries
  // unless the query is only stopwords, so "jeans for men" does not require "for".
  bool stopwords = true;
  // Lowercase the query's ASCII letters before parsing. Xapian's parser leaves capitalized
  // words unstemmed (as names), so "INTERIOR DOORS" would miss "Interior Door".
  bool lowercase_query = true;
  // Relaxed (OR) matches of fill mode get this much added per query word they have (numbers
  // and units not counted), so a product with more of the words ranks above one with a
  // single rare word ("utility metal carts": "Metal Cart" above "Utility Knife"). 0: plain
  // BM25 among the OR-only matches.
  double relax_word_bonus = 3;
  // Pseudo-relevance feedback on relaxed results (searcher/internal/feedback.h): when the
  // AND of the words finds too few matches, the words that the best `feedback_docs`
  // matches share (the AND matches, else the OR ones) reorder the OR-only matches (and the
  // AND matches among themselves a little). Adds no match. Measured on the relevance
  // benchmark: +0.005 NDCG@10 with 10, at the cost of an extra top-10 run and an expansion
  // set per relaxed search (its 5,952 searches took 14.2 s with the four options above on,
  // 3.9 s with them off; feedback most of it). 0 (default): off, since a shop search box
  // pays that on every long query; 10 for the measured gain.
  int feedback_docs = 0;
  // Most feedback words (Xapian's expansion set, query words left out).
  int feedback_terms = 20;
  // A feedback word counts only when at least this many of the feedback documents have it.
  int feedback_min_docs = 2;
  // A feedback word weighs its BM25 weight times this and the share of feedback documents
  // that have it.
  double feedback_weight = 0.3;
  // Equal scores rank by product id on one database too, as they always do over shards, so
  // one database and any shard layout answer exactly alike. Off (default): one database
  // orders equal scores by docid, since a sort key per match makes a retrieval about 1.65x
  // as slow (searcher/internal/generation.h, OrderTies).
  bool ties_by_id = false;
  // The learned text model (searcher/internal/text_model.h): a file of gradient-boosted
  // trees that reorder the best `text_model_depth` text matches of every query with words
  // by how each title meets the words (relative to the current directory). Empty: BM25
  // order. Retrieve and SearchCandidates rank the deeper list and keep their depth; Search
  // pages through the reordered list (pages beyond text_model_depth keep BM25 order).
  std::string text_model;
  // How many of the best text matches the model reorders (fetched even when fewer are
  // asked for; the fill relaxation still fills only to what is asked).
  int text_model_depth = 300;
  // Most terms the unfinished last word ("jack" -> "jacket", "jackets") expands to; the
  // most frequent are kept.
  int partial_max_expansion = 100;
  // Most terms an explicit wildcard ("jack*") expands to; the most frequent are kept.
  int wildcard_max_expansion = 200;
};

// Reads the "searcher" object, e.g. "searcher.max_limit: must be > 0". Every key is
// optional (the defaults above apply); unknown keys and values out of range are
// invalid_argument errors naming the key path.
Result<SearcherOptions> ParseSearcherOptions(const rapidjson::Value& json);

}  // namespace tailor::searcher
