// Engine::Suggest: completions of what a visitor is typing, from past queries (internal/
// past_queries.h) and the index vocabulary of the live revision (internal/vocabulary.h).
#include <algorithm>
#include <chrono>
#include <unordered_set>

#include "core/text.h"
#include "server/engine.h"
#include "server/internal/past_queries.h"
#include "server/internal/vocabulary.h"

namespace tailor::server {
namespace {

using internal::PrefixMatch;

// The groups suggestions are shown in (within exact-prefix, then within typo matches). The
// index's brands, categories and phrases are one group, by items, so "shirts" with thousands
// of items comes before a brand of forty that starts with "sh".
enum class Tier { kPersonal, kQuery, kVocabulary };

struct Candidate {
  std::string text;
  SuggestionKind kind = SuggestionKind::kQuery;
  PrefixMatch match = PrefixMatch::kExact;
  Tier tier = Tier::kQuery;
  double score = 0;
};

SuggestionKind KindOf(internal::TermKind kind) {
  switch (kind) {
    case internal::TermKind::kBrand:
      return SuggestionKind::kBrand;
    case internal::TermKind::kCategory:
      return SuggestionKind::kCategory;
    case internal::TermKind::kPhrase:
      return SuggestionKind::kPhrase;
  }
  return SuggestionKind::kPhrase;
}

// The visitor's brands and categories whose names match the prefix, strongest first.
void AddPersonal(const ranking::ProfileView& profile, const internal::Vocabulary& vocabulary,
                 std::string_view prefix, std::vector<Candidate>& out) {
  std::vector<Candidate> personal;
  auto add = [&](const internal::Term* term, double affinity) {
    if (term == nullptr) return;
    const PrefixMatch match = internal::MatchPrefix(prefix, term->text);
    if (match == PrefixMatch::kNone) return;
    personal.push_back(
        Candidate{term->display, KindOf(term->kind), match, Tier::kPersonal, affinity});
  };
  for (const ranking::ProfileView::Affinity& a : profile.brands) {
    add(vocabulary.Brand(a.key), a.affinity);
  }
  for (const ranking::ProfileView::Affinity& a : profile.categories) {
    add(vocabulary.Category(a.key), a.affinity);
  }
  std::stable_sort(personal.begin(), personal.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  out.insert(out.end(), personal.begin(), personal.end());
}

}  // namespace

std::shared_ptr<const internal::Vocabulary> Engine::VocabularyFor(
    const std::shared_ptr<const ItemTable>& items) {
  auto same_table = [&] {
    return !vocabulary_items_.owner_before(items) && !items.owner_before(vocabulary_items_) &&
           !vocabulary_items_.expired();
  };
  {
    std::lock_guard lock(vocabulary_mu_);
    if (vocabulary_ != nullptr && same_table()) return vocabulary_;
  }
  // While one request builds the new revision's vocabulary, others keep the old one.
  std::unique_lock build(vocabulary_build_mu_, std::try_to_lock);
  if (!build.owns_lock()) {
    std::lock_guard lock(vocabulary_mu_);
    if (vocabulary_ != nullptr) return vocabulary_;
  }
  if (!build.owns_lock()) build.lock();
  {
    std::lock_guard lock(vocabulary_mu_);
    if (vocabulary_ != nullptr && same_table()) return vocabulary_;
  }
  std::shared_ptr<const internal::Vocabulary> built =
      internal::Vocabulary::Build(*items, suggest_options_);
  std::lock_guard lock(vocabulary_mu_);
  vocabulary_ = built;
  vocabulary_items_ = items;
  return built;
}

long Engine::ResultCount(const internal::Vocabulary& vocabulary, const std::string& text) const {
  if (std::optional<long> cached = vocabulary.CachedCount(text)) return *cached;
  searcher::SearchRequest request;
  request.query = text;
  request.limit = 0;
  request.with_facets = false;
  Result<searcher::SearchResult> result = searcher_->Search(request);
  if (!result.ok()) return 0;  // not cached: the next keystroke asks again
  vocabulary.CacheCount(text, result->total);
  return result->total;
}

Result<SuggestResponse> Engine::Suggest(const SuggestRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  if (request.limit < 1 || request.limit > kMaxSuggestLimit) {
    return Error::InvalidArgument("limit: must be in 1.." + std::to_string(kMaxSuggestLimit));
  }
  const std::string prefix = NormalizeKeyword(request.query);
  if (prefix.empty()) return Error::InvalidArgument("q: must not be empty");
  std::shared_ptr<const ItemTable> items = searcher_->Items();
  if (items == nullptr) return Error::Unavailable("index: no item table");
  std::shared_ptr<const internal::Vocabulary> vocabulary = VocabularyFor(items);
  const int64_t now_ms = NowMs();
  const size_t wanted = static_cast<size_t>(request.limit);
  const bool typos = prefix.size() >= internal::kMinTypoPrefixBytes;
  std::vector<Candidate> candidates;
  if (state_ != nullptr && !request.visitor.empty()) {
    if (std::optional<ranking::ProfileView> profile = state_->View(request.visitor, now_ms)) {
      AddPersonal(*profile, *vocabulary, prefix, candidates);
    }
  }
  for (internal::PastQueries::Completion& c :
       past_queries_->Complete(prefix, request.visitor, typos, now_ms, 2 * wanted)) {
    candidates.push_back(
        Candidate{std::move(c.text), SuggestionKind::kQuery, c.match, Tier::kQuery, c.weight});
  }
  for (const internal::Vocabulary::Match& m : vocabulary->Complete(prefix, typos, 2 * wanted)) {
    candidates.push_back(Candidate{m.term->display, KindOf(m.term->kind), m.match,
                                   Tier::kVocabulary, static_cast<double>(m.term->items)});
  }
  // The visitor's and the past queries are in their own order already; exact matches first,
  // then by group; the vocabulary by items, a brand before a category before a phrase.
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     if (a.match != b.match) return a.match == PrefixMatch::kExact;
                     if (a.tier != b.tier) return a.tier < b.tier;
                     if (a.tier != Tier::kVocabulary) return false;
                     if (a.score != b.score) return a.score > b.score;
                     return a.kind < b.kind;
                   });
  SuggestResponse response;
  response.query = request.query;
  std::unordered_set<std::string> shown;
  // Texts without results are skipped; at most this many are counted per call.
  size_t counted = 0;
  const size_t max_counted = 4 * wanted;
  for (Candidate& c : candidates) {
    if (response.suggestions.size() >= wanted || counted >= max_counted) break;
    if (!shown.insert(NormalizeKeyword(c.text)).second) continue;
    ++counted;
    // The total of the text as shown, so it is what /search?q=<text> finds.
    const long results = ResultCount(*vocabulary, c.text);
    if (results <= 0) continue;
    response.suggestions.push_back(Suggestion{std::move(c.text), c.kind, results});
  }
  response.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return response;
}

}  // namespace tailor::server
