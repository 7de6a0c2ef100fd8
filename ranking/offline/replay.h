// Offline replay: logged traffic ranked again under other scoring variants, side by side
// (tailor-ranker eval). How a relevance engineer checks a new model, and a merchandiser
// previews a business blend, before it goes live.
//
// Each joined ranking (ranking/offline/training_data.h) is ranked again from its logged feature
// vectors, exactly as served: the variant's model scores them when the page was served with
// the visitor's profile (else text order, as the engine serves), its business rules and
// guardrails apply against the current item table, and the new order is judged by the
// gains the visitor's events gave. Per variant:
//   ndcg10        mean NDCG@10 over judged rankings (gain 2^g - 1, log2 discount)
//   ndcg10_ipw    the same with each judged item's gain weighted by the inverse propensity
//                 of the position it was shown at ((p + 1)^eta, clipped at 20): clicks
//                 near the top are partly due to being near the top, and this takes that
//                 advantage away from the logged order
//   mrr10         mean reciprocal rank of the first judged item in the top 10
//   revenue10, margin10  mean over rankings of sum(price (times margin) of purchased items
//                 in the top 10 / log2(position + 2)): revenue the order puts in view
//   boosted_share share of top-10 slots held by boosted items
//   out_of_size   share of top-10 slots held by out-of-size items, over rankings of
//                 visitors with a known size (some item in or out of their size)
// and, for every variant after the first, the queries whose top 10 changed most against
// the first variant (share of top-10 positions holding another item, averaged per query).
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/item_table.h"
#include "ranking/offline/training_data.h"
#include "ranking/scoring/ranker.h"

namespace tailor::ranking {

struct ReplayVariant {
  std::string label;                     // how the report names it
  const Scoring* scoring = nullptr;      // owns variant and its model
  const VariantConfig* variant = nullptr;
};

// The variants of every scoring config in order, labelled by name ("1:name", "2:name" when
// there are several configs), or only those labelled in `labels`, in that order. Errors:
// invalid_argument `no variant "x"` for a label no config has.
Result<std::vector<ReplayVariant>> ChooseReplayVariants(
    const std::vector<std::shared_ptr<const Scoring>>& scorings,
    const std::vector<std::string>& labels);

struct ReplayOptions {
  double position_bias_eta = 1.0;  // for ndcg10_ipw
  int top_changed = 10;            // queries listed per variant
  // Asked before each ranking; false stops the replay there (ReplayReport::stopped), e.g.
  // a preview cancelled or over its time. Empty: never stops.
  std::function<bool()> keep_going;
};

struct ReplayMetrics {
  std::string label;
  int rankings = 0;               // replayed
  int judged = 0;                 // with some gain > 0
  int known_size = 0;             // rankings of visitors with a known size
  double ndcg10 = 0, ndcg10_ipw = 0, mrr10 = 0;
  double revenue10 = 0, margin10 = 0;
  double boosted_share = 0, out_of_size = 0;
};

struct ChangedQuery {
  std::string query;
  double changed = 0;  // mean share of top-10 positions holding another item
  int rankings = 0;
  // The query's ranking that changed most (the first of those): its top 10 item ids under
  // the first variant and under this one.
  std::vector<std::string> first_top, top;
};

struct ReplayReport {
  std::vector<ReplayMetrics> variants;
  // changed[i]: variant i against variant 0, most changed first (empty for i = 0).
  std::vector<std::vector<ChangedQuery>> changed;
  int skipped_items = 0;  // logged items no longer in the item table (left out)
  bool stopped = false;   // ReplayOptions::keep_going stopped it: the figures cover less
};

// Replays rankings under every variant. Requires: items is the table the business rules
// should see (the live index's); each variant belongs to its scoring. Thread-compatible.
ReplayReport Replay(const std::vector<JoinedRanking>& rankings,
                    std::span<const ReplayVariant> variants, const ItemTable& items,
                    const ReplayOptions& options);

// A plain-text table of the report, one column per variant, then the changed queries.
std::string FormatReplayReport(const ReplayReport& report);

}  // namespace tailor::ranking
