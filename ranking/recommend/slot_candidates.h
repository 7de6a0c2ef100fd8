// The candidates of each recommendation slot (DESIGN.md's GET /recommendations), before the
// scoring layer ranks them like search results:
//   similar      the searcher's look-alikes of the seeds, plus what they share with them;
//   also_bought  co-occurrence neighbours of the seeds, topped up with the bestsellers of
//                the seeds' deepest categories;
//   complements  co-occurrence neighbours in other deepest categories than the seeds';
//   reduced      items the visitor viewed that are now cheaper than seen, or reduced.
// Each candidate's text_score is the slot's own score and its text_rank its place by it.
//
// Functions are pure and thread-safe (CoOccurrence is thread-safe).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/item_table.h"
#include "core/result.h"
#include "ranking/profiles/profile.h"
#include "ranking/recommend/co_occurrence.h"
#include "ranking/scoring/features.h"

namespace tailor::ranking {

enum class SlotType { kAlsoBought, kComplements, kReduced, kSimilar };

// "also_bought", "complements", "reduced", "similar". Errors: invalid_argument
// `type: unknown "x" (also_bought, complements, reduced, similar)`.
Result<SlotType> ParseSlotType(std::string_view name);
const char* SlotTypeName(SlotType type);

// Recent views that seed "similar" when no item is given; purchases that join the cart in
// seeding "also_bought".
inline constexpr size_t kMaxSlotSeeds = 5;

// How much sharing a trait with its closest seed adds to a "similar" candidate's text
// similarity (in units of the best text score). Set by hand: the same deepest category
// matters most, then brand and price band, then a colour.
struct SimilarityWeights {
  double same_category = 0.5;
  double same_brand = 0.2;
  double shared_color = 0.1;
  double same_price_band = 0.2;
  double price_band = 0.3;  // |log price difference| within this: the same band
};

// "similar": one candidate per look-alike (row, text score) present in items, scored by its
// text score as a share of the best plus SimilarityWeights' bonus against its closest seed;
// ordered by that score.
std::vector<Candidate> SimilarCandidates(const ItemTable& items,
                                         std::span<const std::pair<ItemTable::Row, double>> hits,
                                         const std::vector<ItemTable::Row>& seeds,
                                         const SimilarityWeights& weights = {});

// "reduced": the visitor's viewed items whose price dropped by at least 1 % since seen, or
// that carry a discount; scored by the larger share of the drop, ordered by it.
std::vector<Candidate> ReducedCandidates(const ItemTable& items, const ProfileView& profile);

// The seeds of a basket slot without an item: the visitor's cart, and for also_bought up to
// kMaxSlotSeeds of their purchases too; rows present in items only.
std::vector<ItemTable::Row> BasketSeeds(const ItemTable& items, const ProfileView& profile,
                                        SlotType type);

// "also_bought" and "complements": the co-occurrence neighbours of the seeds (at most
// `depth` per seed, best score per item; complements keeps only items of other deepest
// categories than every seed's). For also_bought with fewer than `limit` neighbours, up to
// 2 limit bestsellers of the seeds' deepest categories join below every neighbour
// (AddBestsellers). Ordered by score.
std::vector<Candidate> BasketCandidates(const ItemTable& items, const CoOccurrence& co,
                                        const std::vector<ItemTable::Row>& seeds, int64_t now_ms,
                                        int depth, SlotType type, size_t limit);

// Up to `wanted` bestsellers of the seeds' deepest categories (decayed carts and purchases,
// then the catalog's popularity) that are neither seeds nor candidates yet, appended with
// scores in (0, 0.01], below any co-occurrence score.
void AddBestsellers(const ItemTable& items, const CoOccurrence& co,
                    const std::vector<ItemTable::Row>& seeds, int64_t now_ms, size_t wanted,
                    std::vector<Candidate>& candidates);

// Whether the item is in one of the repurchase categories (a consumable bought again), so a
// slot may show it after the visitor bought it.
bool Repurchased(const ItemTable& items, ItemTable::Row row,
                 const std::vector<std::string>& repurchase_categories);

}  // namespace tailor::ranking
