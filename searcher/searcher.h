// The searcher: retrieves products for a query from a Tailor index (core/index_schema.h),
// with filters, facets, paging, AND-to-OR relaxation, search-as-you-type on the last term,
// measurement normalization (core/text.h), query-time synonyms (searcher/synonyms.h) and
// spelling correction when nothing matches.
// It also serves the ranking layer's candidate mode: the top N matches with their text
// scores.
//
// A Searcher follows the live index: when the indexer swaps a new generation in or commits
// an update, the next searches see it (checked at most every options.refresh_interval_ms).
// The index may be sharded: the stub lists several databases, local ones or ones served by
// xapian-tcpsrv ("remote HOST:PORT"), searched as one (see core/index_schema.h, README).
//
// Text results are shared across requests and visitors: Search, SearchCandidates, Retrieve
// and Similar keep what they found (hits with their text scores, totals, facets) in a
// byte-bounded cache per index generation and revision and synonym set, and LoadStored and
// Search keep the stored JSON of returned hits in a second one (options.result_cache_bytes,
// stored_cache_bytes). A cached answer is the one the index would give now: an update, a
// swap or new synonyms start a new epoch whose first search runs afresh.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/item_table.h"
#include "core/result.h"
#include "searcher/options.h"
#include "searcher/synonyms.h"

namespace tailor::searcher {

// How facets are counted when the request filters on facet kinds (SearchRequest::facets).
//  kDisjunctive (default): each facet kind is counted over the matches of every filter
//    except its own (brand counted without the brand filter, the price range without the
//    price filters), so after brand=Nike the brand facet still lists Adidas. The query
//    and in_stock apply to every facet.
//  kConjunctive: every facet is counted over the matches of all filters (the hits).
// Without facet filters both give the same counts.
enum class FacetMode { kDisjunctive, kConjunctive };

struct SearchRequest {
  std::string query;                  // free text; empty matches every product, most
                                      // popular first (kPopularitySlot), then by id; equal
                                      // text scores rank by id too, so every shard layout
                                      // ranks alike
  std::optional<int> limit;           // hits to return; default options.default_limit
  int offset = 0;                     // hits to skip
  std::vector<std::string> brands;    // any of these brands (OR); empty: no brand filter
  std::vector<std::string> categories;  // any of these category paths, "Men/Shoes" or "Men"
  std::vector<std::string> sizes;     // any of these sizes, in stock
  std::vector<std::string> colors;    // any of these colours
  std::optional<double> price_min;    // inclusive
  std::optional<double> price_max;    // inclusive
  bool in_stock_only = false;
  bool with_facets = true;
  // How facets are counted (see FacetMode). In both modes a value the request filters on
  // is listed in its facet with its count (0 when nothing counted has it) even when it is
  // not among the top options.facet_values.
  FacetMode facets = FacetMode::kDisjunctive;
  // Whether the last word also matches as a prefix (search-as-you-type); nullopt: the
  // searcher's option prefix_last_word (default kAuto: only when it looks unfinished).
  std::optional<PrefixMode> prefix_last_word;
  // Only matches of every word, never OR-relaxed ones, whatever options.relax_mode says: the
  // ranking layer's deeper retrieval, which wants more of the strict matches and would
  // otherwise pay for an OR query whenever they are fewer than its depth.
  bool strict_only = false;
};

struct Hit {
  uint32_t docid = 0;       // Xapian document id in the generation that answered
  std::string id;           // product id
  double score = 0;         // text relevance score (BM25 family); in a filled relaxation
                            // an OR-only match may score above an AND match ranked before it
  int rank = 0;             // 0-based position in the text ranking
  bool strict = true;       // matched the query as typed (AND); false for a relaxed OR-only
                            // match (SearchResult::relaxed)
  std::string stored_json;  // the catalog record as given; filled only for returned hits
};

struct FacetValue {
  std::string value;  // as written in the catalog (first spelling seen)
  long count = 0;
};

struct Facets {
  std::vector<FacetValue> brand;
  std::vector<FacetValue> category;  // category paths "Men/Shoes", every level counted
  std::vector<FacetValue> size;
  std::vector<FacetValue> color;
  std::optional<double> price_min;   // over all matches; absent when nothing matched
  std::optional<double> price_max;
};

struct SearchResult {
  std::string query;
  long total = 0;                   // matches (exact up to options.exact_total_up_to)
  std::vector<Hit> hits;
  Facets facets;
  bool relaxed = false;             // true when OR-only matches are in the result: AND
                                    // found too few (options.relax_mode); in fill mode they
                                    // rank after every AND match
  std::string did_you_mean;         // spelling suggestion when the words together matched
                                    // nothing (also when OR then answered); empty when none
  bool corrected = false;           // true when nothing matched the query as typed and
                                    // these are the results of did_you_mean instead
                                    // (options.spelling_rerun); query stays as typed
};

// What SearchCandidates returns: the text result and the item table its docids index.
struct CandidateResult {
  SearchResult result;
  // The table of the revision that answered (ItemTable rows are docids); null only when
  // the table of that revision was not loaded yet, then the caller keeps the text order.
  std::shared_ptr<const ItemTable> items;
};

// How one of the searcher's caches did since Open (SearcherOptions::result_cache_bytes).
struct CacheCounters {
  long hits = 0;
  long misses = 0;
  long inserts = 0;
  long evictions = 0;       // entries dropped to stay within the bound
  long entries = 0;         // held now
  long bytes = 0;           // held now, as accounted (values, keys and bookkeeping)
  long capacity_bytes = 0;  // the bound; 0: the cache is off
};

struct SearchCacheStats {
  CacheCounters results;  // text results: hits, scores, totals and facets per request
  CacheCounters stored;   // the catalog records (stored JSON) of returned hits
};

// Which index the searcher serves: generation counts the index folders opened since start
// (a rebuild's swap makes a new one), revision is Xapian's commit count of that folder (an
// update makes a new one).
struct IndexVersion {
  uint64_t generation = 0;
  uint64_t revision = 0;
};

class Searcher {
 public:
  // Opens the index at index_dir. Errors: unavailable when there is no index there or
  // Xapian cannot open it; invalid_argument when its format version is not ours.
  static Result<std::unique_ptr<Searcher>> Open(const std::string& index_dir,
                                                SearcherOptions options);
  virtual ~Searcher() = default;

  // Runs one search. Errors: invalid_argument naming the field (limit, offset, q,
  // price_min...) for a bad request, unavailable when the index cannot be read.
  // Thread-safe: any number of threads may call it at once.
  virtual Result<SearchResult> Search(const SearchRequest& request) const = 0;

  // Candidate mode for the ranking layer: the top `depth` matches of the request's query
  // and filters in text order (filled with OR matches like Search, options.relax_mode),
  // without stored data or facets; request.limit and request.offset are ignored. Errors:
  // as Search, and invalid_argument "depth: ..." unless 0 <= depth <= options.max_depth.
  // Thread-safe.
  virtual Result<std::vector<Hit>> Retrieve(const SearchRequest& request, int depth) const = 0;

  // Candidates for reranking: the same total, facets, relaxed, did_you_mean and corrected as
  // Search(request), but result.hits are the top max(depth, offset + limit) matches in text
  // order from rank 0 (the caller reranks, then pages), without stored_json. The AND-to-OR
  // fill is decided for offset + limit, as Search does, so both agree on total and facets.
  // Errors: as Search, and invalid_argument "depth: ..." as Retrieve. Thread-safe.
  virtual Result<CandidateResult> SearchCandidates(const SearchRequest& request,
                                                   int depth) const = 0;

  // Content similarity ("you might also like"): the top `depth` products whose text is most
  // like the seed products' (Xapian relevance feedback: the seeds' most telling words, by
  // expected relevance, matched with OR and BM25), the seeds themselves left out, in that
  // order, with the item table of the same revision. Seed ids the index lacks are skipped;
  // none found gives no hits. Errors: invalid_argument "depth: ..." as Retrieve; unavailable
  // when the index cannot be read. Thread-safe.
  virtual Result<CandidateResult> Similar(const std::vector<std::string>& seed_ids,
                                          int depth) const = 0;

  // The item table of the live index at its newest revision (the same refresh check as a
  // search); nullptr when the index cannot be read. Thread-safe.
  virtual std::shared_ptr<const ItemTable> Items() const = 0;

  // Reads stored data for these hits of a result of this searcher (fills stored_json) from
  // the live generation. A hit whose docid now holds another product (a rebuild swapped
  // generations since Retrieve) is found by its id; one whose product was deleted since
  // gets an empty stored_json. Errors: unavailable when the index cannot be read.
  // Thread-safe.
  virtual Status LoadStored(std::vector<Hit>& hits) const = 0;

  // Number of products in the live index; 0 when it cannot be read. Thread-safe.
  virtual long DocumentCount() const = 0;

  // Replaces the synonym set the searches after it parse their text with (see
  // searcher/synonyms.h); searches in flight finish with the old one. Null: no synonyms (the
  // state after Open). Thread-safe.
  virtual void SetSynonyms(std::shared_ptr<const Synonyms> synonyms) = 0;

  // The synonym set in use; null when none. Thread-safe.
  virtual std::shared_ptr<const Synonyms> synonyms() const = 0;

  // Counters of the result and stored-data caches. Thread-safe.
  virtual SearchCacheStats CacheStats() const = 0;
  // The index served now (GET /metrics). Thread-safe.
  virtual IndexVersion Version() const { return {}; }
};

}  // namespace tailor::searcher
