// Search analytics for merchandisers: what visitors search for, what finds nothing, and what
// they click, cart and buy from the results, read from the logs a state directory keeps
// (GET /admin/analytics, tailor-ranker analytics).
//
// A search is a feature-log record (ranking/feature_log/ranking_log.h) with a `total`, or,
// on lines logged before `total` existed, with a non-empty query; each served page is one
// search. Queries are normalized (ASCII lowercased, whitespace trimmed and collapsed); the
// empty query (browsing with filters) counts in the totals and filters only. A search found
// nothing when its total is 0 (old lines: it showed no items).
//
// Events (the state's event log) count for a search when they name an item the search
// showed and either carry its request_id (from its visitor, or any visitor for an anonymous
// search), or carry no request_id and are the same visitor's within attribution_window_ms
// (30 minutes) after the search: then the latest such search of the visitor that showed the
// item gets it. An event with another request_id (a rerank, a search outside the window)
// counts for nothing. Only `click` events are clicks (not views); `add_to_cart` and
// `purchase` are the conversions. Per search: clicked, carted, purchased (at least one
// such event); rates are shares of the searches; the mean click position is over the
// clicks, from the position the search logged for the item, 1 for the first result.
//
// Bounds: feature-log segments last written before the window are not read, and at most
// max_searches searches of the window are read, oldest first; beyond that the report says
// truncated and covered_to_ms. Every event of the state is read (they are not in time
// order: shops may send old timestamps).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace tailor::ranking {

struct AnalyticsQuery {
  int64_t from_ms = 0;  // searches served in [from_ms, to_ms], both inclusive
  int64_t to_ms = 0;
  int limit = 20;       // entries per list, 1..kMaxAnalyticsLimit
  std::string variant;  // only searches served by this variant; empty: every variant
};

inline constexpr int64_t kDefaultAnalyticsWindowMs = 7LL * 24 * 3600 * 1000;
inline constexpr int kMaxAnalyticsLimit = 1000;

// Reads the parameters `from` and `to` (epoch milliseconds or ISO 8601 with a zone, as
// event timestamps; defaults: to = now_ms, from = to - 7 days), `limit` (default 20) and
// `variant`, each at most once. Errors: invalid_argument naming the parameter ("from: must
// not be after to", "limit: must be an integer in [1, 1000]", "x: unknown parameter",
// "limit: given more than once").
Result<AnalyticsQuery> ParseAnalyticsQuery(
    const std::vector<std::pair<std::string, std::string>>& params, int64_t now_ms);

struct AnalyticsOptions {
  // Searches of the window read at most; the report of a fuller window is cut there.
  int64_t max_searches = 200000;
  // An event without request_id counts for the same visitor's search at most this long
  // before it that showed its item.
  int64_t attribution_window_ms = 30 * 60 * 1000;
};

// Counts over a set of searches.
struct SearchFigures {
  int64_t searches = 0;
  int64_t visitors = 0;      // distinct, anonymous searches left out
  int64_t with_results = 0;  // total > 0
  int64_t clicked = 0;       // searches with at least one click
  int64_t carted = 0;        // ... with an add_to_cart of an item they showed
  int64_t purchased = 0;     // ... with a purchase of an item they showed
  int64_t clicks = 0;
  int64_t click_position_sum = 0;  // 1-based positions of the clicks
};

struct QueryFigures {
  std::string query;  // normalized
  SearchFigures figures;
};

struct FilterCount {
  std::string filter;  // "brand=puma", "category=men/topwear", "size=m", "color=blue",
                       // "price=500..1500" (an open end left empty), "in_stock=true"
  int64_t searches = 0;
};

struct VariantFigures {
  std::string variant;
  SearchFigures figures;
  std::vector<QueryFigures> top_queries;
};

struct AnalyticsReport {
  AnalyticsQuery query;
  bool truncated = false;     // the window held more than max_searches searches
  int64_t covered_to_ms = 0;  // the last search read (to_ms when not truncated)
  int64_t rankings_read = 0;  // feature-log records read, of every kind and time
  int64_t events_read = 0;
  SearchFigures totals;
  // The most searched queries, most first (ties by query).
  std::vector<QueryFigures> top_queries;
  // Queries with searches that found nothing; figures.searches counts those searches.
  std::vector<QueryFigures> no_results;
  // Queries whose searches found something and got no click; figures.searches counts the
  // searches with results.
  std::vector<QueryFigures> no_clicks;
  // The filters searches used most (a search counts once per filter value).
  std::vector<FilterCount> filters;
  // Per variant, by name.
  std::vector<VariantFigures> variants;
};

// Reads <state_dir>/rankings and the state's events for the query's window. Thread-safe
// (reads files only; runs beside a server writing them). Errors: those of the log readers
// (data_loss naming file and line for a corrupt line, unavailable when a file cannot be
// read). Blocks for as long as the reading takes: not for an io thread.
Result<AnalyticsReport> ComputeAnalytics(const std::string& state_dir, const AnalyticsQuery& query,
                                         const AnalyticsOptions& options);

// The report as GET /admin/analytics answers it: {"window": {"from", "to", "covered_to"},
// "truncated", "limit", "variant", "totals": {...}, "top_queries", "no_results",
// "no_clicks", "filters", "variants"}; rates are shares in [0, 1].
std::string AnalyticsReportToJson(const AnalyticsReport& report);

}  // namespace tailor::ranking
