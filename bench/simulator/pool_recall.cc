#include "bench/simulator/pool_recall.h"

#include <algorithm>
#include <unordered_set>
#include <vector>

#include "bench/simulator/server_api.h"

namespace tailor::simulator {
namespace {

constexpr int kPage = 100;
constexpr int kIdealDepth = 10;

std::string SearchTarget(const SimulationOptions& options, const std::string& visitor_id,
                         const Query& query, int offset) {
  std::string target = "/search?q=" + UrlEncode(query.text) + "&visitor=" + UrlEncode(visitor_id) +
                       "&limit=" + std::to_string(kPage) + "&offset=" + std::to_string(offset);
  if (!options.variant.empty()) target += "&variant=" + UrlEncode(options.variant);
  return target;
}

Result<std::vector<AnsweredHit>> Page(const Catalog& catalog, Transport& transport,
                                      const std::string& target) {
  Result<rapidjson::Document> answer = Exchange(transport, "GET", target, "");
  if (!answer.ok()) return answer.error();
  return HitsOf(catalog, *answer, "GET " + target);
}

// The leading run of ranked hits (explain has final_score), read page by page. An empty
// pool when the first hit is not ranked.
Result<std::vector<long>> RankedPool(const Catalog& catalog, const SimulationOptions& options,
                                     const std::string& visitor_id, const Query& query,
                                     Transport& transport) {
  std::vector<long> pool;
  for (int offset = 0; offset < kMaxPool; offset += kPage) {
    Result<std::vector<AnsweredHit>> hits = Page(
        catalog, transport, SearchTarget(options, visitor_id, query, offset) + "&explain=true");
    if (!hits.ok()) return hits.error();
    for (const AnsweredHit& hit : *hits) {
      if (!hit.ranked || pool.size() >= static_cast<size_t>(kMaxPool)) return pool;
      pool.push_back(hit.item);
    }
    if (hits->size() < static_cast<size_t>(kPage)) break;
  }
  return pool;
}

Result<std::vector<long>> TextTop(const Catalog& catalog, const SimulationOptions& options,
                                  const std::string& visitor_id, const Query& query,
                                  Transport& transport) {
  std::vector<long> top;
  for (int offset = 0; offset < kTextTop; offset += kPage) {
    Result<std::vector<AnsweredHit>> hits =
        Page(catalog, transport,
             SearchTarget(options, visitor_id, query, offset) + "&personalize=false");
    if (!hits.ok()) return hits.error();
    for (const AnsweredHit& hit : *hits) top.push_back(hit.item);
    if (hits->size() < static_cast<size_t>(kPage)) break;
  }
  if (top.size() > static_cast<size_t>(kTextTop)) top.resize(kTextTop);
  return top;
}

double Recall(const std::vector<size_t>& ideal, const std::vector<long>& found) {
  const std::unordered_set<long> in(found.begin(), found.end());
  const auto held = std::count_if(ideal.begin(), ideal.end(), [&](size_t item) {
    return in.count(static_cast<long>(item)) > 0;
  });
  return static_cast<double>(held) / static_cast<double>(ideal.size());
}

// The pool sorted as the truth would: by gain, then utility (IdealTopK's order).
std::vector<long> TruthOrder(const Catalog& catalog, const SimulationOptions& options,
                             const Visitor& visitor, const Query& query, std::vector<long> pool) {
  std::vector<std::pair<int, double>> keys;
  for (long item : pool) {
    const size_t i = static_cast<size_t>(item);
    keys.push_back(
        item < 0 ? std::pair{-1, 0.0}
                 : std::pair{TrueGain(catalog, options.world, visitor, options.seed, query, i),
                             Utility(catalog, options.world, visitor, options.seed, i)});
  }
  std::vector<size_t> order(pool.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return keys[a] > keys[b]; });
  std::vector<long> sorted;
  for (size_t i : order) sorted.push_back(pool[i]);
  return sorted;
}

}  // namespace

std::optional<Query> PickBroadQuery(const Catalog& catalog, const Visitor& visitor, Rng& rng) {
  auto broad = [&](const std::string& leaf) {
    return MatchCount(catalog, Query{"", leaf, -1, ""}) > kBroadMatches;
  };
  std::vector<std::string> own;
  for (int path : visitor.interests) {
    const std::string& leaf = catalog.paths[path].leaf;
    if (broad(leaf) && std::find(own.begin(), own.end(), leaf) == own.end()) own.push_back(leaf);
  }
  std::string leaf;
  if (!own.empty()) {
    leaf = own[rng.Between(0, static_cast<int>(own.size()) - 1)];
  } else {
    std::vector<std::string> leaves;
    std::vector<double> weights;
    for (const auto& [name, paths] : catalog.paths_by_leaf) {
      (void)paths;
      const size_t count = MatchCount(catalog, Query{"", name, -1, ""});
      leaves.push_back(name);
      weights.push_back(count > kBroadMatches ? static_cast<double>(count) : 0);
    }
    const int drawn = rng.Weighted(weights);
    if (drawn < 0) return std::nullopt;
    leaf = leaves[drawn];
  }
  Query query;
  query.leaf = leaf;
  query.text = leaf;
  std::transform(query.text.begin(), query.text.end(), query.text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return query;
}

Status MeasurePool(const Catalog& catalog, const SimulationOptions& options, const Visitor& visitor,
                   const std::string& visitor_id, const Query& query, Transport& transport,
                   SimulationStats& stats) {
  const std::vector<size_t> ideal =
      IdealTopK(catalog, options.world, visitor, options.seed, query, kIdealDepth);
  if (ideal.empty()) return Status::Ok();
  Result<std::vector<long>> pool = RankedPool(catalog, options, visitor_id, query, transport);
  if (!pool.ok()) return pool.error();
  if (pool->empty()) {
    ++stats.pool_unranked;
    return Status::Ok();
  }
  Result<std::vector<long>> text = TextTop(catalog, options, visitor_id, query, transport);
  if (!text.ok()) return text.error();
  ++stats.pool_searches;
  stats.pool_size_sum += static_cast<double>(pool->size());
  const double recall = Recall(ideal, *pool);
  stats.pool_recall_sum += recall;
  const bool own = std::any_of(visitor.interests.begin(), visitor.interests.end(),
                               [&](int path) { return catalog.paths[path].leaf == query.leaf; });
  if (own) {
    ++stats.pool_own_searches;
    stats.pool_own_recall_sum += recall;
  }
  stats.text_recall_sum += Recall(ideal, *text);
  stats.pool_served_ndcg_sum +=
      TrueNdcgAtK(catalog, options.world, visitor, options.seed, query, *pool, kIdealDepth);
  stats.pool_oracle_ndcg_sum +=
      TrueNdcgAtK(catalog, options.world, visitor, options.seed, query,
                  TruthOrder(catalog, options, visitor, query, *pool), kIdealDepth);
  return Status::Ok();
}

}  // namespace tailor::simulator
