// The posting source of personalized retrieval (Searcher::RetrieveBoosted): every document
// of the database, each weighted by the ItemBoost of its row (its docid), so that
// OP_AND_MAYBE(text, boost) ranks the text matches by text score plus the visitor's boost.
#pragma once

#include <xapian.h>

#include <string>

#include "searcher/searcher.h"

namespace tailor::searcher::internal {

class BoostSource : public Xapian::PostingSource {
 public:
  // boost must outlive the source and its clones (one search).
  explicit BoostSource(const ItemBoost& boost) : boost_(boost) {}

  Xapian::doccount get_termfreq_min() const override { return doccount_; }
  Xapian::doccount get_termfreq_est() const override { return doccount_; }
  Xapian::doccount get_termfreq_max() const override { return doccount_; }
  double get_weight() const override;
  Xapian::docid get_docid() const override { return docid_; }
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool check(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return docid_ > last_docid_; }
  PostingSource* clone() const override { return new BoostSource(boost_); }
  void init(const Xapian::Database& db) override;
  std::string get_description() const override { return "tailor::BoostSource"; }

 private:
  const ItemBoost& boost_;
  Xapian::doccount doccount_ = 0;
  Xapian::docid last_docid_ = 0;
  Xapian::docid docid_ = 0;  // 0 before the first move
};

}  // namespace tailor::searcher::internal
