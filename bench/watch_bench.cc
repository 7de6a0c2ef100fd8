// tailor-watch-bench: what watching costs a request (issue 14): the request metrics and the
// JSON access log against neither, measured as the CPU time of the whole process (the access
// log's writer thread included) per GET /search, in one run, rounds alternating.
//
// Both routers are MakeRouter's, over one Engine on the 100k-product benchmark index, so
// they run the same handlers, engine and caches; one has request_metrics off and no access
// log, the other the metrics and an access log writing to a file, as tailor-server does.
// Each request is dispatched in process (Router::Dispatch), without sockets or Beast: the
// HTTP work a real request also pays (parsing, writing, the kernel) is left out of both, so
// the ratio printed is an upper bound on what watching costs a request over the network.
// The queries are bench/perf/queries.txt's, answered from the warm result cache: the
// cheapest /search there is, so again the largest share watching can take.
//
// Cases, one iteration = one pass over every query, reported per request:
//   Quiet<n>     metrics off, no access log
//   Watched<n>   metrics and the access log on
//   HealthQuiet<n>, HealthWatched<n>  the same for GET /health, the cheapest route: their
//                difference is what the observer itself costs a request, in microseconds;
//   HealthMetrics<n>, HealthLog<n>  /health with only the metrics, only the access log
// Rounds alternate Quiet and Watched (kRounds of each); the summary prints each case's
// median and the ratio Watched / Quiet.
//
// The index: TAILOR_BENCH_INDEX=DIR as tailor-search-bench; TAILOR_BENCH_QUERIES names
// another query file.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_index.h"
#include "server/engine.h"
#include "server/http/access_log.h"
#include "server/http/handlers.h"
#include "server/http/request.h"
#include "server/http/router.h"

namespace tailor::bench {
namespace {

namespace fs = std::filesystem;
using server::http::Request;
using server::http::Response;
using server::http::Router;

constexpr int kRounds = 5;

struct Fixture {
  std::string temp_dir;  // removed at exit when not empty
  std::string log_dir;
  std::vector<Request> requests;
  std::vector<Request> health;
  std::unique_ptr<server::Engine> engine;
  std::shared_ptr<server::http::AccessLog> access_log;
  std::unique_ptr<Router> quiet, watched, metrics_only, log_only;
  std::map<std::string, std::vector<double>> us_per_request;  // case -> per round

  ~Fixture() {
    quiet.reset();
    watched.reset();
    metrics_only.reset();
    log_only.reset();
    access_log.reset();
    engine.reset();
    if (!log_dir.empty()) fs::remove_all(log_dir);
    if (!temp_dir.empty()) fs::remove_all(temp_dir);
  }
};

Fixture& TheFixture() {
  static Fixture* fixture = [] {
    auto* f = new Fixture;
    BenchIndex index = PrepareBenchIndex("watch-bench");
    f->temp_dir = index.temp_dir;
    if (!index.ok) std::exit(1);
    server::EngineOptions options;
    options.index_dir = index.index_dir;
    Result<std::unique_ptr<server::Engine>> engine = server::Engine::Open(options);
    if (!engine.ok()) {
      std::cerr << "watch-bench: error: " << engine.error().message << "\n";
      std::exit(1);
    }
    f->engine = std::move(*engine);
    f->log_dir =
        (fs::temp_directory_path() / ("tailor-watch-bench-" + std::to_string(getpid()))).string();
    fs::create_directories(f->log_dir);
    server::http::AccessLogOptions log_options;
    log_options.path = f->log_dir + "/access.log";
    Result<std::unique_ptr<server::http::AccessLog>> log =
        server::http::AccessLog::Open(log_options);
    if (!log.ok()) {
      std::cerr << "watch-bench: error: " << log.error().message << "\n";
      std::exit(1);
    }
    f->access_log = std::move(*log);
    server::http::RouterOptions quiet;
    quiet.request_metrics = false;
    f->quiet = std::make_unique<Router>(server::http::MakeRouter(*f->engine, quiet));
    server::http::RouterOptions watched;
    watched.request_metrics = true;
    watched.access_log = f->access_log;
    f->watched = std::make_unique<Router>(server::http::MakeRouter(*f->engine, watched));
    server::http::RouterOptions metrics_only;
    metrics_only.request_metrics = true;
    f->metrics_only = std::make_unique<Router>(server::http::MakeRouter(*f->engine, metrics_only));
    server::http::RouterOptions log_only;
    log_only.request_metrics = false;
    log_only.access_log = f->access_log;
    f->log_only = std::make_unique<Router>(server::http::MakeRouter(*f->engine, log_only));

    std::vector<std::string> queries = LoadBenchQueries(
        EnvOr("TAILOR_BENCH_QUERIES", std::string(TAILOR_SOURCE_DIR) + "/bench/perf/queries.txt"),
        "watch-bench");
    for (size_t i = 0; i < queries.size(); ++i) {
      Request request;
      request.method = "GET";
      request.path = "/search";
      request.query_params.emplace("q", queries[i]);
      request.query_params.emplace("limit", "20");
      request.request_id = "bench-" + std::to_string(i);
      f->requests.push_back(std::move(request));
    }
    for (size_t i = 0; i < 100; ++i) {
      Request request;
      request.method = "GET";
      request.path = "/health";
      request.request_id = "health-" + std::to_string(i);
      f->health.push_back(std::move(request));
    }
    // Warm the caches: every later pass is answered from them, in both routers.
    for (const Request& request : f->requests) (void)f->quiet->Dispatch(request);
    std::cerr << "watch-bench: " << f->engine->Health().documents << " products, "
              << f->requests.size() << " queries\n";
    return f;
  }();
  return *fixture;
}

void RunPass(benchmark::State& state, const std::vector<Request>& requests, const Router& router) {
  Fixture& fixture = TheFixture();
  long failures = 0;
  for (auto _ : state) {
    for (const Request& request : requests) {
      const Response response = router.Dispatch(request);
      if (response.status != 200) ++failures;
      benchmark::DoNotOptimize(response.body.data());
    }
  }
  // What the writer thread has queued is written (and its CPU spent) inside the case.
  fixture.access_log->Flush();
  if (failures > 0) {
    state.SkipWithError((std::to_string(failures) + " requests failed").c_str());
    return;
  }
  state.counters["requests_per_iteration"] = static_cast<double>(requests.size());
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

class Collector : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred || run.iterations == 0) continue;
      auto requests = run.counters.find("requests_per_iteration");
      if (requests == run.counters.end() || requests->second.value <= 0) continue;
      // Process CPU seconds per iteration over the requests of one iteration.
      const double seconds =
          run.GetAdjustedCPUTime() / benchmark::GetTimeUnitMultiplier(run.time_unit);
      const double us = seconds * 1e6 / requests->second.value;
      std::string name = run.benchmark_name();
      name = name.substr(0, name.find('/'));
      name.erase(std::remove_if(name.begin(), name.end(), ::isdigit), name.end());
      TheFixture().us_per_request[name].push_back(us);
    }
    ConsoleReporter::ReportRuns(runs);
  }
};

void PrintSummary() {
  Fixture& fixture = TheFixture();
  std::printf("\n%-10s %16s %s\n", "case", "us/request", "(process CPU, median of rounds)");
  for (const auto& [name, values] : fixture.us_per_request) {
    std::printf("%-10s %16.2f  rounds:", name.c_str(), Median(values));
    for (double v : values) std::printf(" %.2f", v);
    std::printf("\n");
  }
  const double quiet = Median(fixture.us_per_request["Quiet"]);
  const double watched = Median(fixture.us_per_request["Watched"]);
  if (quiet > 0) {
    std::printf("watched / quiet: %.4f (%+.2f %% per request)\n", watched / quiet,
                100 * (watched / quiet - 1));
  }
  const double health_quiet = Median(fixture.us_per_request["HealthQuiet"]);
  const double health_watched = Median(fixture.us_per_request["HealthWatched"]);
  if (health_quiet > 0) {
    std::printf("GET /health watched - quiet: %.2f us per request (the observer itself)\n",
                health_watched - health_quiet);
    std::printf("  of which metrics alone %.2f us, access log alone %.2f us\n",
                Median(fixture.us_per_request["HealthMetrics"]) - health_quiet,
                Median(fixture.us_per_request["HealthLog"]) - health_quiet);
  }
}

}  // namespace
}  // namespace tailor::bench

int main(int argc, char** argv) {
  using tailor::bench::Fixture;
  using tailor::bench::TheFixture;
  benchmark::Initialize(&argc, argv);
  Fixture& fixture = TheFixture();
  const auto add = [](const std::string& name,
                      const std::vector<tailor::server::http::Request>& requests,
                      const tailor::server::http::Router& router) {
    benchmark::RegisterBenchmark(name.c_str(),
                                 [&requests, &router](benchmark::State& state) {
                                   tailor::bench::RunPass(state, requests, router);
                                 })
        ->Unit(benchmark::kMillisecond)
        ->MeasureProcessCPUTime()
        ->MinTime(1.0);
  };
  for (int round = 1; round <= tailor::bench::kRounds; ++round) {
    const std::string n = std::to_string(round);
    add("Quiet" + n, fixture.requests, *fixture.quiet);
    add("Watched" + n, fixture.requests, *fixture.watched);
  }
  for (int round = 1; round <= tailor::bench::kRounds; ++round) {
    const std::string n = std::to_string(round);
    add("HealthQuiet" + n, fixture.health, *fixture.quiet);
    add("HealthWatched" + n, fixture.health, *fixture.watched);
    add("HealthMetrics" + n, fixture.health, *fixture.metrics_only);
    add("HealthLog" + n, fixture.health, *fixture.log_only);
  }
  tailor::bench::Collector collector;
  benchmark::RunSpecifiedBenchmarks(&collector);
  tailor::bench::PrintSummary();
  benchmark::Shutdown();
  return 0;
}
