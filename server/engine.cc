#include "server/engine.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <system_error>
#include <unordered_set>

#include "core/files.h"
#include "core/hash.h"
#include "server/internal/past_queries.h"
#include "server/internal/ranked_hits.h"
#include "server/internal/vocabulary.h"

namespace tailor::server {
namespace {

// What the files under dir take, for GET /metrics; 0 for a missing dir. A file that goes
// away meanwhile (a segment compacted) is skipped.
uint64_t DirectoryBytes(const std::string& dir) {
  std::error_code ec;
  uint64_t bytes = 0;
  for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::error_code size_ec;
    if (!it->is_regular_file(size_ec)) continue;
    const uintmax_t size = it->file_size(size_ec);
    if (!size_ec) bytes += size;
  }
  return bytes;
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
                static_cast<unsigned long long>(MixBits64(seed_ + n)));
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
  parts.metrics = std::make_unique<ServerMetrics>();
  parts.searcher = std::move(*searcher);
  if (!options.scoring_config.empty()) {
    Result<std::shared_ptr<const ranking::Scoring>> scoring =
        ranking::Scoring::Load(options.scoring_config);
    if (!scoring.ok()) return scoring.error();
    parts.scoring = std::move(*scoring);
    parts.scoring_path = options.scoring_config;
  }
  ranking::RedisProfileState* redis = nullptr;
  if (!options.state_dir.empty()) {
    if (options.state_backend == ranking::StateBackend::kRedis) {
      ranking::RedisStateOptions redis_options = options.redis;
      redis_options.mirror_dir = options.state_dir + "/shared-events";
      Result<std::unique_ptr<ranking::RedisProfileState>> state = ranking::RedisProfileState::Open(
          redis_options, options.profiles, parts.metrics->StateObserver());
      if (!state.ok()) return state.error();
      redis = state->get();
      parts.state = std::move(*state);
    } else {
      Result<std::unique_ptr<ranking::ProfileState>> state = ranking::ProfileState::Open(
          options.state_dir, options.durability, options.profiles, parts.metrics->StateObserver());
      if (!state.ok()) return state.error().WithPrefix("state " + options.state_dir);
      parts.state = std::move(*state);
    }
    if (options.feature_log.enabled) {
      Result<std::unique_ptr<ranking::RankingLog>> log =
          ranking::RankingLog::Open(options.state_dir + "/rankings", options.feature_log);
      if (!log.ok()) return log.error().WithPrefix("state " + options.state_dir);
      parts.ranking_log = std::move(*log);
    }
    parts.co_occurrence = std::make_unique<ranking::CoOccurrence>();
    parts.popularity = std::make_unique<ranking::ItemPopularity>();
    parts.co_views = std::make_unique<ranking::CoOccurrence>(ranking::CoViewOptions());
    if (redis == nullptr) {
      // Baskets, item popularity and co-views are rebuilt from the events kept, in log order
      // (with Redis, from its events stream once the engine exists, below).
      ranking::CoOccurrence* co = parts.co_occurrence.get();
      ranking::ItemPopularity* popularity = parts.popularity.get();
      ranking::CoOccurrence* co_views = parts.co_views.get();
      Status replayed = ranking::ForEachLoggedEvent(
          options.state_dir, [co, popularity, co_views](const Event& event) {
            co->Apply(event);
            popularity->Apply(event);
            co_views->Apply(event);
          });
      if (!replayed.ok()) return replayed.error().WithPrefix("state " + options.state_dir);
    }
  }
  parts.default_limit = options.searcher.default_limit;
  parts.max_depth = options.searcher.max_depth;
  if (!options.synonyms_path.empty()) {
    Result<std::shared_ptr<const searcher::Synonyms>> synonyms =
        searcher::LoadSynonymsFile(options.synonyms_path);
    if (!synonyms.ok()) return synonyms.error();
    parts.searcher->SetSynonyms(std::move(*synonyms));
    parts.synonyms_path = options.synonyms_path;
  }
  parts.state_dir = options.state_dir;
  parts.suggest = options.suggest;
  auto engine = std::make_unique<Engine>(std::move(parts));
  if (redis != nullptr) {
    // Every server's events, from Redis' stream: baskets and popularity are the same on
    // every server; forgets of other servers reach this one's feature log and caches.
    engine->shared_state_ = true;
    Engine* e = engine.get();
    Result<int64_t> followed =
        redis->Follow({[e](const Event& event) {
                         e->co_occurrence_->Apply(event);
                         e->popularity_->Apply(event);
                         e->co_views_->Apply(event);
                       },
                       [e](const std::string& visitor) { e->ForgetForwarded(visitor); }});
    if (!followed.ok()) {
      std::cerr << "tailor-server: " << followed.error().message
                << "; serving without profiles until Redis answers" << std::endl;
    }
  }
  if (!options.state_dir.empty() && options.feature_log.enabled) {
    // The past queries suggestions offer, from the logged searches: their total says
    // whether they found results (lines from before totals were logged: whether they
    // showed items).
    internal::PastQueries* past = engine->past_queries_.get();
    Status replayed = ranking::ForEachLoggedRanking(
        options.state_dir + "/rankings", [past](ranking::RankingRecord&& record) {
          if (record.query.empty()) return;
          const bool found = record.total ? *record.total > 0 : !record.items.empty();
          past->Record(record.query, record.visitor, found, record.timestamp_ms);
        });
    if (!replayed.ok()) return replayed.error().WithPrefix("state " + options.state_dir);
  }
  // The scoring configs that have been live, kept with the state; the one starting now is
  // the live one.
  if (!options.state_dir.empty()) {
    Result<std::unique_ptr<ScoringHistory>> history =
        ScoringHistory::Open(options.state_dir + "/scoring_history");
    if (!history.ok()) return history.error().WithPrefix("state " + options.state_dir);
    engine->scoring_history_ = std::move(*history);
  }
  if (!options.scoring_config.empty()) {
    Result<std::string> text = ReadFile(options.scoring_config);
    if (!text.ok()) return text.error();
    Result<int> recorded = engine->scoring_history_->Record(*text, "startup", NowMs());
    if (!recorded.ok()) return recorded.error().WithPrefix("scoring history");
  }
  // The suggestions' vocabulary now, so the first keystroke does not wait for it.
  if (std::shared_ptr<const ItemTable> items = engine->searcher_->Items()) {
    engine->VocabularyFor(items);
  }
  return engine;
}

Engine::Engine(EngineParts parts)
    : metrics_(parts.metrics != nullptr ? std::move(parts.metrics)
                                        : std::make_unique<ServerMetrics>()),
      searcher_(std::move(parts.searcher)),
      state_(std::move(parts.state)),
      scoring_(parts.scoring != nullptr ? std::move(parts.scoring) : BuiltInScoring()),
      scoring_path_(std::move(parts.scoring_path)),
      synonyms_path_(std::move(parts.synonyms_path)),
      ranking_log_(std::move(parts.ranking_log)),
      co_occurrence_(std::move(parts.co_occurrence)),
      popularity_(std::move(parts.popularity)),
      co_views_(std::move(parts.co_views)),
      default_limit_(parts.default_limit),
      max_depth_(parts.max_depth),
      state_dir_(std::move(parts.state_dir)),
      suggest_options_(parts.suggest),
      past_queries_(std::make_unique<internal::PastQueries>(parts.suggest)) {
  assert(searcher_ != nullptr);
  Result<std::unique_ptr<ScoringHistory>> history = ScoringHistory::Open("");
  scoring_history_ = std::move(*history);  // in memory: cannot fail
  if (state_ != nullptr && !state_dir_.empty()) {
    preview_ = std::make_unique<PreviewRunner>(
        state_dir_, [searcher = searcher_.get()] { return searcher->Items(); });
  }
}

Engine::Engine(std::unique_ptr<searcher::Searcher> searcher)
    : Engine([&searcher] {
        EngineParts parts;
        parts.searcher = std::move(searcher);
        return parts;
      }()) {}

Engine::~Engine() {
  // The state's threads call into the parts below (baskets, the feature log): stop first.
  state_.reset();
}

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

void Engine::FillCoViewed(const ItemTable& items, const ranking::ProfileView& profile,
                          std::vector<ranking::Candidate>& candidates) const {
  if (co_views_ == nullptr || candidates.empty() || profile.recent_views.empty()) return;
  std::vector<std::string> seeds;
  for (const ranking::ProfileView::ItemRef& view : profile.recent_views) {
    if (seeds.size() >= static_cast<size_t>(ranking::kCoViewSeeds)) break;
    seeds.push_back(view.item);
  }
  std::vector<ItemTable::Row> rows;
  rows.reserve(candidates.size());
  for (const ranking::Candidate& c : candidates) rows.push_back(c.row);
  std::vector<float> values(rows.size());
  co_views_->Affinity(seeds, items, rows, NowMs(), values);
  for (size_t i = 0; i < candidates.size(); ++i) candidates[i].co_viewed = values[i];
}

ranking::Ranked Engine::RankCandidates(const Ranking& ranking, const ItemTable& items,
                                       std::vector<ranking::Candidate>& candidates,
                                       std::string_view query) const {
  FillPopularity(items, candidates);
  if (ranking.personal() != nullptr) FillCoViewed(items, *ranking.personal(), candidates);
  ranking::RankInput input{&items, candidates, ranking.personal(), query, NowMs(),
                           internal::SeedOf(ranking.request_id)};
  input.apply_model = ranking.personal() != nullptr;
  return ranking::Rank(*ranking.scoring, *ranking.variant, input);
}



using internal::CandidatesOf;
using internal::MergeBelowWindow;
using internal::Explain;
using internal::TextExplanation;

void Engine::LogRanking(const SearchContext& context, const std::string& request_id,
                        const std::string& variant, std::string_view query, bool personalized,
                        const ItemTable& items, std::span<const ranking::Candidate> candidates,
                        const std::vector<size_t>& indexes, int first_position,
                        const ranking::Ranked& ranked, const SearchFacts* search) {
  if (ranking_log_ == nullptr || (indexes.empty() && search == nullptr)) return;
  ranking::RankingRecord record;
  record.request_id = request_id;
  record.visitor = context.visitor;
  record.variant = variant;
  record.query = std::string(query);
  record.timestamp_ms = NowMs();
  record.personalized = personalized;
  record.feature_names = ranking::FeatureNames();
  if (search != nullptr) {
    const searcher::SearchRequest& request = *search->request;
    record.total = search->total;
    record.filters = {request.brands,    request.categories, request.sizes,        request.colors,
                      request.price_min, request.price_max,  request.in_stock_only};
  }
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
    return Error::FailedPrecondition("reload: this server was started without a scoring config");
  }
  // One reload at a time, so a slow older reload cannot overwrite a newer one.
  std::lock_guard lock(reload_mutex_);
  Result<std::shared_ptr<const ranking::Scoring>> scoring = ranking::Scoring::Load(scoring_path_);
  if (!scoring.ok()) {
    metrics_->Reloaded("scoring", false);
    // A config file gone missing is the server's problem, not the caller's request.
    if (scoring.error().code == ErrorCode::kNotFound) {
      return Error::Unavailable(scoring.error().message);
    }
    return scoring.error();
  }
  scoring_.store(std::move(*scoring));
  metrics_->Reloaded("scoring", true);
  // A file changed by hand joins the history (an unchanged one keeps its version).
  if (Result<std::string> text = ReadFile(scoring_path_); text.ok()) {
    Result<int> recorded = scoring_history_->Record(*text, "reload", NowMs());
    if (!recorded.ok()) {
      std::fprintf(stderr, "tailor-server: scoring history: %s\n",
                   recorded.error().message.c_str());
    }
  }
  // Items() runs the searcher's refresh check, so a new index revision is picked up now.
  searcher_->Items();
  return Status::Ok();
}

Status Engine::ReloadSynonyms() {
  if (synonyms_path_.empty()) return Status::Ok();
  std::lock_guard lock(synonyms_mutex_);
  Result<std::shared_ptr<const searcher::Synonyms>> synonyms =
      searcher::LoadSynonymsFile(synonyms_path_);
  metrics_->Reloaded("synonyms", synonyms.ok());
  if (!synonyms.ok()) {
    // A file gone missing is the server's problem, not the caller's request.
    if (synonyms.error().code == ErrorCode::kNotFound) {
      return Error::Unavailable(synonyms.error().message);
    }
    return synonyms.error();
  }
  searcher_->SetSynonyms(std::move(*synonyms));
  return Status::Ok();
}

Status Engine::Reload() {
  Status synonyms = ReloadSynonyms();
  Status scoring = ReloadScoring();
  return synonyms.ok() ? scoring : synonyms;
}

std::string Engine::MetricsText() const {
  using prometheus::MetricFamily;
  std::vector<MetricFamily> families;
  MetricFamily documents = GaugeFamily("tailor_index_documents", "Products in the live index");
  AddSample(documents, static_cast<double>(searcher_->DocumentCount()));
  families.push_back(std::move(documents));
  const searcher::IndexVersion version = searcher_->Version();
  MetricFamily generation = GaugeFamily(
      "tailor_index_generation", "Index folders opened since start: a rebuild's swap adds one");
  AddSample(generation, static_cast<double>(version.generation));
  families.push_back(std::move(generation));
  MetricFamily revision = GaugeFamily(
      "tailor_index_revision", "Xapian revision of the live index folder: an update adds one");
  AddSample(revision, static_cast<double>(version.revision));
  families.push_back(std::move(revision));

  const searcher::SearchCacheStats caches = searcher_->CacheStats();
  MetricFamily hits = CounterFamily("tailor_cache_hits_total", "Lookups answered by a cache");
  MetricFamily misses = CounterFamily("tailor_cache_misses_total", "Lookups a cache missed");
  MetricFamily evictions =
      CounterFamily("tailor_cache_evictions_total", "Entries dropped to stay within the bound");
  MetricFamily ratio = GaugeFamily("tailor_cache_hit_ratio",
                                   "hits / (hits + misses) since start; 0 before any lookup");
  MetricFamily bytes = GaugeFamily("tailor_cache_bytes", "Bytes a cache holds, as accounted");
  MetricFamily capacity =
      GaugeFamily("tailor_cache_capacity_bytes", "A cache's bound in bytes; 0: it is off");
  MetricFamily entries = GaugeFamily("tailor_cache_entries", "Entries a cache holds");
  for (const auto& [name, counters] :
       {std::pair<const char*, const searcher::CacheCounters&>{"results", caches.results},
        std::pair<const char*, const searcher::CacheCounters&>{"stored", caches.stored}}) {
    const std::vector<prometheus::ClientMetric::Label> label = {{"cache", name}};
    const long lookups = counters.hits + counters.misses;
    AddSample(hits, static_cast<double>(counters.hits), label);
    AddSample(misses, static_cast<double>(counters.misses), label);
    AddSample(evictions, static_cast<double>(counters.evictions), label);
    AddSample(ratio, lookups > 0 ? static_cast<double>(counters.hits) / lookups : 0.0, label);
    AddSample(bytes, static_cast<double>(counters.bytes), label);
    AddSample(capacity, static_cast<double>(counters.capacity_bytes), label);
    AddSample(entries, static_cast<double>(counters.entries), label);
  }
  for (MetricFamily* family : {&hits, &misses, &evictions, &ratio, &bytes, &capacity, &entries}) {
    families.push_back(std::move(*family));
  }

  if (state_ != nullptr) {
    const ranking::StateStats stats = state_->Stats();
    MetricFamily profiles = GaugeFamily("tailor_profiles", "Visitors with a live profile");
    AddSample(profiles, static_cast<double>(stats.profiles));
    families.push_back(std::move(profiles));
    MetricFamily logged =
        CounterFamily("tailor_event_log_events_total", "Events written to the durable log");
    AddSample(logged, static_cast<double>(stats.events_logged));
    families.push_back(std::move(logged));
    MetricFamily refused =
        CounterFamily("tailor_events_unavailable_total",
                      "Events refused with 503 because the profile state could not store them");
    AddSample(refused, static_cast<double>(stats.unavailable));
    families.push_back(std::move(refused));
    if (shared_state_) {
      MetricFamily followed = CounterFamily(
          "tailor_state_stream_entries_followed_total",
          "Entries of the shared Redis stream (every server's events and forgets) read so far");
      AddSample(followed, static_cast<double>(stats.followed));
      families.push_back(std::move(followed));
    }
    MetricFamily snapshots =
        CounterFamily("tailor_event_log_snapshots_total", "Profile snapshots written");
    AddSample(snapshots, static_cast<double>(stats.snapshots));
    families.push_back(std::move(snapshots));
    MetricFamily state_bytes =
        GaugeFamily("tailor_state_directory_bytes", "Bytes of the files under the state directory");
    AddSample(state_bytes, static_cast<double>(DirectoryBytes(state_dir_)));
    families.push_back(std::move(state_bytes));
  }
  if (ranking_log_ != nullptr) {
    MetricFamily records = CounterFamily("tailor_feature_log_records_total",
                                         "Served rankings the feature log wrote or dropped "
                                         "(dropped: its queue was full)");
    AddSample(records, static_cast<double>(ranking_log_->written()), {{"outcome", "written"}});
    AddSample(records, static_cast<double>(ranking_log_->dropped()), {{"outcome", "dropped"}});
    families.push_back(std::move(records));
  }
  std::lock_guard<std::mutex> lock(metrics_sources_mutex_);
  for (const MetricsSource& source : metrics_sources_) {
    for (MetricFamily& family : source()) families.push_back(std::move(family));
  }
  return metrics_->Text(families);
}

void Engine::AddMetricsSource(MetricsSource source) {
  std::lock_guard<std::mutex> lock(metrics_sources_mutex_);
  metrics_sources_.push_back(std::move(source));
}

Status Engine::ReplaceSynonyms(std::string_view json_text) {
  if (synonyms_path_.empty()) {
    return Error::FailedPrecondition(
        "synonyms: this server was started without a synonyms file (config key \"synonyms\")");
  }
  Result<std::shared_ptr<const searcher::Synonyms>> synonyms =
      searcher::ParseSynonyms(json_text, "");
  if (!synonyms.ok()) return synonyms.error();
  std::lock_guard lock(synonyms_mutex_);
  if (Status written = WriteFileAtomically(synonyms_path_, searcher::SynonymsToJson(**synonyms));
      !written.ok()) {
    return written;
  }
  searcher_->SetSynonyms(std::move(*synonyms));
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
  if (shared_state_ || (co_occurrence_ == nullptr && popularity_ == nullptr)) {
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
  ranking::CoOccurrence* co_views = co_views_.get();
  state_->Append(std::move(events), [co, popularity, co_views, counted = std::move(counted),
                                     done = std::move(done)](Status status) {
    if (status.ok()) {
      for (const Event& event : counted) {
        if (co != nullptr) co->Apply(event);
        if (popularity != nullptr) popularity->Apply(event);
        if (co_views != nullptr) co_views->Apply(event);
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
  past_queries_->Forget(visitor);
  if (state_ == nullptr) {
    return done(Error::Unavailable("profiles: this server has no state directory"));
  }
  if (co_occurrence_ != nullptr) co_occurrence_->ForgetVisitor(visitor);
  if (co_views_ != nullptr) co_views_->ForgetVisitor(visitor);
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

void Engine::ForgetForwarded(const std::string& visitor) {
  past_queries_->Forget(visitor);
  if (co_occurrence_ != nullptr) co_occurrence_->ForgetVisitor(visitor);
  if (co_views_ != nullptr) co_views_->ForgetVisitor(visitor);
  if (ranking_log_ != nullptr) ranking_log_->Forget(visitor, [](Result<bool>) {});
}

Result<ranking::AnalyticsReport> Engine::Analytics(const ranking::AnalyticsQuery& query,
                                                   const ranking::AnalyticsOptions& options) {
  if (state_ == nullptr || state_dir_.empty()) {
    return Error::Unavailable("analytics: this server has no state directory");
  }
  if (Status flushed = FlushLogs(); !flushed.ok()) return flushed.error();
  return ranking::ComputeAnalytics(state_dir_, query, options);
}

HealthInfo Engine::Health() const { return HealthInfo{searcher_->DocumentCount()}; }

std::vector<std::string> Engine::StateRecoveryNotes() const {
  return state_ != nullptr ? state_->RecoveryNotes() : std::vector<std::string>{};
}

}  // namespace tailor::server
