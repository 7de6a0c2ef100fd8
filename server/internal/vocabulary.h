// The index vocabulary query suggestions complete to (Engine::Suggest): the brands and
// category names of one item table (core/item_table.h) and its frequent title phrases (runs
// of one to three title words), each with the number of items that have it, sorted for
// prefix lookup. Built per index revision, with the result counts of that revision cached
// beside it, so both are dropped together when the searcher's revision changes.
//
// Immutable once built except for the count cache, which has its own mutex: thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/item_table.h"
#include "server/internal/prefix_match.h"
#include "server/suggest_options.h"

namespace tailor::server::internal {

enum class TermKind { kBrand, kCategory, kPhrase };

struct Term {
  std::string text;     // matched form: NormalizeKeyword()ed ("acme", "parkas", "rain parka")
  std::string display;  // shown: "Acme", "Parkas", "rain parka"
  TermKind kind = TermKind::kPhrase;
  int items = 0;  // items with it
};

class Vocabulary {
 public:
  // Reads the table's brands, category names (each level's name; "Parkas" under Men and
  // under Women is one term) and title phrases: single words, and two- and three-word runs in
  // at least options.min_phrase_items titles, none starting or ending with a stopword or
  // holding a one-letter word, the options.max_phrases most frequent.
  static std::shared_ptr<const Vocabulary> Build(const ItemTable& items,
                                                 const SuggestOptions& options);

  struct Match {
    const Term* term = nullptr;  // points into this vocabulary
    PrefixMatch match = PrefixMatch::kExact;
  };
  // The terms matching prefix (NormalizeKeyword()ed), with typo matches when typos is true;
  // of each kind the max_per_kind with the most items, exact matches before typo ones.
  std::vector<Match> Complete(std::string_view prefix, bool typos, size_t max_per_kind) const;

  // The brand or category-name term of a dictionary key of the table (ItemTable::Key form,
  // as profiles hold them: "acme", "men/jackets/parkas"), null when there is none.
  const Term* Brand(std::string_view key) const;
  const Term* Category(std::string_view key) const;

  // The cached result count of a suggestion's text at this revision, and storing one (the
  // cache is cleared when it holds max_cached_counts).
  std::optional<long> CachedCount(const std::string& text) const;
  void CacheCount(const std::string& text, long count) const;

  size_t size() const { return terms_.size(); }

 private:
  explicit Vocabulary(size_t max_cached_counts) : max_cached_counts_(max_cached_counts) {}
  void AddPhrases(const ItemTable& items, const SuggestOptions& options);
  void Index();

  std::vector<Term> terms_;                             // sorted by text, then kind
  std::unordered_map<std::string, size_t> brands_;      // brand key -> term
  std::unordered_map<std::string, size_t> categories_;  // category level name -> term
  const size_t max_cached_counts_;
  mutable std::mutex counts_mu_;
  mutable std::unordered_map<std::string, long> counts_;  // guarded by counts_mu_
};

}  // namespace tailor::server::internal
