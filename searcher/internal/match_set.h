// The documents a query matches, read straight from its terms' posting lists.
//
// Counting the total and the facets of a search needs every match, so the matcher cannot
// stop early. Run through Xapian's matcher (Enquire with BoolWeight and a MatchSpy), each
// match still costs a posting-list tree step, a weight call, a Document and a virtual spy
// call. Most of Tailor's queries are boolean functions of terms (AND, OR, synonyms,
// filters on boolean terms), whose matches are unions and intersections of posting lists:
// a bit per document, then a counter per set bit.
//
// Of() gives up (nullopt) on any part whose matches are not such a function of posting
// lists as Xapian's public API shows them: phrases and NEAR (positions), wildcards and
// partial words (their expansion is Xapian's), value ranges, elite sets, posting sources
// other than FixedWeightPostingSource (which matches every document). The caller then runs
// Xapian's matcher as before, so a result never depends on which way it was counted.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace tailor::searcher::internal {

class MatchSet {
 public:
  // The matches of query in db, a local database (docids as db numbers them; over several
  // shards, their interleaved docids), or nullopt as the file comment says. Throws
  // Xapian::Error as reading posting lists does.
  static std::optional<MatchSet> Of(const Xapian::Query& query, const Xapian::Database& db);

  // How many documents match.
  Xapian::doccount size() const;
  // Calls fn(docid) for every match, in ascending docid order.
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (size_t word = 0; word < words_.size(); ++word) {
      for (uint64_t bits = words_[word]; bits != 0; bits &= bits - 1) {
        fn(static_cast<Xapian::docid>(word * 64 + static_cast<size_t>(__builtin_ctzll(bits))));
      }
    }
  }

 private:
  explicit MatchSet(std::vector<uint64_t> words) : words_(std::move(words)) {}
  std::vector<uint64_t> words_;  // bit d: docid d matches
};

}  // namespace tailor::searcher::internal
