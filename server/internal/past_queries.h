// The queries visitors typed that found results, for query suggestions (Engine::Suggest):
// per normalized query, which visitors typed it and when, and a weight that is the sum over
// those visitors of 2^(-age / half-life), so each visitor counts once and old typing fades.
//
// Privacy: a query is offered to other visitors only once min_visitors distinct visitors
// typed it; Forget removes a visitor from every query (DELETE /profiles). Searches without a
// visitor are not counted (they cannot be told apart).
//
// A search box searches on every keystroke, so "par", "park", "parka" arrive in a row: when
// a visitor's query extends (or shortens) the one they typed just before, within
// kKeystrokeMs, the earlier one is withdrawn for that visitor unless they had typed it before.
//
// Memory is bounded by SuggestOptions::max_queries (the coldest tenth is dropped at the cap)
// and max_visitors_per_query. Thread-safe: one mutex; Complete holds it while it scans the
// queries under the prefix.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/decay.h"
#include "server/internal/prefix_match.h"
#include "server/suggest_options.h"

namespace tailor::server::internal {

class PastQueries {
 public:
  // Two searches of one visitor this close are keystrokes of one query.
  static constexpr int64_t kKeystrokeMs = 30000;
  // Longest query kept (longer ones are not what a search box completes to).
  static constexpr size_t kMaxQueryBytes = 100;

  explicit PastQueries(const SuggestOptions& options);

  // Records one served search: query as typed (NormalizeKeyword()ed here), the visitor, and
  // whether it found results. Queries that found nothing, are empty or longer than
  // kMaxQueryBytes, or use query syntax (a field "brand:", a quote) are not kept.
  void Record(std::string_view query, std::string_view visitor, bool found, int64_t now_ms);

  // Removes the visitor from every query (a query may fall below min_visitors).
  void Forget(std::string_view visitor);

  struct Completion {
    std::string text;
    double weight = 0;  // decayed distinct-visitor weight at now
    int visitors = 0;   // distinct visitors remembered
    bool own = false;   // `visitor` typed it
    PrefixMatch match = PrefixMatch::kExact;
  };
  // The queries matching prefix (normalized by the caller) that `visitor` may be offered:
  // those min_visitors typed, and the visitor's own; typo matches too when typos is true.
  // Ordered: exact before typo, then own before others, then by weight; at most max.
  std::vector<Completion> Complete(std::string_view prefix, std::string_view visitor, bool typos,
                                   int64_t now_ms, size_t max) const;

  // Distinct queries kept.
  size_t size() const;

 private:
  struct Typed {
    uint32_t t = 0;      // seconds: the visitor's latest typing
    uint32_t times = 0;  // how often they typed it
  };
  struct Entry {
    std::unordered_map<std::string, Typed> visitors;
    Decayed weight;
  };
  struct Last {
    std::string query;
    int64_t ms = 0;
  };
  void Add(const std::string& query, const std::string& visitor, uint32_t t);
  void Withdraw(std::map<std::string, Entry, std::less<>>::iterator entry,
                const std::string& visitor, uint32_t t);
  void DropLeastRecentVisitor(Entry& entry, uint32_t t);
  void DropColdest(uint32_t t);
  void Consider(const std::string& text, const Entry& entry, std::string_view visitor,
                PrefixMatch match, uint32_t t, std::vector<Completion>& out) const;

  const SuggestOptions options_;
  const Decay decay_;
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> queries_;  // guarded by mu_
  std::unordered_map<std::string, Last> last_;         // per visitor; guarded by mu_
};

}  // namespace tailor::server::internal
