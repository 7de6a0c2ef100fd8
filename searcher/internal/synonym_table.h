// The synonyms of a Synonyms set as one search handle looks them up: every phrase's words
// stemmed with the handle's stemmer, so a query's "couches" finds the entry of "couch", and
// the spans of a query text that name an entry's phrase.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "searcher/synonyms.h"

namespace tailor::searcher::internal {

// A word of a text and where it is: bytes [begin, end) of the text.
struct WordSpan {
  std::string word;  // lowercased
  size_t begin = 0;
  size_t end = 0;
};

// The words of text (see SynonymWords): runs of letters and digits, with a single "'" or
// "&" between two of them kept inside the word ("men's", "m&s"), as Xapian's QueryParser
// reads them.
std::vector<WordSpan> SplitWords(std::string_view text);

class SynonymTable {
 public:
  // Every phrase that finds something (a one-way root, each phrase of a multi-way entry),
  // by its stemmed words, with the phrases of its entries (itself included, as written
  // there): merged over entries. Requires: stemmer is the handle's.
  static SynonymTable Build(const Synonyms& synonyms, Xapian::Stem& stemmer);

  // The phrases that the phrase of these stemmed words also finds; nullptr when none.
  const std::vector<std::string>* Find(const std::string& stemmed_key) const;

  size_t max_words() const { return max_words_; }
  bool empty() const { return alternatives_.empty(); }

 private:
  std::unordered_map<std::string, std::vector<std::string>> alternatives_;
  size_t max_words_ = 0;
};

// A span of a query text that names a phrase of the table.
struct SynonymMatch {
  size_t begin = 0;  // bytes [begin, end) of the text: the phrase as typed
  size_t end = 0;
  const std::vector<std::string>* alternatives = nullptr;  // into the table
};

// The spans of text naming a phrase of the table, left to right, the longest phrase first
// at each word, not overlapping. Words the shopper gave a meaning of their own are left
// alone: inside "quotes", right after a + or - operator, a field name ("brand:") or a
// field's value. The words of one span are separated only by spaces, "-", "/" or ".".
std::vector<SynonymMatch> FindSynonyms(std::string_view text, const SynonymTable& table,
                                       Xapian::Stem& stemmer);

}  // namespace tailor::searcher::internal
