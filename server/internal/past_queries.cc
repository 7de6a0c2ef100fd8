#include "server/internal/past_queries.h"

#include <algorithm>

#include "core/text.h"

namespace tailor::server::internal {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Queries a search box would not complete to: too long, or written in query syntax.
bool Keepable(std::string_view text) {
  return !text.empty() && text.size() <= PastQueries::kMaxQueryBytes &&
         text.find_first_of(":\"*") == std::string_view::npos;
}

}  // namespace

PastQueries::PastQueries(const SuggestOptions& options)
    : options_(options), decay_(options.half_life_hours) {}

void PastQueries::Record(std::string_view query, std::string_view visitor, bool found,
                         int64_t now_ms) {
  if (visitor.empty()) return;
  const std::string text = NormalizeKeyword(query);
  const std::string who(visitor);
  const uint32_t t = Seconds(now_ms);
  const bool keep = found && Keepable(text);
  std::lock_guard lock(mu_);
  auto last = last_.find(who);
  if (last != last_.end()) {
    const Last& before = last->second;
    const bool keystroke = !before.query.empty() && before.query != text && now_ms >= before.ms &&
                           now_ms - before.ms <= kKeystrokeMs &&
                           (StartsWith(text, before.query) || StartsWith(before.query, text));
    auto entry = keystroke ? queries_.find(before.query) : queries_.end();
    if (entry != queries_.end()) {
      auto typed = entry->second.visitors.find(who);
      // Only a query this keystroke added: one the visitor typed before stays theirs.
      if (typed != entry->second.visitors.end() && typed->second.times == 1 &&
          typed->second.t == Seconds(before.ms)) {
        Withdraw(entry, who, t);
      }
    }
  } else if (last_.size() >= static_cast<size_t>(options_.max_queries)) {
    last_.clear();  // bounds memory; costs only the keystroke grouping of a moment
  }
  if (keep) Add(text, who, t);
  last_[who] = Last{keep ? text : std::string(), now_ms};
}

void PastQueries::Add(const std::string& query, const std::string& visitor, uint32_t t) {
  auto [it, inserted] = queries_.try_emplace(query);
  Entry& entry = it->second;
  auto typed = entry.visitors.find(visitor);
  if (typed != entry.visitors.end()) {
    // The visitor's earlier typing is replaced by this one: they count once.
    decay_.Add(entry.weight, -decay_.At(Decayed{1, typed->second.t}, t), t);
    typed->second.t = std::max(typed->second.t, t);
    ++typed->second.times;
  } else {
    if (entry.visitors.size() >= static_cast<size_t>(options_.max_visitors_per_query)) {
      DropLeastRecentVisitor(entry, t);
    }
    entry.visitors.emplace(visitor, Typed{t, 1});
  }
  decay_.Add(entry.weight, 1, t);
  if (inserted && queries_.size() > static_cast<size_t>(options_.max_queries)) DropColdest(t);
}

void PastQueries::Withdraw(std::map<std::string, Entry, std::less<>>::iterator entry,
                           const std::string& visitor, uint32_t t) {
  auto typed = entry->second.visitors.find(visitor);
  if (typed == entry->second.visitors.end()) return;
  decay_.Add(entry->second.weight, -decay_.At(Decayed{1, typed->second.t}, t), t);
  entry->second.visitors.erase(typed);
  if (entry->second.visitors.empty()) queries_.erase(entry);
}

void PastQueries::DropLeastRecentVisitor(Entry& entry, uint32_t t) {
  auto oldest =
      std::min_element(entry.visitors.begin(), entry.visitors.end(),
                       [](const auto& a, const auto& b) { return a.second.t < b.second.t; });
  decay_.Add(entry.weight, -decay_.At(Decayed{1, oldest->second.t}, t), t);
  entry.visitors.erase(oldest);
}

void PastQueries::DropColdest(uint32_t t) {
  // A tenth at a time, so the scan over every query is paid once per many insertions.
  const size_t drop = std::max<size_t>(1, queries_.size() / 10);
  std::vector<double> weights;
  weights.reserve(queries_.size());
  for (const auto& [text, entry] : queries_) weights.push_back(decay_.At(entry.weight, t));
  std::nth_element(weights.begin(), weights.begin() + static_cast<std::ptrdiff_t>(drop - 1),
                   weights.end());
  const double threshold = weights[drop - 1];
  size_t dropped = 0;
  for (auto it = queries_.begin(); it != queries_.end() && dropped < drop;) {
    if (decay_.At(it->second.weight, t) <= threshold) {
      it = queries_.erase(it);
      ++dropped;
    } else {
      ++it;
    }
  }
}

void PastQueries::Forget(std::string_view visitor) {
  const std::string who(visitor);
  std::lock_guard lock(mu_);
  last_.erase(who);
  for (auto it = queries_.begin(); it != queries_.end();) {
    auto next = std::next(it);
    if (it->second.visitors.count(who) > 0) Withdraw(it, who, it->second.weight.t);
    it = next;
  }
}

void PastQueries::Consider(const std::string& text, const Entry& entry, std::string_view visitor,
                           PrefixMatch match, uint32_t t, std::vector<Completion>& out) const {
  const bool own = !visitor.empty() && entry.visitors.count(std::string(visitor)) > 0;
  const int visitors = static_cast<int>(entry.visitors.size());
  if (!own && visitors < options_.min_visitors) return;
  out.push_back(Completion{text, decay_.At(entry.weight, t), visitors, own, match});
}

std::vector<PastQueries::Completion> PastQueries::Complete(std::string_view prefix,
                                                           std::string_view visitor, bool typos,
                                                           int64_t now_ms, size_t max) const {
  const uint32_t t = Seconds(now_ms);
  std::vector<Completion> out;
  std::lock_guard lock(mu_);
  for (auto it = queries_.lower_bound(prefix);
       it != queries_.end() && StartsWith(it->first, prefix); ++it) {
    Consider(it->first, it->second, visitor, PrefixMatch::kExact, t, out);
  }
  if (typos) {
    for (const std::string& start : TypoStarts(prefix)) {
      for (auto it = queries_.lower_bound(start);
           it != queries_.end() && StartsWith(it->first, start); ++it) {
        if (MatchPrefix(prefix, it->first) != PrefixMatch::kTypo) continue;
        Consider(it->first, it->second, visitor, PrefixMatch::kTypo, t, out);
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Completion& a, const Completion& b) {
    if (a.match != b.match) return a.match == PrefixMatch::kExact;
    if (a.own != b.own) return a.own;
    if (a.weight != b.weight) return a.weight > b.weight;
    return a.text < b.text;
  });
  if (out.size() > max) out.resize(max);
  return out;
}

size_t PastQueries::size() const {
  std::lock_guard lock(mu_);
  return queries_.size();
}

}  // namespace tailor::server::internal
