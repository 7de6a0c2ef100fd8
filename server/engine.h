// The Engine: Tailor's composition of retrieval, ranking and logging behind one library API,
// with no HTTP in it. The HTTP handlers (server/http/) and the tests call the same Engine.
//
// A search retrieves text candidates and, for a visitor with a profile (and personalize not
// false), reranks the top PersonalWeights::depth of them with the visitor's live taste
// profile (ranking/personal_scorer.h); total and facets are those of the text search.
// Events resolve their item against the live index (ItemFacts: what the visitor saw) and go
// to the durable profile state (ranking/profile_state.h), which applies them before they
// are acknowledged, so the visitor's next search sees them. Every Engine method is
// thread-safe: the io_context threads of the server call it concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "ranking/personal_scorer.h"
#include "ranking/profile.h"
#include "ranking/profile_state.h"
#include "searcher/options.h"
#include "searcher/searcher.h"

namespace tailor::server {

struct EngineOptions {
  // Index directory written by tailor-indexer.
  std::string index_dir;
  // State directory (profiles, event log); empty: no profiles, events are refused.
  std::string state_dir;
  searcher::SearcherOptions searcher;
  ranking::ProfileOptions profiles;
  ranking::StateOptions durability;
  ranking::PersonalWeights personalization;
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
  // Set when the ranking was personalized: the components and the final score.
  std::optional<ranking::PersonalScore> personal;
};

struct SearchResponse {
  std::string request_id;    // unique per search, for events and logs
  std::string variant;       // the ranking variant that answered ("default")
  bool personalized = false;  // whether the visitor's profile reranked the hits
  double took_ms = 0;        // wall time spent in the Engine
  searcher::SearchResult result;  // hits in ranked order, with stored_json filled
  std::vector<HitExplanation> explanations;  // one per hit when explain was asked
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
  std::unique_ptr<ranking::ProfileState> state;  // null: no profiles, events refused
  ranking::PersonalWeights personalization;
  int default_limit = 20;                        // the searcher's default_limit
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

  // Runs one search: retrieval and, for a visitor with a profile, personal reranking.
  // A size filter with a visitor is also recorded in the visitor's profile (not awaited).
  // Errors: the searcher's (invalid_argument naming the field, unavailable). Thread-safe.
  Result<SearchResponse> Search(const searcher::SearchRequest& request,
                                const SearchContext& context);

  // Resolves each event's item in the live index (Event::facts) and logs the events
  // durably; done(Ok) once they are durable and applied to the profiles, so the next
  // Search sees them. done runs on the log thread and must not block. Errors (through
  // done): unavailable when there is no state directory or the log cannot be written.
  // Requires: events come from ParseEvents. Thread-safe.
  void Ingest(std::vector<Event> events, std::function<void(Status)> done);

  // The visitor's live profile, nullopt when unknown (or no state). Thread-safe.
  std::optional<ranking::ProfileView> Profile(std::string_view visitor) const;

  // Forgets the visitor everywhere (profile, event logs, snapshots); done(true) when
  // anything was known of them. Errors: unavailable without a state directory.
  // Thread-safe.
  void Forget(std::string visitor, std::function<void(Result<bool>)> done);

  // Milliseconds since the epoch, the time events without a timestamp get.
  static int64_t NowMs();

  // Liveness information. Thread-safe.
  HealthInfo Health() const;

  // A fresh request id, for callers that need one before calling Search (the HTTP layer
  // logs with it). Thread-safe.
  std::string NewRequestId() { return request_ids_.Next(); }

 private:
  // The text-only path of Search.
  Result<SearchResponse> SearchText(const searcher::SearchRequest& request,
                                    const SearchContext& context);
  // The personalized path of Search: rerank the text candidates for the profile.
  Result<SearchResponse> SearchPersonalized(const searcher::SearchRequest& request,
                                            const SearchContext& context,
                                            const ranking::ProfileView& profile);
  void RecordSizeFilter(const searcher::SearchRequest& request, const SearchContext& context);

  std::unique_ptr<searcher::Searcher> searcher_;
  std::unique_ptr<ranking::ProfileState> state_;
  ranking::PersonalWeights personalization_;
  int default_limit_ = 20;
  RequestIdGenerator request_ids_;
};

}  // namespace tailor::server
