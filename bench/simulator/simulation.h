// Runs simulated shoppers (bench/simulator/shopper.h) against a Tailor server: each visitor
// comes back for several sessions of a few searches; every search is a real GET /search,
// and what the visitor does with the page (views, clicks, carts, and at the session's end
// purchases) is POSTed to /events carrying that search's request_id and the hit's
// position, so the server's logs hold traffic a learning-to-rank model can be trained on.
//
// The run happens in one World (bench/simulator/world.h, drawn by a world seed): it sets
// the shoppers' tastes, how they scan a page (position-based or cascade clicks), how many
// sessions and searches each visitor has (drawn per visitor within the world's ranges),
// how strongly they come back to items they viewed before, and the share of one-click
// visitors: visitors whose whole history is one search in which they click one item (no
// cart), followed by one measured search whose true NDCG is counted apart.
//
// Each served page is also scored against the visitor's true relevance (TrueNdcgAtK), which
// the server never sees, so ranking variants can be compared without click noise: run the
// same world and --seed with two --visitor-prefix values and two --variant values, and both
// variants meet the same hidden visitors posing the same queries (tailor-simulate
// --variants does that in one run).
//
// Pool recall (SimulationOptions::pool_recall): after its sessions, a visitor poses a broad
// query (one whose intent matches more than kBroadMatches items) under its own id, sending
// no event, and pages through the answer with explain=true to find the server's ranked pool
// (the leading hits whose explanation has a final_score, at most kMaxPool); the share of the
// visitor's ideal top 10 (IdealTopK) in that pool is compared with the share in the text
// top 200 of the same query (personalize=false). The pool's served top 10 and the pool in
// the truth's order are scored with true NDCG@10 too.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "bench/simulator/catalog_model.h"
#include "bench/simulator/world.h"
#include "core/result.h"
#include "tools/http_client.h"

namespace tailor::simulator {

struct SimulationOptions {
  // Visitors simulated, numbered 0..visitors-1.
  int visitors = 100;
  // The shoppers' world: tastes, click model, session lengths (world.h). Default: world 0.
  World world;
  // Seeds the visitors' preferences and every random decision within the world.
  uint64_t seed = 1;
  // Sent as variant=NAME with every search when not empty.
  std::string variant;
  // Visitor ids are prefix + six-digit index: "sim-000042".
  std::string visitor_prefix = "sim-";
  // Client threads, each with its own keep-alive connection; visitors are shared out.
  int threads = 2;
  // Hits asked for per search (limit=); true NDCG is taken at 10.
  int limit = 10;
  // Broad measuring searches in all (pool recall), shared out over the visitors in index
  // order: visitor i makes pool_recall / visitors of them, one more when i < the remainder.
  int pool_recall = 0;
};

// A broad query's intent matches more than this many catalog items.
inline constexpr size_t kBroadMatches = 500;
// Hits read at most when paging through a measuring search's ranked pool.
inline constexpr int kMaxPool = 1000;
// The text top compared with the pool.
inline constexpr int kTextTop = 200;

// Counts over searches; Add() sums two.
struct SimulationStats {
  long searches = 0;
  long hits_shown = 0;
  long clicks = 0;
  long carts = 0;
  long purchases = 0;
  long events_accepted = 0;  // sum of the server's {"accepted": N}
  // True NDCG@10, summed over searches for which the catalog had a relevant item.
  double ndcg_sum = 0;
  long ndcg_searches = 0;
  // The same for the visitors' first and last sessions only (one-click visitors left out).
  double first_session_ndcg_sum = 0;
  long first_session_ndcg_searches = 0;
  double last_session_ndcg_sum = 0;
  long last_session_ndcg_searches = 0;
  // Top-10 hits sized in a size system in which the visitor had already put an item into
  // the cart with a size (so the server could know it), and those of them not in stock in
  // the visitor's size.
  long known_size_hits = 0;
  long known_size_misses = 0;
  // Those misses ranked above a hit of the same page that is in the visitor's size: what
  // the size guard promises never happens.
  long known_size_misses_above_fit = 0;
  // One-click visitors, and the true NDCG@10 of their measured search.
  long one_click_visitors = 0;
  double one_click_ndcg_sum = 0;
  long one_click_ndcg_searches = 0;
  // Measuring searches whose ideal top 10 was not empty: those whose first hit the scoring
  // layer had not ranked (no pool to measure), and for the others the summed pool sizes
  // and the summed shares of the ideal top 10 in the pool and in the text top 200.
  long pool_unranked = 0;
  long pool_searches = 0;
  double pool_size_sum = 0;
  double pool_recall_sum = 0;
  double text_recall_sum = 0;
  // True NDCG@10 of those broad searches: the ranked pool's own top 10 as served, and the
  // same pool in the truth's order (what a perfect reranker of that pool would reach), so a
  // shortfall shows whether it lies in the pool or in the ranking of it.
  double pool_served_ndcg_sum = 0;
  double pool_oracle_ndcg_sum = 0;
  // The pool recall of the broad searches that ask for a category among the visitor's own
  // interests: the others (a shopper of groceries asked for "shirts", PickBroadQuery) leave
  // the profile nothing to know the ideal by.
  long pool_own_searches = 0;
  double pool_own_recall_sum = 0;

  void Add(const SimulationStats& other);
};

// "prefix" + six-digit index.
std::string VisitorId(const SimulationOptions& options, int index);

// Simulates all sessions of visitor `index` over `transport`, then its measuring searches.
// Deterministic in (catalog, options.world, options.seed, index) given the server's answers.
// Errors: the transport's, and unavailable "GET /search?...: HTTP 400: {body}" for an answer other
// than 2xx or one that is not the JSON expected.
Result<SimulationStats> SimulateVisitor(const Catalog& catalog, const SimulationOptions& options,
                                        int index, Transport& transport);

// Opens one transport per client thread.
using TransportFactory = std::function<Result<std::unique_ptr<Transport>>()>;
// Called after each visitor with the visitors done and the running totals; calls are
// serialized (never concurrent).
using ProgressCallback = std::function<void(int visitors_done, const SimulationStats& so_far)>;

// Simulates every visitor over options.threads threads and sums their stats in visitor
// order. Stops at the first error and returns it. Requires: options.threads >= 1.
Result<SimulationStats> RunSimulation(const Catalog& catalog, const SimulationOptions& options,
                                      const TransportFactory& connect,
                                      const ProgressCallback& progress);

}  // namespace tailor::simulator
