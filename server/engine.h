// The Engine: Tailor's composition of retrieval, ranking and logging behind one library API,
// with no HTTP in it. The HTTP handlers (server/http/) and the tests call the same Engine.
//
// A search picks the scoring variant (the one asked for, else the visitor's sticky share of
// the split in the scoring config), retrieves that variant's candidate_depth text
// candidates and, for a visitor with a profile (and personalize not false), adds the best
// matches among what the visitor likes (personal_depth) and ranks them with the learned
// scoring layer (ranking/scoring/ranker.h: features, model, business rules); total and facets are
// those of the text search. Search, Rerank and Recommend share one pipeline (BeginRanking,
// RankCandidates: variant, profile, request id, event popularity, rank). Without a profile the ranking is the text one. Every
// served page goes to the feature log (ranking/feature_log/ranking_log.h) with the feature vectors it
// was ranked by, so training and replay join events to it by request_id.
// Events resolve their item against the live index (ItemFacts: what the visitor saw) and go
// to the durable profile state (ranking/profiles/profile_state.h), which applies them before they
// are acknowledged, so the visitor's next search sees them. Every Engine method is
// thread-safe: the io_context threads of the server call it concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "ranking/analytics/search_analytics.h"
#include "ranking/feature_log/ranking_log.h"
#include "ranking/profiles/profile.h"
#include "ranking/profiles/profile_backend.h"
#include "ranking/profiles/profile_state.h"
#include "ranking/profiles/redis_state.h"
#include "ranking/recommend/co_occurrence.h"
#include "ranking/recommend/item_popularity.h"
#include "ranking/recommend/slot_candidates.h"
#include "ranking/scoring/ranker.h"
#include "searcher/options.h"
#include "searcher/searcher.h"
#include "server/metrics.h"
#include "server/preview.h"
#include "server/scoring_history.h"
#include "server/suggest_options.h"

namespace tailor::server {

namespace internal {
class PastQueries;
class Vocabulary;
}  // namespace internal

struct EngineOptions {
  // Index directory written by tailor-indexer.
  std::string index_dir;
  // State directory (profiles, event log); empty: no profiles, events are refused.
  std::string state_dir;
  searcher::SearcherOptions searcher;
  ranking::ProfileOptions profiles;
  ranking::StateOptions durability;
  // Where profiles live (ranking/profiles/profile_backend.h); "redis" uses `redis` and keeps
  // only the feature log and scoring history in state_dir.
  ranking::StateBackend state_backend = ranking::StateBackend::kEmbedded;
  ranking::RedisStateOptions redis;
  // Scoring config file (config/scoring.json); empty: one variant without model or rules.
  std::string scoring_config;
  // The feature log under <state>/rankings (only with a state directory).
  ranking::RankingLogOptions feature_log;
  // Synonyms file (searcher/synonyms.h); empty: no synonyms, and PUT cannot store any.
  std::string synonyms_path;
  // Query suggestions (GET /suggest): the k-visitor threshold, decay and memory caps.
  SuggestOptions suggest;
};

// Who is searching and how the result should be ranked and reported.
struct SearchContext {
  std::string visitor;       // empty: anonymous, the ranking is non-personalized
  bool personalize = true;   // false: non-personalized ranking even with a visitor
  bool explain = false;      // ask for per-hit explanations (once ranking exists)
  std::string variant;       // requested ranking variant; empty: the default one
  std::string request_id;    // empty: the Engine assigns one
};

// Why a hit ranked where it did (SearchContext::explain).
struct HitExplanation {
  int text_rank = 0;         // position in the text ranking
  double text_score = 0;     // BM25 score
  bool strict = true;        // matched every query word
  bool ranked = false;       // the scoring layer ranked it (else: text order)
  std::string model;         // the model's name, empty when none
  std::optional<double> model_score;  // the model's score, when the variant has a model
  double final_score = 0;    // model score + margin + boosts: what it was ordered by
  double margin = 0;         // margin_weight * margin
  ranking::SizeFit size_fit = ranking::SizeFit::kUnknown;
  bool in_stock = true;
  std::vector<float> features;         // registry order (ranking::FeatureNames())
  std::vector<double> contributions;   // registry order; empty without a model
  std::vector<ranking::Adjustment> adjustments;  // business rules applied to it
  // The top reasons in words, for a person (ranking/scoring/reasons.h): "in your size M".
  std::vector<std::string> reasons;
};

struct SearchResponse {
  std::string request_id;    // unique per search, for events and logs
  std::string variant;       // the ranking variant that answered ("default")
  bool personalized = false;  // whether the visitor's profile reranked the hits
  double took_ms = 0;        // wall time spent in the Engine
  searcher::SearchResult result;  // hits in ranked order, with stored_json filled
  std::vector<HitExplanation> explanations;  // one per hit when explain was asked
};

// POST /rerank: the shop's own list of items, ranked for a visitor.
struct RerankRequest {
  std::vector<std::string> items;  // product ids, in the shop's order (the "text" order)
  std::string query;               // optional: what the list answers, for query features
};

struct RerankResponse {
  std::string request_id;
  std::string variant;
  bool personalized = false;
  double took_ms = 0;
  std::vector<searcher::Hit> hits;           // ranked, with stored_json filled
  std::vector<HitExplanation> explanations;  // one per hit when explain was asked
  std::vector<std::string> unknown;          // ids not in the index, left out
};

// GET /recommendations: a slot of the shop's pages.
struct RecommendRequest {
  // "also_bought", "complements", "similar" ("you might also like"), "reduced".
  std::string type;
  std::string item;  // the product the slot is about; empty: the visitor's own history
  int limit = 10;
};

// GET /suggest: completions of what a visitor is typing into the search box.
struct SuggestRequest {
  std::string query;    // what was typed so far; must not be empty once normalized
  std::string visitor;  // empty: anonymous (no own queries, no profile)
  int limit = 8;        // suggestions wanted, 1..kMaxSuggestLimit
};

inline constexpr int kMaxSuggestLimit = 50;

enum class SuggestionKind { kQuery, kBrand, kCategory, kPhrase };

struct Suggestion {
  std::string text;  // what to search for: a past query, a brand, a category name, a phrase
  SuggestionKind kind = SuggestionKind::kQuery;
  long results = 0;  // the searcher's total for text (> 0)
};

struct SuggestResponse {
  std::string query;  // as given
  std::vector<Suggestion> suggestions;
  double took_ms = 0;
};

struct HealthInfo {
  long documents = 0;  // products in the live index
};

// Produces unique request ids: 16 hex digits from a bijective mix of a per-process random
// seed and a counter, so ids never repeat within a process and rarely across processes.
// Thread-safe.
class RequestIdGenerator {
 public:
  RequestIdGenerator();
  std::string Next();

 private:
  uint64_t seed_;
  std::atomic<uint64_t> counter_{0};
};

// What an Engine is made of, for callers that open the parts themselves (tests, tools).
struct EngineParts {
  std::unique_ptr<searcher::Searcher> searcher;  // required
  std::unique_ptr<ranking::ProfileBackend> state;  // null: no profiles, events refused
  // null: one variant "default" without model or rules.
  std::shared_ptr<const ranking::Scoring> scoring;
  std::string scoring_path;                      // what ReloadScoring reads; may be empty
  std::unique_ptr<ranking::RankingLog> ranking_log;  // null: rankings are not logged
  // Carts and purchases paired per visitor basket (also_bought, complements); null: none.
  std::unique_ptr<ranking::CoOccurrence> co_occurrence;
  // Item popularity learned from the events (the event_popularity feature); null: none.
  std::unique_ptr<ranking::ItemPopularity> popularity;
  // Views and clicks paired per visitor's last views (the co_viewed feature); null: none.
  std::unique_ptr<ranking::CoOccurrence> co_views;
  int default_limit = 20;                        // the searcher's default_limit
  int max_depth = 1000;                          // the searcher's max_depth
  // What ReloadSynonyms reads and ReplaceSynonyms writes; empty: none. The set itself is
  // the searcher's (Searcher::SetSynonyms).
  std::string synonyms_path;
  // The state directory the state and ranking log are in, for Analytics; empty: none.
  std::string state_dir;
  SuggestOptions suggest;                        // query suggestions
  // What the parts report to (the state's observer, when it has one); null: the engine
  // makes its own.
  std::unique_ptr<ServerMetrics> metrics;
};

class Engine {
 public:
  // Opens the index and, when options.state_dir is set, the profile state (recovering it).
  // Errors: those of searcher::Searcher::Open (unavailable when there is no index,
  // invalid_argument for a foreign format) prefixed "index DIR: ", and of
  // ranking::ProfileState::Open prefixed "state DIR: ".
  static Result<std::unique_ptr<Engine>> Open(const EngineOptions& options);

  // Requires: parts.searcher != nullptr.
  explicit Engine(EngineParts parts);
  explicit Engine(std::unique_ptr<searcher::Searcher> searcher);
  ~Engine();

  // Runs one search: retrieval and, for a visitor with a profile, the scoring layer. The
  // served page is logged with its features. A size filter with a visitor is also recorded
  // in the visitor's profile (not awaited). Errors: the searcher's (invalid_argument naming
  // the field, unavailable); invalid_argument "variant: unknown ..." for a variant the
  // scoring config lacks. Thread-safe.
  Result<SearchResponse> Search(const searcher::SearchRequest& request,
                                const SearchContext& context);

  // Ranks the shop's own list for the visitor with the same scoring as search (a list
  // without a visitor profile keeps its order, business rules aside). Ids the index lacks
  // are left out and reported; a repeated id keeps its first place. Each hit's score is the
  // final score it was ordered by. Errors: invalid_argument for an empty list, more than
  // 1000 items, or an unknown variant; unavailable without an index. Thread-safe.
  Result<RerankResponse> Rerank(const RerankRequest& request, const SearchContext& context);

  // Recommendations for a slot, ranked by the same scoring layer as search (the model for a
  // visitor with a profile; business rules; explain). Every answer leaves out the seed
  // items, items the visitor bought, and items sold out or out of the visitor's size.
  //  similar  products whose text is most like the item's (or the visitor's last viewed
  //           items'), boosted for sharing its deepest category level (by name: men's and
  //           women's parkas alike), brand, a colour and the price band
  //  reduced  items the visitor viewed that are now cheaper than the price they saw, or
  //           reduced (list price above price); the bigger the drop the higher
  //  also_bought  items carted or bought with the item (or the visitor's cart and last
  //           purchases) by other visitors (ranking/recommend/co_occurrence.h); when that gives too
  //           few, the bestsellers of the item's category follow
  //  complements  the same, from categories other than the seeds' ("fits your cart": the
  //           visitor's cart when no item is given)
  // A visitor or item with nothing to go on gets an empty list. Errors: invalid_argument
  // for an unknown type, a limit outside 1..100, or an unknown variant; not_found for an
  // item the index lacks; unavailable for also_bought/complements without a state
  // directory. Thread-safe.
  Result<RerankResponse> Recommend(const RecommendRequest& request, const SearchContext& context);

  // Reads the scoring config file (and its models) again and swaps it in; requests in
  // flight finish with the old one. An invalid config or model is refused (the error says
  // what and where) and the old one keeps serving. Also asks the searcher to pick up a new
  // index revision now. Errors: invalid_argument / not_found / unavailable from loading;
  // failed_precondition when the engine has no config file.
  // Thread-safe.
  Status ReloadScoring();

  // Reads the synonyms file again and swaps the set in (searches in flight finish with the
  // old one); nothing to do without a synonyms file. A bad file is refused with its error
  // (file, entry and field) and the old set keeps serving. Errors: invalid_argument from
  // parsing; unavailable when the file cannot be read. Thread-safe.
  Status ReloadSynonyms();

  // What POST /admin/reload and SIGHUP do: ReloadSynonyms, then ReloadScoring, each swapped
  // in on its own; the first error is returned. Thread-safe.
  Status Reload();

  // Validates a synonyms document (searcher/synonyms.h), writes it to the synonyms file
  // atomically and swaps it in. Errors: invalid_argument naming entry and field (nothing
  // changes); failed_precondition without a synonyms file; unavailable when the file cannot
  // be written (the old set keeps serving). Thread-safe.
  Status ReplaceSynonyms(std::string_view json_text);

  // The synonym set in use; null when none. Thread-safe.
  std::shared_ptr<const searcher::Synonyms> synonyms() const { return searcher_->synonyms(); }

  // The searcher the Engine retrieves with, for tools that ask the same index directly
  // (tailor-ranker recs judges the searcher's look-alikes beside the served slot).
  // Thread-safe.
  const searcher::Searcher& searcher() const { return *searcher_; }

  // The scoring in use. Thread-safe.
  std::shared_ptr<const ranking::Scoring> scoring() const { return scoring_.load(); }

  // The merchandiser's admin API (server/scoring_admin.cc).
  //
  // Validates a scoring config (JSON text, models relative to the live config's directory),
  // writes it to the scoring config file atomically, swaps it in (requests in flight finish
  // with the old one) and records it in the history with `source`. Returns the live version.
  // Errors: invalid_argument naming the JSON path ("variants.default.business.rules[0].
  // weight: ...") or the model; failed_precondition without a scoring config file;
  // unavailable when the file cannot be written (the old config keeps serving). Thread-safe.
  Result<int> ReplaceScoring(std::string_view json_text, const std::string& source = "put");
  // Makes a kept version live again (by default the one before the live one), as a new
  // version with source "rollback". Returns {new live version, version restored}. Errors:
  // not_found for a version not kept; failed_precondition when there is none before the
  // live one; those of ReplaceScoring. Thread-safe.
  Result<std::pair<int, int>> RollbackScoring(std::optional<int> version);
  // The configs that have been live, newest first (the first is live). Thread-safe.
  std::vector<ScoringVersion> ScoringVersions() const { return scoring_history_->Versions(); }

  struct PreviewParams {
    std::string config;            // the proposed scoring config, JSON text
    std::string proposed_variant;  // empty: its default variant
    std::string live_variant;      // empty: the live config's default variant
    int64_t from_ms = 0;
    int64_t until_ms = std::numeric_limits<int64_t>::max();
    int max_rankings = 100000;
  };
  // Starts replaying the logged traffic of the window under the live and the proposed
  // config (PreviewRunner); returns the preview's id. Errors: invalid_argument naming the
  // config's JSON path prefixed "config." or an unknown variant; failed_precondition while
  // another preview runs; unavailable without a state directory. Thread-safe.
  Result<std::string> StartPreview(const PreviewParams& params);
  std::optional<PreviewStatus> Preview(const std::string& id) const;
  bool CancelPreview(const std::string& id);
  // The live item table (null without an index). Thread-safe.
  std::shared_ptr<const ItemTable> Items() const { return searcher_->Items(); }

  // Writes the feature log's queued records (tests, shutdown). Thread-safe.
  Status FlushLogs();

  // Suggestions for what the visitor typed so far (request.query, matched as a prefix, with
  // one typo allowed from internal::kMinTypoPrefixBytes bytes on; exact-prefix matches
  // first): the visitor's own brands and categories (their profile), past queries that found
  // results (their own, and others' once SuggestOptions::min_visitors distinct visitors typed
  // them; decayed), then the index's brands, category names and title phrases (together, by
  // items). Each with the
  // searcher's total for its text (cached per index revision); texts without results are left
  // out. Past queries come from Search and, at Open, from the feature log. The vocabulary is
  // built at Open and again by the first call after the index revision changed (that call
  // waits for it; calls meanwhile use the old one). Errors:
  // invalid_argument "q: ..." for an empty query, "limit: ..." outside 1..kMaxSuggestLimit;
  // unavailable without an index. Thread-safe.
  Result<SuggestResponse> Suggest(const SuggestRequest& request);

  // Resolves each event's item in the live index (Event::facts) and logs the events
  // durably; done(Ok) once they are durable and applied to the profiles, so the next
  // Search sees them. done runs on the log thread and must not block. Errors (through
  // done): unavailable when there is no state directory or the log cannot be written.
  // Requires: events come from ParseEvents. Thread-safe.
  void Ingest(std::vector<Event> events, std::function<void(Status)> done);

  // The visitor's live profile, nullopt when unknown (or no state). Thread-safe.
  std::optional<ranking::ProfileView> Profile(std::string_view visitor) const;

  // Forgets the visitor everywhere (profile, event logs, snapshots, feature log, the past
  // queries suggestions count them in); done(true) when
  // anything was known of them. Errors: unavailable without a state directory.
  // Thread-safe.
  void Forget(std::string visitor, std::function<void(Result<bool>)> done);

  // Whether the profiles are shared with other servers (state backend "redis").
  bool shared_state() const { return shared_state_; }

  // Search analytics of the state directory's logs (ranking/analytics/search_analytics.h),
  // after writing the feature log's queued records, so the searches served so far count.
  // Blocks while it reads the logs: call it off the io threads. Errors: unavailable
  // without a state directory; those of ComputeAnalytics. Thread-safe.
  Result<ranking::AnalyticsReport> Analytics(const ranking::AnalyticsQuery& query,
                                             const ranking::AnalyticsOptions& options = {});

  // Milliseconds since the epoch, the time events without a timestamp get.
  static int64_t NowMs();

  // Liveness information. Thread-safe.
  HealthInfo Health() const;

  // What recovering the state directory at Open dropped and where (ProfileState::
  // RecoveryNotes), for the operator; empty without a state or when nothing was dropped.
  std::vector<std::string> StateRecoveryNotes() const;

  // How the searcher's shared caches of text results and stored data do (GET /admin/stats).
  // Thread-safe.
  searcher::SearchCacheStats CacheStats() const { return searcher_->CacheStats(); }

  // What the server counts (the HTTP layer and the events handler record into it).
  // Thread-safe.
  ServerMetrics& metrics() { return *metrics_; }
  // GET /metrics: the counted families and what is read now (index, profiles, caches,
  // feature log, state directory bytes, and each added source), in Prometheus' text format.
  // Thread-safe.
  std::string MetricsText() const;
  // Families read at every scrape from outside the engine: the HTTP server's connection
  // counters (http::ExportConnectionMetrics), which exist only once it runs. The source
  // must outlive every scrape. Thread-safe.
  using MetricsSource = std::function<std::vector<prometheus::MetricFamily>()>;
  void AddMetricsSource(MetricsSource source);

  // A fresh request id, for callers that need one before calling Search (the HTTP layer
  // logs with it). Thread-safe.
  std::string NewRequestId() { return request_ids_.Next(); }

 private:
  // What every ranked answer (search, rerank, recommendations) starts from: one scoring
  // snapshot, the variant, the visitor's profile and the request id.
  struct Ranking {
    std::chrono::steady_clock::time_point start;
    std::shared_ptr<const ranking::Scoring> scoring;
    const ranking::VariantConfig* variant = nullptr;
    std::optional<ranking::ProfileView> profile;  // as ProfileUse says, for a known visitor
    bool personalize = true;                       // SearchContext::personalize
    std::string request_id;
    // The profile the scoring layer personalizes with: null when there is none, it is
    // empty, or personalize is false. Points into this struct: valid while it lives.
    const ranking::ProfileView* personal() const {
      return personalize && profile && !profile->empty() ? &*profile : nullptr;
    }
    double TookMs() const;
  };
  // Whether a ranking reads the visitor's profile even when it does not personalize
  // (recommendations take their seeds from it).
  enum class ProfileUse { kToPersonalize, kAlways };
  // The shared first step. Errors: invalid_argument for an unknown variant.
  Result<Ranking> BeginRanking(const SearchContext& context,
                               ProfileUse use = ProfileUse::kToPersonalize);
  // Ranks candidates (their event popularity filled first) with the ranking's variant: the
  // model with a personal profile, business rules always.
  ranking::Ranked RankCandidates(const Ranking& ranking, const ItemTable& items,
                                 std::vector<ranking::Candidate>& candidates,
                                 std::string_view query) const;
  // Fills Candidate::event_popularity from the events (0 without them).
  void FillPopularity(const ItemTable& items, std::vector<ranking::Candidate>& candidates) const;
  // The first phase of personalized retrieval: the order of candidates (indexes into it, at
  // least the best `wanted`) under the variant's first-phase model alone, computing only the
  // features it reads, when it has one; else under the variant's whole ranking. Requires:
  // ranking.personal().
  std::vector<size_t> FirstPhaseOrder(const Ranking& ranking, const ItemTable& items,
                                      std::vector<ranking::Candidate>& candidates,
                                      std::string_view query, size_t wanted) const;
  // Fills Candidate::co_viewed against the profile's last views (0 without them).
  void FillCoViewed(const ItemTable& items, const ranking::ProfileView& profile,
                    std::vector<ranking::Candidate>& candidates) const;
  // Personalized retrieval (VariantConfig::personal_depth): when the text window is full of
  // strict matches, those down to personal_scan_depth are ordered by FirstPhaseOrder (the
  // window's best text match rides along so text scores scale as in the final ranking) and
  // the best personal_depth below the window join the pool after it (MergeBelowWindow).
  // Returns whether anything was added. Requires: ranking.personal().
  bool AddPersonalCandidates(const searcher::SearchRequest& request, const Ranking& ranking,
                             const ItemTable& items, std::vector<searcher::Hit>& pool,
                             std::vector<searcher::Hit>& rest) const;
  // The text-only path of Search.
  Result<SearchResponse> SearchText(const searcher::SearchRequest& request,
                                    const SearchContext& context,
                                    const ranking::VariantConfig& variant);
  // The ranked path of Search: the scoring layer over the variant's text candidates; the
  // model only with a profile (null: text order and business rules).
  Result<SearchResponse> SearchRanked(const searcher::SearchRequest& request,
                                      const SearchContext& context, const Ranking& ranking);
  void RecordSizeFilter(const searcher::SearchRequest& request, const SearchContext& context);
  // When fewer than `wanted` of the ranked pool fit the visitor (in stock, in their size),
  // retrieves the best text matches in the visitor's sizes and adds those not in the pool
  // (taking them out of rest), so a page shows items in the visitor's size whenever the
  // query has any. Returns whether anything was added.
  bool AddFittingCandidates(const searcher::SearchRequest& request,
                            const ranking::VariantConfig& variant,
                            const ranking::ProfileView& profile, const ranking::Ranked& ranked,
                            size_t wanted, std::vector<searcher::Hit>& pool,
                            std::vector<searcher::Hit>& rest);
  // The candidates of a "similar" slot: the searcher's look-alikes of the item, or of the
  // visitor's recent views (ranking/recommend/slot_candidates.h); items and seeds set.
  // Errors: the searcher's; not_found for an unknown item.
  Status SimilarSlot(const RecommendRequest& request, const ranking::VariantConfig& variant,
                     const std::optional<ranking::ProfileView>& profile,
                     std::shared_ptr<const ItemTable>& items, std::vector<ItemTable::Row>& seeds,
                     std::vector<ranking::Candidate>& candidates);
  // The candidates of the other slots (also_bought, complements, reduced). Errors: not_found
  // for an unknown item; unavailable without an index or, for basket slots, a state dir.
  Status BasketSlot(const RecommendRequest& request, ranking::SlotType type,
                    const ranking::VariantConfig& variant,
                    const std::optional<ranking::ProfileView>& profile,
                    std::shared_ptr<const ItemTable>& items, std::vector<ItemTable::Row>& seeds,
                    std::vector<ranking::Candidate>& candidates);
  // The variant asked for, or the visitor's share of the split.
  Result<const ranking::VariantConfig*> ChooseVariant(const ranking::Scoring& scoring,
                                                      const SearchContext& context) const;
  // What a search adds to its feature-log record: its matches and the shopper's filters.
  struct SearchFacts {
    int64_t total = 0;
    const searcher::SearchRequest* request = nullptr;  // required
  };
  // Logs a served page: rows of `features` for the candidates at `indexes`, in order. A
  // rerank with nothing shown is not logged; a search (with `search`) always is, so a
  // search that found nothing is in the log with no items.
  void LogRanking(const SearchContext& context, const std::string& request_id,
                  const std::string& variant, std::string_view query, bool personalized,
                  const ItemTable& items, std::span<const ranking::Candidate> candidates,
                  const std::vector<size_t>& indexes, int first_position,
                  const ranking::Ranked& ranked, const SearchFacts* search = nullptr);

  // What this server keeps of a visitor that another server forgot (shared state): the
  // feature log's records, the basket and the past queries.
  void ForgetForwarded(const std::string& visitor);

  // Before the parts: the state's log thread reports to it until the state is gone.
  std::unique_ptr<ServerMetrics> metrics_;
  mutable std::mutex metrics_sources_mutex_;
  std::vector<MetricsSource> metrics_sources_;
  std::unique_ptr<searcher::Searcher> searcher_;
  std::unique_ptr<ranking::ProfileBackend> state_;
  // The state is shared with other servers (Redis): baskets and popularity count the events
  // of every server as the state's follower reads them, not as this server commits them.
  bool shared_state_ = false;
  std::atomic<std::shared_ptr<const ranking::Scoring>> scoring_;
  std::string scoring_path_;
  std::mutex reload_mutex_;  // serializes ReloadScoring
  std::string synonyms_path_;
  std::mutex synonyms_mutex_;  // serializes ReloadSynonyms and ReplaceSynonyms
  std::unique_ptr<ranking::RankingLog> ranking_log_;
  std::unique_ptr<ranking::CoOccurrence> co_occurrence_;
  std::unique_ptr<ranking::ItemPopularity> popularity_;
  std::unique_ptr<ranking::CoOccurrence> co_views_;
  int default_limit_ = 20;
  int max_depth_ = 1000;
  std::string state_dir_;
  RequestIdGenerator request_ids_;
  // Query suggestions (server/suggest.cc).
  std::shared_ptr<const internal::Vocabulary> VocabularyFor(
      const std::shared_ptr<const ItemTable>& items);
  long ResultCount(const internal::Vocabulary& vocabulary, const std::string& text) const;
  SuggestOptions suggest_options_;
  std::unique_ptr<internal::PastQueries> past_queries_;
  std::mutex vocabulary_mu_;        // guards vocabulary_ and vocabulary_items_
  std::mutex vocabulary_build_mu_;  // one vocabulary build at a time
  std::shared_ptr<const internal::Vocabulary> vocabulary_;
  std::weak_ptr<const ItemTable> vocabulary_items_;  // the table vocabulary_ was built from
  // Parses a scoring config for ReplaceScoring and StartPreview: errors name the JSON path
  // after `path_prefix` ("" or "config.").
  Result<std::shared_ptr<const ranking::Scoring>> ParseScoring(
      std::string_view json_text, const std::string& path_prefix) const;
  // The configs that have been live (in memory until Open gives it the state directory's).
  std::unique_ptr<ScoringHistory> scoring_history_;
  // Last: a running preview reads the searcher's item table until it is stopped.
  std::unique_ptr<PreviewRunner> preview_;
};

}  // namespace tailor::server
