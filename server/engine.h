// The Engine: Tailor's composition of retrieval, ranking and logging behind one library API,
// with no HTTP in it. The HTTP handlers (server/http/) and the tests call the same Engine.
//
// Today a search is the searcher's text ranking; the visitor, personalize, explain and
// variant fields of SearchContext are accepted and carried so that the rerank and event
// logging stages can be added here without changing callers. Every Engine method is
// thread-safe: the io_context threads of the server call it concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "searcher/options.h"
#include "searcher/searcher.h"

namespace tailor::server {

struct EngineOptions {
  // Index directory written by tailor-indexer.
  std::string index_dir;
  // State directory (profiles, logs); not used yet by the text-only ranking.
  std::string state_dir;
  searcher::SearcherOptions searcher;
};

// Who is searching and how the result should be ranked and reported.
struct SearchContext {
  std::string visitor;       // empty: anonymous, the ranking is non-personalized
  bool personalize = true;   // false: non-personalized ranking even with a visitor
  bool explain = false;      // ask for per-hit explanations (once ranking exists)
  std::string variant;       // requested ranking variant; empty: the default one
  std::string request_id;    // empty: the Engine assigns one
};

struct SearchResponse {
  std::string request_id;    // unique per search, for events and logs
  std::string variant;       // the ranking variant that answered ("default")
  double took_ms = 0;        // wall time spent in the Engine
  searcher::SearchResult result;  // hits in ranked order, with stored_json filled
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

class Engine {
 public:
  // Opens the index. Errors: those of searcher::Searcher::Open (unavailable when there is
  // no index, invalid_argument for a foreign format).
  static Result<std::unique_ptr<Engine>> Open(const EngineOptions& options);

  // Wraps an already open searcher (tests, tools). Requires: searcher != nullptr.
  explicit Engine(std::unique_ptr<searcher::Searcher> searcher);

  // Runs one search: retrieval, and (later) reranking for the context's visitor and
  // logging. Errors: the searcher's (invalid_argument naming the field, unavailable).
  // Thread-safe.
  Result<SearchResponse> Search(const searcher::SearchRequest& request,
                                const SearchContext& context);

  // Liveness information. Thread-safe.
  HealthInfo Health() const;

  // A fresh request id, for callers that need one before calling Search (the HTTP layer
  // logs with it). Thread-safe.
  std::string NewRequestId() { return request_ids_.Next(); }

 private:
  std::unique_ptr<searcher::Searcher> searcher_;
  RequestIdGenerator request_ids_;
};

}  // namespace tailor::server
