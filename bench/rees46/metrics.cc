#include "bench/rees46/metrics.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <utility>

namespace tailor::rees46 {
namespace {

const char* GroupName(Group group) {
  switch (group) {
    case Group::kAll:
      return "all";
    case Group::kRepeat:
      return "repeat";
    case Group::kNew:
      return "new";
  }
  return "?";
}

std::string Fixed(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", value);
  return text;
}

}  // namespace

int RankOf(const std::vector<std::string>& hit_ids, const std::string& item) {
  auto it = std::find(hit_ids.begin(), hit_ids.end(), item);
  return it == hit_ids.end() ? 0 : static_cast<int>(it - hit_ids.begin()) + 1;
}

void AddRank(RankStats& stats, int rank) {
  assert(rank >= 0);
  ++stats.evaluated;
  if (rank == 0) return;
  stats.reciprocal_sum += 1.0 / rank;
  ++stats.hits_at_limit;
  if (rank <= 10) ++stats.hits_at_10;
}

double Ratio(double a, double b) { return b > 0 ? a / b : 0; }

double Mrr(const RankStats& stats) {
  return Ratio(stats.reciprocal_sum, static_cast<double>(stats.evaluated));
}
double HitRateAt10(const RankStats& stats) {
  return Ratio(static_cast<double>(stats.hits_at_10), static_cast<double>(stats.evaluated));
}
double HitRateAtLimit(const RankStats& stats) {
  return Ratio(static_cast<double>(stats.hits_at_limit), static_cast<double>(stats.evaluated));
}

EvalReport::EvalReport(std::vector<std::string> variants, int limit)
    : variants_(std::move(variants)), limit_(limit) {
  assert(!variants_.empty() && limit_ >= 1);
  for (std::vector<RankStats>& group : stats_) group.resize(variants_.size());
}

void EvalReport::Add(size_t variant, NextItem kind, int rank) {
  assert(variant < variants_.size() && kind != NextItem::kNone);
  AddRank(stats_[static_cast<size_t>(Group::kAll)][variant], rank);
  const Group group = kind == NextItem::kRepeat ? Group::kRepeat : Group::kNew;
  AddRank(stats_[static_cast<size_t>(group)][variant], rank);
}

const RankStats& EvalReport::Stats(Group group, size_t variant) const {
  return stats_[static_cast<size_t>(group)][variant];
}

std::string EvalReport::Format() const {
  auto index_of = [this](const char* name) {
    return static_cast<size_t>(std::find(variants_.begin(), variants_.end(), name) -
                               variants_.begin());
  };
  const size_t baseline = index_of("baseline"), text = index_of("text");
  const std::string at = "@" + std::to_string(limit_);
  char row[256];
  std::snprintf(row, sizeof row, "%-7s %-12s %7s %9s %8s %8s %12s %8s\n", "items", "variant",
                "count", ("MRR" + at).c_str(), "hit@10", ("hit" + at).c_str(), "vs baseline",
                "vs text");
  std::string table = row;
  for (Group group : kGroups) {
    for (size_t v = 0; v < variants_.size(); ++v) {
      const RankStats& stats = Stats(group, v);
      auto versus = [&](size_t other) {
        if (other >= variants_.size()) return std::string("-");
        return Fixed(Ratio(Mrr(stats), Mrr(Stats(group, other))));
      };
      std::snprintf(row, sizeof row, "%-7s %-12s %7ld %9s %8s %8s %12s %8s\n", GroupName(group),
                    variants_[v].c_str(), stats.evaluated, Fixed(Mrr(stats)).c_str(),
                    Fixed(HitRateAt10(stats)).c_str(), Fixed(HitRateAtLimit(stats)).c_str(),
                    versus(baseline).c_str(), versus(text).c_str());
      table += row;
    }
  }
  return table;
}

}  // namespace tailor::rees46
