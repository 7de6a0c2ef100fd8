#include "searcher/internal/match_set.h"

#include <algorithm>
#include <string>
#include <utility>

namespace tailor::searcher::internal {
namespace {

using Words = std::vector<uint64_t>;

// A query as MatchSet evaluates it, read from the Xapian::Query once (the public API makes
// a TermIterator or a description string at every look): what only weights is dropped,
// nested unions are one union, and the parts of an AND that match everything are gone.
struct Node {
  enum Kind { kNothing, kAll, kTerm, kOr, kAnd, kAndNot } kind = kNothing;
  std::string term;               // kTerm
  std::vector<Node> parts;        // kOr, kAnd; kAndNot: what is kept, then what is taken out
  Xapian::doccount estimate = 0;  // at least as many as match (term frequencies)
  Xapian::doccount postings = 0;  // what reading its posting lists whole reads
};

// Whether every match of node is in the postings of `terms` (sorted): false when that is
// not plain from its shape.
bool CoveredBy(const Node& node, const std::vector<std::string>& terms) {
  switch (node.kind) {
    case Node::kNothing:
      return true;
    case Node::kAll:
      return false;
    case Node::kTerm:
      return std::binary_search(terms.begin(), terms.end(), node.term);
    case Node::kOr:
      return std::all_of(node.parts.begin(), node.parts.end(),
                         [&](const Node& part) { return CoveredBy(part, terms); });
    case Node::kAnd:
      return std::any_of(node.parts.begin(), node.parts.end(),
                         [&](const Node& part) { return CoveredBy(part, terms); });
    case Node::kAndNot:
      return CoveredBy(node.parts[0], terms);
  }
  return false;
}

// The distinct words a union ORs directly, sorted.
std::vector<std::string> UnionTerms(const Node& node) {
  std::vector<std::string> terms;
  for (const Node& part : node.parts) {
    if (part.kind == Node::kTerm) terms.push_back(part.term);
  }
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

// Tells, for ascending docids, whether a node matches each, by skipping through its terms'
// posting lists instead of reading them whole.
struct Checker {
  Node::Kind kind = Node::kNothing;
  Xapian::PostingIterator it, end;  // kTerm
  std::vector<Checker> parts;

  Checker(const Node& node, const Xapian::Database& db) : kind(node.kind) {
    if (kind == Node::kTerm) Open(node.term, db);
    if (kind != Node::kOr) {
      parts.reserve(node.parts.size());
      for (const Node& part : node.parts) parts.emplace_back(part, db);
      return;
    }
    // A union opens each of its words once and leaves out what lies within them (opening
    // a posting list is a B-tree lookup), as EvalUnion reads them.
    const std::vector<std::string> terms = UnionTerms(node);
    for (const std::string& term : terms) {
      parts.emplace_back();
      parts.back().kind = Node::kTerm;
      parts.back().Open(term, db);
    }
    for (const Node& part : node.parts) {
      if (part.kind != Node::kTerm && !CoveredBy(part, terms)) parts.emplace_back(part, db);
    }
  }
  Checker() = default;

  void Open(const std::string& term, const Xapian::Database& db) {
    it = db.postlist_begin(term);
    end = db.postlist_end(term);
  }

  // Docids must ascend from call to call.
  bool Matches(Xapian::docid docid) {
    switch (kind) {
      case Node::kTerm:
        if (it != end && *it < docid) it.skip_to(docid);
        return it != end && *it == docid;
      case Node::kAll:
        return true;
      case Node::kNothing:
        return false;
      case Node::kOr:
        for (Checker& part : parts) {
          if (part.Matches(docid)) return true;
        }
        return false;
      case Node::kAnd:
        for (Checker& part : parts) {
          if (!part.Matches(docid)) return false;
        }
        return true;
      case Node::kAndNot:
        if (!parts[0].Matches(docid)) return false;
        for (size_t i = 1; i < parts.size(); ++i) {
          if (parts[i].Matches(docid)) return false;
        }
        return true;
    }
    return false;
  }
};

class Evaluator {
 public:
  explicit Evaluator(const Xapian::Database& db)
      : db_(db), all_(db.get_doccount()), size_(static_cast<size_t>(db.get_lastdocid()) / 64 + 1) {}

  Words Empty() const { return Words(size_, 0); }

  // The node of query, or nullopt when a part of it is not modelled.
  std::optional<Node> Compile(const Xapian::Query& query) const {
    Node node;
    const size_t count = query.get_num_subqueries();
    switch (query.get_type()) {
      case Xapian::Query::LEAF_MATCH_NOTHING:
        return node;
      case Xapian::Query::LEAF_MATCH_ALL:
        return All();
      case Xapian::Query::LEAF_TERM: {
        std::string term = *query.get_terms_begin();
        if (term.empty()) return All();
        node.kind = Node::kTerm;
        node.estimate = node.postings = db_.get_termfreq(term);
        node.term = std::move(term);
        return node;
      }
      case Xapian::Query::LEAF_POSTING_SOURCE:
        // The public API names the source only in the description.
        if (query.get_description().find("FixedWeightPostingSource") == std::string::npos) {
          return std::nullopt;
        }
        return All();
      case Xapian::Query::OP_AND_MAYBE:
      case Xapian::Query::OP_SCALE_WEIGHT:
        // The optional parts and the factor change weights only.
        if (count == 0) return node;
        return Compile(query.get_subquery(0));
      case Xapian::Query::OP_OR:
      case Xapian::Query::OP_SYNONYM:
      case Xapian::Query::OP_MAX:
        node.kind = Node::kOr;
        break;
      case Xapian::Query::OP_AND:
      case Xapian::Query::OP_FILTER:
        node.kind = Node::kAnd;
        break;
      case Xapian::Query::OP_AND_NOT:
        if (count == 0) return node;
        node.kind = Node::kAndNot;
        break;
      default:
        return std::nullopt;
    }
    for (size_t i = 0; i < count; ++i) {
      std::optional<Node> part = Compile(query.get_subquery(i));
      if (!part) return std::nullopt;
      if (node.kind == Node::kOr) {
        if (part->kind == Node::kAll) return All();
        if (part->kind == Node::kNothing) continue;
        if (part->kind == Node::kOr) {
          for (Node& inner : part->parts) node.parts.push_back(std::move(inner));
          continue;
        }
      } else if (node.kind == Node::kAnd || (node.kind == Node::kAndNot && i == 0)) {
        if (part->kind == Node::kNothing) return Node();
        if (part->kind == Node::kAll && node.kind == Node::kAnd) continue;
      } else {  // what AND_NOT takes out
        if (part->kind == Node::kAll) return Node();
        if (part->kind == Node::kNothing) continue;
      }
      node.parts.push_back(std::move(*part));
    }
    return Finish(std::move(node));
  }

  // Sets in `out` (all clear on entry) the matches of node.
  void Eval(const Node& node, Words& out) const {
    switch (node.kind) {
      case Node::kNothing:
        return;
      case Node::kAll:
        AddPostings(std::string(), out);
        return;
      case Node::kTerm:
        AddPostings(node.term, out);
        return;
      case Node::kOr:
        EvalUnion(node, out);
        return;
      case Node::kAnd: {
        // The part with the fewest matches seeds the set; the others narrow it.
        std::vector<const Node*> parts;
        for (const Node& part : node.parts) parts.push_back(&part);
        std::stable_sort(parts.begin(), parts.end(),
                         [](const Node* a, const Node* b) { return a->estimate < b->estimate; });
        Eval(*parts[0], out);
        for (size_t i = 1; i < parts.size(); ++i) Intersect(*parts[i], /*negate=*/false, out);
        return;
      }
      case Node::kAndNot:
        Eval(node.parts[0], out);
        for (size_t i = 1; i < node.parts.size(); ++i) Intersect(node.parts[i], true, out);
        return;
    }
  }

 private:
  Node All() const {
    Node node;
    node.kind = Node::kAll;
    node.estimate = all_;
    return node;
  }

  // Estimates and postings from the parts, and the shapes that reduce: an empty union
  // matches nothing, an empty AND everything, a one-part union or AND is its part.
  Node Finish(Node node) const {
    if (node.kind == Node::kOr || node.kind == Node::kAnd) {
      if (node.parts.empty()) return node.kind == Node::kOr ? Node() : All();
      if (node.parts.size() == 1) return std::move(node.parts[0]);
    }
    if (node.kind == Node::kAndNot && node.parts.size() == 1) return std::move(node.parts[0]);
    node.estimate = node.kind == Node::kOr ? 0 : all_;
    for (const Node& part : node.parts) {
      node.postings += part.postings;
      if (node.kind == Node::kOr) {
        node.estimate = std::min(all_, node.estimate + part.estimate);
      } else if (node.kind == Node::kAnd) {
        node.estimate = std::min(node.estimate, part.estimate);
      }
    }
    if (node.kind == Node::kAndNot) node.estimate = node.parts[0].estimate;
    return node;
  }

  // A union reads each of its words once, and skips a part whose matches lie within those
  // words' (the fill query ORs the AND query with the loose words, and the word-bonus
  // query repeats each word under a filter).
  void EvalUnion(const Node& node, Words& out) const {
    const std::vector<std::string> terms = UnionTerms(node);
    for (const std::string& term : terms) AddPostings(term, out);
    for (const Node& part : node.parts) {
      if (part.kind == Node::kTerm || CoveredBy(part, terms)) continue;
      Words matched = Empty();
      Eval(part, matched);
      for (size_t w = 0; w < size_; ++w) out[w] |= matched[w];
    }
  }

  // Keeps in out the documents that match node (negate: that do not). When out is sparse
  // beside the node's posting lists, each of its documents is checked by skipping through
  // them, the way Xapian's matcher narrows an AND by its rarest part.
  void Intersect(const Node& node, bool negate, Words& out) const {
    if (CountBelow(out, node.postings / kSkipRatio)) {
      Checker checker(node, db_);
      for (size_t w = 0; w < size_; ++w) {
        for (uint64_t bits = out[w]; bits != 0; bits &= bits - 1) {
          const auto docid = static_cast<Xapian::docid>(w * 64 + __builtin_ctzll(bits));
          if (checker.Matches(docid) == negate) out[w] &= ~(bits & (~bits + 1));
        }
      }
      return;
    }
    Words matched = Empty();
    Eval(node, matched);
    if (negate) {
      for (size_t w = 0; w < size_; ++w) out[w] &= ~matched[w];
    } else {
      for (size_t w = 0; w < size_; ++w) out[w] &= matched[w];
    }
  }

  // Whether fewer than `limit` bits are set (stops counting there; zero words are skipped,
  // as popcount may be a library call).
  static bool CountBelow(const Words& words, Xapian::doccount limit) {
    Xapian::doccount count = 0;
    for (uint64_t word : words) {
      if (word == 0) continue;
      count += static_cast<Xapian::doccount>(__builtin_popcountll(word));
      if (count >= limit) return false;
    }
    return count < limit;
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

  const Xapian::Database& db_;
  const Xapian::doccount all_;
  const size_t size_;
};

}  // namespace

std::optional<MatchSet> MatchSet::Of(const Xapian::Query& query, const Xapian::Database& db) {
  Evaluator evaluator(db);
  std::optional<Node> node = evaluator.Compile(query);
  if (!node) return std::nullopt;
  Words words = evaluator.Empty();
  evaluator.Eval(*node, words);
  return MatchSet(std::move(words));
}

Xapian::doccount MatchSet::size() const {
  Xapian::doccount count = 0;
  for (uint64_t word : words_) {
    if (word != 0) count += static_cast<Xapian::doccount>(__builtin_popcountll(word));
  }
  return count;
}

}  // namespace tailor::searcher::internal
