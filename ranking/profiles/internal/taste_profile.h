// One visitor's taste profile in its compact form (see ranking/profiles/profile.h for what it
// learns). Entries refer to Vocabulary ids; weights are floats with the time (seconds since
// the epoch) they were last decayed to. Not thread-safe: ProfileStore guards each profile
// with its shard's lock.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/decay.h"
#include "core/event.h"
#include "ranking/profiles/internal/binary_io.h"
#include "ranking/profiles/internal/vocabulary.h"
#include "ranking/profiles/profile.h"

namespace tailor::ranking::internal {

struct Entry {
  uint32_t id = Vocabulary::kNone;
  Decayed value;
};

struct PriceLevelEntry {
  uint32_t category = Vocabulary::kNone;  // kNone: the overall level
  float mean = 0;                         // of log(price)
  float spread = 0;                       // mean absolute deviation of log(price)
  Decayed weight;
};

struct ItemEntry {
  uint32_t item = Vocabulary::kNone;
  uint32_t size = Vocabulary::kNone;  // cart only
  int32_t quantity = 0;               // cart only
  float price = 0;                    // the price seen
  uint32_t t = 0;
};

class TasteProfile {
 public:
  // Applies one event. Requires: event.visitor is this profile's visitor.
  void Apply(const Event& event, const ProfileOptions& options, Vocabulary& vocabulary);
  // The view at now_ms (ProfileView documents the fields).
  ProfileView View(const std::string& visitor, int64_t now_ms, const ProfileOptions& options,
                   const Vocabulary& vocabulary) const;
  // Approximate heap bytes of this profile (not counting the object itself).
  size_t HeapBytes() const;

  void Save(BinaryWriter& writer) const;
  // false when the input ended early or refers to an id >= vocabulary_size.
  bool Load(BinaryReader& reader, uint32_t vocabulary_size);

 private:
  void LearnItem(const Event& event, const ItemFacts& facts, double weight, uint32_t t,
                 const ProfileOptions& options, Vocabulary& vocabulary);
  void LearnPrice(const ItemFacts& facts, double weight, uint32_t t, const ProfileOptions& options,
                  Vocabulary& vocabulary);
  void LearnSize(uint32_t size, double weight, uint32_t t, const ProfileOptions& options);
  void TrackItems(const Event& event, uint32_t t, const ProfileOptions& options,
                  Vocabulary& vocabulary);

  int64_t updated_ms_ = 0;
  Decayed events_;             // decayed count of events
  Decayed engaged_;            // decayed positive weight of events with facts
  Decayed discounted_;         // ... of those on reduced items
  Decayed above_level_;        // ... of those above the visitor's level at the time
  Decayed brand_total_, category_total_, color_total_;
  std::vector<Entry> brands_, categories_, colors_, sizes_;
  std::vector<PriceLevelEntry> price_levels_;
  std::vector<ItemEntry> recent_views_;  // newest first
  std::vector<ItemEntry> cart_;
  std::vector<ItemEntry> purchases_;     // newest first
};

}  // namespace tailor::ranking::internal
