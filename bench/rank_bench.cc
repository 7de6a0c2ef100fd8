// tailor-rank-bench: the in-process cost of ranking::Rank (ranking/scoring/ranker.h) for the 200
// candidates of one search, one thread (Google Benchmark). The issue's target: <= 50 us per
// Rank call of 200 candidates.
//
// Setup: an ItemTable from a catalog (TAILOR_BENCH_CATALOG, default data/catalog.jsonl,
// 20k products); the most populous category below the root level; 200 of its items in a
// fixed pseudo-random order as the candidates, with decreasing synthetic text scores (the
// last 40 relaxed matches) and the category's last level as the query; a visitor profile
// from 40 synthetic events (80 % on two favourite brands of that category, a size, the mix
// of bench/profile_bench.cc) applied to a ProfileStore and viewed once.
//
// Cases, each one iteration = one call for the 200 candidates:
//   RankLinear       Rank with config/scoring.json's "default" variant (its model,
//                    config/models/default.json, and its guardrails)
//   RankMlp16        Rank with an MLP of one hidden layer of 16 ReLUs over every registry
//                    feature, random weights, the same guardrails
//   FeaturesOnly     PreparedProfile + ComputeFeatures: the part of Rank every case pays
//   RankNoModel      Rank with config/scoring.json's "text" variant: business rules only
//   RankLinearRules  RankLinear plus a margin weight and boost, bury and pin rules
//   FirstPhase       the first phase of personalized retrieval as the default variant runs
//                    it (config/models/first_phase.json: only the features it reads, its
//                    linear score, no rules), per candidate; before it, each scanned match
//                    cost RankLinear's
//   CoViewedAffinity what the server adds before Rank for the co_viewed feature
//                    (CoOccurrence::Affinity of the 200 candidates with the visitor's last 5
//                    views), in the worst case: each of those 5 items has the most
//                    neighbours kept (20), from 5,000 synthetic visitors' views in the category
// Counters: us_per_call and ns_per_candidate; a summary table is printed last (one row per
// case: name, us/call, ns/candidate, whether within the target), which scripts/bench reads.
// Flags are Google Benchmark's (--benchmark_filter=..., --benchmark_min_time=...).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/event.h"
#include "core/item_table.h"
#include "indexer/catalog_reader.h"
#include "ranking/profiles/profile.h"
#include "ranking/recommend/co_occurrence.h"
#include "ranking/scoring/features.h"
#include "ranking/scoring/model.h"
#include "ranking/scoring/ranker.h"
#include "ranking/scoring/scoring_config.h"

namespace {

using namespace tailor;

constexpr int kCandidates = 200;
constexpr int kProfileEvents = 40;
constexpr double kTargetUs = 50;
constexpr int64_t kStartMs = 1790000000000;
constexpr int64_t kThirtyDaysMs = 30LL * 24 * 3600 * 1000;
constexpr int64_t kNowMs = kStartMs + kThirtyDaysMs;

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "rank-bench: error: %s\n", message.c_str());
  std::exit(1);
}

std::shared_ptr<const ItemTable> LoadItems() {
  const char* path = std::getenv("TAILOR_BENCH_CATALOG");
  Result<std::unique_ptr<indexer::CatalogReader>> reader =
      indexer::CatalogReader::Open(path != nullptr ? path : TAILOR_SOURCE_DIR "/data/catalog.jsonl",
                                   indexer::CatalogKind::kBuild);
  if (!reader.ok()) Die(reader.error().message);
  ItemTableBuilder builder;
  ItemTable::Row row = 1;
  while (std::optional<Result<indexer::CatalogRecord>> record = (*reader)->Next()) {
    if (record->ok()) builder.Set(row++, (*record)->product);
  }
  return builder.Finish();
}

// The category (below the root level) with the most items, and its items in table order.
std::pair<int32_t, std::vector<ItemTable::Row>> BiggestCategory(const ItemTable& items) {
  std::unordered_map<int32_t, std::vector<ItemTable::Row>> by_category;
  for (ItemTable::Row r = 0; r < items.rows(); ++r) {
    if (!items.present(r)) continue;
    for (int32_t category : items.categories(r)) {
      if (items.Key(ItemTable::kCategory, category).find('/') != std::string::npos) {
        by_category[category].push_back(r);
      }
    }
  }
  std::pair<int32_t, std::vector<ItemTable::Row>> best{ItemTable::kNone, {}};
  for (auto& [category, rows] : by_category) {
    if (rows.size() > best.second.size()) best = {category, std::move(rows)};
  }
  if (best.second.size() < static_cast<size_t>(kCandidates)) {
    Die("no category has " + std::to_string(kCandidates) + " items");
  }
  return best;
}

// The visitor's events: two favourite brands of the category (its most common ones), one
// size, the type mix of bench/profile_bench.cc over 30 days.
std::vector<Event> VisitorEvents(const ItemTable& items, const std::vector<ItemTable::Row>& pool) {
  std::map<int32_t, int> brand_counts;
  for (ItemTable::Row r : pool) {
    if (items.brand(r) != ItemTable::kNone) ++brand_counts[items.brand(r)];
  }
  std::vector<std::pair<int, int32_t>> brands;
  for (const auto& [brand, count] : brand_counts) brands.push_back({count, brand});
  std::sort(brands.rbegin(), brands.rend());
  std::vector<ItemTable::Row> favourites;
  for (ItemTable::Row r : pool) {
    for (size_t b = 0; b < 2 && b < brands.size(); ++b) {
      if (items.brand(r) == brands[b].second) favourites.push_back(r);
    }
  }
  if (favourites.empty()) favourites = pool;
  std::mt19937_64 random(7);
  std::vector<Event> events;
  for (int i = 0; i < kProfileEvents; ++i) {
    const std::vector<ItemTable::Row>& from = random() % 10 < 8 ? favourites : pool;
    const ItemTable::Row row = from[random() % from.size()];
    const double r = static_cast<double>(random() % 1000) / 1000.0;
    Event event;
    event.type = r < 0.70   ? EventType::kView
                 : r < 0.88 ? EventType::kClick
                 : r < 0.95 ? EventType::kAddToCart
                 : r < 0.97 ? EventType::kRemoveFromCart
                            : EventType::kPurchase;
    event.visitor = "bench-visitor";
    event.item = items.id(row);
    if (event.type != EventType::kView && event.type != EventType::kClick) {
      std::span<const int32_t> sizes = items.sizes(row);
      event.size = sizes.empty() ? "M" : items.Display(ItemTable::kSize, sizes[sizes.size() / 2]);
    }
    event.timestamp_ms = kStartMs + static_cast<int64_t>(random() % kThirtyDaysMs);
    event.facts = items.Facts(row);
    events.push_back(std::move(event));
  }
  return events;
}

// An MLP over every registry feature: features -> 16 ReLUs -> 1, random weights.
std::shared_ptr<const ranking::Model> RandomMlp() {
  std::mt19937_64 random(11);
  std::normal_distribution<double> weight(0.0, 0.3);
  ranking::ModelParameters parameters;
  parameters.kind = ranking::ModelKind::kMlp;
  parameters.name = "random-mlp-16";
  parameters.features = ranking::FeatureNames();
  const size_t inputs = parameters.features.size();
  parameters.mean.assign(inputs, 0.0);
  parameters.stddev.assign(inputs, 1.0);
  ranking::ModelLayer hidden, output;
  hidden.weights.assign(inputs, std::vector<double>(16));
  for (auto& row : hidden.weights) {
    for (double& w : row) w = weight(random);
  }
  hidden.bias.assign(16, 0.01);
  output.weights.assign(16, std::vector<double>(1));
  for (auto& row : output.weights) row[0] = weight(random);
  output.bias = {0.0};
  parameters.layers = {std::move(hidden), std::move(output)};
  Result<std::shared_ptr<const ranking::Model>> model = ranking::Model::Create(parameters);
  if (!model.ok()) Die("mlp: " + model.error().message);
  return *model;
}

// Variants named in json, each with the model given (null: none).
std::shared_ptr<const ranking::Scoring> ScoringOf(
    const std::string& json, std::map<std::string, std::shared_ptr<const ranking::Model>> models) {
  Result<ranking::ScoringConfig> config = ranking::ParseScoringConfig(json, "rank-bench", "");
  if (!config.ok()) Die(config.error().message);
  return ranking::Scoring::WithModels(std::move(*config), std::move(models));
}

struct Fixture {
  std::shared_ptr<const ItemTable> items;
  std::vector<ranking::Candidate> candidates;
  std::string query;
  ranking::ProfileView profile;
  std::shared_ptr<const ranking::Scoring> repository;  // config/scoring.json
  std::shared_ptr<const ranking::Scoring> custom;      // "mlp" and "rules"
  std::map<std::string, double> us_per_call;           // by case, last run
  std::unique_ptr<ranking::CoOccurrence> co_views;     // CoViewedAffinity's
  std::vector<std::string> last_views;                 // its kCoViewSeeds seeds
};

Fixture& TheFixture() {
  static Fixture* fixture = [] {
    auto* f = new Fixture;
    f->items = LoadItems();
    const ItemTable& items = *f->items;
    auto [category, pool] = BiggestCategory(items);
    const std::string& display = items.Display(ItemTable::kCategory, category);
    f->query = display.substr(display.rfind('/') + 1);
    std::vector<ItemTable::Row> sample = pool;
    std::shuffle(sample.begin(), sample.end(), std::mt19937_64(3));
    for (int i = 0; i < kCandidates; ++i) {
      f->candidates.push_back({sample[i], 12.0 * (1.0 - i / 400.0), i, i < kCandidates - 40});
    }
    ranking::ProfileStore store{ranking::ProfileOptions{}};
    for (const Event& event : VisitorEvents(items, pool)) store.Apply(event);
    std::optional<ranking::ProfileView> view = store.View("bench-visitor", kNowMs);
    if (!view) Die("the synthetic visitor has no profile");
    f->profile = std::move(*view);

    Result<std::shared_ptr<const ranking::Scoring>> repository =
        ranking::Scoring::Load(TAILOR_SOURCE_DIR "/config/scoring.json");
    if (!repository.ok()) Die(repository.error().message);
    f->repository = *repository;
    const ranking::VariantConfig* linear = f->repository->config().Find("default");
    if (linear == nullptr || f->repository->ModelOf(*linear) == nullptr) {
      Die("config/scoring.json: variant \"default\" has no model");
    }
    // "rules": the repository's linear model plus a margin weight and one rule of each kind.
    Result<std::shared_ptr<const ranking::Model>> linear_model =
        ranking::Model::Create(f->repository->ModelOf(*linear)->parameters());
    if (!linear_model.ok()) Die(linear_model.error().message);
    std::string brand = "none";
    for (int i = 5; i < kCandidates && brand == "none"; ++i) {
      if (items.brand(sample[i]) != ItemTable::kNone) {
        brand = items.Display(ItemTable::kBrand, items.brand(sample[i]));
      }
    }
    const std::string rules = R"([{"action": "boost", "weight": 0.5, "match": {"brand": ")" +
                              brand + R"("}},)" + R"( {"action": "bury", "match": {"ids": [")" +
                              items.id(sample[0]) + R"("]}},)" +
                              R"( {"action": "pin", "position": 2, "match": {"ids": [")" +
                              items.id(sample[150]) + R"("]}}])";
    f->custom = ScoringOf(R"({"default_variant": "mlp", "variants": {"mlp": {"model": null},)"
                          R"( "rules": {"model": null, "business": {"margin_weight": 0.2,)"
                          R"( "rules": )" +
                              rules + "}}}}",
                          {{"mlp", RandomMlp()}, {"rules", *linear_model}});
    // Co-views as the server keeps them (ranking::CoViewOptions): 5,000 visitors each look
    // at one of the kCoViewSeeds seeds and then kCoViewSeeds items of the category, so every
    // seed reaches the cap of neighbours.
    f->co_views = std::make_unique<ranking::CoOccurrence>(ranking::CoViewOptions());
    constexpr int kSeeds = ranking::kCoViewSeeds;
    for (int i = 0; i < kSeeds; ++i) f->last_views.push_back(items.id(sample[i * 7]));
    std::mt19937_64 draw(11);
    int64_t at = kNowMs - 3600000;
    for (int visitor = 0; visitor < 5000; ++visitor) {
      Event view;
      view.type = EventType::kView;
      view.visitor = "co-" + std::to_string(visitor);
      view.timestamp_ms = at++;
      view.item = f->last_views[visitor % kSeeds];
      f->co_views->Apply(view);
      for (int k = 0; k < kSeeds; ++k) {
        view.item = items.id(sample[draw() % std::min<size_t>(sample.size(), 400)]);
        view.timestamp_ms = at++;
        f->co_views->Apply(view);
      }
    }
    std::fprintf(stderr,
                 "rank-bench: %zu rows; category \"%s\" (%zu items), query \"%s\", %d "
                 "candidates; profile of %d events: %zu brands, %zu categories, %zu sizes; "
                 "linear model \"%s\" (%s, %zu features)\n",
                 items.rows(), display.c_str(), pool.size(), f->query.c_str(), kCandidates,
                 kProfileEvents, f->profile.brands.size(), f->profile.categories.size(),
                 f->profile.sizes.size(), f->repository->ModelOf(*linear)->name().c_str(),
                 std::string(f->repository->ModelOf(*linear)->kind()).c_str(),
                 f->repository->ModelOf(*linear)->feature_names().size());
    return f;
  }();
  return *fixture;
}

ranking::RankInput InputOf(const Fixture& fixture) {
  ranking::RankInput input;
  input.items = fixture.items.get();
  input.candidates = fixture.candidates;
  input.profile = &fixture.profile;
  input.query = fixture.query;
  input.now_ms = kNowMs;
  return input;
}

// Runs one_call per iteration; records microseconds per call.
template <typename Fn>
void RunCase(benchmark::State& state, const std::string& name, Fn one_call) {
  Fixture& fixture = TheFixture();
  one_call();  // warm: compiles and caches the variant's rules
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) one_call();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double calls = static_cast<double>(state.iterations());
  const double us = calls > 0 ? seconds * 1e6 / calls : 0;
  fixture.us_per_call[name] = us;
  state.SetItemsProcessed(state.iterations() * kCandidates);
  state.counters["us_per_call"] = us;
  state.counters["ns_per_candidate"] = us * 1000 / kCandidates;
}

void RankCase(benchmark::State& state, const std::string& name, const ranking::Scoring& scoring,
              const std::string& variant_name) {
  const Fixture& fixture = TheFixture();
  const ranking::VariantConfig* variant = scoring.config().Find(variant_name);
  if (variant == nullptr) {
    state.SkipWithError(("no variant " + variant_name).c_str());
    return;
  }
  const ranking::RankInput input = InputOf(fixture);
  RunCase(state, name, [&] {
    ranking::Ranked ranked = ranking::Rank(scoring, *variant, input);
    benchmark::DoNotOptimize(ranked.business.order.data());
  });
}

void RankLinear(benchmark::State& state) {
  RankCase(state, "RankLinear", *TheFixture().repository, "default");
}

void RankMlp16(benchmark::State& state) {
  RankCase(state, "RankMlp16", *TheFixture().custom, "mlp");
}

void FeaturesOnly(benchmark::State& state) {
  const Fixture& fixture = TheFixture();
  RunCase(state, "FeaturesOnly", [&] {
    ranking::PreparedProfile profile(&fixture.profile, *fixture.items, ranking::FeatureOptions{});
    ranking::FeatureMatrix features =
        ranking::ComputeFeatures(profile, fixture.query, fixture.candidates);
    benchmark::DoNotOptimize(features.values.data());
  });
}

void RankNoModel(benchmark::State& state) {
  RankCase(state, "RankNoModel", *TheFixture().repository, "text");
}

void RankLinearRules(benchmark::State& state) {
  RankCase(state, "RankLinearRules", *TheFixture().custom, "rules");
}

void FirstPhase(benchmark::State& state) {
  const Fixture& fixture = TheFixture();
  const ranking::VariantConfig* variant = fixture.repository->config().Find("default");
  const ranking::Model* first =
      variant == nullptr ? nullptr : fixture.repository->FirstPhaseOf(*variant);
  if (first == nullptr) {
    state.SkipWithError("config/scoring.json: variant \"default\" has no first_phase_model");
    return;
  }
  const ranking::FeatureSet& needed = first->feature_set();
  RunCase(state, "FirstPhase", [&] {
    ranking::PreparedProfile profile(&fixture.profile, *fixture.items, ranking::FeatureOptions{});
    std::vector<double> scores =
        first->Score(ranking::ComputeFeatures(profile, fixture.query, fixture.candidates, needed));
    benchmark::DoNotOptimize(scores.data());
  });
}

void CoViewedAffinity(benchmark::State& state) {
  const Fixture& fixture = TheFixture();
  std::vector<ItemTable::Row> rows;
  for (const ranking::Candidate& c : fixture.candidates) rows.push_back(c.row);
  std::vector<float> out(rows.size());
  RunCase(state, "CoViewedAffinity", [&] {
    fixture.co_views->Affinity(fixture.last_views, *fixture.items, rows, kNowMs, out);
    benchmark::DoNotOptimize(out.data());
  });
}

BENCHMARK(RankLinear)->Unit(benchmark::kMicrosecond)->UseRealTime()->MinTime(1.0);
BENCHMARK(RankMlp16)->Unit(benchmark::kMicrosecond)->UseRealTime()->MinTime(1.0);
BENCHMARK(FeaturesOnly)->Unit(benchmark::kMicrosecond)->UseRealTime()->MinTime(1.0);
BENCHMARK(RankNoModel)->Unit(benchmark::kMicrosecond)->UseRealTime()->MinTime(1.0);
BENCHMARK(RankLinearRules)->Unit(benchmark::kMicrosecond)->UseRealTime()->MinTime(1.0);
BENCHMARK(FirstPhase)->Unit(benchmark::kMicrosecond)->UseRealTime()->MinTime(1.0);
BENCHMARK(CoViewedAffinity)->Unit(benchmark::kMicrosecond)->UseRealTime()->MinTime(1.0);

void PrintSummary() {
  const Fixture& fixture = TheFixture();
  std::printf("\n%-16s %10s %14s %8s\n", "case", "us/call", "ns/candidate", "<=50us");
  for (const char* name : {"RankLinear", "RankMlp16", "FeaturesOnly", "RankNoModel",
                           "RankLinearRules", "FirstPhase", "CoViewedAffinity"}) {
    auto it = fixture.us_per_call.find(name);
    if (it == fixture.us_per_call.end()) continue;
    std::printf("%-16s %10.1f %14.1f %8s\n", name, it->second, it->second * 1000 / kCandidates,
                it->second <= kTargetUs ? "yes" : "NO");
  }
}

// Ranks for about half a second before measuring: the first case measured otherwise pays
// for the allocator and caches settling after the catalog load (about 30 % more).
void WarmUp() {
  const Fixture& fixture = TheFixture();
  const ranking::VariantConfig* variant = fixture.repository->config().Find("default");
  const ranking::RankInput input = InputOf(fixture);
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  while (std::chrono::steady_clock::now() < until) {
    ranking::Ranked ranked = ranking::Rank(*fixture.repository, *variant, input);
    benchmark::DoNotOptimize(ranked.business.order.data());
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  WarmUp();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  PrintSummary();
  return 0;
}
