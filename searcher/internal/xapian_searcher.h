// The Searcher over a Tailor Xapian index (see searcher/searcher.h for the contract).
#pragma once

#include <xapian.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "searcher/internal/facet_spy.h"
#include "searcher/internal/live_index.h"
#include "searcher/internal/lru_cache.h"
#include "searcher/internal/text_model.h"
#include "searcher/searcher.h"

namespace tailor::searcher::internal {

class XapianSearcher : public Searcher {
 public:
  // text_model may be null: BM25 order (SearcherOptions::text_model).
  XapianSearcher(std::unique_ptr<LiveIndex> index, SearcherOptions options,
                 std::shared_ptr<const TextModel> text_model = nullptr)
      : index_(std::move(index)),
        options_(std::move(options)),
        text_model_(std::move(text_model)),
        results_(static_cast<size_t>(options_.result_cache_bytes)),
        doorkeeper_(static_cast<size_t>(options_.result_cache_bytes / 16)),
        stored_(static_cast<size_t>(options_.stored_cache_bytes)),
        synonyms_(std::make_shared<const SynonymState>()) {}

  Result<SearchResult> Search(const SearchRequest& request) const override;
  Result<std::vector<Hit>> Retrieve(const SearchRequest& request, int depth) const override;
  Result<CandidateResult> SearchCandidates(const SearchRequest& request,
                                           int depth) const override;
  Result<CandidateResult> Similar(const std::vector<std::string>& seed_ids,
                                  int depth) const override;
  std::shared_ptr<const ItemTable> Items() const override;
  Status LoadStored(std::vector<Hit>& hits) const override;
  long DocumentCount() const override;
  void SetSynonyms(std::shared_ptr<const Synonyms> synonyms) override;
  std::shared_ptr<const Synonyms> synonyms() const override;
  SearchCacheStats CacheStats() const override;
  IndexVersion Version() const override;

  // A text result as the result cache keeps it: the hits without stored data, their ids
  // in one string (hit i's id ends at hits[i].id_end), ranks from first_rank on.
  struct CachedHit {
    uint32_t docid = 0;
    uint32_t id_end = 0;
    double score = 0;
    bool strict = true;
  };
  struct CachedText {
    SearchResult meta;  // total, facets, relaxed, corrected, did_you_mean; no hits
    std::vector<CachedHit> hits;
    std::string ids;
    int first_rank = 0;
    std::shared_ptr<const ItemTable> items;
  };

 private:
  // The synonym set with the count of sets installed before it (its cache epoch).
  struct SynonymState {
    std::shared_ptr<const Synonyms> set;
    uint64_t serial = 0;
  };
  // A stored catalog record of the cache of stored data, with the id it belongs to.
  struct StoredRecord {
    std::string id;
    std::string json;
  };
  // One run of a query: the matches of a page and, when asked, the facets.
  struct Page {
    long total = 0;
    std::vector<Hit> hits;
    Facets facets;
    Xapian::Query text;  // the text query that found them (without the filters)
  };
  struct PageSpec {
    int offset = 0;
    int limit = 0;
    bool with_facets = false;
    bool with_stored = false;
    bool exact_total = false;  // count matches exactly up to options.exact_total_up_to
    // How many matches the page needs for the fill relaxation (RelaxMode::kFill);
    // -1: offset + limit. Candidates fetch more than the page they will show.
    int fill_to = -1;
    // No OR relaxation (SearchRequest::strict_only).
    bool strict_only = false;
    // The facets the page's own run counts (the rest are counted apart, CountFacetsApart),
    // and the values listed in them even beyond the cut (may be null: none).
    FacetMask facet_columns = kAllFacets;
    const FacetSelection* selection = nullptr;
  };

  // Runs fn(handle) on a handle of the live generation, with one reopen-and-retry after
  // DatabaseModifiedError and one refresh-and-retry when a generation vanished; other
  // Xapian errors become unavailable "index: ...".
  template <typename T, typename Fn>
  Result<T> WithHandle(Fn fn) const;

  // What a search found: a page plus how it was found.
  struct Outcome {
    Page page;
    long strict_total = 0;  // matches of the AND query alone
    bool relaxed = false;
    bool corrected = false;
    std::string did_you_mean;
  };

  // The request's text (normalized as options say) matched by MatchCorrected, the facets of
  // filtered kinds counted apart when they are disjunctive (SearchRequest::facets).
  Result<Outcome> Match(const SearchRequest& request, const PageSpec& spec,
                        Handle& handle) const;
  // MatchText, then, when no product had every word, the spelling suggestion
  // (options.spelling_rerun, spelling_rerun_when).
  Result<Outcome> MatchCorrected(const std::string& text, PrefixMode prefix,
                                 const std::optional<Xapian::Query>& filter,
                                 const PageSpec& spec, Handle& handle) const;
  // What MatchText does when no product has every word: relax and suggest a spelling, or
  // stop there (a spelling rerun that only counts if the suggestion matches strictly).
  enum class WithoutStrict { kRelax, kStop };
  // One text: the strict (AND) query, relaxed to OR as options.relax_mode says.
  Result<Outcome> MatchText(const std::string& text, PrefixMode prefix,
                            const std::optional<Xapian::Query>& filter, const PageSpec& spec,
                            Handle& handle,
                            WithoutStrict without_strict = WithoutStrict::kRelax) const;
  static SearchResult ResultOf(Outcome&& outcome, const std::string& query);
  static size_t RecordBytes(const StoredRecord& record);
  // Similar's work on one handle.
  Result<CandidateResult> SimilarOn(const std::vector<std::string>& seed_ids, int depth,
                                    Handle& handle) const;
  // The epoch a search started now would answer from (the live generation, its revision and
  // the synonym set), and the one a handle answers from.
  CacheEpoch LiveEpoch() const;
  static CacheEpoch EpochOf(const Handle& handle);
  // A copy of the cached text result under key in the live epoch, or nullopt.
  std::optional<CandidateResult> CachedResult(const std::string& key) const;
  // Keeps a compact copy of what handle found for key (without stored data), from the
  // second time the key is run in an epoch.
  void RememberResult(const std::string& key, const Handle& handle,
                      const CandidateResult& found) const;
  // The hit's stored_json from the stored-data cache of epoch when it holds the hit's
  // docid for the same id; false when not.
  bool StoredFromCache(const CacheEpoch& epoch, Hit& hit) const;
  // Keeps hit's stored_json as the record of docid in epoch.
  void RememberStored(const CacheEpoch& epoch, Xapian::docid docid, const Hit& hit) const;
  // Fills the hits' stored_json from the stored-data cache, else from handle's documents
  // (the hits' docids are of handle's revision), keeping what it read.
  void FillStored(std::vector<Hit>& hits, Handle& handle) const;
  // Disjunctive facets: each facet of `apart` counted over page.text with every filter of
  // the request except its own, into page.facets.
  void CountFacetsApart(const SearchRequest& request, FacetMask apart, const PageSpec& spec,
                        Page& page, Handle& handle) const;
  Page RunEnquire(const Xapian::Query& text, bool match_all,
                  const std::optional<Xapian::Query>& filter, const PageSpec& spec,
                  Handle& handle) const;
  // The whole request: paging (limit, offset), then ValidateMatch.
  Status Validate(const SearchRequest& request) const;
  // What Match reads: the query text, the filters and the price range.
  Status ValidateMatch(const SearchRequest& request) const;
  Status ValidateDepth(int depth) const;

  // How many hits a list of `wanted` from rank 0 fetches: text_model_depth more when a
  // text model reorders them.
  int Fetched(int wanted) const;
  // Reorders the first text_model_depth hits of a list from rank 0 by the text model, as
  // matched for `request` (its corrected text when the spelling rerun answered), then keeps
  // the first `keep`: what a list of Fetched(keep) is cut to.
  void Rerank(const SearchRequest& request, const Outcome& outcome, Handle& handle, int keep,
              std::vector<Hit>& hits) const;

  std::unique_ptr<LiveIndex> index_;
  const SearcherOptions options_;
  const std::shared_ptr<const TextModel> text_model_;  // null: none
  mutable LruCache<CachedText> results_;  // options_.result_cache_bytes
  // Keys run once (RememberResult's admission): 1/16 of results_'s bound.
  mutable LruCache<char> doorkeeper_;
  mutable LruCache<StoredRecord> stored_;      // options_.stored_cache_bytes, keyed by docid
  std::atomic<std::shared_ptr<const SynonymState>> synonyms_;
};

}  // namespace tailor::searcher::internal
