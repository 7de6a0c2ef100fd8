#include "server/engine.h"

#include <cassert>
#include <chrono>
#include <cstdio>
#include <random>

namespace tailor::server {
namespace {

constexpr const char* kDefaultVariant = "default";

// splitmix64's finalizer: a bijection on 64-bit integers, so distinct counters give
// distinct ids while consecutive ones look unrelated.
uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

}  // namespace

RequestIdGenerator::RequestIdGenerator() {
  std::random_device device;
  seed_ = (static_cast<uint64_t>(device()) << 32) ^ device() ^
          static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
}

std::string RequestIdGenerator::Next() {
  uint64_t n = counter_.fetch_add(1, std::memory_order_relaxed);
  char buffer[17];
  std::snprintf(buffer, sizeof(buffer), "%016llx",
                static_cast<unsigned long long>(Mix(seed_ + n)));
  return buffer;
}

Result<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options) {
  Result<std::unique_ptr<searcher::Searcher>> searcher =
      searcher::Searcher::Open(options.index_dir, options.searcher);
  if (!searcher.ok()) return searcher.error();
  return std::make_unique<Engine>(std::move(*searcher));
}

Engine::Engine(std::unique_ptr<searcher::Searcher> searcher) : searcher_(std::move(searcher)) {
  assert(searcher_ != nullptr);
}

Result<SearchResponse> Engine::Search(const searcher::SearchRequest& request,
                                      const SearchContext& context) {
  const auto start = std::chrono::steady_clock::now();
  SearchResponse response;
  response.request_id = context.request_id.empty() ? NewRequestId() : context.request_id;
  // Only the text ranking exists so far: every variant request is answered by it, and the
  // response says so rather than echoing a variant that did not run.
  response.variant = kDefaultVariant;
  Result<searcher::SearchResult> result = searcher_->Search(request);
  if (!result.ok()) return result.error();
  response.result = std::move(*result);
  response.took_ms = std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - start).count();
  return response;
}

HealthInfo Engine::Health() const { return HealthInfo{searcher_->DocumentCount()}; }

}  // namespace tailor::server
