#include "ranking/offline/training_data.h"

#include <algorithm>
#include <unordered_map>

#include "ranking/profiles/profile_state.h"

namespace tailor::ranking {

double GainOf(EventType type) {
  switch (type) {
    case EventType::kPurchase: return 3;
    case EventType::kAddToCart: return 2;
    case EventType::kClick: return 1;
    // The join only sees views that name the search they came from: the visitor opened the
    // product page from the results, which is what a click says.
    case EventType::kView: return 1;
    default: return 0;
  }
}

bool JoinedRanking::judged() const {
  return std::any_of(gains.begin(), gains.end(), [](double g) { return g > 0; });
}

namespace {

FeatureMatrix RegistryFeatures(const RankingRecord& record) {
  std::vector<int> column(record.feature_names.size());
  for (size_t i = 0; i < column.size(); ++i) column[i] = FeatureIndex(record.feature_names[i]);
  FeatureMatrix matrix(static_cast<int>(record.items.size()), kFeatureCount);
  for (int row = 0; row < matrix.rows; ++row) {
    const std::vector<float>& values = record.items[row].features;
    for (size_t i = 0; i < column.size() && i < values.size(); ++i) {
      if (column[i] >= 0) matrix.at(row, column[i]) = values[i];
    }
  }
  return matrix;
}

}  // namespace

Result<std::vector<JoinedRanking>> JoinLogs(const std::string& state_dir,
                                            const JoinOptions& options) {
  std::vector<JoinedRanking> rankings;
  std::unordered_map<std::string, size_t> by_request;
  // Segments last written before from_ms hold only older records: not read at all.
  Status read =
      ScanLoggedRankings(state_dir + "/rankings", options.from_ms, [&](RankingRecord&& record) {
        if (options.keep_going && !options.keep_going()) return false;
        if (record.timestamp_ms < options.from_ms || record.timestamp_ms >= options.until_ms) {
          return true;
        }
        if (!options.variant.empty() && record.variant != options.variant) return true;
        if (options.personalized_only && !record.personalized) return true;
        // A search that found nothing is logged for analytics; it shows nothing to learn from
        // or replay.
        if (record.items.empty()) return true;
        std::sort(record.items.begin(), record.items.end(),
                  [](const LoggedItem& a, const LoggedItem& b) { return a.position < b.position; });
        JoinedRanking joined;
        joined.features = RegistryFeatures(record);
        joined.gains.assign(record.items.size(), 0);
        joined.record = std::move(record);
        by_request[joined.record.request_id] = rankings.size();
        rankings.push_back(std::move(joined));
        return true;
      });
  if (!read.ok()) return read.error();
  Status events = ForEachLoggedEvent(state_dir, [&](const Event& event) {
    if (event.request_id.empty()) return;
    auto it = by_request.find(event.request_id);
    if (it == by_request.end()) return;
    JoinedRanking& ranking = rankings[it->second];
    if (ranking.record.visitor != event.visitor) return;
    for (size_t i = 0; i < ranking.record.items.size(); ++i) {
      if (ranking.record.items[i].id == event.item) {
        ranking.gains[i] = std::max(ranking.gains[i], GainOf(event.type));
      }
    }
  });
  if (!events.ok()) return events.error();
  return rankings;
}

TrainingQuery ToTrainingQuery(const JoinedRanking& ranking) {
  TrainingQuery query;
  query.request_id = ranking.record.request_id;
  query.timestamp_ms = ranking.record.timestamp_ms;
  query.features = ranking.features;
  query.gains = ranking.gains;
  for (const LoggedItem& item : ranking.record.items) query.positions.push_back(item.position);
  return query;
}

void SplitByTime(std::vector<JoinedRanking> rankings, double share,
                 std::vector<JoinedRanking>& earlier, std::vector<JoinedRanking>& later) {
  std::stable_sort(rankings.begin(), rankings.end(),
                   [](const JoinedRanking& a, const JoinedRanking& b) {
                     return a.record.timestamp_ms < b.record.timestamp_ms;
                   });
  const size_t cut = rankings.size() - static_cast<size_t>(share * rankings.size());
  for (size_t i = 0; i < rankings.size(); ++i) {
    (i < cut ? earlier : later).push_back(std::move(rankings[i]));
  }
}

Result<std::vector<JoinedRanking>> ReadJoinedLogs(const std::string& state_dir,
                                                  const JoinOptions& options,
                                                  const ProgressLine& progress) {
  progress("reading logs of " + state_dir);
  Result<std::vector<JoinedRanking>> rankings = JoinLogs(state_dir, options);
  if (!rankings.ok()) return rankings.error().WithPrefix(state_dir);
  size_t judged = 0;
  for (const JoinedRanking& r : *rankings) judged += r.judged();
  progress(std::to_string(rankings->size()) + " logged rankings, " + std::to_string(judged) +
           " with a click, view, cart or purchase");
  return rankings;
}

namespace {

// The name a source goes by in the model file: its directory's last component, made unique
// with "#2", "#3" among the sources so far.
std::string SourceName(const std::string& dir, const std::vector<TrainingQuery>& so_far) {
  std::string trimmed = dir;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  const size_t slash = trimmed.find_last_of('/');
  const std::string base = slash == std::string::npos ? trimmed : trimmed.substr(slash + 1);
  std::string name = base.empty() ? dir : base;
  for (int n = 2; std::any_of(so_far.begin(), so_far.end(),
                              [&](const TrainingQuery& q) { return q.source == name; });
       ++n) {
    name = base + "#" + std::to_string(n);
  }
  return name;
}

}  // namespace

Result<std::vector<TrainingQuery>> ReadTrainingQueries(const std::vector<TrainingSource>& sources,
                                                       const JoinOptions& options,
                                                       const ProgressLine& progress) {
  std::vector<TrainingQuery> queries;
  for (const TrainingSource& source : sources) {
    Result<std::vector<JoinedRanking>> rankings = ReadJoinedLogs(source.dir, options, progress);
    if (!rankings.ok()) return rankings.error();
    const std::string name = SourceName(source.dir, queries);
    for (const JoinedRanking& ranking : *rankings) {
      queries.push_back(ToTrainingQuery(ranking));
      queries.back().source = name;
      queries.back().position_bias = source.served;
      queries.back().weight = source.weight;
    }
  }
  return queries;
}

std::optional<double> BalanceReplayWeight(std::vector<TrainingQuery>& queries) {
  size_t served = 0, replayed = 0;
  for (const TrainingQuery& query : queries) {
    const bool judged =
        std::any_of(query.gains.begin(), query.gains.end(), [](double g) { return g > 0; });
    if (judged) ++(query.position_bias ? served : replayed);
  }
  if (served == 0 || replayed == 0) return std::nullopt;
  const double weight = static_cast<double>(served) / static_cast<double>(replayed);
  for (TrainingQuery& query : queries) {
    if (!query.position_bias) query.weight = weight;
  }
  return weight;
}

}  // namespace tailor::ranking
