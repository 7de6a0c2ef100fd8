#include "searcher/internal/boost_source.h"

#include <algorithm>

namespace tailor::searcher::internal {

void BoostSource::init(const Xapian::Database& db) {
  doccount_ = db.get_doccount();
  last_docid_ = db.get_lastdocid();
  docid_ = 0;
  set_maxweight(std::max(0.0, boost_.max_weight));
}

double BoostSource::get_weight() const {
  if (!boost_.items->present(docid_)) return 0;
  return std::clamp(boost_.weight(docid_), 0.0, boost_.max_weight);
}

void BoostSource::next(double /*min_wt*/) {
  // Every docid up to the last is a position: AND_MAYBE asks only for its left side's
  // documents (check), and a docid without a document weighs 0.
  ++docid_;
}

void BoostSource::skip_to(Xapian::docid did, double /*min_wt*/) {
  if (did > docid_) docid_ = did;
}

bool BoostSource::check(Xapian::docid did, double min_wt) {
  skip_to(did, min_wt);
  return true;
}

}  // namespace tailor::searcher::internal
