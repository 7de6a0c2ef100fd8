#include "server/engine.h"

#include <algorithm>
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
  if (!searcher.ok()) return searcher.error().WithPrefix("index " + options.index_dir);
  EngineParts parts;
  parts.searcher = std::move(*searcher);
  if (!options.state_dir.empty()) {
    Result<std::unique_ptr<ranking::ProfileState>> state =
        ranking::ProfileState::Open(options.state_dir, options.durability, options.profiles);
    if (!state.ok()) return state.error().WithPrefix("state " + options.state_dir);
    parts.state = std::move(*state);
  }
  parts.personalization = options.personalization;
  parts.default_limit = options.searcher.default_limit;
  return std::make_unique<Engine>(std::move(parts));
}

Engine::Engine(EngineParts parts)
    : searcher_(std::move(parts.searcher)),
      state_(std::move(parts.state)),
      personalization_(parts.personalization),
      default_limit_(parts.default_limit) {
  assert(searcher_ != nullptr);
}

Engine::Engine(std::unique_ptr<searcher::Searcher> searcher)
    : Engine(EngineParts{std::move(searcher), nullptr, {}, 20}) {}

int64_t Engine::NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<SearchResponse> Engine::Search(const searcher::SearchRequest& request,
                                      const SearchContext& context) {
  const auto start = std::chrono::steady_clock::now();
  std::optional<ranking::ProfileView> profile;
  if (state_ != nullptr && context.personalize && !context.visitor.empty()) {
    profile = state_->View(context.visitor, NowMs());
  }
  Result<SearchResponse> response =
      profile && !profile->empty() ? SearchPersonalized(request, context, *profile)
                                   : SearchText(request, context);
  if (!response.ok()) return response;
  RecordSizeFilter(request, context);
  response->request_id = context.request_id.empty() ? NewRequestId() : context.request_id;
  // One ranking exists so far: every variant request is answered by it, and the response
  // says so rather than echoing a variant that did not run.
  response->variant = kDefaultVariant;
  response->took_ms = std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start).count();
  return response;
}

Result<SearchResponse> Engine::SearchText(const searcher::SearchRequest& request,
                                          const SearchContext& context) {
  Result<searcher::SearchResult> result = searcher_->Search(request);
  if (!result.ok()) return result.error();
  SearchResponse response;
  response.result = std::move(*result);
  if (context.explain) {
    for (const searcher::Hit& hit : response.result.hits) {
      response.explanations.push_back(HitExplanation{hit.rank, hit.score, hit.strict, {}});
    }
  }
  return response;
}

Result<SearchResponse> Engine::SearchPersonalized(const searcher::SearchRequest& request,
                                                  const SearchContext& context,
                                                  const ranking::ProfileView& profile) {
  Result<searcher::CandidateResult> found =
      searcher_->SearchCandidates(request, personalization_.depth);
  if (!found.ok()) return found.error();
  std::vector<searcher::Hit>& hits = found->result.hits;
  const size_t window = std::min(hits.size(), static_cast<size_t>(personalization_.depth));
  std::vector<ranking::Candidate> candidates;
  candidates.reserve(window);
  for (size_t i = 0; i < window; ++i) {
    candidates.push_back({hits[i].docid, hits[i].score, hits[i].rank, hits[i].strict});
  }
  std::vector<ranking::PersonalScore> scores;
  std::vector<size_t> order;
  if (found->items != nullptr) {
    ranking::PersonalScorer scorer(profile, *found->items, personalization_);
    scores = scorer.Score(candidates);
    order = scorer.Order(candidates, scores);
  }
  // The page of the reranked window, then of the text order below it.
  const size_t offset = static_cast<size_t>(request.offset);
  const size_t limit = static_cast<size_t>(request.limit.value_or(default_limit_));
  SearchResponse response;
  response.personalized = !order.empty();
  std::vector<searcher::Hit> page;
  for (size_t position = offset; position < hits.size() && page.size() < limit; ++position) {
    const size_t index = position < order.size() ? order[position] : position;
    page.push_back(hits[index]);
    if (context.explain) {
      HitExplanation explanation{hits[index].rank, hits[index].score, hits[index].strict, {}};
      if (index < scores.size()) explanation.personal = scores[index];
      response.explanations.push_back(explanation);
    }
  }
  if (Status loaded = searcher_->LoadStored(page); !loaded.ok()) return loaded.error();
  response.result = std::move(found->result);
  response.result.hits = std::move(page);
  return response;
}

void Engine::RecordSizeFilter(const searcher::SearchRequest& request,
                              const SearchContext& context) {
  if (state_ == nullptr || context.visitor.empty() || request.sizes.empty()) return;
  if (context.visitor.size() > Event::kMaxVisitorBytes) return;
  Event event;
  event.type = EventType::kSizeFilter;
  event.visitor = context.visitor;
  event.timestamp_ms = NowMs();
  for (const std::string& size : request.sizes) {
    if (!size.empty() && size.size() <= Event::kMaxTextBytes) event.sizes.push_back(size);
  }
  if (event.sizes.empty()) return;
  std::vector<Event> events;
  events.push_back(std::move(event));
  // Not awaited: the search does not depend on it, and a lost filter only costs a hint.
  state_->Append(std::move(events), [](Status) {});
}

void Engine::Ingest(std::vector<Event> events, std::function<void(Status)> done) {
  if (state_ == nullptr) {
    return done(Error::Unavailable("events: this server has no state directory"));
  }
  std::shared_ptr<const ItemTable> items = searcher_->Items();
  for (Event& event : events) {
    if (items == nullptr || event.item.empty()) continue;
    if (std::optional<ItemTable::Row> row = items->Find(event.item)) {
      event.facts = items->Facts(*row);
    }
  }
  state_->Append(std::move(events), std::move(done));
}

std::optional<ranking::ProfileView> Engine::Profile(std::string_view visitor) const {
  if (state_ == nullptr) return std::nullopt;
  return state_->View(visitor, NowMs());
}

void Engine::Forget(std::string visitor, std::function<void(Result<bool>)> done) {
  if (state_ == nullptr) {
    return done(Error::Unavailable("profiles: this server has no state directory"));
  }
  state_->Forget(std::move(visitor), std::move(done));
}

HealthInfo Engine::Health() const { return HealthInfo{searcher_->DocumentCount()}; }

}  // namespace tailor::server
