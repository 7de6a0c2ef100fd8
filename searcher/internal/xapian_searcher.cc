#include "searcher/internal/xapian_searcher.h"

#include <cmath>
#include <string>

#include "core/index_schema.h"
#include "searcher/internal/facet_spy.h"
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

}  // namespace

Status XapianSearcher::Validate(const SearchRequest& request) const {
  if (request.query.size() > kMaxQueryBytes) {
    return Error::InvalidArgument("q: must be at most " + std::to_string(kMaxQueryBytes) +
                                  " bytes");
  }
  if (request.limit && *request.limit < 0) return Error::InvalidArgument("limit: must be >= 0");
  if (request.limit && *request.limit > options_.max_limit) {
    return Error::InvalidArgument("limit: must be at most " + std::to_string(options_.max_limit));
  }
  if (request.offset < 0) return Error::InvalidArgument("offset: must be >= 0");
  if (request.offset > options_.max_offset) {
    return Error::InvalidArgument("offset: must be at most " +
                                  std::to_string(options_.max_offset));
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
        try {
          return fn(lease.handle());
        } catch (const Xapian::DatabaseModifiedError&) {
          lease.handle().db.reopen();
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
  const FacetTable* table = handle.facet_table.get();
  if (table != nullptr && table->revision() != handle.db.get_revision()) table = nullptr;
  FacetSpy spy(table);  // declared before the Enquire that points at it
  Xapian::Enquire enquire(handle.db);
  enquire.set_query(filter ? Xapian::Query(Xapian::Query::OP_FILTER, text, *filter) : text);
  enquire.set_weighting_scheme(Xapian::BM25Weight(options_.bm25_k1, options_.bm25_k2,
                                                  options_.bm25_k3, options_.bm25_b,
                                                  options_.bm25_min_normlen));
  // Without words every score is 0: most popular first, then index order.
  if (match_all) enquire.set_sort_by_value_then_relevance(schema::kPopularitySlot, true);
  if (spec.with_facets) enquire.add_matchspy(&spy);
  // Facets see every match the matcher checks, so they are exact exactly when the total is.
  Xapian::doccount check_at_least =
      spec.exact_total ? static_cast<Xapian::doccount>(options_.exact_total_up_to) : 0;
  Xapian::MSet mset = enquire.get_mset(spec.offset, spec.limit, check_at_least);

  Page page;
  page.total = static_cast<long>(mset.get_matches_estimated());
  page.hits.reserve(mset.size());
  int rank = spec.offset;
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
    Xapian::Document doc = it.get_document();
    Hit hit;
    hit.docid = *it;
    hit.id = doc.get_value(schema::kIdSlot);
    hit.score = it.get_weight();
    hit.rank = rank++;
    if (spec.with_stored) hit.stored_json = doc.get_data();
    page.hits.push_back(std::move(hit));
  }
  if (spec.with_facets) page.facets = spy.Build(options_.facet_values);
  return page;
}

Result<XapianSearcher::Page> XapianSearcher::Match(const SearchRequest& request,
                                                   const PageSpec& spec, Handle& handle,
                                                   bool* relaxed,
                                                   std::string* did_you_mean) const {
  Result<TextQuery> strict = ParseText(request.query, Xapian::Query::OP_AND, handle, options_);
  if (!strict.ok()) return strict.error();
  std::optional<Xapian::Query> filter = BuildFilter(request);
  Page page = RunEnquire(strict->query, strict->match_all, filter, spec, handle);
  if (page.total == 0 && !strict->match_all) {
    // Offered even when OR finds something: "red jakcet" shows red items and asks.
    *did_you_mean = strict->corrected;
    if (did_you_mean->empty()) *did_you_mean = SuggestSpelling(request.query, handle.db);
  }
  if (page.total < options_.relax_below && options_.relax_to_or && !strict->match_all) {
    Result<TextQuery> loose = ParseText(request.query, Xapian::Query::OP_OR, handle, options_);
    if (!loose.ok()) return loose.error();
    if (loose->query.get_description() != strict->query.get_description()) {
      Page wider = RunEnquire(loose->query, loose->match_all, filter, spec, handle);
      if (wider.total > page.total) {
        page = std::move(wider);
        *relaxed = true;
      }
    }
  }
  return page;
}

Result<SearchResult> XapianSearcher::Search(const SearchRequest& request) const {
  if (Status status = Validate(request); !status.ok()) return status.error();
  PageSpec spec{request.offset, request.limit.value_or(options_.default_limit),
                request.with_facets, /*with_stored=*/true, /*exact_total=*/true};
  return WithHandle<SearchResult>([&](Handle& handle) -> Result<SearchResult> {
    SearchResult result;
    result.query = request.query;
    Result<Page> page = Match(request, spec, handle, &result.relaxed, &result.did_you_mean);
    if (!page.ok()) return page.error();
    result.total = page->total;
    result.hits = std::move(page->hits);
    result.facets = std::move(page->facets);
    return result;
  });
}

Result<std::vector<Hit>> XapianSearcher::Retrieve(const SearchRequest& request,
                                                  int depth) const {
  if (depth < 0) return Error::InvalidArgument("depth: must be >= 0");
  if (depth > options_.max_depth) {
    return Error::InvalidArgument("depth: must be at most " + std::to_string(options_.max_depth));
  }
  SearchRequest unpaged = request;
  unpaged.offset = 0;
  unpaged.limit = 0;
  if (Status status = Validate(unpaged); !status.ok()) return status.error();
  if (depth == 0) return std::vector<Hit>();
  PageSpec spec{0, depth, /*with_facets=*/false, /*with_stored=*/false, /*exact_total=*/false};
  return WithHandle<std::vector<Hit>>([&](Handle& handle) -> Result<std::vector<Hit>> {
    bool relaxed = false;
    std::string did_you_mean;
    Result<Page> page = Match(unpaged, spec, handle, &relaxed, &did_you_mean);
    if (!page.ok()) return page.error();
    return std::move(page->hits);
  });
}

Status XapianSearcher::LoadStored(std::vector<Hit>& hits) const {
  Result<bool> loaded = WithHandle<bool>([&](Handle& handle) -> Result<bool> {
    for (Hit& hit : hits) {
      // The docid may belong to a generation swapped out since Retrieve: check the id,
      // and find the product by its id term when it moved.
      Xapian::docid docid = 0;
      if (hit.docid != 0 && hit.docid <= handle.db.get_lastdocid()) {
        try {
          if (handle.db.get_document(hit.docid).get_value(schema::kIdSlot) == hit.id) {
            docid = hit.docid;
          }
        } catch (const Xapian::DocNotFoundError&) {
        }
      }
      if (docid == 0) {
        std::string id_term = schema::FilterTerm(schema::kIdPrefix, hit.id);
        Xapian::PostingIterator posting = handle.db.postlist_begin(id_term);
        if (posting != handle.db.postlist_end(id_term)) docid = *posting;
      }
      hit.stored_json = docid == 0 ? std::string() : handle.db.get_document(docid).get_data();
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
