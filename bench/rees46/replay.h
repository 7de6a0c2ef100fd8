// Replaying the REES46 dev half through a running tailor-server, as the shop would have:
// each event POSTed to /events in time order, and before each next item (see
// ClassifyNextItems) the search the shop would have served: its leaf category words as
// the query, filtered to its category path, for its visitor.
//
// Train phase: one search with the logging variant (explore); the event then carries that
// search's request_id and query, and its 0-based position when the item was on the page,
// so tailor-ranker train can join it to the logged page. Eval phase: one search per
// variant before the event is posted (all see the same profile), and the item's rank in
// each. Not thread-safe; one replay per transport.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "bench/rees46/dataset.h"
#include "bench/rees46/metrics.h"
#include "tools/http_client.h"
#include "core/result.h"

namespace tailor::rees46 {

enum class Phase { kTrain, kEval };

struct ReplayOptions {
  // Which events: [0, TrainCount) for kTrain, the rest for kEval.
  Phase phase = Phase::kTrain;
  // The share of the dev half's events (by count, in time order) in the train phase.
  double split_share = 0.7;
  // Eval phase: the variants searched before each next item.
  std::vector<std::string> variants = {"text", "baseline", "default"};
  // Train phase: the variant of the logged searches.
  std::string log_variant = "explore";
  // Hits asked for per search (the server allows at most 100).
  int limit = 100;
  // Added to every event_time (see WholeDaysShiftMs).
  int64_t shift_ms = 0;
  // A progress line on the progress stream every this many events.
  long progress_every = 2000;
};

struct ReplayCounts {
  long events = 0;    // posted
  long searches = 0;  // served
  long found = 0;     // train: next items that were on their logged page
};

// Replays the train phase. Errors: invalid_argument "events[i] (line N): POST /events: 400:
// <server message>" when the server refuses an event (and likewise for a search), or
// unavailable when an exchange fails; events before it stay posted.
Result<ReplayCounts> ReplayTrain(Transport& transport, const DevHalf& half,
                                 const ReplayOptions& options, std::ostream& progress);

// Replays the eval phase on a server that holds the train phase, measuring each variant.
// Errors: as ReplayTrain.
Result<EvalReport> ReplayEval(Transport& transport, const DevHalf& half,
                              const ReplayOptions& options, std::ostream& progress);

}  // namespace tailor::rees46
