// Scores a ranking system against per-query human judgments: NDCG@k over the condensed
// list (unjudged products dropped) with an ideal ordering over all judged products of the
// query, judged coverage at the retrieval depth, and the mean number of results.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "bench/relevance/judgments.h"
#include "core/result.h"

namespace tailor::bench {

// Returns up to `depth` product ids for a query, best first.
using RankFunction =
    std::function<Result<std::vector<std::string>>(const std::string& query, int depth)>;

struct QueryScore {
  double ndcg = -1;   // -1 when the query's ideal DCG is 0 (left out of the mean)
  int judged = 0;     // judged products of the query
  int retrieved_judged = 0;  // of them, in the ranking
  int results = 0;    // length of the ranking
};

struct EvalSummary {
  long queries = 0;              // queries evaluated
  long zero_gain_queries = 0;    // queries whose ideal DCG is 0, left out of mean_ndcg
  double mean_ndcg = 0;          // over the other queries
  double coverage = 0;           // retrieved judged pairs / all judged pairs
  double mean_results = 0;       // mean ranking length
  std::vector<QueryScore> per_query;  // in the order of the queries given
};

struct EvalOptions {
  int depth = 100;  // ranking length asked of the system
  int k = 10;       // NDCG cut-off
  // Called every few hundred queries with the number done; may be empty.
  std::function<void(long done)> on_progress;
};

// Runs every query through `rank` and scores it. Errors: the first error `rank` returns,
// prefixed with the query.
Result<EvalSummary> Evaluate(const std::vector<QueryJudgments>& queries, const RankFunction& rank,
                             const EvalOptions& options);

// Scores one ranking against one query's judgments (exposed for tests).
QueryScore ScoreRanking(const QueryJudgments& judgments, const std::vector<std::string>& ranking,
                        int k);

}  // namespace tailor::bench
