// Live taste profiles: what Tailor has learned of each visitor from their events.
//
// Every event (core/event.h) updates the visitor's profile at once. Learned weights decay
// exponentially with time (ProfileOptions::half_life_hours) and each event type counts by
// its weight (view < click < add_to_cart < purchase; remove_from_cart subtracts). A profile
// holds:
//  - brand, category (every level of the path) and colour affinities: decayed weights,
//    read as affinity = weight / (total + prior_strength), so one click already counts but
//    does not dominate (shrinkage toward "no preference");
//  - a price level per top category and overall: a robust, weighted running mean and
//    spread of log(price) of the engaged items (outliers clipped at 3 spreads);
//  - price sensitivity: how much of the visitor's engagement goes to reduced items and to
//    items above their level, against priors (0.5 = neutral, 1 = very sensitive);
//  - sizes per size system (SizeSystemOf: letter, shoe, age, numeric, ...), learned from
//    the size on add_to_cart and purchase events and from size filters used in searches;
//  - recently viewed items with the price seen, the cart (with sizes and quantities) and
//    purchases.
// Every map is capped (ProfileOptions::max_*): when full, the weakest entry (lowest decayed
// weight, or oldest for lists) is evicted. Strings are interned in the store's Vocabulary,
// so an entry costs about 12 bytes; a typical profile stays under 2 KB.
//
// ProfileStore keeps every visitor's profile in sharded hash maps: an update or a read
// locks one shard for microseconds; there is no global lock. Applying the same events in
// the same order always gives the same profiles, which is what recovery from the event
// log relies on (ranking/profiles/profile_state.h).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "core/event.h"
#include "core/item_table.h"
#include "core/result.h"

namespace tailor::ranking {

struct ProfileOptions {
  // Half-life of every learned weight, in hours: a week-old click counts half.
  double half_life_hours = 168;
  // Weight of one event of each type (times quantity for cart and purchase events).
  double view_weight = 1;
  double click_weight = 2;
  double add_to_cart_weight = 4;
  double purchase_weight = 8;
  // Added (it is negative) to the item's brand, category, colour and size weights.
  double remove_from_cart_weight = -3;
  // Weight of each size of a size filter used in a search.
  double size_filter_weight = 1;
  // Shrinkage: affinity = weight / (total weight + prior_strength).
  double prior_strength = 3;
  // Caps per map; the weakest entries are evicted beyond them.
  int max_brands = 32;
  int max_categories = 48;
  int max_colors = 16;
  int max_sizes = 24;
  int max_price_levels = 12;
  int max_recent_views = 30;
  int max_cart = 50;
  int max_purchases = 50;
};

// Reads the "profiles" object of the server config over the defaults. Unknown keys and bad
// values are invalid_argument errors naming the key path ("profiles.half_life_hours: must
// be > 0", "profiles.view_weight: must be >= 0").
Result<ProfileOptions> ParseProfileOptions(const rapidjson::Value& json);

// The size system of a size label, so "M" is compared with "L" and never with "42":
// "letter" (XXS..5XL), "shoe_uk"/"shoe_eu"/"shoe_us" ("UK7", "EU 42", "US9", kids "UK12C"),
// "age" ("5-6Y", "3-6M"), "waist_length" ("32/34", "W32 L34"), "numeric" (other plain
// numbers), "one_size" ("Free Size", "One Size"), and "other" for anything else.
std::string_view SizeSystemOf(std::string_view size);

// Interns the strings profiles refer to (brands, category paths, colours, sizes, item ids)
// as small integers. Thread-safe; ids are never reused. Each id keeps the display form
// first seen and its NormalizeKeyword()ed key (category paths: levels normalized and
// joined by '/', as ItemTable's keys).
class Vocabulary;

// What the scoring layer needs of a profile at one moment: decayed, normalized values,
// keyed by the ItemTable's normalized keys so they can be matched to candidates.
struct ProfileView {
  struct Affinity {
    std::string key;      // normalized key (ItemTable::Key form)
    std::string display;  // display form
    double affinity = 0;  // weight / (total + prior_strength), in [0, 1)
    double weight = 0;    // decayed weight
  };
  struct PriceLevel {
    std::string category;     // top category display form; "" is the overall level
    std::string key;          // normalized key of that top category ("" overall)
    double mean_log_price = 0;
    double spread_log_price = 0;  // robust spread (mean absolute deviation, floored)
    double weight = 0;            // decayed weight of the engagements behind it
    double typical_price() const;  // exp(mean_log_price)
  };
  struct SizePreference {
    std::string system;   // SizeSystemOf
    std::string key;      // normalized size key
    std::string display;
    double share = 0;     // the size's share of its system's weight, (0, 1]
    double weight = 0;
  };
  struct ItemRef {
    std::string item;
    double price_seen = 0;
    std::string size;      // cart only
    int quantity = 0;      // cart only
    int64_t at_ms = 0;     // the latest such event
    int views = 0;         // recent views only: times viewed or clicked (kept while listed)
  };
  std::string visitor;
  int64_t updated_ms = 0;
  double events = 0;                 // decayed event count (all types)
  std::vector<Affinity> brands;      // strongest first
  std::vector<Affinity> categories;  // every level, strongest first
  std::vector<Affinity> colors;
  std::vector<PriceLevel> price_levels;  // overall first, then per top category
  double price_sensitivity = 0.5;        // 0 indifferent .. 1 very sensitive
  double discount_share = 0;             // shrunk share of engagement on reduced items
  double above_level_share = 0;          // shrunk share on items above the visitor's level
  std::vector<SizePreference> sizes;     // per system, strongest first
  std::vector<ItemRef> recent_views;     // newest first
  std::vector<ItemRef> cart;
  std::vector<ItemRef> purchases;        // newest first
  bool empty() const { return events <= 0 && cart.empty() && purchases.empty(); }
};

class TasteProfile;

class ProfileStore {
 public:
  // shard_count: number of independently locked shards (>= 1).
  explicit ProfileStore(ProfileOptions options, int shard_count = 64);
  ~ProfileStore();
  ProfileStore(const ProfileStore&) = delete;
  ProfileStore& operator=(const ProfileStore&) = delete;

  // Applies one event to its visitor's profile (creating it). Events with no facts
  // (item not in the index) still record views, cart and purchases by id. Thread-safe.
  void Apply(const Event& event);

  // The visitor's profile as of now_ms (weights decayed to now_ms), nullopt when there is
  // none. Thread-safe; the view is a copy the caller owns.
  std::optional<ProfileView> View(std::string_view visitor, int64_t now_ms) const;

  // Removes the visitor's profile. Returns whether there was one. Thread-safe.
  bool Erase(std::string_view visitor);

  // Number of profiles. Thread-safe.
  size_t size() const;
  // Approximate heap bytes used by profiles (not the vocabulary), and by the vocabulary.
  size_t ProfileBytes() const;
  size_t VocabularyBytes() const;

  // Writes every profile (and the vocabulary they use) in a binary format; Load reads it
  // back into an empty store. Thread-safe against Apply (each shard is written under its
  // lock), but the result is a consistent snapshot only when no Apply runs concurrently.
  // Errors (Load): data_loss naming what is wrong ("snapshot: truncated at byte N");
  // failed_precondition for a snapshot of another version ("snapshot: version 7 is not
  // supported").
  void Save(std::ostream& out) const;
  Status Load(std::istream& in);

  const ProfileOptions& options() const { return options_; }

 private:
  struct Shard;
  Shard& ShardOf(std::string_view visitor) const;

  ProfileOptions options_;
  std::unique_ptr<Vocabulary> vocabulary_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

// The person-readable JSON of a profile view (GET /profiles/{visitor}): visitor,
// updated_at (ISO 8601), events, top brands/categories/colours with affinity and weight,
// price levels with typical price and range, price_sensitivity, sizes per system,
// recent_views with price_seen, cart, purchases. Numbers are rounded to 4 digits.
std::string ProfileViewToJson(const ProfileView& view);

}  // namespace tailor::ranking
