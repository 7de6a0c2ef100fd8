// tailor-search-bench: per-search CPU cost of the searcher against raw Xapian retrieval
// (Google Benchmark), on a 100k-product index and the q values of bench/perf/queries.txt.
//
// Cases, each one iteration = one pass over every query, reported per query:
//   RawXapian        QueryParser (OR, English stemmer, STEM_SOME), BM25, get_mset(0, 200):
//                    no filters, facets or document data. The baseline.
//   TailorRetrieve   Searcher::Retrieve(request, 200): what the ranking layer calls.
//   TailorSearch     Searcher::Search limit 20 with facets: what /search does. This and
//                    every case but TailorSearchCached run with the searcher's caches off.
//   TailorSearchCached  TailorSearch answered from the shared result and stored-data caches
//                    (SearcherOptions defaults; every query is cached after the first pass).
//   TailorSearchNoFacets  the same without facets.
//   TailorRetrieveTextModel  TailorRetrieve with the learned text model as measured on the
//                    relevance benchmark: {"feedback_docs": 10, "text_model":
//                    "config/models/text.json", "text_model_depth": 1000}.
//   TailorBrand{Disjunctive,Conjunctive}  TailorSearch with a brand filter (the query's most
//                    frequent brand, as a shopper would click it), facets counted
//                    disjunctively (the default) or conjunctively; over the queries that
//                    have a brand.
//   TailorBrandColor{Disjunctive,Conjunctive}  the same plus the colour most frequent under
//                    that brand; over the queries that have both.
// Counters: us_per_query and x_raw (time / RawXapian's); a summary table is printed last.
//
// The index: TAILOR_BENCH_INDEX=DIR uses the Tailor index in DIR when it holds one, else
// builds one there and keeps it (later runs reuse it). Without it, an index is built in a
// temporary directory and removed at exit. The catalog for a build is TAILOR_BENCH_CATALOG,
// else bench/perf/scale_catalog.py scales data/catalog.jsonl to 100,000 products.
// TAILOR_BENCH_QUERIES names another query file (one /search path per line);
// TAILOR_BENCH_SEARCHER_OPTIONS a JSON object of searcher options (config's "searcher") for
// every case but TailorSearchCached, e.g. '{"spelling_rerun": false}'.
//
// --dump=FILE writes every case's results (ids, scores, totals, facets) to FILE and exits
// without benchmarking, to check that a change to the searcher keeps results the same.
// Other flags are Google Benchmark's (--benchmark_filter=..., --benchmark_min_time=...).
#include <benchmark/benchmark.h>
#include <rapidjson/document.h>
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "bench/bench_index.h"
#include "indexer/indexer.h"
#include "searcher/searcher.h"
#include "server/http/request.h"

namespace tailor::bench {
namespace {

namespace fs = std::filesystem;
constexpr int kRetrieveDepth = 200;
constexpr int kPageLimit = 20;

struct Fixture {
  std::string index_dir;
  std::string temp_dir;  // removed at exit when not empty
  std::vector<std::string> queries;
  std::unique_ptr<searcher::Searcher> searcher;  // caches off: the searcher's own work
  std::unique_ptr<searcher::Searcher> cached;    // default options, caches on
  std::unique_ptr<searcher::Searcher> text_model;  // caches off, the text model on
  std::map<std::string, double> us_per_query;  // by case, last run
  // FilteredRequests(with_color), once worked out.
  std::optional<std::vector<searcher::SearchRequest>> filtered[2];

  ~Fixture() {
    searcher.reset();
    cached.reset();
    text_model.reset();
    if (!temp_dir.empty()) fs::remove_all(temp_dir);
  }
};

Fixture& TheFixture() {
  static Fixture* fixture = [] {
    auto* f = new Fixture;
    f->queries = LoadBenchQueries(
        EnvOr("TAILOR_BENCH_QUERIES", std::string(TAILOR_SOURCE_DIR) + "/bench/perf/queries.txt"),
        "search-bench");
    BenchIndex index = PrepareBenchIndex("search-bench");
    f->temp_dir = index.temp_dir;
    if (!index.ok) std::exit(1);
    f->index_dir = index.index_dir;
    // The searcher's own work is measured with its caches off; TailorSearchCached measures
    // a page answered from them.
    searcher::SearcherOptions uncached;
    if (const char* json = std::getenv("TAILOR_BENCH_SEARCHER_OPTIONS")) {
      rapidjson::Document doc;
      doc.Parse(json);
      Result<searcher::SearcherOptions> parsed =
          doc.HasParseError() ? Result<searcher::SearcherOptions>(Error::InvalidArgument(
                                    "TAILOR_BENCH_SEARCHER_OPTIONS: invalid JSON"))
                              : searcher::ParseSearcherOptions(doc);
      if (!parsed.ok()) {
        std::cerr << "search-bench: error: " << parsed.error().message << "\n";
        std::exit(1);
      }
      uncached = *parsed;
    }
    uncached.result_cache_bytes = 0;
    uncached.stored_cache_bytes = 0;
    searcher::SearcherOptions with_model = uncached;
    with_model.feedback_docs = 10;
    with_model.text_model = std::string(TAILOR_SOURCE_DIR) + "/config/models/text.json";
    with_model.text_model_depth = 1000;
    for (auto [options, searcher] :
         {std::pair{uncached, &f->searcher}, std::pair{searcher::SearcherOptions(), &f->cached},
          std::pair{with_model, &f->text_model}}) {
      Result<std::unique_ptr<searcher::Searcher>> opened =
          searcher::Searcher::Open(f->index_dir, options);
      if (!opened.ok()) {
        std::cerr << "search-bench: error: " << opened.error().message << "\n";
        std::exit(1);
      }
      *searcher = std::move(*opened);
    }
    std::cerr << "search-bench: " << f->searcher->DocumentCount() << " products, "
              << f->queries.size() << " queries\n";
    return f;
  }();
  return *fixture;
}

searcher::SearchRequest PageRequest(const std::string& q, bool with_facets) {
  searcher::SearchRequest request;
  request.query = q;
  request.limit = kPageLimit;
  request.with_facets = with_facets;
  return request;
}

// The baseline's query parser: Xapian's defaults plus the index's stemmer.
Xapian::QueryParser RawParser(const Xapian::Database& db) {
  Xapian::QueryParser parser;
  parser.set_database(db);
  parser.set_stemmer(Xapian::Stem("english"));
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  return parser;
}

Xapian::MSet RawSearch(Xapian::Database& db, Xapian::QueryParser& parser, const std::string& q) {
  Xapian::Enquire enquire(db);
  enquire.set_query(parser.parse_query(q));
  enquire.set_weighting_scheme(Xapian::BM25Weight());
  return enquire.get_mset(0, kRetrieveDepth);
}

// Runs one_query over every item (by default every query) per iteration; records
// microseconds per item. one_query returns whether the query succeeded: a case in which any
// query fails is reported as an error instead of timing error paths.
template <typename Fn, typename Item = std::string>
void RunCase(benchmark::State& state, const std::string& name, Fn one_query,
             const std::vector<Item>* items = nullptr) {
  Fixture& fixture = TheFixture();
  if constexpr (std::is_same_v<Item, std::string>) {
    if (items == nullptr) items = &fixture.queries;
  }
  long failures = 0;
  auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    for (const Item& item : *items) failures += one_query(item) ? 0 : 1;
  }
  if (failures > 0) {
    state.SkipWithError((std::to_string(failures) + " queries failed").c_str());
    return;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double passes = static_cast<double>(state.iterations()) * items->size();
  double us = passes > 0 ? seconds * 1e6 / passes : 0;
  fixture.us_per_query[name] = us;
  state.SetItemsProcessed(static_cast<int64_t>(passes));
  state.counters["us_per_query"] = us;
  auto raw = fixture.us_per_query.find("RawXapian");
  if (raw != fixture.us_per_query.end() && raw->second > 0) {
    state.counters["x_raw"] = us / raw->second;
  }
}

void RawXapian(benchmark::State& state) {
  Xapian::Database db(TheFixture().index_dir);
  Xapian::QueryParser parser = RawParser(db);
  RunCase(state, "RawXapian", [&](const std::string& q) {
    Xapian::MSet mset = RawSearch(db, parser, q);
    benchmark::DoNotOptimize(mset.size());
    return true;
  });
}

// Retrieve of kRetrieveDepth per query, as the ranking layer calls it.
void RetrieveCase(benchmark::State& state, const char* name, searcher::Searcher& searcher) {
  RunCase(state, name, [&](const std::string& q) {
    searcher::SearchRequest request;
    request.query = q;
    auto hits = searcher.Retrieve(request, kRetrieveDepth);
    benchmark::DoNotOptimize(hits.ok());
    return hits.ok();
  });
}

void TailorRetrieve(benchmark::State& state) {
  RetrieveCase(state, "TailorRetrieve", *TheFixture().searcher);
}

void TailorRetrieveTextModel(benchmark::State& state) {
  RetrieveCase(state, "TailorRetrieveTextModel", *TheFixture().text_model);
}

void TailorSearch(benchmark::State& state) {
  searcher::Searcher& searcher = *TheFixture().searcher;
  RunCase(state, "TailorSearch", [&](const std::string& q) {
    auto result = searcher.Search(PageRequest(q, true));
    benchmark::DoNotOptimize(result.ok());
    return result.ok();
  });
}

// The same pages from the shared result and stored-data caches (every query is cached
// after the first pass): what a repeated query costs.
void TailorSearchCached(benchmark::State& state) {
  searcher::Searcher& searcher = *TheFixture().cached;
  RunCase(state, "TailorSearchCached", [&](const std::string& q) {
    auto result = searcher.Search(PageRequest(q, true));
    benchmark::DoNotOptimize(result.ok());
    return result.ok();
  });
}

void TailorSearchNoFacets(benchmark::State& state) {
  searcher::Searcher& searcher = *TheFixture().searcher;
  RunCase(state, "TailorSearchNoFacets", [&](const std::string& q) {
    auto result = searcher.Search(PageRequest(q, false));
    benchmark::DoNotOptimize(result.ok());
    return result.ok();
  });
}

// The page requests of the queries whose results have a brand (and, with_color, a colour
// under it), filtered on the most frequent one; worked out once.
const std::vector<searcher::SearchRequest>& FilteredRequests(bool with_color) {
  Fixture& fixture = TheFixture();
  std::optional<std::vector<searcher::SearchRequest>>& requests = fixture.filtered[with_color];
  if (requests) return *requests;
  requests.emplace();
  searcher::Searcher& searcher = *fixture.searcher;
  for (const std::string& q : fixture.queries) {
    searcher::SearchRequest request = PageRequest(q, true);
    auto plain = searcher.Search(request);
    if (!plain.ok() || plain->facets.brand.empty()) continue;
    request.brands = {plain->facets.brand[0].value};
    if (with_color) {
      request.facets = searcher::FacetMode::kConjunctive;
      auto branded = searcher.Search(request);
      if (!branded.ok() || branded->facets.color.empty()) continue;
      request.colors = {branded->facets.color[0].value};
    }
    requests->push_back(std::move(request));
  }
  std::cerr << "search-bench: " << requests->size() << " queries with a brand"
            << (with_color ? " and a colour\n" : "\n");
  return *requests;
}

void RunFiltered(benchmark::State& state, const std::string& name, bool with_color,
                 searcher::FacetMode mode) {
  searcher::Searcher& searcher = *TheFixture().searcher;
  RunCase(
      state, name,
      [&](const searcher::SearchRequest& request) {
        searcher::SearchRequest moded = request;
        moded.facets = mode;
        auto result = searcher.Search(moded);
        benchmark::DoNotOptimize(result.ok());
        return result.ok();
      },
      &FilteredRequests(with_color));
}

void TailorBrandDisjunctive(benchmark::State& state) {
  RunFiltered(state, "TailorBrandDisjunctive", false, searcher::FacetMode::kDisjunctive);
}
void TailorBrandConjunctive(benchmark::State& state) {
  RunFiltered(state, "TailorBrandConjunctive", false, searcher::FacetMode::kConjunctive);
}
void TailorBrandColorDisjunctive(benchmark::State& state) {
  RunFiltered(state, "TailorBrandColorDisjunctive", true, searcher::FacetMode::kDisjunctive);
}
void TailorBrandColorConjunctive(benchmark::State& state) {
  RunFiltered(state, "TailorBrandColorConjunctive", true, searcher::FacetMode::kConjunctive);
}

BENCHMARK(RawXapian)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(TailorRetrieve)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(TailorRetrieveTextModel)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(TailorSearch)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(TailorSearchCached)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(TailorSearchNoFacets)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(TailorBrandDisjunctive)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(TailorBrandConjunctive)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(TailorBrandColorDisjunctive)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(TailorBrandColorConjunctive)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

void DumpHits(std::ostream& out, const std::vector<searcher::Hit>& hits) {
  for (const searcher::Hit& hit : hits) {
    out << "  " << hit.rank << ' ' << hit.id << ' ' << hit.score << ' ' << hit.stored_json.size()
        << '\n';
  }
}

void DumpFacet(std::ostream& out, const char* name,
               const std::vector<searcher::FacetValue>& values) {
  out << "  " << name << ':';
  for (const searcher::FacetValue& value : values) out << ' ' << value.value << '=' << value.count;
  out << '\n';
}

void DumpResult(std::ostream& out, const Result<searcher::SearchResult>& result) {
  if (!result.ok()) {
    out << "  error " << result.error().message << '\n';
    return;
  }
  out << "  total " << result->total << " relaxed " << result->relaxed << " corrected "
      << result->corrected << " did_you_mean '" << result->did_you_mean << "'\n";
  DumpHits(out, result->hits);
  const searcher::Facets& facets = result->facets;
  DumpFacet(out, "brand", facets.brand);
  DumpFacet(out, "category", facets.category);
  DumpFacet(out, "size", facets.size);
  DumpFacet(out, "color", facets.color);
  if (facets.price_min) out << "  price " << *facets.price_min << ".." << *facets.price_max << '\n';
}

// Writes every case's results per query, for diffing before and after a change.
int Dump(const std::string& path) {
  Fixture& fixture = TheFixture();
  std::ofstream out(path);
  out.precision(17);
  for (const std::string& q : fixture.queries) {
    out << "q " << q << "\n retrieve\n";
    searcher::SearchRequest request;
    request.query = q;
    auto hits = fixture.searcher->Retrieve(request, kRetrieveDepth);
    if (hits.ok()) DumpHits(out, *hits);
    out << " search\n";
    DumpResult(out, fixture.searcher->Search(PageRequest(q, true)));
    out << " search without facets\n";
    DumpResult(out, fixture.searcher->Search(PageRequest(q, false)));
  }
  return out ? 0 : 1;
}

void PrintSummary() {
  Fixture& fixture = TheFixture();
  double raw = fixture.us_per_query.count("RawXapian") ? fixture.us_per_query["RawXapian"] : 0;
  std::printf("\n%-28s %12s %8s\n", "case", "us/query", "x raw");
  for (const char* name :
       {"RawXapian", "TailorRetrieve", "TailorRetrieveTextModel", "TailorSearch",
        "TailorSearchCached", "TailorSearchNoFacets", "TailorBrandDisjunctive",
        "TailorBrandConjunctive", "TailorBrandColorDisjunctive", "TailorBrandColorConjunctive"}) {
    auto it = fixture.us_per_query.find(name);
    if (it == fixture.us_per_query.end()) continue;
    std::printf("%-28s %12.1f %8.2f\n", name, it->second, raw > 0 ? it->second / raw : 0.0);
  }
  // The cost of disjunctive facets: each case against its conjunctive twin.
  for (const char* filters : {"TailorBrand", "TailorBrandColor"}) {
    auto disjunctive = fixture.us_per_query.find(std::string(filters) + "Disjunctive");
    auto conjunctive = fixture.us_per_query.find(std::string(filters) + "Conjunctive");
    if (disjunctive == fixture.us_per_query.end() || conjunctive == fixture.us_per_query.end() ||
        conjunctive->second <= 0) {
      continue;
    }
    std::printf("%s: disjunctive / conjunctive = %.2f\n", filters,
                disjunctive->second / conjunctive->second);
  }
}

}  // namespace
}  // namespace tailor::bench

int main(int argc, char** argv) {
  std::vector<char*> args;
  std::string dump_path;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--dump=", 0) == 0) {
      dump_path = arg.substr(7);
    } else {
      args.push_back(argv[i]);
    }
  }
  if (!dump_path.empty()) return tailor::bench::Dump(dump_path);
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  tailor::bench::PrintSummary();
  return 0;
}
