// Logged traffic joined to what visitors did with it: the input of tailor-ranker train and
// eval.
//
// A served ranking (ranking/feature_log/ranking_log.h) is judged by the events that carry its
// request_id: per shown item, the strongest event of the same visitor on that item gives
// its gain (purchase 3 > add_to_cart 2 > click or view 1; shown and nothing else: 0). A view
// that carries the request_id counts as a click: a shop sends it when the visitor opens the
// product page from the search results. Events without a request_id, of another visitor, or
// on items the ranking did not show teach nothing here (they still shape profiles). Features
// are read back exactly as they were served, in registry layout: a feature the log lacks
// (logged before it existed) is 0, a logged one the registry no longer has is dropped.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "ranking/feature_log/ranking_log.h"
#include "ranking/offline/trainer.h"

namespace tailor::ranking {

struct JoinOptions {
  // Only rankings served in [from_ms, until_ms).
  int64_t from_ms = 0;
  int64_t until_ms = std::numeric_limits<int64_t>::max();
  // Only rankings of this variant; empty: every variant.
  std::string variant;
  // Only rankings that used the visitor's profile (what a personal model learns from).
  bool personalized_only = false;
  // Asked before each logged ranking is read; false stops reading rankings there (those
  // read so far are joined and returned), e.g. a preview at its cap. Empty: read them all.
  std::function<bool()> keep_going;
};

struct JoinedRanking {
  RankingRecord record;
  FeatureMatrix features;     // registry layout, one row per shown item, in position order
  std::vector<double> gains;  // per shown item
  bool judged() const;        // some gain > 0
};

// Per event type, the gain it gives a shown item when it carries the ranking's request_id:
// purchase 3, add_to_cart 2, click and view 1, remove_from_cart 0.
double GainOf(EventType type);

// Reads <state_dir>/rankings and the state's event log and joins them; records that showed
// no items (a search that found nothing) are left out. Errors: those of
// ForEachLoggedRanking and ForEachLoggedEvent (a corrupt line names its file and line).
Result<std::vector<JoinedRanking>> JoinLogs(const std::string& state_dir,
                                            const JoinOptions& options);

// The trainer's view of a joined ranking.
TrainingQuery ToTrainingQuery(const JoinedRanking& ranking);

// Where a tool's progress lines go (e.g. standard error), one call per line.
using ProgressLine = std::function<void(std::string_view line)>;

// JoinLogs of one state directory, saying on progress what it reads and how many rankings
// it found and how many of those were judged. Errors: JoinLogs' prefixed with the directory.
Result<std::vector<JoinedRanking>> ReadJoinedLogs(const std::string& state_dir,
                                                  const JoinOptions& options,
                                                  const ProgressLine& progress);

// A state directory whose logged rankings train a model: served to visitors (their clicks
// carry position bias) or replayed through the server with no one looking (no bias).
struct TrainingSource {
  std::string dir;
  bool served = true;
  double weight = 1;  // TrainingQuery::weight of its queries
};

// The training queries of every source in order, each marked with its source's name (the
// directory's last component, not the machine's path, made unique with "#2", "#3") and
// whether it carries position bias. Errors: ReadJoinedLogs'.
Result<std::vector<TrainingQuery>> ReadTrainingQueries(const std::vector<TrainingSource>& sources,
                                                       const JoinOptions& options,
                                                       const ProgressLine& progress);

// Gives every replayed query (position_bias false) the weight at which the replayed
// queries with a gain > 0 together count as much as the served ones with a gain > 0, so a
// small real clickstream beside many simulated shoppers is half of what the model learns
// (tailor-ranker train --replay-weight balanced). Returns that weight; nullopt, and nothing
// changed, when either kind has no query with a gain.
std::optional<double> BalanceReplayWeight(std::vector<TrainingQuery>& queries);

// The rankings of the last `share` of the time span covered, split at a timestamp: rankings
// before it go to `earlier`, the rest to `later`. share in [0, 1].
void SplitByTime(std::vector<JoinedRanking> rankings, double share,
                 std::vector<JoinedRanking>& earlier, std::vector<JoinedRanking>& later);

}  // namespace tailor::ranking
