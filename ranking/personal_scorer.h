// The hand-set personal scoring of search candidates, until the learned layer (issue 4)
// replaces it.
//
// For each candidate it reads the item's attributes from the ItemTable and the visitor's
// ProfileView and computes, all in [0, 1] unless said otherwise:
//   text      the text relevance: score / best score among the candidates
//   brand     the visitor's affinity for the item's brand
//   category  the strongest affinity among the item's category levels (deeper levels count
//             fully, the root level half)
//   color     the strongest affinity among the item's colours
//   price     price fit: exp(-z^2 / 2), z = (log price - level) / spread against the
//             visitor's level for the item's top category (else the overall level), times
//             the level's confidence w / (w + prior); minus price_sensitivity * 0.25 per
//             spread above the level (in [-1, 1])
//   discount  price_sensitivity * the item's discount (1 - price / list_price)
//   size      1 when the item has one of the visitor's sizes in stock (size fit kInSize)
// score = weights.text * text + sum of weights.x * x. Candidates are then ordered in tiers:
// strict (AND) matches before relaxed (OR-only) ones, as the text ranking does; within a
// tier, items that are out of the visitor's size or out of stock go after all others; then
// by score, ties by text rank. So an out-of-size item is never above an in-size one.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "core/item_table.h"
#include "core/result.h"
#include "ranking/features.h"
#include "ranking/profile.h"

namespace tailor::ranking {

struct PersonalWeights {
  // How much each component of the score counts (see above); 0 turns one off.
  double text = 1.0;
  double brand = 0.6;
  double category = 0.3;
  double color = 0.2;
  double price = 0.2;
  double discount = 0.2;
  double size = 0.3;
  // A size counts as the visitor's when its share of the visitor's weight in its size
  // system is at least this.
  double min_size_share = 0.25;
  // Number of text candidates reranked (the rest keep text order below them).
  int depth = 200;
};

// Reads the "personalization" object of the server config over the defaults, e.g.
// "personalization.brand: must be >= 0". Unknown keys refused.
Result<PersonalWeights> ParsePersonalWeights(const rapidjson::Value& json);

struct PersonalScore {
  double score = 0;
  double text = 0, brand = 0, category = 0, color = 0, price = 0, discount = 0, size = 0;
  SizeFit size_fit = SizeFit::kUnknown;
  bool in_stock = true;
};

// Scores and orders candidates for one visitor. Requires: every candidate's row is
// present in items. Thread-safe (no shared state); cost is linear in candidates plus
// the profile's size.
class PersonalScorer {
 public:
  PersonalScorer(const ProfileView& profile, const ItemTable& items, PersonalWeights weights);
  // The score of each candidate, in the order given.
  std::vector<PersonalScore> Score(std::span<const Candidate> candidates) const;
  // Indexes into candidates in the personalized order (see the file comment).
  std::vector<size_t> Order(std::span<const Candidate> candidates,
                            const std::vector<PersonalScore>& scores) const;
  // The size fit of one item for this visitor.
  SizeFit FitOf(ItemTable::Row row) const;

 private:
  struct Prepared;
  const ItemTable& items_;
  PersonalWeights weights_;
  std::shared_ptr<const Prepared> prepared_;
};


}  // namespace tailor::ranking
