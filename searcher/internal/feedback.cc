#include "searcher/internal/feedback.h"

#include <cctype>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/index_schema.h"

namespace tailor::searcher::internal {
namespace {

// Feedback words are stemmed text terms ("Zbar"): the indexer writes each word of the text
// also unstemmed (and under field prefixes), which would count the same word several times,
// and the filter terms (capital prefixes) are no words at all.
class StemmedWordsOnly : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& term) const override {
    return term.size() > 2 && term[0] == 'Z' &&
           std::islower(static_cast<unsigned char>(term[1])) != 0;
  }
};

}  // namespace

Xapian::Query WithFeedback(const Xapian::Query& loose, const Xapian::Query& source,
                           const std::optional<Xapian::Query>& filter, Handle& handle,
                           const SearcherOptions& options) {
  if (options.feedback_docs <= 0 || options.feedback_terms <= 0) return loose;
  Xapian::Enquire enquire(handle.db);
  enquire.set_query(filter ? Xapian::Query(Xapian::Query::OP_FILTER, source, *filter) : source);
  enquire.set_weighting_scheme(Xapian::BM25Weight(options.bm25_k1, options.bm25_k2,
                                                  options.bm25_k3, options.bm25_b,
                                                  options.bm25_min_normlen));
  OrderTies(enquire, handle, options.ties_by_id);
  const Xapian::MSet best =
      enquire.get_mset(0, static_cast<Xapian::doccount>(options.feedback_docs));
  if (best.empty()) return loose;
  Xapian::RSet rset;
  for (Xapian::MSetIterator it = best.begin(); it != best.end(); ++it) rset.add_document(*it);
  // The enquire's query (without the filter's terms) is what get_eset leaves out.
  enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, loose, source));
  StemmedWordsOnly words_only;
  const Xapian::ESet words =
      enquire.get_eset(static_cast<Xapian::termcount>(options.feedback_terms), rset, &words_only);
  if (words.empty()) return loose;
  // How many of the feedback documents have each word: a word most of them share speaks
  // for the query more than one of them alone.
  std::unordered_map<std::string, int> share;
  for (Xapian::ESetIterator it = words.begin(); it != words.end(); ++it) share.emplace(*it, 0);
  for (Xapian::MSetIterator it = best.begin(); it != best.end(); ++it) {
    for (Xapian::TermIterator t = handle.db.termlist_begin(*it); t != handle.db.termlist_end(*it);
         ++t) {
      if (auto found = share.find(*t); found != share.end()) ++found->second;
    }
  }
  std::vector<Xapian::Query> weighted;
  const double docs = static_cast<double>(best.size());
  for (const auto& [term, count] : share) {
    if (count < options.feedback_min_docs) continue;
    weighted.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(term),
                          options.feedback_weight * count / docs);
  }
  if (weighted.empty()) return loose;
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, loose,
                       Xapian::Query(Xapian::Query::OP_OR, weighted.begin(), weighted.end()));
}

}  // namespace tailor::searcher::internal
