#include "ranking/offline/replay.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "ranking/offline/metrics.h"

namespace tailor::ranking {
namespace {

constexpr int kTop = 10;
constexpr double kMaxInversePropensity = 20;

struct Replayed {
  std::vector<size_t> order;     // indexes into the ranking's items, best first
  std::vector<bool> boosted;     // per item
};

Replayed ReplayOne(const JoinedRanking& ranking, const ReplayVariant& variant,
                   const ItemTable& items, std::vector<size_t>& kept) {
  std::vector<Candidate> candidates;
  kept.clear();
  const FeatureMatrix& f = ranking.features;
  for (size_t i = 0; i < ranking.record.items.size(); ++i) {
    std::optional<ItemTable::Row> row = items.Find(ranking.record.items[i].id);
    if (!row) continue;
    const int r = static_cast<int>(i);
    // text_rank was logged as 1 / log2(rank + 2).
    const double discount = f.at(r, kTextRank);
    const int text_rank =
        discount > 0 ? static_cast<int>(std::lround(std::exp2(1.0 / discount) - 2)) : r;
    candidates.push_back({*row, f.at(r, kTextScore), text_rank, f.at(r, kStrict) > 0.5f});
    kept.push_back(i);
  }
  FeatureMatrix features(static_cast<int>(kept.size()), kFeatureCount);
  std::vector<SizeFit> fits;
  for (size_t k = 0; k < kept.size(); ++k) {
    auto row = f.row(static_cast<int>(kept[k]));
    std::copy(row.begin(), row.end(), features.values.begin() + k * kFeatureCount);
    fits.push_back(row[kSizeIn] > 0.5f    ? SizeFit::kInSize
                   : row[kSizeOut] > 0.5f ? SizeFit::kOutOfSize
                                          : SizeFit::kUnknown);
  }
  // As served: the model ranks only for a visitor with a profile; a page served without one
  // (anonymous, new, personalize=false) is text order with the business rules.
  std::vector<double> scores;
  const Model* model = variant.scoring->ModelOf(*variant.variant);
  if (model != nullptr && ranking.record.personalized) scores = model->Score(features);
  std::shared_ptr<const CompiledRules> rules = variant.scoring->RulesFor(*variant.variant, items);
  BusinessOutcome outcome = Apply(*rules, items, candidates, scores, fits, ranking.record.query,
                                  ranking.record.timestamp_ms);
  Replayed replayed;
  replayed.boosted.assign(ranking.record.items.size(), false);
  for (size_t index : outcome.order) {
    replayed.order.push_back(kept[index]);
    replayed.boosted[kept[index]] = outcome.candidates[index].boosted;
  }
  return replayed;
}

// What a variant's replay counts beyond its metrics, until the means are taken.
struct ChangedTally {
  double sum = 0;  // of the rankings' changed shares
  int rankings = 0;
  double most = -1;  // the largest one share, whose lists are kept
  std::vector<std::string> first_top, top;
};

struct Tally {
  std::map<std::string, ChangedTally> changed;  // per query
  int slots = 0, size_slots = 0;  // top-10 slots, those of visitors with a known size
};

// Adds one replayed ranking to a variant's sums; returns its top 10 (indexes of items).
std::vector<size_t> AddRanking(const JoinedRanking& ranking, const Replayed& replayed,
                               bool known_size, const ReplayOptions& options, ReplayMetrics& m,
                               Tally& tally) {
  ++m.rankings;
  std::vector<double> gains, inverse_propensities;
  for (size_t index : replayed.order) {
    gains.push_back(ranking.gains[index]);
    inverse_propensities.push_back(InversePropensity(
        ranking.record.items[index].position, options.position_bias_eta, kMaxInversePropensity));
  }
  if (ranking.judged()) {
    ++m.judged;
    m.ndcg10 += std::max(0.0, NdcgAtK(gains, kTop));
    m.ndcg10_ipw += std::max(0.0, DebiasedNdcgAtK(gains, inverse_propensities, kTop));
    m.mrr10 += ReciprocalRankAtK(gains, kTop);
  }
  std::vector<size_t> top;
  for (size_t r = 0; r < replayed.order.size() && r < static_cast<size_t>(kTop); ++r) {
    const size_t index = replayed.order[r];
    top.push_back(index);
    const LoggedItem& item = ranking.record.items[index];
    ++tally.slots;
    if (replayed.boosted[index]) m.boosted_share += 1;
    if (known_size) {
      ++tally.size_slots;
      if (ranking.features.at(static_cast<int>(index), kSizeOut) > 0.5f) m.out_of_size += 1;
    }
    if (ranking.gains[index] >= GainOf(EventType::kPurchase)) {
      m.revenue10 += item.price / std::log2(r + 2.0);
      m.margin10 += item.price * item.margin.value_or(0) / std::log2(r + 2.0);
    }
  }
  if (known_size) ++m.known_size;
  return top;
}

std::vector<std::string> IdsOf(const JoinedRanking& ranking, const std::vector<size_t>& indexes) {
  std::vector<std::string> ids;
  for (size_t index : indexes) ids.push_back(ranking.record.items[index].id);
  return ids;
}

// The share of top-10 positions of `top` holding another item than in `first`.
double ChangedShare(const std::vector<size_t>& top, const std::vector<size_t>& first) {
  int differ = 0;
  for (size_t r = 0; r < top.size(); ++r) differ += r >= first.size() || top[r] != first[r];
  return top.empty() ? 0 : static_cast<double>(differ) / static_cast<double>(top.size());
}

// Turns a variant's sums into means and its most changed queries.
void Finish(const Tally& tally, const ReplayOptions& options, ReplayMetrics& m,
            std::vector<ChangedQuery>& changed) {
  if (m.judged > 0) {
    m.ndcg10 /= m.judged;
    m.ndcg10_ipw /= m.judged;
    m.mrr10 /= m.judged;
  }
  if (m.rankings > 0) {
    m.revenue10 /= m.rankings;
    m.margin10 /= m.rankings;
  }
  if (tally.slots > 0) m.boosted_share /= tally.slots;
  if (tally.size_slots > 0) m.out_of_size /= tally.size_slots;
  for (const auto& [query, entry] : tally.changed) {
    changed.push_back(
        {query, entry.sum / entry.rankings, entry.rankings, entry.first_top, entry.top});
  }
  std::stable_sort(changed.begin(), changed.end(), [](const ChangedQuery& a, const ChangedQuery& b) {
    if (a.changed != b.changed) return a.changed > b.changed;
    return a.rankings > b.rankings;
  });
  if (changed.size() > static_cast<size_t>(options.top_changed)) {
    changed.resize(options.top_changed);
  }
}

}  // namespace

ReplayReport Replay(const std::vector<JoinedRanking>& rankings,
                    std::span<const ReplayVariant> variants, const ItemTable& items,
                    const ReplayOptions& options) {
  ReplayReport report;
  report.variants.resize(variants.size());
  report.changed.resize(variants.size());
  std::vector<Tally> tallies(variants.size());
  std::vector<size_t> kept;
  for (const JoinedRanking& ranking : rankings) {
    if (options.keep_going && !options.keep_going()) {
      report.stopped = true;
      break;
    }
    const FeatureMatrix& f = ranking.features;
    bool known_size = false;
    for (int r = 0; r < f.rows; ++r) known_size |= f.at(r, kSizeIn) + f.at(r, kSizeOut) > 0.5f;
    std::vector<size_t> first_top;
    for (size_t v = 0; v < variants.size(); ++v) {
      Replayed replayed = ReplayOne(ranking, variants[v], items, kept);
      if (v == 0) report.skipped_items += static_cast<int>(ranking.record.items.size() - kept.size());
      std::vector<size_t> top =
          AddRanking(ranking, replayed, known_size, options, report.variants[v], tallies[v]);
      if (v == 0) {
        first_top = std::move(top);
        continue;
      }
      ChangedTally& entry = tallies[v].changed[ranking.record.query];
      const double share = ChangedShare(top, first_top);
      entry.sum += share;
      entry.rankings += 1;
      if (share > entry.most) {
        entry.most = share;
        entry.first_top = IdsOf(ranking, first_top);
        entry.top = IdsOf(ranking, top);
      }
    }
  }
  for (size_t v = 0; v < variants.size(); ++v) {
    report.variants[v].label = variants[v].label;
    Finish(tallies[v], options, report.variants[v], report.changed[v]);
  }
  return report;
}

std::string FormatReplayReport(const ReplayReport& report) {
  std::ostringstream out;
  char line[256];
  std::snprintf(line, sizeof(line), "%-22s", "metric");
  out << line;
  for (const ReplayMetrics& m : report.variants) {
    std::snprintf(line, sizeof(line), " %16s", m.label.c_str());
    out << line;
  }
  out << "\n";
  auto row = [&](const char* name, auto value, const char* format) {
    std::snprintf(line, sizeof(line), "%-22s", name);
    out << line;
    for (const ReplayMetrics& m : report.variants) {
      std::snprintf(line, sizeof(line), format, value(m));
      out << line;
    }
    out << "\n";
  };
  row("rankings", [](const ReplayMetrics& m) { return m.rankings; }, " %16d");
  row("judged", [](const ReplayMetrics& m) { return m.judged; }, " %16d");
  row("ndcg@10", [](const ReplayMetrics& m) { return m.ndcg10; }, " %16.4f");
  row("ndcg@10 (ipw)", [](const ReplayMetrics& m) { return m.ndcg10_ipw; }, " %16.4f");
  row("mrr@10", [](const ReplayMetrics& m) { return m.mrr10; }, " %16.4f");
  row("revenue@10", [](const ReplayMetrics& m) { return m.revenue10; }, " %16.2f");
  row("margin@10", [](const ReplayMetrics& m) { return m.margin10; }, " %16.2f");
  row("boosted share top10", [](const ReplayMetrics& m) { return m.boosted_share; }, " %16.4f");
  row("out-of-size top10", [](const ReplayMetrics& m) { return m.out_of_size; }, " %16.4f");
  row("rankings, known size", [](const ReplayMetrics& m) { return m.known_size; }, " %16d");
  if (report.skipped_items > 0) {
    out << "items no longer in the index, left out: " << report.skipped_items << "\n";
  }
  for (size_t v = 1; v < report.changed.size(); ++v) {
    out << "\nqueries whose top 10 changed most, " << report.variants[v].label << " vs "
        << report.variants[0].label << ":\n";
    for (const ChangedQuery& q : report.changed[v]) {
      std::snprintf(line, sizeof(line), "  %5.1f%%  %-40s (%d rankings)\n", 100 * q.changed,
                    q.query.c_str(), q.rankings);
      out << line;
    }
  }
  return out.str();
}

Result<std::vector<ReplayVariant>> ChooseReplayVariants(
    const std::vector<std::shared_ptr<const Scoring>>& scorings,
    const std::vector<std::string>& labels) {
  std::vector<ReplayVariant> variants;
  const bool many_files = scorings.size() > 1;
  for (size_t i = 0; i < scorings.size(); ++i) {
    for (const VariantConfig& variant : scorings[i]->config().variants()) {
      std::string label = many_files ? std::to_string(i + 1) + ":" + variant.name : variant.name;
      variants.push_back({label, scorings[i].get(), &variant});
    }
  }
  if (labels.empty()) return variants;
  std::vector<ReplayVariant> chosen;
  for (const std::string& label : labels) {
    auto it = std::find_if(variants.begin(), variants.end(),
                           [&](const ReplayVariant& v) { return v.label == label; });
    if (it == variants.end()) return Error::InvalidArgument("no variant \"" + label + "\"");
    chosen.push_back(*it);
  }
  return chosen;
}

}  // namespace tailor::ranking
