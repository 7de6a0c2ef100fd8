// The eval phase's measurement: for each next item, the rank at which each variant's page
// showed it, summed into MRR@limit and hit rates per variant, for all next items and
// separately for repeats (items the user had an event with before) and new items.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "bench/rees46/dataset.h"

namespace tailor::rees46 {

// The 1-based rank of `item` among `hit_ids`, 0 when it is not there.
int RankOf(const std::vector<std::string>& hit_ids, const std::string& item);

struct RankStats {
  long evaluated = 0;         // next items searched for
  double reciprocal_sum = 0;  // sum of 1/rank, 0 for an absent item
  long hits_at_10 = 0;        // ranks 1..10
  long hits_at_limit = 0;     // any rank > 0
};

// Counts one next item at `rank` (0: absent from the page). Requires: rank >= 0.
void AddRank(RankStats& stats, int rank);

// Mean reciprocal rank and hit rates; 0 when nothing was evaluated.
double Mrr(const RankStats& stats);
double HitRateAt10(const RankStats& stats);
double HitRateAtLimit(const RankStats& stats);

// a / b, 0 when b is 0.
double Ratio(double a, double b);

enum class Group { kAll, kRepeat, kNew };
inline constexpr std::array<Group, 3> kGroups = {Group::kAll, Group::kRepeat, Group::kNew};

class EvalReport {
 public:
  // Requires: variants not empty, limit >= 1.
  EvalReport(std::vector<std::string> variants, int limit);

  // Counts the rank of one next item under variants()[variant] in kAll and in the group of
  // `kind`. Requires: variant < variants().size(), kind != NextItem::kNone.
  void Add(size_t variant, NextItem kind, int rank);

  const RankStats& Stats(Group group, size_t variant) const;
  const std::vector<std::string>& variants() const { return variants_; }

  // A table, one row per group and variant: items, MRR@limit, hit@10, hit@limit, and the
  // MRR ratio against "baseline" and against "text" when they are among the variants.
  std::string Format() const;

 private:
  std::vector<std::string> variants_;
  int limit_;
  std::array<std::vector<RankStats>, kGroups.size()> stats_;
};

}  // namespace tailor::rees46
