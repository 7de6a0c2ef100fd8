#include "bench/simulator/simulation.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace tailor::simulator {

void SimulationStats::Add(const SimulationStats& other) {
  searches += other.searches;
  hits_shown += other.hits_shown;
  clicks += other.clicks;
  carts += other.carts;
  purchases += other.purchases;
  events_accepted += other.events_accepted;
  ndcg_sum += other.ndcg_sum;
  ndcg_searches += other.ndcg_searches;
  first_session_ndcg_sum += other.first_session_ndcg_sum;
  first_session_ndcg_searches += other.first_session_ndcg_searches;
  last_session_ndcg_sum += other.last_session_ndcg_sum;
  last_session_ndcg_searches += other.last_session_ndcg_searches;
  known_size_hits += other.known_size_hits;
  known_size_misses += other.known_size_misses;
  known_size_misses_above_fit += other.known_size_misses_above_fit;
  one_click_visitors += other.one_click_visitors;
  one_click_ndcg_sum += other.one_click_ndcg_sum;
  one_click_ndcg_searches += other.one_click_ndcg_searches;
  pool_unranked += other.pool_unranked;
  pool_searches += other.pool_searches;
  pool_size_sum += other.pool_size_sum;
  pool_recall_sum += other.pool_recall_sum;
  pool_served_ndcg_sum += other.pool_served_ndcg_sum;
  pool_oracle_ndcg_sum += other.pool_oracle_ndcg_sum;
  pool_own_searches += other.pool_own_searches;
  pool_own_recall_sum += other.pool_own_recall_sum;
  text_recall_sum += other.text_recall_sum;
}

std::string VisitorId(const SimulationOptions& options, int index) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%06d", index);
  return options.visitor_prefix + digits;
}

Result<SimulationStats> RunSimulation(const Catalog& catalog, const SimulationOptions& options,
                                      const TransportFactory& connect,
                                      const ProgressCallback& progress) {
  const int visitors = std::max(0, options.visitors);
  std::vector<std::optional<SimulationStats>> per_visitor(static_cast<size_t>(visitors));
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;  // guards first_error, done and running
  std::optional<Error> first_error;
  int done = 0;
  SimulationStats running;
  auto fail = [&](const Error& error) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!first_error) first_error = error;
    failed = true;
  };
  auto work = [&] {
    Result<std::unique_ptr<Transport>> transport = connect();
    if (!transport.ok()) return fail(transport.error());
    for (int index = next++; index < visitors && !failed; index = next++) {
      Result<SimulationStats> stats = SimulateVisitor(catalog, options, index, **transport);
      if (!stats.ok()) return fail(stats.error());
      per_visitor[static_cast<size_t>(index)] = *stats;
      std::lock_guard<std::mutex> lock(mutex);
      running.Add(*stats);
      if (progress) progress(++done, running);
    }
  };
  const int threads = std::max(1, std::min(options.threads, std::max(visitors, 1)));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work);
  for (std::thread& thread : pool) thread.join();
  if (first_error) return *first_error;
  // Summed in visitor order, so the totals do not depend on the threads' timing.
  SimulationStats total;
  for (const std::optional<SimulationStats>& stats : per_visitor) total.Add(*stats);
  return total;
}

}  // namespace tailor::simulator
