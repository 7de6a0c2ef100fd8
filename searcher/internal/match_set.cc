#include "searcher/internal/match_set.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace tailor::searcher::internal {
namespace {

using Words = std::vector<uint64_t>;

class Evaluator {
 public:
  explicit Evaluator(const Xapian::Database& db)
      : db_(db), size_(static_cast<size_t>(db.get_lastdocid()) / 64 + 1) {}

  Words Empty() const { return Words(size_, 0); }

  // Sets in `out` (all clear on entry) the matches of query; false when a part of it is
  // not modelled (then out is unspecified).
  bool Eval(const Xapian::Query& query, Words& out) const {
    const size_t parts = query.get_num_subqueries();
    switch (query.get_type()) {
      case Xapian::Query::LEAF_MATCH_NOTHING:
        return true;
      case Xapian::Query::LEAF_MATCH_ALL:
        AddPostings(std::string(), out);
        return true;
      case Xapian::Query::LEAF_TERM:
        AddPostings(*query.get_terms_begin(), out);
        return true;
      case Xapian::Query::LEAF_POSTING_SOURCE:
        // The public API names the source only in the description.
        if (query.get_description().find("FixedWeightPostingSource") == std::string::npos) {
          return false;
        }
        AddPostings(std::string(), out);
        return true;
      case Xapian::Query::OP_OR:
      case Xapian::Query::OP_SYNONYM:
      case Xapian::Query::OP_MAX:
        return EvalUnion(query, out);
      case Xapian::Query::OP_AND:
      case Xapian::Query::OP_FILTER:
        return EvalAnd(query, out);
      case Xapian::Query::OP_AND_NOT: {
        if (parts == 0) return true;
        if (!Eval(query.get_subquery(0), out)) return false;
        for (size_t i = 1; i < parts; ++i) {
          if (!Intersect(query.get_subquery(i), /*negate=*/true, out)) return false;
        }
        return true;
      }
      case Xapian::Query::OP_AND_MAYBE:
      case Xapian::Query::OP_SCALE_WEIGHT:
        // The optional parts and the factor change weights only.
        return parts == 0 || Eval(query.get_subquery(0), out);
      default:
        return false;
    }
  }

 private:
  // A union: every term it reaches through ORs (and what only weights or narrows to one
  // part) is read once, and a part whose matches lie within those terms' is skipped. The
  // fill and word-bonus queries repeat the loose words under filters and the AND query
  // beside them: read as written, each posting list would be read about three times.
  bool EvalUnion(const Xapian::Query& query, Words& out) const {
    std::vector<std::string> terms;
    std::vector<Xapian::Query> others;
    CollectUnion(query, terms, others);
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    for (const std::string& term : terms) AddPostings(term, out);
    for (const Xapian::Query& other : others) {
      if (CoveredBy(other, terms)) continue;
      Words matched = Empty();
      if (!Eval(other, matched)) return false;
      for (size_t w = 0; w < size_; ++w) out[w] |= matched[w];
    }
    return true;
  }

  // The one part of an AND or FILTER whose other parts all match everything, or nullopt.
  static std::optional<Xapian::Query> SolePart(const Xapian::Query& query) {
    std::optional<Xapian::Query> sole;
    for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
      Xapian::Query part = query.get_subquery(i);
      if (MatchesAll(part)) continue;
      if (sole) return std::nullopt;
      sole = std::move(part);
    }
    return sole;
  }

  // Splits a union into the terms it ORs and the other parts.
  static void CollectUnion(const Xapian::Query& query, std::vector<std::string>& terms,
                           std::vector<Xapian::Query>& others) {
    switch (query.get_type()) {
      case Xapian::Query::LEAF_TERM:
        terms.push_back(*query.get_terms_begin());
        return;
      case Xapian::Query::OP_OR:
      case Xapian::Query::OP_SYNONYM:
      case Xapian::Query::OP_MAX:
        for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
          CollectUnion(query.get_subquery(i), terms, others);
        }
        return;
      case Xapian::Query::OP_AND_MAYBE:
      case Xapian::Query::OP_SCALE_WEIGHT:
        if (query.get_num_subqueries() > 0) CollectUnion(query.get_subquery(0), terms, others);
        return;
      case Xapian::Query::OP_AND:
      case Xapian::Query::OP_FILTER:
        if (std::optional<Xapian::Query> sole = SolePart(query)) {
          CollectUnion(*sole, terms, others);
          return;
        }
        break;
      default:
        break;
    }
    others.push_back(query);
  }

  // Whether every match of query is in the postings of `terms` (sorted): false when that
  // is not plain from its shape.
  static bool CoveredBy(const Xapian::Query& query, const std::vector<std::string>& terms) {
    const size_t parts = query.get_num_subqueries();
    switch (query.get_type()) {
      case Xapian::Query::LEAF_MATCH_NOTHING:
        return true;
      case Xapian::Query::LEAF_TERM: {
        const std::string term = *query.get_terms_begin();
        return !term.empty() && std::binary_search(terms.begin(), terms.end(), term);
      }
      case Xapian::Query::OP_OR:
      case Xapian::Query::OP_SYNONYM:
      case Xapian::Query::OP_MAX:
        for (size_t i = 0; i < parts; ++i) {
          if (!CoveredBy(query.get_subquery(i), terms)) return false;
        }
        return true;
      case Xapian::Query::OP_AND:
      case Xapian::Query::OP_FILTER:
        for (size_t i = 0; i < parts; ++i) {
          if (CoveredBy(query.get_subquery(i), terms)) return true;
        }
        return false;
      case Xapian::Query::OP_AND_MAYBE:
      case Xapian::Query::OP_SCALE_WEIGHT:
      case Xapian::Query::OP_AND_NOT:
        return parts > 0 && CoveredBy(query.get_subquery(0), terms);
      default:
        return false;
    }
  }

  // Whether query matches every document whatever its weight: what an AND can skip.
  static bool MatchesAll(const Xapian::Query& query) {
    switch (query.get_type()) {
      case Xapian::Query::LEAF_MATCH_ALL:
        return true;
      case Xapian::Query::LEAF_TERM:
        return query.get_terms_begin() != query.get_terms_end() &&
               (*query.get_terms_begin()).empty();
      case Xapian::Query::LEAF_POSTING_SOURCE:
        return query.get_description().find("FixedWeightPostingSource") != std::string::npos;
      default:
        return false;
    }
  }

  // An upper bound of the matches of query, from its terms' frequencies: which part of an
  // AND to read first.
  Xapian::doccount Estimate(const Xapian::Query& query) const {
    const Xapian::doccount all = db_.get_doccount();
    if (MatchesAll(query)) return all;
    const size_t parts = query.get_num_subqueries();
    switch (query.get_type()) {
      case Xapian::Query::LEAF_MATCH_NOTHING:
        return 0;
      case Xapian::Query::LEAF_TERM:
        return TermFreq(*query.get_terms_begin());
      case Xapian::Query::OP_OR:
      case Xapian::Query::OP_SYNONYM:
      case Xapian::Query::OP_MAX: {
        Xapian::doccount sum = 0;
        for (size_t i = 0; i < parts && sum < all; ++i) sum += Estimate(query.get_subquery(i));
        return std::min(sum, all);
      }
      case Xapian::Query::OP_AND:
      case Xapian::Query::OP_FILTER: {
        Xapian::doccount least = all;
        for (size_t i = 0; i < parts; ++i) least = std::min(least, Estimate(query.get_subquery(i)));
        return least;
      }
      case Xapian::Query::OP_AND_NOT:
      case Xapian::Query::OP_AND_MAYBE:
      case Xapian::Query::OP_SCALE_WEIGHT:
        return parts > 0 ? Estimate(query.get_subquery(0)) : 0;
      default:
        return all;
    }
  }

  // AND and FILTER: the parts that match everything are skipped; the part with the fewest
  // matches (Estimate) seeds the set and every other part narrows it.
  bool EvalAnd(const Xapian::Query& query, Words& out) const {
    std::vector<std::pair<Xapian::doccount, Xapian::Query>> parts;
    for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
      Xapian::Query part = query.get_subquery(i);
      if (!MatchesAll(part)) parts.emplace_back(Estimate(part), std::move(part));
    }
    if (parts.empty()) {
      AddPostings(std::string(), out);
      return true;
    }
    std::stable_sort(parts.begin(), parts.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    if (!Eval(parts[0].second, out)) return false;
    for (size_t i = 1; i < parts.size(); ++i) {
      if (!Intersect(parts[i].second, /*negate=*/false, out)) return false;
    }
    return true;
  }

  // Tells, for ascending docids, whether a query matches each, by skipping through its
  // terms' posting lists instead of reading them whole.
  struct Checker {
    enum Kind { kTerm, kAll, kNothing, kAny, kEvery, kFirstNot } kind = kNothing;
    Xapian::PostingIterator it, end;  // kTerm
    std::vector<Checker> parts;
    Xapian::doccount postings = 0;  // what reading the query's posting lists whole reads

    // Docids must ascend from call to call.
    bool Matches(Xapian::docid docid) {
      switch (kind) {
        case kTerm:
          if (it != end && *it < docid) it.skip_to(docid);
          return it != end && *it == docid;
        case kAll:
          return true;
        case kNothing:
          return false;
        case kAny:
          for (Checker& part : parts) {
            if (part.Matches(docid)) return true;
          }
          return false;
        case kEvery:
          for (Checker& part : parts) {
            if (!part.Matches(docid)) return false;
          }
          return true;
        case kFirstNot:
          if (!parts[0].Matches(docid)) return false;
          for (size_t i = 1; i < parts.size(); ++i) {
            if (parts[i].Matches(docid)) return false;
          }
          return true;
      }
      return false;
    }
  };

  // How many postings reading query's posting lists whole reads.
  Xapian::doccount Postings(const Xapian::Query& query) const {
    if (MatchesAll(query)) return 0;
    if (query.get_type() == Xapian::Query::LEAF_TERM) return TermFreq(*query.get_terms_begin());
    Xapian::doccount sum = 0;
    for (size_t i = 0; i < query.get_num_subqueries(); ++i) sum += Postings(query.get_subquery(i));
    return sum;
  }

  // The checker of query, or nullopt when a part of it is not modelled.
  std::optional<Checker> MakeChecker(const Xapian::Query& query) const {
    Checker checker;
    if (MatchesAll(query)) {
      checker.kind = Checker::kAll;
      return checker;
    }
    const size_t parts = query.get_num_subqueries();
    switch (query.get_type()) {
      case Xapian::Query::LEAF_MATCH_NOTHING:
        checker.kind = Checker::kNothing;
        return checker;
      case Xapian::Query::LEAF_TERM: {
        const std::string term = *query.get_terms_begin();
        checker.kind = Checker::kTerm;
        checker.it = db_.postlist_begin(term);
        checker.end = db_.postlist_end(term);
        checker.postings = TermFreq(term);
        return checker;
      }
      case Xapian::Query::OP_AND_MAYBE:
      case Xapian::Query::OP_SCALE_WEIGHT:
        if (parts == 0) return checker;
        return MakeChecker(query.get_subquery(0));
      case Xapian::Query::OP_OR:
      case Xapian::Query::OP_SYNONYM:
      case Xapian::Query::OP_MAX:
        checker.kind = Checker::kAny;
        break;
      case Xapian::Query::OP_AND:
      case Xapian::Query::OP_FILTER:
        checker.kind = Checker::kEvery;
        break;
      case Xapian::Query::OP_AND_NOT:
        if (parts == 0) return checker;
        checker.kind = Checker::kFirstNot;
        break;
      default:
        return std::nullopt;
    }
    for (size_t i = 0; i < parts; ++i) {
      std::optional<Checker> part = MakeChecker(query.get_subquery(i));
      if (!part) return std::nullopt;
      checker.postings += part->postings;
      checker.parts.push_back(std::move(*part));
    }
    return checker;
  }

  // Keeps in out the documents that match query (negate: that do not). When out is sparse
  // beside the query's posting lists, each of its documents is checked by skipping
  // through them (the way Xapian's matcher narrows an AND by its rarest part).
  bool Intersect(const Xapian::Query& query, bool negate, Words& out) const {
    std::optional<Checker> checker;
    if (Count(out) * kSkipRatio < Postings(query)) checker = MakeChecker(query);
    if (checker) {
      for (size_t w = 0; w < size_; ++w) {
        for (uint64_t bits = out[w]; bits != 0; bits &= bits - 1) {
          const auto docid = static_cast<Xapian::docid>(w * 64 + __builtin_ctzll(bits));
          if (checker->Matches(docid) == negate) out[w] &= ~(bits & (~bits + 1));
        }
      }
      return true;
    }
    Words matched = Empty();
    if (!Eval(query, matched)) return false;
    if (negate) {
      for (size_t w = 0; w < size_; ++w) out[w] &= ~matched[w];
    } else {
      for (size_t w = 0; w < size_; ++w) out[w] &= matched[w];
    }
    return true;
  }

  static Xapian::doccount Count(const Words& words) {
    Xapian::doccount count = 0;
    for (uint64_t word : words) count += static_cast<Xapian::doccount>(__builtin_popcountll(word));
    return count;
  }

  // Below the postings of a part divided by this, a set is narrowed by skipping through them.
  static constexpr Xapian::doccount kSkipRatio = 8;

  // Sets the bit of every document indexed by term ("": every document).
  void AddPostings(const std::string& term, Words& out) const {
    for (Xapian::PostingIterator it = db_.postlist_begin(term); it != db_.postlist_end(term);
         ++it) {
      const Xapian::docid docid = *it;
      out[docid / 64] |= uint64_t{1} << (docid % 64);
    }
  }

  // A term's frequency, looked up in the database once per evaluation.
  Xapian::doccount TermFreq(const std::string& term) const {
    auto [entry, inserted] = termfreqs_.try_emplace(term, 0);
    if (inserted) entry->second = db_.get_termfreq(term);
    return entry->second;
  }

  const Xapian::Database& db_;
  const size_t size_;
  mutable std::unordered_map<std::string, Xapian::doccount> termfreqs_;
};

}  // namespace

std::optional<MatchSet> MatchSet::Of(const Xapian::Query& query, const Xapian::Database& db) {
  Evaluator evaluator(db);
  Words words = evaluator.Empty();
  if (!evaluator.Eval(query, words)) return std::nullopt;
  return MatchSet(std::move(words));
}

Xapian::doccount MatchSet::size() const {
  Xapian::doccount count = 0;
  for (uint64_t word : words_) count += static_cast<Xapian::doccount>(__builtin_popcountll(word));
  return count;
}

}  // namespace tailor::searcher::internal
