#include "bench/relevance/evaluate.h"

#include <unordered_map>
#include <unordered_set>

#include "ranking/offline/metrics.h"

namespace tailor::bench {

QueryScore ScoreRanking(const QueryJudgments& judgments, const std::vector<std::string>& ranking,
                        int k) {
  std::unordered_map<std::string, double> gain_of;
  for (const JudgedProduct& p : judgments.products) gain_of.emplace(p.id, p.gain);
  QueryScore score;
  score.judged = static_cast<int>(gain_of.size());
  score.results = static_cast<int>(ranking.size());
  std::vector<double> gains;
  std::unordered_set<std::string> seen;
  for (const std::string& id : ranking) {
    auto it = gain_of.find(id);
    if (it == gain_of.end() || !seen.insert(id).second) continue;
    gains.push_back(it->second);
  }
  score.retrieved_judged = static_cast<int>(gains.size());
  std::vector<double> missing;
  for (const auto& [id, gain] : gain_of) {
    if (!seen.contains(id)) missing.push_back(gain);
  }
  score.ndcg = ranking::NdcgAtK(gains, k, missing);
  return score;
}

Result<EvalSummary> Evaluate(const std::vector<QueryJudgments>& queries, const RankFunction& rank,
                             const EvalOptions& options) {
  EvalSummary summary;
  long judged_pairs = 0;
  long retrieved_pairs = 0;
  long total_results = 0;
  double ndcg_sum = 0;
  for (const QueryJudgments& q : queries) {
    Result<std::vector<std::string>> ranking = rank(q.query, options.depth);
    if (!ranking.ok()) return ranking.error().WithPrefix("query \"" + q.query + "\"");
    QueryScore score = ScoreRanking(q, *ranking, options.k);
    judged_pairs += score.judged;
    retrieved_pairs += score.retrieved_judged;
    total_results += score.results;
    if (score.ndcg < 0) {
      ++summary.zero_gain_queries;
    } else {
      ndcg_sum += score.ndcg;
    }
    summary.per_query.push_back(score);
    ++summary.queries;
    if (options.on_progress && summary.queries % 500 == 0) options.on_progress(summary.queries);
  }
  long scored = summary.queries - summary.zero_gain_queries;
  summary.mean_ndcg = scored > 0 ? ndcg_sum / scored : 0;
  summary.coverage = judged_pairs > 0 ? static_cast<double>(retrieved_pairs) / judged_pairs : 0;
  summary.mean_results =
      summary.queries > 0 ? static_cast<double>(total_results) / summary.queries : 0;
  return summary;
}

}  // namespace tailor::bench
