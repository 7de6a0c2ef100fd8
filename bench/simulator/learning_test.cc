// The learning loop end to end, in process: simulated shoppers search and buy through the
// real router and engine (no socket), the engine logs rankings and events, tailor-ranker's
// library trains a model from those logs, and the model ranks held-out shoppers' logged
// traffic better than the text order does.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "bench/simulator/simulation.h"
#include "ranking/offline/replay.h"
#include "ranking/offline/trainer.h"
#include "ranking/offline/training_data.h"
#include "searcher/searcher.h"
#include "server/engine.h"
#include "server/http/handlers.h"
#include "tests/common/temp_dir.h"
#include "tests/server/test_support.h"

namespace tailor::simulator {
namespace {

using tailor::testing::TempDir;

// Answers the simulator's requests through the router, as the HTTP session would.
class RouterTransport final : public Transport {
 public:
  explicit RouterTransport(const server::http::Router& router) : router_(router) {}
  Result<HttpAnswer> Send(std::string_view method, const std::string& target,
                          const std::string& body) override {
    Result<server::http::Target> parsed = server::http::ParseTarget(target);
    if (!parsed.ok()) return parsed.error();
    server::http::Request request;
    request.method = std::string(method);
    request.path = parsed->path;
    request.query_params = parsed->query_params;
    request.body = body;
    server::http::Response response = router_.Dispatch(request);
    return HttpAnswer{response.status, response.body};
  }

 private:
  const server::http::Router& router_;
};

// The first `lines` products of the bundled catalog (fashion: sized, branded, coloured).
std::string CatalogHead(const std::filesystem::path& dir, int lines) {
  std::ifstream in(TAILOR_SOURCE_DIR "/data/catalog.jsonl");
  const std::string path = (dir / "catalog.jsonl").string();
  std::ofstream out(path);
  std::string line;
  for (int i = 0; i < lines && std::getline(in, line); ++i) out << line << "\n";
  return path;
}

std::unique_ptr<server::Engine> OpenEngine(const std::string& index, const std::string& state,
                                           const std::string& scoring) {
  server::EngineOptions options;
  options.index_dir = index;
  options.state_dir = state;
  options.scoring_config = scoring;
  Result<std::unique_ptr<server::Engine>> engine = server::Engine::Open(options);
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  return engine.ok() ? std::move(*engine) : nullptr;
}

// Shoppers under the explore variant; their logged, joined rankings.
std::vector<ranking::JoinedRanking> Traffic(const std::string& index, const std::string& state,
                                            const std::string& scoring, const Catalog& catalog,
                                            int visitors, uint64_t seed) {
  {
    std::unique_ptr<server::Engine> engine = OpenEngine(index, state, scoring);
    if (engine == nullptr) return {};
    server::http::Router router = server::http::MakeRouter(*engine);
    SimulationOptions options;
    options.visitors = visitors;
    options.seed = seed;
    options.variant = "explore";
    options.limit = 20;
    options.threads = 1;
    options.visitor_prefix = "seed" + std::to_string(seed) + "-";
    Result<SimulationStats> stats = RunSimulation(
        catalog, options,
        [&router]() -> Result<std::unique_ptr<Transport>> {
          return std::unique_ptr<Transport>(new RouterTransport(router));
        },
        {});
    EXPECT_TRUE(stats.ok()) << stats.error().message;
  }  // closing the engine writes the logs
  ranking::JoinOptions join;
  join.personalized_only = true;
  Result<std::vector<ranking::JoinedRanking>> joined = ranking::JoinLogs(state, join);
  EXPECT_TRUE(joined.ok()) << joined.error().message;
  return joined.ok() ? std::move(*joined) : std::vector<ranking::JoinedRanking>{};
}

TEST(Learning, AModelTrainedOnSimulatedTrafficRanksHeldOutTrafficBetterThanText) {
  TempDir dir;
  const std::string catalog_path = CatalogHead(dir.path(), 5000);
  const std::string index = tailor::testing::BuildIndexFrom(catalog_path, dir.path());
  ASSERT_FALSE(index.empty());
  const std::string scoring = (dir.path() / "scoring.json").string();
  std::ofstream(scoring) << R"({"default_variant": "text", "variants": {
      "text": {}, "explore": {"explore_top": 30}}})";
  Result<Catalog> catalog = LoadCatalog(catalog_path);
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;

  std::vector<ranking::JoinedRanking> train = Traffic(
      index, (dir.path() / "train").string(), scoring, *catalog, 150, 1);
  std::vector<ranking::TrainingQuery> queries;
  for (const ranking::JoinedRanking& r : train) queries.push_back(ranking::ToTrainingQuery(r));
  ranking::TrainerOptions options;
  Result<ranking::TrainReport> report = ranking::Train(queries, options);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_GT(report->train_queries, 100);

  std::vector<ranking::JoinedRanking> held_out = Traffic(
      index, (dir.path() / "held-out").string(), scoring, *catalog, 80, 2);
  Result<ranking::ScoringConfig> config = ranking::ParseScoringConfig(
      R"({"default_variant": "text", "variants": {"text": {}, "learned": {}}})", "test", "/");
  ASSERT_TRUE(config.ok());
  std::shared_ptr<const ranking::Scoring> both =
      ranking::Scoring::WithModels(*config, {{"learned", report->model}});
  std::vector<ranking::ReplayVariant> variants;
  for (const ranking::VariantConfig& v : both->config().variants()) {
    variants.push_back({v.name, both.get(), &v});
  }
  Result<std::unique_ptr<searcher::Searcher>> searcher =
      searcher::Searcher::Open(index, searcher::SearcherOptions{});
  ASSERT_TRUE(searcher.ok());
  std::shared_ptr<const ItemTable> items = (*searcher)->Items();
  ASSERT_NE(items, nullptr);
  ranking::ReplayReport replay =
      ranking::Replay(held_out, variants, *items, ranking::ReplayOptions{});
  std::cout << ranking::FormatReplayReport(replay);
  ASSERT_GT(replay.variants[0].judged, 50);
  EXPECT_GT(replay.variants[1].ndcg10, replay.variants[0].ndcg10)
      << ranking::FormatReplayReport(replay);
  EXPECT_GT(replay.variants[1].ndcg10_ipw, replay.variants[0].ndcg10_ipw)
      << ranking::FormatReplayReport(replay);
}

}  // namespace
}  // namespace tailor::simulator
