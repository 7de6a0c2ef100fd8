#include "ranking/analytics/search_analytics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/event.h"
#include "core/text.h"
#include "ranking/feature_log/ranking_log.h"
#include "ranking/profiles/profile_state.h"

namespace tailor::ranking {
namespace {

constexpr uint32_t kAnonymous = 0;  // visitor id of a search without a visitor

// Strings numbered in order of first appearance, so searches hold small ids.
class Interner {
 public:
  uint32_t Id(const std::string& text) {
    auto [it, added] = ids_.try_emplace(text, static_cast<uint32_t>(names_.size()));
    if (added) names_.push_back(text);
    return it->second;
  }
  // The id of text, or -1 when it never came up.
  int64_t Find(const std::string& text) const {
    auto it = ids_.find(text);
    return it == ids_.end() ? -1 : it->second;
  }
  const std::string& Name(uint32_t id) const { return names_[id]; }

 private:
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<std::string> names_;
};

struct Search {
  uint32_t query = 0, variant = 0, visitor = kAnonymous;
  int64_t timestamp_ms = 0;
  bool found = false;
  std::vector<uint32_t> items;    // shown, interned
  std::vector<int> positions;     // per shown item, 0-based
  std::vector<uint32_t> filters;  // interned filter names
  bool clicked = false, carted = false, purchased = false;
  int clicks = 0;
  int64_t click_position_sum = 0;
};

std::string FormatPrice(double price) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.10g", price);
  return buffer;
}

std::vector<std::string> FilterNames(const LoggedFilters& filters) {
  std::vector<std::string> names;
  for (auto [key, values] :
       {std::pair{"brand=", &filters.brands}, std::pair{"category=", &filters.categories},
        std::pair{"size=", &filters.sizes}, std::pair{"color=", &filters.colors}}) {
    for (const std::string& value : *values) names.push_back(key + NormalizeKeyword(value));
  }
  if (filters.price_min || filters.price_max) {
    names.push_back("price=" + (filters.price_min ? FormatPrice(*filters.price_min) : "") + ".." +
                    (filters.price_max ? FormatPrice(*filters.price_max) : ""));
  }
  if (filters.in_stock) names.push_back("in_stock=true");
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

// What the logs of a window hold, searches joined to their events.
class Collector {
 public:
  Collector(const AnalyticsQuery& query, const AnalyticsOptions& options)
      : query_(query), options_(options) {
    visitors_.Id("");  // kAnonymous
  }

  // Takes one feature-log record; false once the window holds more searches than the cap.
  bool AddRecord(RankingRecord&& record) {
    ++report_.rankings_read;
    const bool is_search = record.total.has_value() || !record.query.empty();
    if (!is_search || record.timestamp_ms < query_.from_ms || record.timestamp_ms > query_.to_ms) {
      return true;
    }
    if (!query_.variant.empty() && record.variant != query_.variant) return true;
    if (static_cast<int64_t>(searches_.size()) >= options_.max_searches) {
      report_.truncated = true;
      return false;
    }
    Search search;
    search.query = queries_.Id(NormalizeKeyword(record.query));
    search.variant = variants_.Id(record.variant);
    search.visitor = visitors_.Id(record.visitor);
    search.timestamp_ms = record.timestamp_ms;
    search.found = record.total ? *record.total > 0 : !record.items.empty();
    for (const LoggedItem& item : record.items) {
      search.items.push_back(items_.Id(item.id));
      search.positions.push_back(item.position);
    }
    for (const std::string& name : FilterNames(record.filters)) {
      search.filters.push_back(filter_names_.Id(name));
    }
    const uint32_t index = static_cast<uint32_t>(searches_.size());
    by_request_.emplace(std::move(record.request_id), index);
    if (search.visitor != kAnonymous) by_visitor_[search.visitor].push_back(index);
    report_.covered_to_ms = std::max(report_.covered_to_ms, search.timestamp_ms);
    searches_.push_back(std::move(search));
    return true;
  }

  // Call once every record is in, before the events.
  void SortVisitorSearches() {
    for (auto& [visitor, list] : by_visitor_) {
      std::stable_sort(list.begin(), list.end(), [&](uint32_t a, uint32_t b) {
        return searches_[a].timestamp_ms < searches_[b].timestamp_ms;
      });
    }
  }

  void AddEvent(const Event& event) {
    ++report_.events_read;
    if (event.type != EventType::kClick && event.type != EventType::kAddToCart &&
        event.type != EventType::kPurchase) {
      return;
    }
    const int64_t item = items_.Find(event.item);
    const int64_t visitor = visitors_.Find(event.visitor);
    if (item < 0) return;  // no search of the window showed it
    Search* search = nullptr;
    int slot = -1;
    if (!event.request_id.empty()) {
      auto it = by_request_.find(event.request_id);
      if (it == by_request_.end()) return;
      Search& candidate = searches_[it->second];
      if (candidate.visitor != kAnonymous && candidate.visitor != visitor) return;
      slot = SlotOf(candidate, static_cast<uint32_t>(item));
      if (slot >= 0) search = &candidate;
    } else if (visitor > 0) {
      search = LatestShowing(static_cast<uint32_t>(visitor), static_cast<uint32_t>(item),
                             event.timestamp_ms, slot);
    }
    if (search == nullptr) return;
    switch (event.type) {
      case EventType::kClick:
        search->clicked = true;
        ++search->clicks;
        search->click_position_sum += search->positions[slot] + 1;
        break;
      case EventType::kAddToCart:
        search->carted = true;
        break;
      case EventType::kPurchase:
        search->purchased = true;
        break;
      default:
        break;
    }
  }

  AnalyticsReport Finish() &&;

 private:
  static int SlotOf(const Search& search, uint32_t item) {
    auto it = std::find(search.items.begin(), search.items.end(), item);
    return it == search.items.end() ? -1 : static_cast<int>(it - search.items.begin());
  }

  // The visitor's latest search at most the attribution window before `at_ms` that showed
  // the item, with the item's slot; nullptr for none.
  Search* LatestShowing(uint32_t visitor, uint32_t item, int64_t at_ms, int& slot) {
    auto it = by_visitor_.find(visitor);
    if (it == by_visitor_.end()) return nullptr;
    const std::vector<uint32_t>& list = it->second;
    auto end = std::upper_bound(list.begin(), list.end(), at_ms, [&](int64_t t, uint32_t s) {
      return t < searches_[s].timestamp_ms;
    });
    for (auto s = end; s != list.begin();) {
      Search& search = searches_[*--s];
      if (search.timestamp_ms < at_ms - options_.attribution_window_ms) break;
      slot = SlotOf(search, item);
      if (slot >= 0) return &search;
    }
    return nullptr;
  }

  struct Tally {
    SearchFigures figures;
    std::unordered_set<uint32_t> visitors;
    void Add(const Search& search) {
      SearchFigures& f = figures;
      ++f.searches;
      f.with_results += search.found;
      f.clicked += search.clicked;
      f.carted += search.carted;
      f.purchased += search.purchased;
      f.clicks += search.clicks;
      f.click_position_sum += search.click_position_sum;
      if (search.visitor != kAnonymous) visitors.insert(search.visitor);
    }
    SearchFigures Done() const {
      SearchFigures f = figures;
      f.visitors = static_cast<int64_t>(visitors.size());
      return f;
    }
  };

  // Per query of the searches `keep` accepts (the empty query left out).
  template <typename Keep>
  std::vector<QueryFigures> PerQuery(Keep keep) const {
    std::map<uint32_t, Tally> tallies;
    for (const Search& search : searches_) {
      if (keep(search) && !queries_.Name(search.query).empty()) tallies[search.query].Add(search);
    }
    std::vector<QueryFigures> out;
    for (const auto& [query, tally] : tallies) out.push_back({queries_.Name(query), tally.Done()});
    return out;
  }

  const AnalyticsQuery& query_;
  const AnalyticsOptions& options_;
  AnalyticsReport report_;
  std::vector<Search> searches_;
  Interner queries_, variants_, visitors_, items_, filter_names_;
  std::unordered_map<std::string, uint32_t> by_request_;
  std::unordered_map<uint32_t, std::vector<uint32_t>> by_visitor_;  // time order
};

// The first `limit` entries by `count` (most first), ties by query.
template <typename Count>
void TopBy(std::vector<QueryFigures>& list, Count count, int limit) {
  std::sort(list.begin(), list.end(), [&](const QueryFigures& a, const QueryFigures& b) {
    if (count(a) != count(b)) return count(a) > count(b);
    return a.query < b.query;
  });
  if (list.size() > static_cast<size_t>(limit)) list.resize(limit);
}

AnalyticsReport Collector::Finish() && {
  AnalyticsReport report = std::move(report_);
  report.query = query_;
  if (!report.truncated) report.covered_to_ms = query_.to_ms;
  Tally totals;
  std::map<std::string, Tally> variants;
  std::unordered_map<uint32_t, int64_t> filters;
  for (const Search& search : searches_) {
    totals.Add(search);
    variants[variants_.Name(search.variant)].Add(search);
    for (uint32_t filter : search.filters) ++filters[filter];
  }
  report.totals = totals.Done();
  auto searches = [](const QueryFigures& q) { return q.figures.searches; };
  report.top_queries = PerQuery([](const Search&) { return true; });
  for (const QueryFigures& q : report.top_queries) {
    if (q.figures.with_results < q.figures.searches) {
      report.no_results.push_back(q);
      report.no_results.back().figures = {};
      report.no_results.back().figures.searches = q.figures.searches - q.figures.with_results;
    }
    if (q.figures.with_results > 0 && q.figures.clicked == 0) {
      report.no_clicks.push_back(q);
      report.no_clicks.back().figures = {};
      report.no_clicks.back().figures.searches = q.figures.with_results;
    }
  }
  TopBy(report.top_queries, searches, query_.limit);
  TopBy(report.no_results, searches, query_.limit);
  TopBy(report.no_clicks, searches, query_.limit);
  for (const auto& [filter, count] : filters) {
    report.filters.push_back({filter_names_.Name(filter), count});
  }
  std::sort(report.filters.begin(), report.filters.end(),
            [](const FilterCount& a, const FilterCount& b) {
              if (a.searches != b.searches) return a.searches > b.searches;
              return a.filter < b.filter;
            });
  if (report.filters.size() > static_cast<size_t>(query_.limit)) {
    report.filters.resize(query_.limit);
  }
  for (const auto& [name, tally] : variants) {
    const uint32_t id = static_cast<uint32_t>(variants_.Find(name));
    VariantFigures variant{name, tally.Done(),
                           PerQuery([id](const Search& s) { return s.variant == id; })};
    TopBy(variant.top_queries, searches, query_.limit);
    report.variants.push_back(std::move(variant));
  }
  return report;
}

Result<int64_t> TimeParam(const std::string& key, const std::string& value) {
  if (!value.empty() &&
      std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int64_t ms = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
    if (ec != std::errc() || end != value.data() + value.size()) {
      return Error::InvalidArgument(key + ": out of range");
    }
    return ms;
  }
  // A URL's "+01:00" zone arrives as " 01:00" ('+' decodes as a space): read it as meant.
  // A space at 10 is the date-time separator ISO 8601 allows.
  std::string text = value;
  if (const size_t space = text.rfind(' '); space != std::string::npos && space > 10) {
    text[space] = '+';
  }
  Result<int64_t> parsed = ParseIsoTimestampMs(text);
  if (!parsed.ok()) {
    // The message is the events' ("must be epoch milliseconds or an ISO 8601 ...").
    return Error::InvalidArgument(key + ": " + parsed.error().message);
  }
  return parsed;
}

}  // namespace

Result<AnalyticsQuery> ParseAnalyticsQuery(
    const std::vector<std::pair<std::string, std::string>>& params, int64_t now_ms) {
  AnalyticsQuery query;
  std::optional<int64_t> from, to;
  std::set<std::string> seen;
  for (const auto& [key, value] : params) {
    if (!seen.insert(key).second) return Error::InvalidArgument(key + ": given more than once");
    if (key == "from" || key == "to") {
      Result<int64_t> ms = TimeParam(key, value);
      if (!ms.ok()) return ms.error();
      (key == "from" ? from : to) = *ms;
    } else if (key == "limit") {
      int limit = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (value.empty() || ec != std::errc() || end != value.data() + value.size() || limit < 1 ||
          limit > kMaxAnalyticsLimit) {
        return Error::InvalidArgument("limit: must be an integer in [1, " +
                                      std::to_string(kMaxAnalyticsLimit) + "]");
      }
      query.limit = limit;
    } else if (key == "variant") {
      query.variant = value;
    } else {
      return Error::InvalidArgument(key + ": unknown parameter (from, to, limit, variant)");
    }
  }
  query.to_ms = to.value_or(now_ms);
  query.from_ms = from.value_or(std::max<int64_t>(0, query.to_ms - kDefaultAnalyticsWindowMs));
  if (query.from_ms > query.to_ms) return Error::InvalidArgument("from: must not be after to");
  return query;
}

Result<AnalyticsReport> ComputeAnalytics(const std::string& state_dir, const AnalyticsQuery& query,
                                         const AnalyticsOptions& options) {
  // A log segment may be compacted or purged between listing and reading it (the server
  // keeps writing): such a read fails as unavailable, and a second pass sees the new files.
  Error last = Error::Unavailable("");
  for (int attempt = 0; attempt < 2; ++attempt) {
    Collector collector(query, options);
    Status rankings =
        ScanLoggedRankings(state_dir + "/rankings", query.from_ms,
                           [&](RankingRecord&& r) { return collector.AddRecord(std::move(r)); });
    if (rankings.ok()) {
      collector.SortVisitorSearches();
      rankings = ForEachLoggedEvent(state_dir, [&](const Event& e) { collector.AddEvent(e); });
    }
    if (rankings.ok()) return std::move(collector).Finish();
    last = rankings.error();
    if (last.code != ErrorCode::kUnavailable) break;
  }
  return last;
}

}  // namespace tailor::ranking
