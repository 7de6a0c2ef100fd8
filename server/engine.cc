#include "server/engine.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cstdio>
#include <random>
#include <unordered_set>

#include "ranking/reasons.h"
#include "server/internal/ranked_hits.h"

namespace tailor::server {
namespace {

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

std::shared_ptr<const ranking::Scoring> BuiltInScoring() {
  Result<ranking::ScoringConfig> config =
      ranking::ParseScoringConfig(R"({"variants": {"default": {}}})", "built-in", "");
  assert(config.ok());
  return ranking::Scoring::WithModels(std::move(*config), {});
}

Result<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options) {
  Result<std::unique_ptr<searcher::Searcher>> searcher =
      searcher::Searcher::Open(options.index_dir, options.searcher);
  if (!searcher.ok()) return searcher.error().WithPrefix("index " + options.index_dir);
  EngineParts parts;
  parts.searcher = std::move(*searcher);
  if (!options.scoring_config.empty()) {
    Result<std::shared_ptr<const ranking::Scoring>> scoring =
        ranking::Scoring::Load(options.scoring_config);
    if (!scoring.ok()) return scoring.error();
    parts.scoring = std::move(*scoring);
    parts.scoring_path = options.scoring_config;
  }
  if (!options.state_dir.empty()) {
    Result<std::unique_ptr<ranking::ProfileState>> state =
        ranking::ProfileState::Open(options.state_dir, options.durability, options.profiles);
    if (!state.ok()) return state.error().WithPrefix("state " + options.state_dir);
    parts.state = std::move(*state);
    if (options.feature_log.enabled) {
      Result<std::unique_ptr<ranking::RankingLog>> log =
          ranking::RankingLog::Open(options.state_dir + "/rankings", options.feature_log);
      if (!log.ok()) return log.error().WithPrefix("state " + options.state_dir);
      parts.ranking_log = std::move(*log);
    }
    // Baskets and item popularity are rebuilt from the events kept, in log order.
    parts.co_occurrence = std::make_unique<ranking::CoOccurrence>();
    parts.popularity = std::make_unique<ranking::ItemPopularity>();
    ranking::CoOccurrence* co = parts.co_occurrence.get();
    ranking::ItemPopularity* popularity = parts.popularity.get();
    Status replayed =
        ranking::ForEachLoggedEvent(options.state_dir, [co, popularity](const Event& event) {
          co->Apply(event);
          popularity->Apply(event);
        });
    if (!replayed.ok()) return replayed.error().WithPrefix("state " + options.state_dir);
  }
  parts.default_limit = options.searcher.default_limit;
  return std::make_unique<Engine>(std::move(parts));
}

Engine::Engine(EngineParts parts)
    : searcher_(std::move(parts.searcher)),
      state_(std::move(parts.state)),
      scoring_(parts.scoring != nullptr ? std::move(parts.scoring) : BuiltInScoring()),
      scoring_path_(std::move(parts.scoring_path)),
      ranking_log_(std::move(parts.ranking_log)),
      co_occurrence_(std::move(parts.co_occurrence)),
      popularity_(std::move(parts.popularity)),
      default_limit_(parts.default_limit) {
  assert(searcher_ != nullptr);
}

Engine::Engine(std::unique_ptr<searcher::Searcher> searcher)
    : Engine(EngineParts{std::move(searcher), nullptr, nullptr, "", nullptr, nullptr, nullptr, 20}) {}

Engine::~Engine() = default;

int64_t Engine::NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<const ranking::VariantConfig*> Engine::ChooseVariant(const ranking::Scoring& scoring,
                                                            const SearchContext& context) const {
  if (context.variant.empty()) return &scoring.config().ChooseVariant(context.visitor);
  const ranking::VariantConfig* variant = scoring.config().Find(context.variant);
  if (variant == nullptr) {
    std::string known;
    for (const ranking::VariantConfig& v : scoring.config().variants()) {
      known += (known.empty() ? "" : ", ") + v.name;
    }
    return Error::InvalidArgument("variant: unknown \"" + context.variant + "\" (" + known + ")");
  }
  return variant;
}

double Engine::Ranking::TookMs() const {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

Result<Engine::Ranking> Engine::BeginRanking(const SearchContext& context, ProfileUse use) {
  Ranking ranking;
  ranking.start = std::chrono::steady_clock::now();
  ranking.scoring = scoring_.load();
  Result<const ranking::VariantConfig*> variant = ChooseVariant(*ranking.scoring, context);
  if (!variant.ok()) return variant.error();
  ranking.variant = *variant;
  // A view costs a copy of the profile: not taken when nothing will read it.
  const bool wanted = context.personalize || use == ProfileUse::kAlways;
  if (state_ != nullptr && !context.visitor.empty() && wanted) {
    ranking.profile = state_->View(context.visitor, NowMs());
  }
  ranking.personalize = context.personalize;
  ranking.request_id = context.request_id.empty() ? request_ids_.Next() : context.request_id;
  return ranking;
}

void Engine::FillPopularity(const ItemTable& items,
                            std::vector<ranking::Candidate>& candidates) const {
  if (popularity_ == nullptr || candidates.empty()) return;
  std::vector<ItemTable::Row> rows;
  rows.reserve(candidates.size());
  for (const ranking::Candidate& c : candidates) rows.push_back(c.row);
  std::vector<float> values(rows.size());
  popularity_->Lookup(items, rows, NowMs(), values);
  for (size_t i = 0; i < candidates.size(); ++i) candidates[i].event_popularity = values[i];
}

ranking::Ranked Engine::RankCandidates(const Ranking& ranking, const ItemTable& items,
                                       std::vector<ranking::Candidate>& candidates,
                                       std::string_view query) const {
  FillPopularity(items, candidates);
  ranking::RankInput input{&items, candidates, ranking.personal(), query, NowMs(),
                           internal::SeedOf(ranking.request_id)};
  input.apply_model = ranking.personal() != nullptr;
  return ranking::Rank(*ranking.scoring, *ranking.variant, input);
}

Result<SearchResponse> Engine::Search(const searcher::SearchRequest& request,
                                      const SearchContext& context) {
  Result<Ranking> ranking = BeginRanking(context);
  if (!ranking.ok()) return ranking.error();
  SearchContext with_id = context;
  with_id.request_id = ranking->request_id;
  const ranking::VariantConfig& chosen = *ranking->variant;
  // Without a profile the ranking is the text one, plus the variant's business rules when
  // it has any (a merchant's pin holds for new visitors too); the model needs a profile.
  const bool has_rules = !chosen.business.rules.empty() || chosen.business.margin_weight > 0;
  Result<SearchResponse> response = ranking->personal() != nullptr || has_rules
                                        ? SearchRanked(request, with_id, *ranking)
                                        : SearchText(request, with_id, chosen);
  if (!response.ok()) return response;
  RecordSizeFilter(request, context);
  response->request_id = ranking->request_id;
  response->variant = chosen.name;
  response->took_ms = ranking->TookMs();
  return response;
}

namespace internal {

// The exploration seed of a request: FNV-1a of its id, so a request id replays its shuffle.
uint64_t SeedOf(std::string_view request_id) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : request_id) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return hash;
}

size_t MergeBelowWindow(std::vector<searcher::Hit> more, std::vector<searcher::Hit>& pool,
                        std::vector<searcher::Hit>& rest) {
  std::unordered_set<uint32_t> known;
  known.reserve(pool.size() + more.size());
  for (const searcher::Hit& hit : pool) known.insert(hit.docid);
  std::unordered_set<uint32_t> added;
  for (searcher::Hit& hit : more) {
    if (!known.insert(hit.docid).second) continue;
    hit.rank = static_cast<int>(pool.size());
    added.insert(hit.docid);
    pool.push_back(std::move(hit));
  }
  if (!added.empty()) {
    std::erase_if(rest, [&](const searcher::Hit& r) { return added.count(r.docid) > 0; });
  }
  return added.size();
}

std::vector<ranking::Candidate> CandidatesOf(const std::vector<searcher::Hit>& hits,
                                             size_t count) {
  std::vector<ranking::Candidate> candidates;
  candidates.reserve(count);
  for (size_t i = 0; i < count && i < hits.size(); ++i) {
    candidates.push_back({hits[i].docid, hits[i].score, hits[i].rank, hits[i].strict});
  }
  return candidates;
}

HitExplanation TextExplanation(const searcher::Hit& hit) {
  HitExplanation explanation;
  explanation.text_rank = hit.rank;
  explanation.text_score = hit.score;
  explanation.strict = hit.strict;
  return explanation;
}

HitExplanation Explain(const ranking::Candidate& candidate, size_t index,
                       const ranking::Ranked& ranked, const ItemTable& items, bool with_rules,
                       const ranking::ProfileView* profile) {
  HitExplanation explanation;
  explanation.text_rank = candidate.text_rank;
  explanation.text_score = candidate.text_score;
  explanation.strict = candidate.strict;
  explanation.in_stock = items.in_stock(candidate.row);
  explanation.size_fit = ranked.fits.empty() ? ranking::SizeFit::kUnknown : ranked.fits[index];
  auto row = ranked.features.row(static_cast<int>(index));
  explanation.features.assign(row.begin(), row.end());
  if (!with_rules) {
    explanation.reasons = ranking::ReasonsFor(items, candidate.row, row, {}, profile);
    return explanation;
  }
  explanation.ranked = true;
  const ranking::CandidateOutcome& outcome = ranked.business.candidates[index];
  explanation.final_score = outcome.final_score;
  explanation.margin = outcome.margin;
  explanation.adjustments = outcome.adjustments;
  if (ranked.model != nullptr) {
    explanation.model = ranked.model->name();
    explanation.model_score = ranked.model_scores[index];
    explanation.contributions =
        ranked.model->Contributions(ranked.features, static_cast<int>(index));
  }
  explanation.reasons =
      ranking::ReasonsFor(items, candidate.row, row, explanation.contributions, profile);
  return explanation;
}

}  // namespace internal

using internal::CandidatesOf;
using internal::MergeBelowWindow;
using internal::Explain;
using internal::TextExplanation;

Result<SearchResponse> Engine::SearchText(const searcher::SearchRequest& request,
                                          const SearchContext& context,
                                          const ranking::VariantConfig& variant) {
  Result<searcher::SearchResult> result = searcher_->Search(request);
  if (!result.ok()) return result.error();
  SearchResponse response;
  response.result = std::move(*result);
  std::shared_ptr<const ItemTable> items = searcher_->Items();
  const bool log = ranking_log_ != nullptr && items != nullptr;
  if (!log && !context.explain) return response;
  // Features of the page only, without a profile: what the log and explain need. A hit
  // whose row names another product (the index was swapped in between) has none.
  std::vector<ranking::Candidate> candidates;
  std::vector<int> candidate_of;  // per hit, its candidate or -1
  for (const searcher::Hit& hit : response.result.hits) {
    const bool known = items != nullptr && items->present(hit.docid) && items->id(hit.docid) == hit.id;
    candidate_of.push_back(known ? static_cast<int>(candidates.size()) : -1);
    if (known) candidates.push_back({hit.docid, hit.score, hit.rank, hit.strict});
  }
  ranking::Ranked ranked;
  if (items != nullptr) {
    FillPopularity(*items, candidates);
    ranking::PreparedProfile no_profile(nullptr, *items, ranking::FeatureOptions{});
    ranked.features = ranking::ComputeFeatures(no_profile, request.query, candidates);
  }
  if (context.explain) {
    for (size_t i = 0; i < response.result.hits.size(); ++i) {
      const searcher::Hit& hit = response.result.hits[i];
      response.explanations.push_back(
          candidate_of[i] >= 0
              ? Explain(candidates[candidate_of[i]], candidate_of[i], ranked, *items, false,
                        nullptr)
              : TextExplanation(hit));
    }
  }
  if (log && candidates.size() == response.result.hits.size()) {
    std::vector<size_t> indexes(candidates.size());
    for (size_t i = 0; i < indexes.size(); ++i) indexes[i] = i;
    LogRanking(context, context.request_id, variant.name, request.query, false, *items,
               candidates, indexes, request.offset, ranked);
  }
  return response;
}

Result<SearchResponse> Engine::SearchRanked(const searcher::SearchRequest& request,
                                            const SearchContext& context,
                                            const Ranking& ranking) {
  const ranking::VariantConfig& variant = *ranking.variant;
  const ranking::ProfileView* profile = ranking.personal();
  Result<searcher::CandidateResult> found =
      searcher_->SearchCandidates(request, variant.candidate_depth);
  if (!found.ok()) return found.error();
  if (found->items == nullptr) return SearchText(request, context, variant);
  // The ranked pool is the window of text candidates; the text order below it follows.
  std::vector<searcher::Hit>& hits = found->result.hits;
  const size_t window = std::min(hits.size(), static_cast<size_t>(variant.candidate_depth));
  std::vector<searcher::Hit> pool(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(window));
  std::vector<searcher::Hit> rest(hits.begin() + static_cast<std::ptrdiff_t>(window), hits.end());
  if (profile != nullptr) AddPersonalCandidates(request, variant, *profile, pool, rest);
  const ItemTable& items = *found->items;
  std::vector<ranking::Candidate> candidates = CandidatesOf(pool, pool.size());
  ranking::Ranked ranked = RankCandidates(ranking, items, candidates, request.query);
  const size_t offset = static_cast<size_t>(request.offset);
  const size_t limit = static_cast<size_t>(request.limit.value_or(default_limit_));
  if (profile != nullptr &&
      AddFittingCandidates(request, variant, *profile, ranked, offset + limit, pool, rest)) {
    candidates = CandidatesOf(pool, pool.size());
    ranked = RankCandidates(ranking, items, candidates, request.query);
  }
  const std::vector<size_t>& order = ranked.business.order;
  SearchResponse response;
  response.personalized = profile != nullptr;
  std::vector<searcher::Hit> page;
  std::vector<size_t> logged;
  for (size_t position = offset; position < order.size() + rest.size() && page.size() < limit;
       ++position) {
    if (position >= order.size()) {
      page.push_back(rest[position - order.size()]);
      if (context.explain) response.explanations.push_back(TextExplanation(page.back()));
      continue;
    }
    const size_t index = order[position];
    page.push_back(pool[index]);
    logged.push_back(index);
    if (context.explain) {
      response.explanations.push_back(
          Explain(candidates[index], index, ranked, items, true, profile));
    }
  }
  if (Status loaded = searcher_->LoadStored(page); !loaded.ok()) return loaded.error();
  if (ranking_log_ != nullptr && logged.size() == page.size()) {
    LogRanking(context, context.request_id, variant.name, request.query, response.personalized,
               *found->items, candidates, logged, request.offset, ranked);
  }
  response.result = std::move(found->result);
  response.result.hits = std::move(page);
  return response;
}

bool Engine::AddFittingCandidates(const searcher::SearchRequest& request,
                                  const ranking::VariantConfig& variant,
                                  const ranking::ProfileView& profile,
                                  const ranking::Ranked& ranked, size_t wanted,
                                  std::vector<searcher::Hit>& pool,
                                  std::vector<searcher::Hit>& rest) {
  // A size filter already keeps every candidate in that size.
  if (!request.sizes.empty() || pool.empty()) return false;
  const size_t fitting = static_cast<size_t>(
      std::count_if(ranked.business.candidates.begin(), ranked.business.candidates.end(),
                    [](const ranking::CandidateOutcome& c) { return c.fits; }));
  if (fitting >= std::min(wanted, pool.size())) return false;
  searcher::SearchRequest sized = request;
  for (const ranking::ProfileView::SizePreference& size : profile.sizes) {
    if (size.share >= variant.min_size_share) sized.sizes.push_back(size.display);
  }
  if (sized.sizes.empty()) return false;
  Result<std::vector<searcher::Hit>> more = searcher_->Retrieve(sized, variant.candidate_depth);
  if (!more.ok()) return false;  // the pool as it is still answers the search
  return MergeBelowWindow(std::move(*more), pool, rest) > 0;
}

namespace {

// The visitor's strongest entries of one affinity list (strongest first), at most `count`,
// each at least a `min_share` of the strongest one's weight.
std::vector<std::string> Strongest(const std::vector<ranking::ProfileView::Affinity>& list,
                                   size_t count, double min_share) {
  std::vector<std::string> keys;
  for (const ranking::ProfileView::Affinity& a : list) {
    if (keys.size() >= count || a.weight < min_share * list.front().weight) break;
    if (a.weight > 0) keys.push_back(a.key);
  }
  return keys;
}

}  // namespace

bool Engine::AddPersonalCandidates(const searcher::SearchRequest& request,
                                   const ranking::VariantConfig& variant,
                                   const ranking::ProfileView& profile,
                                   std::vector<searcher::Hit>& pool,
                                   std::vector<searcher::Hit>& rest) const {
  constexpr size_t kBrands = 3, kCategories = 3, kColors = 2;
  constexpr double kMinShare = 0.2;
  // A text pool that holds every match already holds all the visitor could like.
  if (variant.personal_depth <= 0 || pool.size() < static_cast<size_t>(variant.candidate_depth)) {
    return false;
  }
  searcher::SearchRequest personal = request;
  personal.with_facets = false;
  // The most telling restriction the profile allows: brands, else colours, else categories.
  // A broad query's text top already holds its category; what it lacks is the visitor's
  // brands, which a restriction to categories or colours as well would crowd out.
  personal.preferred.brands = Strongest(profile.brands, kBrands, kMinShare);
  if (personal.preferred.empty()) {
    personal.preferred.colors = Strongest(profile.colors, kColors, kMinShare);
  }
  if (personal.preferred.empty()) {
    // Deeper levels say more than a root such as "Men": roots are left out.
    std::vector<ranking::ProfileView::Affinity> deep;
    for (const ranking::ProfileView::Affinity& a : profile.categories) {
      if (a.key.find('/') != std::string::npos) deep.push_back(a);
    }
    personal.preferred.categories = Strongest(deep, kCategories, kMinShare);
  }
  if (personal.preferred.empty()) return false;
  Result<std::vector<searcher::Hit>> more = searcher_->Retrieve(personal, variant.personal_depth);
  if (!more.ok()) return false;  // the text pool still answers the search
  return MergeBelowWindow(std::move(*more), pool, rest) > 0;
}

void Engine::LogRanking(const SearchContext& context, const std::string& request_id,
                        const std::string& variant, std::string_view query, bool personalized,
                        const ItemTable& items, std::span<const ranking::Candidate> candidates,
                        const std::vector<size_t>& indexes, int first_position,
                        const ranking::Ranked& ranked) {
  if (ranking_log_ == nullptr || indexes.empty()) return;
  ranking::RankingRecord record;
  record.request_id = request_id;
  record.visitor = context.visitor;
  record.variant = variant;
  record.query = std::string(query);
  record.timestamp_ms = NowMs();
  record.personalized = personalized;
  record.feature_names = ranking::FeatureNames();
  record.items.reserve(indexes.size());
  for (size_t i = 0; i < indexes.size(); ++i) {
    const size_t index = indexes[i];
    const ItemTable::Row row = candidates[index].row;
    ranking::LoggedItem item;
    item.id = items.id(row);
    item.position = first_position + static_cast<int>(i);
    item.price = items.price(row);
    item.margin = items.margin(row);
    if (!ranked.business.candidates.empty()) {
      item.score = ranked.business.candidates[index].final_score;
      item.boosted = ranked.business.candidates[index].boosted;
    } else {
      item.score = candidates[index].text_score;
    }
    auto features = ranked.features.row(static_cast<int>(index));
    item.features.assign(features.begin(), features.end());
    record.items.push_back(std::move(item));
  }
  ranking_log_->Append(std::move(record));
}

Result<RerankResponse> Engine::Rerank(const RerankRequest& request, const SearchContext& context) {
  constexpr size_t kMaxItems = 1000;
  if (request.items.empty()) return Error::InvalidArgument("items: must not be empty");
  if (request.items.size() > kMaxItems) {
    return Error::InvalidArgument("items: at most " + std::to_string(kMaxItems) + " ids");
  }
  Result<Ranking> ranking = BeginRanking(context);
  if (!ranking.ok()) return ranking.error();
  std::shared_ptr<const ItemTable> items = searcher_->Items();
  if (items == nullptr) return Error::Unavailable("index: no item table");
  RerankResponse response;
  response.request_id = ranking->request_id;
  response.variant = ranking->variant->name;
  std::vector<ranking::Candidate> candidates;
  std::vector<searcher::Hit> hits;
  std::unordered_set<std::string_view> seen;
  for (const std::string& id : request.items) {
    if (!seen.insert(id).second) continue;  // a duplicate keeps its first place
    std::optional<ItemTable::Row> row = items->Find(id);
    if (!row) {
      response.unknown.push_back(id);
      continue;
    }
    const int rank = static_cast<int>(candidates.size());
    candidates.push_back({*row, 0, rank, true});
    searcher::Hit hit;
    hit.docid = *row;
    hit.id = id;
    hit.rank = rank;
    hits.push_back(std::move(hit));
  }
  response.personalized = ranking->personal() != nullptr;
  ranking::Ranked ranked = RankCandidates(*ranking, *items, candidates, request.query);
  for (size_t index : ranked.business.order) {
    response.hits.push_back(hits[index]);
    response.hits.back().score = ranked.business.candidates[index].final_score;
    if (context.explain) {
      response.explanations.push_back(
          Explain(candidates[index], index, ranked, *items, true, ranking->personal()));
    }
  }
  if (Status loaded = searcher_->LoadStored(response.hits); !loaded.ok()) return loaded.error();
  SearchContext logged = context;
  LogRanking(logged, response.request_id, response.variant, request.query,
             response.personalized, *items, candidates, ranked.business.order, 0, ranked);
  response.took_ms = ranking->TookMs();
  return response;
}

Status Engine::ReloadScoring() {
  if (scoring_path_.empty()) {
    return Error::InvalidArgument("reload: this server was started without a scoring config");
  }
  // One reload at a time, so a slow older reload cannot overwrite a newer one.
  std::lock_guard lock(reload_mutex_);
  Result<std::shared_ptr<const ranking::Scoring>> scoring = ranking::Scoring::Load(scoring_path_);
  if (!scoring.ok()) {
    // A config file gone missing is the server's problem, not the caller's request.
    if (scoring.error().code == ErrorCode::kNotFound) {
      return Error::Unavailable(scoring.error().message);
    }
    return scoring.error();
  }
  scoring_.store(std::move(*scoring));
  // Items() runs the searcher's refresh check, so a new index revision is picked up now.
  searcher_->Items();
  return Status::Ok();
}

Status Engine::FlushLogs() {
  return ranking_log_ != nullptr ? ranking_log_->Flush() : Status::Ok();
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
  if (co_occurrence_ == nullptr && popularity_ == nullptr) {
    return state_->Append(std::move(events), std::move(done));
  }
  // Baskets and item popularity count the events once durable, as the profiles do; what
  // they need of an event is copied (no visitor for popularity, no facts for baskets).
  std::vector<Event> counted;
  counted.reserve(events.size());
  for (const Event& event : events) {
    if (event.type == EventType::kSizeFilter) continue;
    Event copy;
    copy.type = event.type;
    copy.visitor = event.visitor;
    copy.item = event.item;
    copy.quantity = event.quantity;
    copy.timestamp_ms = event.timestamp_ms;
    if (event.facts) copy.facts = ItemFacts{{}, event.facts->category, {}, {}, 0, 0};
    counted.push_back(std::move(copy));
  }
  ranking::CoOccurrence* co = co_occurrence_.get();
  ranking::ItemPopularity* popularity = popularity_.get();
  state_->Append(std::move(events), [co, popularity, counted = std::move(counted),
                                     done = std::move(done)](Status status) {
    if (status.ok()) {
      for (const Event& event : counted) {
        if (co != nullptr) co->Apply(event);
        if (popularity != nullptr) popularity->Apply(event);
      }
    }
    done(status);
  });
}

std::optional<ranking::ProfileView> Engine::Profile(std::string_view visitor) const {
  if (state_ == nullptr) return std::nullopt;
  return state_->View(visitor, NowMs());
}

void Engine::Forget(std::string visitor, std::function<void(Result<bool>)> done) {
  if (state_ == nullptr) {
    return done(Error::Unavailable("profiles: this server has no state directory"));
  }
  if (co_occurrence_ != nullptr) co_occurrence_->ForgetVisitor(visitor);
  if (ranking_log_ == nullptr) return state_->Forget(std::move(visitor), std::move(done));
  // The profile and event logs first, then the feature log; known when either knew them.
  ranking::RankingLog* log = ranking_log_.get();
  state_->Forget(visitor, [log, visitor, done = std::move(done)](Result<bool> state) mutable {
    if (!state.ok()) return done(state);
    log->Forget(std::move(visitor), [known = *state, done = std::move(done)](Result<bool> ranks) {
      if (!ranks.ok()) return done(ranks);
      done(known || *ranks);
    });
  });
}

HealthInfo Engine::Health() const { return HealthInfo{searcher_->DocumentCount()}; }

}  // namespace tailor::server
