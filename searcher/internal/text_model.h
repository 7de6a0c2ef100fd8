// The learned text model (SearcherOptions::text_model): gradient-boosted trees that reorder
// the best text matches by how each title meets the query's words, beyond BM25.
//
// BM25 scores each word on its own; shoppers' judgments also reward a title that has the
// query's last word (most often the product type: "towel bar" for "ceramic towel bar"), its
// words side by side and near the start, few other words, and its numbers. TitleQuery
// computes those features for one candidate from the generation's item table (titles as
// word ids, no document read); TextModel scores them with trees trained by XGBoost on the
// Home Depot dev half (bench/relevance, scripts/train-text-model) and reorders the hits.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/item_table.h"
#include "core/result.h"
#include "core/tree_ensemble.h"
#include "searcher/searcher.h"

namespace tailor::searcher::internal {

// The features, in the order of TextFeatureNames().
enum TextFeature : int {
  kLogRank,                // log2(text rank + 2): the BM25 (and fill) order
  kStrict,                 // 1 when an AND match of every word
  kRelativeScore,          // text score / the best text score of the list
  kQueryWords,             // the query's words
  kMatchedShare,           // share of the query's words the title has (plurals either way)
  kIdfMatchedShare,        // the same, each word weighted by its idf
  kMatchedIdf,             // sum of the matched words' idf
  kMaxUnmatchedIdf,        // largest idf of a word without digits the title lacks; 0: none
  kUnmatchedWords,         // words without digits the title lacks
  kNumbersMatched,         // share of the query's words with digits the title has; -1: none
  kLastWordMatched,        // the query's last word without digits is in the title; -1: none
  kFirstWordMatched,       // the query's first word is in the title
  kLastWordPosition,       // first place of the last word in the title / title words; 1.5
  kFirstWordPosition,      // the same for the first word
  kAdjacentPairs,          // share of neighbouring query word pairs side by side in the title
  kMatchSpan,              // span of the title's matched words / distinct words matched; -1
  kTitleWords,             // words of the title
  kTitleWordsInQuery,      // share of the title's words without digits that the query has
  kQueryWordOccurrences,   // title words that are query words / title words
  kTitleFirstWordInQuery,  // the title's first word without digits is a query word; -1
  kTitleLastWordInQuery,   // the title's last word without digits is a query word; -1
  kTrigramSimilarity,      // Jaccard of the query's and the title's letter trigrams
  kUnmatchedPrefixes,      // words without digits the title lacks (4+ letters) whose first
                           // four letters begin a title word: misspellings and compounds
  kTextFeatureCount
};
const std::vector<std::string>& TextFeatureNames();

// One query's words against the titles of one item table. Keeps a reference to items. Not
// thread-safe (Compute reuses its scratch); build one per list.
class TitleQuery {
 public:
  // query: as the searcher matched it (normalized); idf(word) of a query word (its
  // TitleWords form).
  TitleQuery(const ItemTable& items, std::string_view query,
             const std::function<double(std::string_view)>& idf);
  bool empty() const { return words_.empty(); }
  // The features of a row (present in items) at text rank `rank`, into out
  // (kTextFeatureCount values).
  void Compute(ItemTable::Row row, int rank, double relative_score, bool strict,
               std::span<float> out) const;

 private:
  struct Word {
    ItemTable::WordForms forms;
    double idf = 0;
    bool has_digit = false;
    std::string prefix;  // its first four letters when it has 4+ and no digit, else ""
  };
  // Letter trigrams of " words " (TitleWords form), sorted and unique, into grams.
  static void TrigramsInto(std::string_view words, std::vector<uint32_t>& grams);
  // The distinct trigrams of " words " and how many of them the query has.
  std::pair<size_t, size_t> CountTrigrams(std::string_view words) const;

  const ItemTable& items_;
  std::vector<Word> words_;
  std::vector<uint32_t> trigrams_;
  // Compute's scratch: per title word its query word, per query word its first place.
  mutable std::vector<int> word_at_, first_at_;
  mutable std::vector<uint32_t> grams_;
  int last_word_ = -1;  // index of the last word without digits; -1: none
};

// The features of each hit of a text list (hit i at text rank i, scores relative to the
// list's best) that has a row in items, as fn(i, features); idf from db, whose docids the
// hits' are. False, calling fn never, when the query has no words. What TextModel::Rerank
// scores and what a model is trained on (tailor-relevance --text-features).
bool ComputeTextFeatures(std::string_view query, const ItemTable& items, const Xapian::Database& db,
                         const std::vector<Hit>& hits,
                         const std::function<void(size_t, std::span<const float>)>& fn);

// A loaded model; immutable, shared by every search.
class TextModel {
 public:
  static Result<std::shared_ptr<const TextModel>> Load(const std::string& path);
  explicit TextModel(TreeEnsemble trees) : trees_(std::move(trees)) {}

  // Reorders hits (a text ranking from rank 0, docids of db and rows of items) by the
  // model's score, best first (equal scores keep their order), and renumbers their ranks.
  // Scores stay BM25's. Hits without an item row keep their text order after the others.
  void Rerank(std::string_view query, const ItemTable& items, const Xapian::Database& db,
              std::vector<Hit>& hits) const;

 private:
  TreeEnsemble trees_;
};

}  // namespace tailor::searcher::internal
