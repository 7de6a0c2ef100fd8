#include "ranking/offline/ranker_reports.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

namespace tailor::ranking {
namespace {

constexpr int kContributionsShown = 6;

void WriteContributions(std::ostream& out, const std::vector<double>& contributions) {
  const std::vector<std::string>& names = FeatureNames();
  std::vector<int> order(kFeatureCount);
  for (int f = 0; f < kFeatureCount; ++f) order[f] = f;
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return std::abs(contributions[a]) > std::abs(contributions[b]);
  });
  out << "\n   contributions:";
  for (int k = 0; k < kContributionsShown && contributions[order[k]] != 0; ++k) {
    out << " " << names[order[k]] << " " << (contributions[order[k]] > 0 ? "+" : "")
        << contributions[order[k]];
  }
}

}  // namespace

std::string FormatTrainReport(const TrainReport& report, const std::string& out) {
  std::ostringstream text;
  for (size_t i = 0; i < report.sources.size(); ++i) {
    const ValidationSource& s = report.sources[i];
    text << "source " << s.name << " (" << (s.replay ? "replayed, no position bias" : "served")
         << "): " << s.train_queries << " train, " << s.validation_queries
         << " validation queries from " << s.validation_from_ms << ", " << s.skipped_queries
         << " skipped";
    if (i < report.source_figures.size() && report.source_figures[i].model_debiased_ndcg10 >= 0) {
      text << "; validation debiased NDCG@10: logged order "
           << report.source_figures[i].logged_debiased_ndcg10 << " -> model "
           << report.source_figures[i].model_debiased_ndcg10;
    }
    text << "\n";
  }
  text << "train queries " << report.train_queries << ", validation queries "
       << report.validation_queries << " (skipped without a judgment: " << report.skipped_queries
       << "), validation pairs " << report.validation_pairs
       << "\nvalidation debiased NDCG@10 (ipw): logged order "
       << report.logged_validation_debiased_ndcg10 << " -> model "
       << report.validation_debiased_ndcg10 << "\nvalidation NDCG@10: logged order "
       << report.logged_validation_ndcg10 << " -> model " << report.validation_ndcg10
       << " (train " << report.train_ndcg10 << ", best epoch " << report.best_epoch << " of "
       << report.epochs_run << ")"
       << "\nseeds (validation debiased NDCG@10):";
  for (const ValidationSeed& seed : report.seeds) {
    text << " " << seed.seed << " " << seed.debiased_ndcg10
         << (seed.seed == report.seed ? " (kept)" : "");
  }
  text << "\nwrote " << out << "\n";
  return text.str();
}

std::string FormatExplainedRanking(const JoinedRanking& ranking, const Model* model) {
  const RankingRecord& record = ranking.record;
  std::ostringstream out;
  out << "request " << record.request_id << "  visitor " << record.visitor << "  variant "
      << record.variant << "  query \"" << record.query << "\"  personalized "
      << (record.personalized ? "yes" : "no") << "\n";
  const std::vector<std::string>& names = FeatureNames();
  const std::vector<double> scores =
      model != nullptr ? model->Score(ranking.features) : std::vector<double>{};
  for (size_t i = 0; i < record.items.size(); ++i) {
    const LoggedItem& item = record.items[i];
    out << "#" << item.position << " " << item.id << "  gain " << ranking.gains[i]
        << "  served score " << item.score;
    if (model != nullptr) out << "  model score " << scores[i];
    out << "\n   features:";
    for (int f = 0; f < kFeatureCount; ++f) {
      const float value = ranking.features.at(static_cast<int>(i), f);
      if (value != 0) out << " " << names[f] << "=" << value;
    }
    if (model != nullptr) {
      WriteContributions(out, model->Contributions(ranking.features, static_cast<int>(i)));
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace tailor::ranking
