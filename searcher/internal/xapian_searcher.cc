#include "searcher/internal/xapian_searcher.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "core/index_schema.h"
#include "core/text.h"
#include "searcher/internal/facet_spy.h"
#include "searcher/internal/feedback.h"
#include "searcher/internal/match_set.h"
#include "searcher/internal/query_builder.h"

namespace tailor::searcher::internal {
namespace {

constexpr size_t kMaxQueryBytes = 1024;
constexpr size_t kMaxFilterValues = 256;

Status CheckPrice(const std::optional<double>& price, const char* field) {
  if (!price) return Status::Ok();
  if (!std::isfinite(*price)) return Error::InvalidArgument(std::string(field) + ": must be a finite number");
  if (*price < 0) return Error::InvalidArgument(std::string(field) + ": must be >= 0");
  return Status::Ok();
}

Status CheckFilterValues(const std::vector<std::string>& values, const char* field) {
  if (values.size() > kMaxFilterValues) {
    return Error::InvalidArgument(std::string(field) + ": at most " +
                                  std::to_string(kMaxFilterValues) + " values");
  }
  return Status::Ok();
}

std::string TrimSpaces(const std::string& text) {
  size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// The document of the product with this id, 0 when there is none.
Xapian::docid FindById(const Xapian::Database& db, const std::string& id) {
  const std::string term = schema::IdTerm(id);
  Xapian::PostingIterator it = db.postlist_begin(term);
  return it == db.postlist_end(term) ? 0 : *it;
}

// The facet table of the handle when it describes the revision being searched, else null.
const FacetTable* CurrentTable(const Handle& handle) {
  const FacetTable* table = handle.facet_table.get();
  return table != nullptr && table->revision() == handle.revision ? table : nullptr;
}

// The facets the request filters on: each is counted apart in disjunctive mode.
FacetMask FilteredFacets(const SearchRequest& request) {
  FacetMask filtered = 0;
  if (!request.brands.empty()) filtered |= ColumnBit(FacetTable::kBrand);
  if (!request.categories.empty()) filtered |= ColumnBit(FacetTable::kCategory);
  if (!request.colors.empty()) filtered |= ColumnBit(FacetTable::kColors);
  if (!request.sizes.empty()) filtered |= ColumnBit(FacetTable::kSizes);
  if (request.price_min || request.price_max) filtered |= kPriceBit;
  return filtered;
}

// The request without the filter of one facet (a bit of FilteredFacets).
SearchRequest WithoutFilter(const SearchRequest& request, FacetMask facet) {
  SearchRequest others = request;
  if (facet == ColumnBit(FacetTable::kBrand)) others.brands.clear();
  if (facet == ColumnBit(FacetTable::kCategory)) others.categories.clear();
  if (facet == ColumnBit(FacetTable::kColors)) others.colors.clear();
  if (facet == ColumnBit(FacetTable::kSizes)) others.sizes.clear();
  if (facet == kPriceBit) others.price_min = others.price_max = std::nullopt;
  return others;
}

// Moves the facet of one bit from `from` into `to`.
void TakeFacet(FacetMask facet, Facets& from, Facets& to) {
  if (facet == ColumnBit(FacetTable::kBrand)) to.brand = std::move(from.brand);
  if (facet == ColumnBit(FacetTable::kCategory)) to.category = std::move(from.category);
  if (facet == ColumnBit(FacetTable::kColors)) to.color = std::move(from.color);
  if (facet == ColumnBit(FacetTable::kSizes)) to.size = std::move(from.size);
  if (facet == kPriceBit) {
    to.price_min = from.price_min;
    to.price_max = from.price_max;
  }
}

// Matches of query, exact up to check_at_least, each counted by counter when not null.
// Over one local database, when the query is a boolean function of posting lists
// (MatchSet), every match is counted from them, exactly; else Xapian's unweighted matcher
// shows each match to the counter's spies.
Xapian::doccount CountMatches(const Xapian::Query& query, FacetCounter* counter,
                              Xapian::doccount check_at_least, const Handle& handle) {
  const bool from_sets = counter != nullptr ? counter->counts_sets() : !handle.slot_facets();
  if (from_sets) {
    if (std::optional<MatchSet> matches = MatchSet::Of(query, handle.db)) {
      if (counter != nullptr) counter->CountSet(*matches, handle.db);
      return matches->size();
    }
  }
  Xapian::Enquire count(handle.db);
  count.set_query(query);
  count.set_weighting_scheme(Xapian::BoolWeight());
  if (counter != nullptr) counter->AttachTo(count);
  return count.get_mset(0, 0, check_at_least).get_matches_estimated();
}

// The hits of mset, ranked from first_rank; ids from the table when it has the document
// (reading a value slot costs a document fetch), stored data when asked. Documents are read
// in docid order: neighbours share B-tree blocks, which Xapian's cursor then reads once.
std::vector<Hit> ReadHits(const Xapian::MSet& mset, int first_rank, bool with_stored,
                          const FacetTable* table) {
  std::vector<Hit> hits;
  hits.reserve(mset.size());
  std::vector<std::pair<Xapian::docid, Xapian::MSetIterator>> to_read;
  int rank = first_rank;
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
    Hit hit;
    hit.docid = *it;
    const std::string* id = table != nullptr ? table->Id(hit.docid) : nullptr;
    if (id != nullptr) hit.id = *id;
    if (id == nullptr || with_stored) to_read.emplace_back(hit.docid, it);
    hit.score = it.get_weight();
    hit.rank = rank++;
    hits.push_back(std::move(hit));
  }
  std::sort(to_read.begin(), to_read.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [docid, it] : to_read) {
    Hit& hit = hits[it.get_rank() - mset.get_firstitem()];
    Xapian::Document doc = it.get_document();
    if (hit.id.empty()) hit.id = doc.get_value(schema::kIdSlot);
    if (with_stored) hit.stored_json = doc.get_data();
  }
  return hits;
}

// Gives the handle the table of the searcher's current synonym set, built with its own
// stemmer the first time it meets the set.
void UseSynonyms(Handle& handle, std::shared_ptr<const Synonyms> synonyms, uint64_t serial) {
  handle.synonyms_serial = serial;
  if (handle.synonyms_source == synonyms) return;
  handle.synonyms =
      synonyms != nullptr
          ? std::make_shared<const SynonymTable>(SynonymTable::Build(*synonyms, handle.stemmer))
          : nullptr;
  handle.synonyms_source = std::move(synonyms);
}

// Cache keys: every field a text result depends on, each length-prefixed so no two
// requests share a key.
void AppendField(std::string& key, std::string_view value) {
  key += std::to_string(value.size());
  key += ':';
  key.append(value);
}

void AppendList(std::string& key, const std::vector<std::string>& values) {
  key += std::to_string(values.size());
  key += '[';
  for (const std::string& value : values) AppendField(key, value);
}

void AppendNumber(std::string& key, const std::optional<double>& number) {
  if (!number) {
    key += '-';
    return;
  }
  char bytes[sizeof(double)];
  std::memcpy(bytes, &*number, sizeof bytes);
  key += '+';
  key.append(bytes, sizeof bytes);
}

// The key of a request run as `kind` ('S' a page of Search, 'C' SearchCandidates, 'R'
// Retrieve) with these page numbers (offset and limit, or depth and the page's end).
std::string RequestKey(char kind, const SearchRequest& request, int first, int second) {
  std::string key(1, kind);
  key += std::to_string(first);
  key += ',';
  key += std::to_string(second);
  // Retrieve never counts facets, so the request's facet fields do not split its keys.
  const bool facets = kind != 'R' && request.with_facets;
  key += facets ? (request.facets == FacetMode::kDisjunctive ? 'd' : 'c') : 'n';
  key += request.in_stock_only ? 's' : 'a';
  key += request.strict_only ? 'x' : 'r';
  key += request.prefix_last_word
             ? static_cast<char>('0' + static_cast<int>(*request.prefix_last_word))
             : '-';
  AppendField(key, request.query);
  AppendList(key, request.brands);
  AppendList(key, request.categories);
  AppendList(key, request.sizes);
  AppendList(key, request.colors);
  AppendNumber(key, request.price_min);
  AppendNumber(key, request.price_max);
  return key;
}

std::string DocidKey(Xapian::docid docid) {
  char bytes[sizeof docid];
  std::memcpy(bytes, &docid, sizeof bytes);
  return std::string(bytes, sizeof bytes);
}

// The heap bytes of a string beyond its own object (libstdc++ keeps up to 15 inline).
size_t HeapBytes(const std::string& text) { return text.capacity() > 15 ? text.capacity() + 1 : 0; }

size_t FacetBytes(const std::vector<FacetValue>& values) {
  size_t bytes = values.capacity() * sizeof(FacetValue);
  for (const FacetValue& value : values) bytes += HeapBytes(value.value);
  return bytes;
}

// What a cached text result holds in memory (the item table it points at is the
// generation's).
size_t CachedBytes(const XapianSearcher::CachedText& cached) {
  const SearchResult& meta = cached.meta;
  size_t bytes = sizeof(cached) + HeapBytes(meta.did_you_mean) +
                 cached.hits.capacity() * sizeof(XapianSearcher::CachedHit) + HeapBytes(cached.ids);
  const Facets& facets = meta.facets;
  return bytes + FacetBytes(facets.brand) + FacetBytes(facets.category) + FacetBytes(facets.size) +
         FacetBytes(facets.color);
}

}  // namespace

void XapianSearcher::SetSynonyms(std::shared_ptr<const Synonyms> synonyms) {
  // Serials only grow, so a result computed with an older set is never served after this.
  static std::atomic<uint64_t> next_serial{1};
  auto state = std::make_shared<SynonymState>();
  state->set = std::move(synonyms);
  state->serial = next_serial.fetch_add(1, std::memory_order_relaxed);
  synonyms_.store(std::move(state));
}

std::shared_ptr<const Synonyms> XapianSearcher::synonyms() const { return synonyms_.load()->set; }

SearchCacheStats XapianSearcher::CacheStats() const {
  return SearchCacheStats{results_.Counters(), stored_.Counters()};
}

IndexVersion XapianSearcher::Version() const {
  std::shared_ptr<Generation> generation = index_->Current();
  if (generation == nullptr) return {};
  return IndexVersion{generation->serial(), static_cast<uint64_t>(generation->revision())};
}

SearchResult XapianSearcher::ResultOf(Outcome&& outcome, const std::string& query) {
  SearchResult result;
  result.query = query;
  result.total = outcome.page.total;
  result.hits = std::move(outcome.page.hits);
  result.facets = std::move(outcome.page.facets);
  result.relaxed = outcome.relaxed;
  result.corrected = outcome.corrected;
  result.did_you_mean = std::move(outcome.did_you_mean);
  return result;
}

CacheEpoch XapianSearcher::LiveEpoch() const {
  std::shared_ptr<Generation> generation = index_->Current();
  return CacheEpoch{generation->serial(), generation->revision(), synonyms_.load()->serial};
}

CacheEpoch XapianSearcher::EpochOf(const Handle& handle) {
  return CacheEpoch{handle.generation_serial, handle.revision, handle.synonyms_serial};
}

std::optional<CandidateResult> XapianSearcher::CachedResult(const std::string& key) const {
  if (!results_.enabled()) return std::nullopt;
  std::shared_ptr<const CachedText> cached = results_.Get(LiveEpoch(), key);
  if (cached == nullptr) return std::nullopt;
  CandidateResult found;
  SearchResult& result = found.result;
  result.total = cached->meta.total;
  result.facets = cached->meta.facets;
  result.relaxed = cached->meta.relaxed;
  result.corrected = cached->meta.corrected;
  result.did_you_mean = cached->meta.did_you_mean;
  result.hits.resize(cached->hits.size());
  uint32_t id_begin = 0;
  for (size_t i = 0; i < cached->hits.size(); ++i) {
    const CachedHit& from = cached->hits[i];
    Hit& hit = result.hits[i];
    hit.docid = from.docid;
    hit.id.assign(cached->ids, id_begin, from.id_end - id_begin);
    id_begin = from.id_end;
    hit.score = from.score;
    hit.rank = cached->first_rank + static_cast<int>(i);
    hit.strict = from.strict;
  }
  found.items = cached->items;
  return found;
}

void XapianSearcher::RememberResult(const std::string& key, const Handle& handle,
                                    const CandidateResult& found) const {
  if (!results_.enabled()) return;
  // Admitted on its second run only: a third of a shop's queries are typed once, and
  // keeping each would evict the results that are asked for again (TinyLFU's doorkeeper).
  const CacheEpoch epoch = EpochOf(handle);
  if (doorkeeper_.Get(epoch, key) == nullptr) {
    doorkeeper_.Put(epoch, key, std::make_shared<const char>('1'), 1);
    return;
  }
  const SearchResult& result = found.result;
  // Hits are kept compact (ids in one string): a bound holds several times as many results.
  auto cached = std::make_shared<CachedText>();
  cached->meta.total = result.total;
  cached->meta.facets = result.facets;
  cached->meta.relaxed = result.relaxed;
  cached->meta.corrected = result.corrected;
  cached->meta.did_you_mean = result.did_you_mean;
  cached->first_rank = result.hits.empty() ? 0 : result.hits.front().rank;
  cached->hits.reserve(result.hits.size());
  for (size_t i = 0; i < result.hits.size(); ++i) {
    const Hit& hit = result.hits[i];
    // Ranks follow one another in every result kept (a page, candidates, similar items).
    if (hit.rank != cached->first_rank + static_cast<int>(i)) return;
    cached->ids += hit.id;
    cached->hits.push_back(
        CachedHit{hit.docid, static_cast<uint32_t>(cached->ids.size()), hit.score, hit.strict});
  }
  cached->ids.shrink_to_fit();
  cached->items = found.items;
  const size_t bytes = CachedBytes(*cached);
  results_.Put(epoch, key, std::move(cached), bytes);
}

size_t XapianSearcher::RecordBytes(const StoredRecord& record) {
  return sizeof(StoredRecord) + HeapBytes(record.id) + HeapBytes(record.json);
}

bool XapianSearcher::StoredFromCache(const CacheEpoch& epoch, Hit& hit) const {
  std::shared_ptr<const StoredRecord> record = stored_.Get(epoch, DocidKey(hit.docid));
  if (record == nullptr || record->id != hit.id) return false;
  hit.stored_json = record->json;
  return true;
}

void XapianSearcher::RememberStored(const CacheEpoch& epoch, Xapian::docid docid,
                                    const Hit& hit) const {
  if (!stored_.enabled()) return;
  auto record = std::make_shared<StoredRecord>(StoredRecord{hit.id, hit.stored_json});
  const size_t bytes = RecordBytes(*record);
  stored_.Put(epoch, DocidKey(docid), std::move(record), bytes);
}

void XapianSearcher::FillStored(std::vector<Hit>& hits, Handle& handle) const {
  const CacheEpoch epoch = EpochOf(handle);
  for (Hit& hit : hits) {
    if (StoredFromCache(epoch, hit)) continue;
    hit.stored_json = handle.db.get_document(hit.docid).get_data();
    RememberStored(epoch, hit.docid, hit);
  }
}

Status XapianSearcher::Validate(const SearchRequest& request) const {
  if (Status status = ValidateMatch(request); !status.ok()) return status;
  if (request.limit && *request.limit < 0) return Error::InvalidArgument("limit: must be >= 0");
  if (request.limit && *request.limit > options_.max_limit) {
    return Error::InvalidArgument("limit: must be at most " + std::to_string(options_.max_limit));
  }
  if (request.offset < 0) return Error::InvalidArgument("offset: must be >= 0");
  if (request.offset > options_.max_offset) {
    return Error::InvalidArgument("offset: must be at most " +
                                  std::to_string(options_.max_offset));
  }
  return Status::Ok();
}

Status XapianSearcher::ValidateMatch(const SearchRequest& request) const {
  if (request.query.size() > kMaxQueryBytes) {
    return Error::InvalidArgument("q: must be at most " + std::to_string(kMaxQueryBytes) +
                                  " bytes");
  }
  for (Status status : {CheckPrice(request.price_min, "price_min"),
                        CheckPrice(request.price_max, "price_max"),
                        CheckFilterValues(request.brands, "brand"),
                        CheckFilterValues(request.categories, "category"),
                        CheckFilterValues(request.sizes, "size"),
                        CheckFilterValues(request.colors, "color")}) {
    if (!status.ok()) return status;
  }
  if (request.price_min && request.price_max && *request.price_min > *request.price_max) {
    return Error::InvalidArgument("price_min: must be <= price_max");
  }
  return Status::Ok();
}

template <typename T, typename Fn>
Result<T> XapianSearcher::WithHandle(Fn fn) const {
  try {
    for (int attempt = 0;; ++attempt) {
      std::shared_ptr<Generation> generation = index_->Current();
      try {
        Generation::Lease lease = generation->Acquire();
        std::shared_ptr<const SynonymState> synonyms = synonyms_.load();
        UseSynonyms(lease.handle(), synonyms->set, synonyms->serial);
        try {
          return fn(lease.handle());
        } catch (const Xapian::DatabaseModifiedError&) {
          Reopen(lease.handle());
          return fn(lease.handle());
        }
      } catch (const Xapian::DatabaseOpeningError&) {
        // The generation was removed under us: a newer one is live.
        if (attempt > 0) throw;
        index_->Refresh();
      }
    }
  } catch (const Xapian::Error& e) {
    return Error::Unavailable("index: " + e.get_description());
  }
}

XapianSearcher::Page XapianSearcher::RunEnquire(const Xapian::Query& text, bool match_all,
                                                const std::optional<Xapian::Query>& filter,
                                                const PageSpec& spec, Handle& handle) const {
  const FacetTable* table = CurrentTable(handle);
  // Declared before the Enquires that point at it; made only when facets are asked for, as
  // it sizes a counter per distinct facet string of the table.
  std::optional<FacetCounter> spy;
  if (spec.with_facets) spy.emplace(table, spec.facet_columns, handle.slot_facets());
  const Xapian::Query query =
      filter ? Xapian::Query(Xapian::Query::OP_FILTER, text, *filter) : text;
  Xapian::Enquire enquire(handle.db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BM25Weight(options_.bm25_k1, options_.bm25_k2,
                                                  options_.bm25_k3, options_.bm25_b,
                                                  options_.bm25_min_normlen));
  // Without words every score is 0: most popular first, then by id (kBrowseOrderSlot), on
  // every layout. With words, equal scores as OrderTies says.
  if (match_all) {
    enquire.set_sort_by_value(schema::kBrowseOrderSlot, false);
  } else {
    OrderTies(enquire, handle, options_.ties_by_id);
  }
  // Facets see every match the matcher checks, so they are exact exactly when the total is.
  const Xapian::doccount check_at_least =
      spec.exact_total ? static_cast<Xapian::doccount>(options_.exact_total_up_to) : 0;
  // Counting every match with BM25 weights computes a weight (and reads the document
  // length) per match; CountMatches does the counting and the facets apart (from posting
  // lists, or an unweighted run), and the ranked page is then a plain top-k that Xapian can
  // prune. (Match-all keeps one run:
  // it is the query that can pass check_at_least, where the matches seen would differ.)
  // Over shards the count runs apart for match-all too: value-sorted runs over remote shards
  // showed their spies some matches twice.
  const bool count_apart = spec.exact_total && (!match_all || handle.slot_facets());
  if (spy && !count_apart) spy->AttachTo(enquire);
  Xapian::MSet mset = enquire.get_mset(spec.offset, spec.limit, count_apart ? 0 : check_at_least);

  Page page;
  page.total = static_cast<long>(mset.get_matches_estimated());
  // Without facets the count run is needed only when the bounds leave the total open
  // (a single word's are exact: its term frequency).
  const bool total_known = !spec.with_facets &&
                           mset.get_matches_lower_bound() == mset.get_matches_upper_bound() &&
                           mset.get_matches_lower_bound() <= check_at_least;
  if (count_apart && !total_known) {
    page.total =
        static_cast<long>(CountMatches(query, spy ? &*spy : nullptr, check_at_least, handle));
  }
  page.hits = ReadHits(mset, spec.offset, spec.with_stored, table);
  if (spy) {
    page.facets = spec.selection != nullptr ? spy->Build(options_.facet_values, *spec.selection)
                                            : spy->Build(options_.facet_values);
  }
  page.text = text;
  return page;
}

void XapianSearcher::CountFacetsApart(const SearchRequest& request, FacetMask apart,
                                      const PageSpec& spec, Page& page, Handle& handle) const {
  const FacetTable* table = CurrentTable(handle);
  const Xapian::doccount check_at_least =
      spec.exact_total ? static_cast<Xapian::doccount>(options_.exact_total_up_to) : 0;
  for (FacetMask facet = 1; facet <= kAllFacets; facet <<= 1) {
    if (!(apart & facet)) continue;
    const std::optional<Xapian::Query> others = BuildFilter(WithoutFilter(request, facet));
    const Xapian::Query query =
        others ? Xapian::Query(Xapian::Query::OP_FILTER, page.text, *others) : page.text;
    FacetCounter spy(table, facet, handle.slot_facets());
    CountMatches(query, &spy, check_at_least, handle);
    Facets counted = spec.selection != nullptr ? spy.Build(options_.facet_values, *spec.selection)
                                               : spy.Build(options_.facet_values);
    TakeFacet(facet, counted, page.facets);
  }
}

Result<XapianSearcher::Outcome> XapianSearcher::MatchText(
    const std::string& text, PrefixMode prefix, const std::optional<Xapian::Query>& filter,
    const PageSpec& spec, Handle& handle, WithoutStrict without_strict) const {
  const LastWord last_word = PrefixLastWord(text, prefix, handle);
  Result<TextQuery> strict = ParseText(text, Xapian::Query::OP_AND, last_word, handle, options_);
  if (!strict.ok()) return strict.error();
  const RelaxMode mode = spec.strict_only ? RelaxMode::kOff : options_.relax_mode;
  long needed = options_.relax_below;
  if (mode == RelaxMode::kFill) {
    needed = std::max<long>(needed, spec.fill_to >= 0 ? spec.fill_to : spec.offset + spec.limit);
  }
  std::optional<TextQuery> loose;
  if (mode != RelaxMode::kOff && !strict->match_all) {
    Result<TextQuery> parsed = ParseText(text, Xapian::Query::OP_OR, last_word, handle, options_);
    if (!parsed.ok()) return parsed.error();
    // One word (or words that are all required anyway): nothing to relax to.
    if (parsed->query.get_description() != strict->query.get_description()) {
      loose = std::move(*parsed);
    }
  }
  Outcome outcome;
  if (!loose) {
    outcome.page = RunEnquire(strict->query, strict->match_all, filter, spec, handle);
    outcome.strict_total = outcome.page.total;
    if (outcome.page.total == 0 && without_strict == WithoutStrict::kStop) return outcome;
    if (outcome.page.total == 0 && !strict->match_all) {
      outcome.did_you_mean = TrimSpaces(SuggestSpelling(text, handle));
    }
    return outcome;
  }
  // Whether the AND matches fill what is needed, found by an unweighted count that stops
  // there: the ranked run, the exact count and the facets then run once, over the AND query
  // or over the relaxed one, not over both.
  const Xapian::Query strict_query =
      filter ? Xapian::Query(Xapian::Query::OP_FILTER, strict->query, *filter) : strict->query;
  Xapian::Enquire count(handle.db);
  count.set_query(strict_query);
  count.set_weighting_scheme(Xapian::BoolWeight());
  const Xapian::MSet counted =
      count.get_mset(0, 0, static_cast<Xapian::doccount>(std::max<long>(needed, 1)));
  if (static_cast<long>(counted.get_matches_lower_bound()) >= needed) {
    outcome.page = RunEnquire(strict->query, false, filter, spec, handle);
    outcome.strict_total = outcome.page.total;
    return outcome;
  }
  // Fewer than needed: the count saw every AND match, so it is exact.
  outcome.strict_total = static_cast<long>(counted.get_matches_lower_bound());
  if (outcome.strict_total == 0) {
    if (without_strict == WithoutStrict::kStop) return outcome;
    // Offered even when OR finds something: "red jakcet" shows red items and asks. Only
    // words the index lacks are corrected (SuggestSpelling): QueryParser's own correction
    // also swaps known words for more frequent ones ("soil" for "oil", "27" for "72").
    // The corrected string keeps the query's spacing; a trailing space typed in the search
    // box is no part of a suggestion shown to the shopper.
    outcome.did_you_mean = TrimSpaces(SuggestSpelling(text, handle));
  }
  // Below the AND matches, more of the words first and then what the best matches (the AND
  // ones when there are any) share. The AND matches take their order from the same query,
  // so the bonus is the same for each and feedback moves them a little.
  const Xapian::Query& feedback_source =
      outcome.strict_total > 0 ? strict->query : loose->query;
  const Xapian::Query loose_query =
      mode == RelaxMode::kFill
          ? WithFeedback(WithWordBonus(loose->query, options_.relax_word_bonus), feedback_source,
                         filter, handle, options_)
          : loose->query;
  // Fill: one query over the union keeps the total, the facets and paging coherent. With
  // no AND match there is nothing to rank first: the OR query alone.
  Xapian::Query wider_query = mode == RelaxMode::kFill && outcome.strict_total > 0
                                  ? FillQuery(strict->query, loose_query)
                                  : loose_query;
  Page wider = RunEnquire(wider_query, loose->match_all, filter, spec, handle);
  if (wider.total <= outcome.strict_total) {
    // The words found nothing beyond the AND matches: those, as they rank alone.
    outcome.page = RunEnquire(strict->query, false, filter, spec, handle);
    return outcome;
  }
  for (Hit& hit : wider.hits) {
    // Fill: AND matches carry the boost; replace: every hit is an OR match.
    if (mode == RelaxMode::kFill && hit.score >= kFillBoost) {
      hit.score -= kFillBoost;
    } else {
      hit.strict = false;
    }
  }
  outcome.page = std::move(wider);
  outcome.relaxed = true;
  return outcome;
}

Result<XapianSearcher::Outcome> XapianSearcher::MatchCorrected(
    const std::string& text, PrefixMode prefix, const std::optional<Xapian::Query>& filter,
    const PageSpec& spec, Handle& handle) const {
  Result<Outcome> outcome = MatchText(text, prefix, filter, spec, handle);
  if (!outcome.ok() || !options_.spelling_rerun || outcome->did_you_mean.empty()) {
    return outcome;
  }
  const bool no_strict = options_.spelling_rerun_when == SpellingRerunWhen::kNoStrictMatch;
  if ((no_strict ? outcome->strict_total : outcome->page.total) > 0) return outcome;
  // The relaxed results of the text as typed stay unless the suggestion does better than
  // relaxing: some product has all of its words (so its own relaxation is not run for
  // nothing). When nothing matched as typed, whatever the suggestion finds is shown.
  const bool relaxed_as_typed = outcome->page.total > 0;
  Result<Outcome> rerun =
      MatchText(outcome->did_you_mean, PrefixMode::kOff, filter, spec, handle,
                relaxed_as_typed && !options_.spelling_rerun_relaxed ? WithoutStrict::kStop
                                                                  : WithoutStrict::kRelax);
  if (!rerun.ok() || rerun->page.total == 0) return outcome;
  rerun->corrected = true;
  rerun->did_you_mean = outcome->did_you_mean;
  return rerun;
}

Result<XapianSearcher::Outcome> XapianSearcher::Match(const SearchRequest& request,
                                                      const PageSpec& spec,
                                                      Handle& handle) const {
  std::string text = options_.normalize_measurements ? NormalizeMeasurements(request.query)
                                                     : request.query;
  PrefixMode prefix = request.prefix_last_word.value_or(options_.prefix_last_word);
  std::optional<Xapian::Query> filter = BuildFilter(request);
  // Disjunctive facets of filtered kinds are counted apart, once the query is settled:
  // relaxation and the spelling rerun decide on the hits, which every filter narrows.
  const FacetSelection selection = spec.with_facets ? SelectionOf(request) : FacetSelection{};
  const FacetMask apart =
      spec.with_facets && request.facets == FacetMode::kDisjunctive ? FilteredFacets(request) : 0;
  PageSpec page_spec = spec;
  page_spec.facet_columns = kAllFacets & ~apart;
  page_spec.selection = &selection;
  Result<Outcome> outcome = MatchCorrected(text, prefix, filter, page_spec, handle);
  if (outcome.ok() && apart != 0) {
    CountFacetsApart(request, apart, page_spec, outcome->page, handle);
  }
  return outcome;
}

Result<SearchResult> XapianSearcher::Search(const SearchRequest& request) const {
  if (Status status = Validate(request); !status.ok()) return status.error();
  const int limit = request.limit.value_or(options_.default_limit);
  // With the result cache, the page is kept without stored data, which the stored-data
  // cache or the documents then give; without it, one run reads both as before.
  PageSpec spec{request.offset, limit, request.with_facets,
                /*with_stored=*/!results_.enabled(), /*exact_total=*/true};
  spec.strict_only = request.strict_only;
  // A page within what the text model reorders is cut from the reordered list, which the
  // fill relaxation fills only as far as the page (as without the model).
  const bool reordered = text_model_ != nullptr && request.offset < options_.text_model_depth;
  if (reordered) {
    spec.offset = 0;
    spec.limit = Fetched(request.offset + limit);
    spec.with_stored = false;
    spec.fill_to = request.offset + limit;
  }
  const std::string key =
      results_.enabled() ? RequestKey('S', request, request.offset, limit) : std::string();
  if (std::optional<CandidateResult> cached = CachedResult(key)) {
    SearchResult result = std::move(cached->result);
    result.query = request.query;
    if (Status loaded = LoadStored(result.hits); !loaded.ok()) return loaded.error();
    return result;
  }
  return WithHandle<SearchResult>([&](Handle& handle) -> Result<SearchResult> {
    Result<Outcome> outcome = Match(request, spec, handle);
    if (!outcome.ok()) return outcome.error();
    if (reordered) {
      std::vector<Hit>& hits = outcome->page.hits;
      Rerank(request, *outcome, handle, request.offset + limit, hits);
      hits.erase(hits.begin(),
                 hits.begin() + std::min<long>(static_cast<long>(hits.size()), request.offset));
    }
    CandidateResult found;
    found.result = ResultOf(std::move(*outcome), request.query);
    if (results_.enabled()) RememberResult(key, handle, found);
    if (results_.enabled() || reordered) FillStored(found.result.hits, handle);
    return std::move(found.result);
  });
}

int XapianSearcher::Fetched(int wanted) const {
  return text_model_ != nullptr ? std::max(wanted, options_.text_model_depth) : wanted;
}

void XapianSearcher::Rerank(const SearchRequest& request, const Outcome& outcome, Handle& handle,
                            int keep, std::vector<Hit>& hits) const {
  // The titles come from the generation's item table, whose rows are this revision's docids.
  if (text_model_ != nullptr && hits.size() > 1 && handle.facet_table != nullptr &&
      handle.facet_table->revision() == handle.revision) {
    const std::string text = outcome.corrected ? outcome.did_you_mean
                             : options_.normalize_measurements
                                 ? NormalizeMeasurements(request.query)
                                 : request.query;
    const size_t reordered = std::min<size_t>(hits.size(), options_.text_model_depth);
    std::vector<Hit> top(std::make_move_iterator(hits.begin()),
                         std::make_move_iterator(hits.begin() + static_cast<long>(reordered)));
    text_model_->Rerank(text, *handle.facet_table->items(), handle.db, top);
    std::move(top.begin(), top.end(), hits.begin());
  }
  if (hits.size() > static_cast<size_t>(keep)) hits.resize(static_cast<size_t>(keep));
}

Status XapianSearcher::ValidateDepth(int depth) const {
  if (depth < 0) return Error::InvalidArgument("depth: must be >= 0");
  if (depth > options_.max_depth) {
    return Error::InvalidArgument("depth: must be at most " + std::to_string(options_.max_depth));
  }
  return Status::Ok();
}

Result<CandidateResult> XapianSearcher::SearchCandidates(const SearchRequest& request,
                                                         int depth) const {
  if (Status status = ValidateDepth(depth); !status.ok()) return status.error();
  if (Status status = Validate(request); !status.ok()) return status.error();
  const int page_end = request.offset + request.limit.value_or(options_.default_limit);
  const int fetched = std::max(depth, page_end);
  PageSpec spec{0,
                Fetched(fetched),
                request.with_facets,
                /*with_stored=*/false,
                /*exact_total=*/true,
                /*fill_to=*/page_end};
  spec.strict_only = request.strict_only;
  const std::string key =
      results_.enabled() ? RequestKey('C', request, fetched, page_end) : std::string();
  if (std::optional<CandidateResult> cached = CachedResult(key)) {
    cached->result.query = request.query;
    return std::move(*cached);
  }
  return WithHandle<CandidateResult>([&](Handle& handle) -> Result<CandidateResult> {
    Result<Outcome> outcome = Match(request, spec, handle);
    if (!outcome.ok()) return outcome.error();
    Rerank(request, *outcome, handle, fetched, outcome->page.hits);
    CandidateResult candidates;
    candidates.result = ResultOf(std::move(*outcome), request.query);
    if (handle.facet_table != nullptr && handle.facet_table->revision() == handle.revision) {
      candidates.items = handle.facet_table->items();
    }
    RememberResult(key, handle, candidates);
    return candidates;
  });
}

std::shared_ptr<const ItemTable> XapianSearcher::Items() const {
  Result<std::shared_ptr<const ItemTable>> items = WithHandle<std::shared_ptr<const ItemTable>>(
      [](Handle& handle) -> Result<std::shared_ptr<const ItemTable>> {
        if (handle.facet_table == nullptr || handle.facet_table->revision() != handle.revision) {
          return std::shared_ptr<const ItemTable>();
        }
        return handle.facet_table->items();
      });
  return items.ok() ? *items : nullptr;
}

Result<std::vector<Hit>> XapianSearcher::Retrieve(const SearchRequest& request,
                                                  int depth) const {
  if (Status status = ValidateDepth(depth); !status.ok()) return status.error();
  if (Status status = ValidateMatch(request); !status.ok()) return status.error();
  if (depth == 0) return std::vector<Hit>();
  // With a text model, the fill relaxation fills what the model reorders.
  PageSpec spec{0, Fetched(depth), /*with_facets=*/false, /*with_stored=*/false,
                /*exact_total=*/false};
  spec.strict_only = request.strict_only;
  const std::string key = results_.enabled() ? RequestKey('R', request, depth, 0) : std::string();
  if (std::optional<CandidateResult> cached = CachedResult(key)) {
    return std::move(cached->result.hits);
  }
  return WithHandle<std::vector<Hit>>([&](Handle& handle) -> Result<std::vector<Hit>> {
    Result<Outcome> outcome = Match(request, spec, handle);
    if (!outcome.ok()) return outcome.error();
    Rerank(request, *outcome, handle, depth, outcome->page.hits);
    if (results_.enabled()) {
      CandidateResult found;
      found.result.hits = outcome->page.hits;
      RememberResult(key, handle, found);
    }
    return std::move(outcome->page.hits);
  });
}

namespace {

// The words relevance feedback may pick: the indexed text's terms (plain or stemmed "Z"),
// not the boolean filter terms (brand, category, id...), whose capital prefixes mark them.
class TextTermsOnly : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& term) const override {
    if (term.empty()) return false;
    const unsigned char first = static_cast<unsigned char>(term[0]);
    if (first == 'Z') return term.size() > 1 && !std::isupper(static_cast<unsigned char>(term[1]));
    return !std::isupper(first);
  }
};

constexpr Xapian::termcount kSimilarTerms = 24;

}  // namespace

Result<CandidateResult> XapianSearcher::Similar(const std::vector<std::string>& seed_ids,
                                                int depth) const {
  if (Status status = ValidateDepth(depth); !status.ok()) return status.error();
  std::string key;
  if (results_.enabled()) {
    key = "L" + std::to_string(depth);
    AppendList(key, seed_ids);
  }
  if (std::optional<CandidateResult> cached = CachedResult(key)) return std::move(*cached);
  return WithHandle<CandidateResult>([&](Handle& handle) -> Result<CandidateResult> {
    Result<CandidateResult> found = SimilarOn(seed_ids, depth, handle);
    if (found.ok()) RememberResult(key, handle, *found);
    return found;
  });
}

Result<CandidateResult> XapianSearcher::SimilarOn(const std::vector<std::string>& seed_ids,
                                                  int depth, Handle& handle) const {
  CandidateResult result;
  if (handle.facet_table != nullptr && handle.facet_table->revision() == handle.revision) {
    result.items = handle.facet_table->items();
  }
  Xapian::RSet seeds;
  std::vector<std::string> seed_terms;
  for (const std::string& id : seed_ids) {
    if (Xapian::docid docid = FindById(handle.db, id); docid != 0) {
      seeds.add_document(docid);
      seed_terms.push_back(schema::IdTerm(id));
    }
  }
  if (seeds.empty() || depth == 0) return result;
  Xapian::Enquire enquire(handle.db);
  TextTermsOnly text_terms;
  const Xapian::ESet words = enquire.get_eset(kSimilarTerms, seeds, &text_terms);
  if (words.empty()) return result;
  const Xapian::Query like(Xapian::Query::OP_OR, words.begin(), words.end());
  const Xapian::Query not_seeds(Xapian::Query::OP_OR, seed_terms.begin(), seed_terms.end());
  enquire.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT, like, not_seeds));
  enquire.set_weighting_scheme(Xapian::BM25Weight(options_.bm25_k1, options_.bm25_k2,
                                                  options_.bm25_k3, options_.bm25_b,
                                                  options_.bm25_min_normlen));
  OrderTies(enquire, handle, options_.ties_by_id);
  const FacetTable* table = CurrentTable(handle);
  Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(depth));
  result.result.total = static_cast<long>(mset.get_matches_estimated());
  result.result.hits = ReadHits(mset, 0, /*with_stored=*/false, table);
  return result;
}

Status XapianSearcher::LoadStored(std::vector<Hit>& hits) const {
  std::vector<Hit*> missing;
  const CacheEpoch live = stored_.enabled() ? LiveEpoch() : CacheEpoch{};
  for (Hit& hit : hits) {
    if (!StoredFromCache(live, hit)) missing.push_back(&hit);
  }
  if (missing.empty()) return Status::Ok();
  Result<bool> loaded = WithHandle<bool>([&](Handle& handle) -> Result<bool> {
    const CacheEpoch epoch = EpochOf(handle);
    for (Hit* hit : missing) {
      // The docid may belong to a generation swapped out since Retrieve: check the id,
      // and find the product by its id term when it moved.
      Xapian::docid docid = 0;
      if (hit->docid != 0 && hit->docid <= handle.db.get_lastdocid()) {
        try {
          Xapian::Document doc = handle.db.get_document(hit->docid);
          if (doc.get_value(schema::kIdSlot) == hit->id) {
            hit->stored_json = doc.get_data();
            docid = hit->docid;
          }
        } catch (const Xapian::DocNotFoundError&) {
        }
      }
      if (docid == 0) {
        docid = FindById(handle.db, hit->id);
        hit->stored_json = docid == 0 ? std::string() : handle.db.get_document(docid).get_data();
      }
      if (docid != 0) RememberStored(epoch, docid, *hit);
    }
    return true;
  });
  if (!loaded.ok()) return loaded.error();
  return Status::Ok();
}

long XapianSearcher::DocumentCount() const {
  Result<long> count = WithHandle<long>(
      [](Handle& handle) -> Result<long> { return static_cast<long>(handle.db.get_doccount()); });
  return count.ok() ? *count : 0;
}

}  // namespace tailor::searcher::internal
