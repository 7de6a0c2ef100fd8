#include "searcher/internal/text_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "core/text.h"

namespace tailor::searcher::internal {
namespace {

// BM25's idf of a word found in df of n documents.
double Idf(double df, double n) { return std::log((n - df + 0.5) / (df + 0.5) + 1.0); }

}  // namespace

const std::vector<std::string>& TextFeatureNames() {
  static const std::vector<std::string> names = {"log_rank",
                                                 "strict",
                                                 "relative_score",
                                                 "query_words",
                                                 "matched_share",
                                                 "idf_matched_share",
                                                 "matched_idf",
                                                 "max_unmatched_idf",
                                                 "unmatched_words",
                                                 "numbers_matched",
                                                 "last_word_matched",
                                                 "first_word_matched",
                                                 "last_word_position",
                                                 "first_word_position",
                                                 "adjacent_pairs",
                                                 "match_span",
                                                 "title_words",
                                                 "title_words_in_query",
                                                 "query_word_occurrences",
                                                 "title_first_word_in_query",
                                                 "title_last_word_in_query",
                                                 "trigram_similarity",
                                                 "unmatched_prefixes"};
  return names;
}

TitleQuery::TitleQuery(const ItemTable& items, std::string_view query,
                       const std::function<double(std::string_view)>& idf)
    : items_(items) {
  const std::string words = TitleWords(query);
  std::string_view rest = words;
  while (!rest.empty()) {
    const size_t space = rest.find(' ');
    const std::string_view word = rest.substr(0, space);
    Word w;
    w.forms = items.FindWordForms(word);
    w.idf = idf(word);
    w.has_digit = HasDigit(word);
    if (!w.has_digit && word.size() >= 4) w.prefix = std::string(word.substr(0, 4));
    if (!w.has_digit) last_word_ = static_cast<int>(words_.size());
    words_.push_back(std::move(w));
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  TrigramsInto(words, trigrams_);
}

void TitleQuery::TrigramsInto(std::string_view words, std::vector<uint32_t>& grams) {
  // " words ": byte i of the padded text.
  auto byte = [&](size_t i) -> uint32_t {
    return i == 0 || i == words.size() + 1 ? ' ' : static_cast<unsigned char>(words[i - 1]);
  };
  grams.clear();
  for (size_t i = 0; i + 3 <= words.size() + 2; ++i) {
    grams.push_back(byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2));
  }
  std::sort(grams.begin(), grams.end());
  grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
}

std::pair<size_t, size_t> TitleQuery::CountTrigrams(std::string_view words) const {
  std::vector<uint32_t>& grams = grams_;
  TrigramsInto(words, grams);
  size_t common = 0;
  for (size_t a = 0, b = 0; a < grams.size() && b < trigrams_.size();) {
    if (grams[a] == trigrams_[b]) {
      ++common, ++a, ++b;
    } else if (grams[a] < trigrams_[b]) {
      ++a;
    } else {
      ++b;
    }
  }
  return {grams.size(), common};
}

void TitleQuery::Compute(ItemTable::Row row, int rank, double relative_score, bool strict,
                         std::span<float> out) const {
  const std::span<const int32_t> title = items_.title_word_ids(row);
  const int n = static_cast<int>(words_.size());
  const int length = static_cast<int>(title.size());
  // The query word each title word is (the first that matches), -1: none.
  std::vector<int>& word_at = word_at_;
  std::vector<int>& first_at = first_at_;
  word_at.assign(title.size(), -1);
  first_at.assign(words_.size(), -1);
  for (int j = 0; j < length; ++j) {
    for (int i = 0; i < n; ++i) {
      if (!words_[i].forms.Has(title[j])) continue;
      if (word_at[j] < 0) word_at[j] = i;
      if (first_at[i] < 0) first_at[i] = j;
    }
  }
  double idf_total = 0, idf_matched = 0, max_unmatched = 0;
  int matched = 0, unmatched = 0, numbers = 0, numbers_matched = 0;
  for (int i = 0; i < n; ++i) {
    const Word& w = words_[i];
    const bool found = first_at[i] >= 0;
    idf_total += w.idf;
    if (found) {
      ++matched;
      idf_matched += w.idf;
    } else if (!w.has_digit) {
      ++unmatched;
      max_unmatched = std::max(max_unmatched, w.idf);
    }
    if (w.has_digit) {
      ++numbers;
      numbers_matched += found;
    }
  }
  int pairs = 0;
  for (int i = 0; i + 1 < n; ++i) {
    for (int j = 0; j + 1 < length; ++j) {
      if (words_[i].forms.Has(title[j]) && words_[i + 1].forms.Has(title[j + 1])) {
        ++pairs;
        break;
      }
    }
  }
  int first_match = -1, last_match = -1, occurrences = 0, text_words = 0, text_in_query = 0;
  int title_first = -1, title_last = -1;  // the title's first and last words without digits
  for (int j = 0; j < length; ++j) {
    if (word_at[j] >= 0) {
      if (first_match < 0) first_match = j;
      last_match = j;
      ++occurrences;
    }
    if (!items_.WordHasDigit(title[j])) {
      ++text_words;
      text_in_query += word_at[j] >= 0;
      if (title_first < 0) title_first = j;
      title_last = j;
    }
  }
  const double len = std::max(1, length);
  auto position = [&](int i) { return i < 0 || first_at[i] < 0 ? 1.5 : first_at[i] / len; };
  const int last = last_word_;
  out[kLogRank] = static_cast<float>(std::log2(rank + 2.0));
  out[kStrict] = strict ? 1.0f : 0.0f;
  out[kRelativeScore] = static_cast<float>(relative_score);
  out[kQueryWords] = static_cast<float>(n);
  out[kMatchedShare] = static_cast<float>(n > 0 ? static_cast<double>(matched) / n : 0);
  out[kIdfMatchedShare] = static_cast<float>(idf_total > 0 ? idf_matched / idf_total : 0);
  out[kMatchedIdf] = static_cast<float>(idf_matched);
  out[kMaxUnmatchedIdf] = static_cast<float>(max_unmatched);
  out[kUnmatchedWords] = static_cast<float>(unmatched);
  out[kNumbersMatched] =
      numbers > 0 ? static_cast<float>(static_cast<double>(numbers_matched) / numbers) : -1.0f;
  out[kLastWordMatched] = last < 0 ? -1.0f : (first_at[last] >= 0 ? 1.0f : 0.0f);
  out[kFirstWordMatched] = n > 0 && first_at[0] >= 0 ? 1.0f : 0.0f;
  out[kLastWordPosition] = static_cast<float>(position(last));
  out[kFirstWordPosition] = static_cast<float>(position(n > 0 ? 0 : -1));
  out[kAdjacentPairs] = static_cast<float>(static_cast<double>(pairs) / std::max(1, n - 1));
  out[kMatchSpan] =
      first_match < 0 ? -1.0f
                      : static_cast<float>((last_match - first_match + 1.0) / std::max(1, matched));
  out[kTitleWords] = static_cast<float>(length);
  out[kTitleWordsInQuery] =
      static_cast<float>(static_cast<double>(text_in_query) / std::max(1, text_words));
  out[kQueryWordOccurrences] = static_cast<float>(occurrences / len);
  out[kTitleFirstWordInQuery] = title_first < 0 ? -1.0f : (word_at[title_first] >= 0 ? 1.0f : 0.0f);
  out[kTitleLastWordInQuery] = title_last < 0 ? -1.0f : (word_at[title_last] >= 0 ? 1.0f : 0.0f);

  const std::string& title_text = items_.title_words(row);
  const auto [title_grams, common_grams] = CountTrigrams(title_text);
  const size_t both = title_grams + trigrams_.size() - common_grams;
  out[kTrigramSimilarity] =
      both > 0 ? static_cast<float>(static_cast<double>(common_grams) / both) : 0;
  int prefixes = 0;
  for (int i = 0; i < n; ++i) {
    const std::string& prefix = words_[i].prefix;
    if (prefix.empty() || first_at[i] >= 0) continue;
    // A title word of 4+ letters that starts with the same four letters.
    for (size_t at = title_text.find(prefix); at != std::string::npos;
         at = title_text.find(prefix, at + 1)) {
      if (at == 0 || title_text[at - 1] == ' ') {
        ++prefixes;
        break;
      }
    }
  }
  out[kUnmatchedPrefixes] = static_cast<float>(prefixes);
}

Result<std::shared_ptr<const TextModel>> TextModel::Load(const std::string& path) {
  Result<TreeEnsemble> trees = TreeEnsemble::Load(path, TextFeatureNames());
  if (!trees.ok()) return trees.error();
  return std::make_shared<const TextModel>(std::move(*trees));
}

bool ComputeTextFeatures(std::string_view query, const ItemTable& items, const Xapian::Database& db,
                         const std::vector<Hit>& hits,
                         const std::function<void(size_t, std::span<const float>)>& fn) {
  const double documents = std::max<double>(1, db.get_doccount());
  TitleQuery text(items, query, [&](std::string_view word) {
    return Idf(db.get_termfreq(std::string(word)), documents);
  });
  if (text.empty()) return false;
  double best = 0;
  for (const Hit& hit : hits) best = std::max(best, hit.score);
  std::vector<float> features(kTextFeatureCount);
  for (size_t i = 0; i < hits.size(); ++i) {
    if (!items.present(hits[i].docid)) continue;
    text.Compute(hits[i].docid, static_cast<int>(i), best > 0 ? hits[i].score / best : 0,
                 hits[i].strict, features);
    fn(i, features);
  }
  return true;
}

void TextModel::Rerank(std::string_view query, const ItemTable& items, const Xapian::Database& db,
                       std::vector<Hit>& hits) const {
  if (hits.size() < 2) return;
  std::vector<double> score(hits.size(), -HUGE_VAL);
  const bool scored = ComputeTextFeatures(
      query, items, db, hits,
      [&](size_t i, std::span<const float> features) { score[i] = trees_.Score(features); });
  if (!scored) return;
  std::vector<size_t> order(hits.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return score[a] > score[b]; });
  std::vector<Hit> sorted;
  sorted.reserve(hits.size());
  for (size_t i : order) sorted.push_back(std::move(hits[i]));
  hits = std::move(sorted);
  for (size_t i = 0; i < hits.size(); ++i) hits[i].rank = static_cast<int>(i);
}

}  // namespace tailor::searcher::internal
