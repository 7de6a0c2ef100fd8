// tailor-profile-bench: memory per taste profile and in-process event throughput.
//
// Builds an ItemTable from a catalog (TAILOR_BENCH_CATALOG, default data/catalog.jsonl),
// synthesizes TAILOR_BENCH_VISITORS visitors (default 100,000) with
// TAILOR_BENCH_EVENTS_PER_VISITOR events each (default 40) - each visitor has two or three
// favourite brands, one or two favourite top categories and a size; 80 % of their events
// are on favourites; the mix is 70 % view, 18 % click, 7 % add_to_cart, 2 % remove, 3 %
// purchase over 30 days - and applies them to a ProfileStore. It prints bytes per profile
// (the store's estimate and the process's RSS growth), snapshot bytes per profile and the
// apply rate. Then Google Benchmark measures ProfileState::AppendAndWait with batches of 100
// under fsync per batch (the durable in-process rate that POST /events is compared with)
// and ProfileStore::View of a typical profile.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <unordered_map>

#include "core/item_table.h"
#include "indexer/catalog_reader.h"
#include "ranking/profiles/profile.h"
#include "ranking/profiles/profile_state.h"

namespace {

using namespace tailor;

constexpr int64_t kStartMs = 1790000000000;
constexpr int64_t kThirtyDaysMs = 30LL * 24 * 3600 * 1000;

long EnvOr(const char* name, long fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::atol(value) : fallback;
}

size_t RssBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

struct Catalog {
  std::shared_ptr<const ItemTable> items;
  std::vector<ItemTable::Row> rows;
  std::unordered_map<int32_t, std::vector<ItemTable::Row>> by_brand;
  std::vector<int32_t> brands;
};

const Catalog& LoadCatalog() {
  static const Catalog catalog = [] {
    const char* path = std::getenv("TAILOR_BENCH_CATALOG");
    Result<std::unique_ptr<indexer::CatalogReader>> reader = indexer::CatalogReader::Open(
        path != nullptr ? path : TAILOR_SOURCE_DIR "/data/catalog.jsonl", indexer::CatalogKind::kBuild);
    if (!reader.ok()) {
      std::fprintf(stderr, "profile-bench: %s\n", reader.error().message.c_str());
      std::exit(1);
    }
    ItemTableBuilder builder;
    ItemTable::Row row = 1;
    while (std::optional<Result<indexer::CatalogRecord>> record = (*reader)->Next()) {
      if (record->ok()) builder.Set(row++, (*record)->product);
    }
    Catalog result;
    result.items = builder.Finish();
    for (ItemTable::Row r = 1; r < result.items->rows(); ++r) {
      if (!result.items->present(r)) continue;
      result.rows.push_back(r);
      if (result.items->brand(r) != ItemTable::kNone) {
        result.by_brand[result.items->brand(r)].push_back(r);
      }
    }
    for (const auto& [brand, rows] : result.by_brand) result.brands.push_back(brand);
    return result;
  }();
  return catalog;
}

// One synthetic visitor's events, deterministic for (visitor, seed).
std::vector<Event> VisitorEvents(const Catalog& catalog, int visitor, int count) {
  std::mt19937_64 random(static_cast<uint64_t>(visitor) * 7919 + 1);
  std::vector<int32_t> favourites;
  for (int i = 0; i < 2 + visitor % 2; ++i) {
    favourites.push_back(catalog.brands[random() % catalog.brands.size()]);
  }
  static const std::string kSizes[] = {"S", "M", "L", "XL"};
  const std::string& size = kSizes[visitor % 4];
  std::vector<Event> events;
  for (int i = 0; i < count; ++i) {
    ItemTable::Row row;
    if (random() % 10 < 8) {
      const auto& rows = catalog.by_brand.at(favourites[random() % favourites.size()]);
      row = rows[random() % rows.size()];
    } else {
      row = catalog.rows[random() % catalog.rows.size()];
    }
    const double r = static_cast<double>(random() % 1000) / 1000.0;
    Event event;
    event.type = r < 0.70 ? EventType::kView
                 : r < 0.88 ? EventType::kClick
                 : r < 0.95 ? EventType::kAddToCart
                 : r < 0.97 ? EventType::kRemoveFromCart
                            : EventType::kPurchase;
    event.visitor = "visitor-" + std::to_string(visitor);
    event.item = catalog.items->id(row);
    if (event.type != EventType::kView && event.type != EventType::kClick) event.size = size;
    event.timestamp_ms = kStartMs + static_cast<int64_t>(random() % kThirtyDaysMs);
    event.facts = catalog.items->Facts(row);
    events.push_back(std::move(event));
  }
  return events;
}

void ReportMemory() {
  const Catalog& catalog = LoadCatalog();
  const int visitors = static_cast<int>(EnvOr("TAILOR_BENCH_VISITORS", 100000));
  const int per_visitor = static_cast<int>(EnvOr("TAILOR_BENCH_EVENTS_PER_VISITOR", 40));
  ranking::ProfileStore store{ranking::ProfileOptions{}};
  const size_t rss_before = RssBytes();
  double apply_seconds = 0;
  long events = 0;
  for (int v = 0; v < visitors; ++v) {
    std::vector<Event> batch = VisitorEvents(catalog, v, per_visitor);
    const auto start = std::chrono::steady_clock::now();
    for (const Event& event : batch) store.Apply(event);
    apply_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    events += static_cast<long>(batch.size());
  }
  const size_t rss_after = RssBytes();
  std::ostringstream snapshot;
  store.Save(snapshot);
  const double profiles = static_cast<double>(store.size());
  std::printf("profiles: %zu visitors, %ld events over %zu catalog items\n", store.size(), events,
              catalog.rows.size());
  std::printf("profile bytes (store estimate): %.0f per profile (target <= 2048)\n",
              static_cast<double>(store.ProfileBytes()) / profiles);
  std::printf("process RSS growth: %.0f bytes per profile (vocabulary %zu bytes in all)\n",
              static_cast<double>(rss_after - rss_before) / profiles, store.VocabularyBytes());
  std::printf("snapshot: %.0f bytes per profile\n",
              static_cast<double>(snapshot.str().size()) / profiles);
  std::printf("apply: %.0f events/s in-process, one thread, no log\n",
              static_cast<double>(events) / apply_seconds);
  std::fflush(stdout);
}

void BM_DurableAppend(benchmark::State& state) {
  static const std::string dir = [] {
    auto path = std::filesystem::temp_directory_path() /
                ("tailor-profile-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path);
    return path.string();
  }();
  static std::unique_ptr<ranking::ProfileState> profile_state;
  if (state.thread_index() == 0) {
    Result<std::unique_ptr<ranking::ProfileState>> opened =
        ranking::ProfileState::Open(dir, ranking::StateOptions{}, ranking::ProfileOptions{});
    if (!opened.ok()) state.SkipWithError(opened.error().message.c_str());
    profile_state = opened.ok() ? std::move(*opened) : nullptr;
  }
  std::vector<Event> batch = VisitorEvents(LoadCatalog(), static_cast<int>(state.thread_index()), 100);
  for (auto _ : state) {
    if (profile_state == nullptr) break;
    Status status = profile_state->AppendAndWait(batch);
    if (!status.ok()) state.SkipWithError(status.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations() * 100);
  if (state.thread_index() == 0) {
    profile_state.reset();
    std::filesystem::remove_all(dir);
  }
}
BENCHMARK(BM_DurableAppend)->Threads(2)->Threads(8)->UseRealTime()->MinTime(2.0);

void BM_ProfileView(benchmark::State& state) {
  ranking::ProfileStore store{ranking::ProfileOptions{}};
  for (const Event& event : VisitorEvents(LoadCatalog(), 1, 200)) store.Apply(event);
  for (auto _ : state) benchmark::DoNotOptimize(store.View("visitor-1", kStartMs + kThirtyDaysMs));
}
BENCHMARK(BM_ProfileView);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  ReportMemory();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
