// tailor-suggest-bench: the engine work of one GET /suggest call (Engine::Suggest) on a
// 100k-product index (Google Benchmark), for every prefix (2 characters on) of the q values
// of bench/perf/queries.txt, as a search box sends one per keystroke.
//
// Before the cases, each query is searched by three visitors, so past queries are a source
// too. The time to open the Engine beside a bare searcher's is printed: the difference is the
// vocabulary build (brands, categories, title phrases), which the first call after an index
// update also waits for. Cases, one iteration = one pass over every prefix, reported per call:
//   SuggestCold      the first pass over the prefixes: every suggestion's result count is a
//                    search (one iteration).
//   SuggestWarm      later passes: the counts come from the per-revision cache.
//
// The index: TAILOR_BENCH_INDEX=DIR as tailor-search-bench (an index there is reused, else
// one is built there from bench/perf/scale_catalog.py's 100k products); without it a
// temporary directory. TAILOR_BENCH_QUERIES names another query file.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_index.h"
#include "core/text.h"
#include "indexer/indexer.h"
#include "searcher/searcher.h"
#include "server/engine.h"
#include "server/http/request.h"

namespace tailor::bench {
namespace {

namespace fs = std::filesystem;

double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

struct Fixture {
  std::string temp_dir;  // removed at exit when not empty
  std::vector<std::string> prefixes;
  std::unique_ptr<server::Engine> engine;
  std::map<std::string, double> us_per_call;
  double searcher_open_ms = 0;
  double engine_open_ms = 0;
  size_t suggestions = 0;  // over the cold pass

  ~Fixture() {
    engine.reset();
    if (!temp_dir.empty()) fs::remove_all(temp_dir);
  }
};

Fixture& TheFixture() {
  static Fixture* fixture = [] {
    auto* f = new Fixture;
    BenchIndex index = PrepareBenchIndex("suggest-bench");
    f->temp_dir = index.temp_dir;
    if (!index.ok) std::exit(1);
    const std::string& index_dir = index.index_dir;
    // Opening the searcher and its item table alone, then the Engine (which builds the
    // vocabulary too): the difference is the vocabulary build.
    auto start = std::chrono::steady_clock::now();
    {
      Result<std::unique_ptr<searcher::Searcher>> searcher =
          searcher::Searcher::Open(index_dir, searcher::SearcherOptions());
      if (searcher.ok()) (void)(*searcher)->Items();
    }
    f->searcher_open_ms = MsSince(start);
    server::EngineOptions options;
    options.index_dir = index_dir;
    start = std::chrono::steady_clock::now();
    Result<std::unique_ptr<server::Engine>> engine = server::Engine::Open(options);
    f->engine_open_ms = MsSince(start);
    if (!engine.ok()) {
      std::cerr << "suggest-bench: error: " << engine.error().message << "\n";
      std::exit(1);
    }
    f->engine = std::move(*engine);
    std::vector<std::string> queries = LoadBenchQueries(
        EnvOr("TAILOR_BENCH_QUERIES", std::string(TAILOR_SOURCE_DIR) + "/bench/perf/queries.txt"),
        "suggest-bench");
    std::erase(queries, std::string());
    for (const std::string& q : queries) {
      for (const char* visitor : {"b1", "b2", "b3"}) {
        server::SearchContext context;
        context.visitor = visitor;
        searcher::SearchRequest request;
        request.query = q;
        (void)f->engine->Search(request, context);
      }
      const std::string typed = NormalizeKeyword(q);
      for (size_t n = 2; n <= typed.size(); ++n) f->prefixes.push_back(typed.substr(0, n));
    }
    std::cerr << "suggest-bench: " << f->engine->Health().documents << " products, "
              << queries.size() << " queries, " << f->prefixes.size() << " prefixes\n";
    return f;
  }();
  return *fixture;
}

void RunPass(benchmark::State& state, const std::string& name) {
  Fixture& fixture = TheFixture();
  long failures = 0;
  size_t suggestions = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    for (size_t i = 0; i < fixture.prefixes.size(); ++i) {
      const std::string visitor = "v" + std::to_string(i % 1000);
      Result<server::SuggestResponse> response =
          fixture.engine->Suggest(server::SuggestRequest{fixture.prefixes[i], visitor, 8});
      if (!response.ok()) ++failures;
      if (response.ok()) suggestions += response->suggestions.size();
    }
  }
  if (failures > 0) {
    state.SkipWithError((std::to_string(failures) + " calls failed").c_str());
    return;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double calls = static_cast<double>(state.iterations()) * fixture.prefixes.size();
  const double us = calls > 0 ? seconds * 1e6 / calls : 0;
  fixture.us_per_call[name] = us;
  if (name == "SuggestCold") fixture.suggestions = suggestions;
  state.SetItemsProcessed(static_cast<int64_t>(calls));
  state.counters["us_per_call"] = us;
  state.counters["suggestions_per_call"] = calls > 0 ? suggestions / calls : 0;
}

void SuggestCold(benchmark::State& state) { RunPass(state, "SuggestCold"); }
void SuggestWarm(benchmark::State& state) { RunPass(state, "SuggestWarm"); }

BENCHMARK(SuggestCold)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(SuggestWarm)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

void PrintSummary() {
  Fixture& fixture = TheFixture();
  std::printf("\nopen: searcher and item table %.0f ms, engine %.0f ms: vocabulary about %.0f ms\n",
              fixture.searcher_open_ms, fixture.engine_open_ms,
              fixture.engine_open_ms - fixture.searcher_open_ms);
  std::printf("%-14s %12s\n", "case", "us/call");
  for (const char* name : {"SuggestCold", "SuggestWarm"}) {
    auto it = fixture.us_per_call.find(name);
    if (it != fixture.us_per_call.end()) std::printf("%-14s %12.1f\n", name, it->second);
  }
}

}  // namespace
}  // namespace tailor::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  tailor::bench::PrintSummary();
  return 0;
}
