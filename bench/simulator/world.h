// The world of a simulation run: the parameters of tailor-simulate's shopper model that a
// ranking must not be tuned to, drawn from ranges by a world seed (--world N), so that a
// model trained in one world can be measured in worlds nobody wrote by hand.
//
// World 0 is not a draw: it holds the constants the simulator had before worlds existed
// (brand +1.5/+1.0, colour +0.6, price taste relative to the top category, every visitor
// sized in every size system, position-based clicks with eta 1, 5 sessions of 3 searches,
// no re-visits, no one-click visitors), so figures measured on it stay comparable. Every
// other seed draws each parameter from the range written next to it in world.cc
// (DrawWorld); DescribeWorld names them all.
//
// Everything here is a plain value: thread-safe to share once built.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tailor::simulator {

// How a visitor's taste for price reads an item's price.
enum class PriceTaste {
  // The item's log price moved to its top category (CatalogItem::top_log_price) against the
  // visitor's level for that top: a premium shirt and a premium watch fit the same visitor.
  kRelative,
  // The item's own log price against the visitor's level in the item's own category path,
  // drawn per path: premium shirts and cheap watches are one visitor's taste.
  kAbsolute,
};

// How a visitor scans a result page.
enum class ClickModel {
  // Position p (0-based) is examined with probability (1 / (p + 1))^eta, independently.
  kPositionBased,
  // Top-down: after a click the visitor stops with probability cascade_stop, after an
  // item not clicked moves on with probability cascade_patience.
  kCascade,
};

struct World {
  uint64_t id = 0;  // the world seed; 0 is the fixed world of the header comment
  // Utility of the first favourite brand and of any other favourite brand.
  double first_brand = 1.5;
  double other_brand = 1.0;
  // Favourite brands per visitor, drawn uniformly in [min_brands, max_brands].
  int min_brands = 1;
  int max_brands = 3;
  // Utility of an item in one of the visitor's favourite colours.
  double color = 0.6;
  PriceTaste price_taste = PriceTaste::kRelative;
  // Price fit: +price_fit exp(-x^2 / (2 price_fit_sigma^2)) - over_price sensitivity max(0, x)
  // with x the log price distance (PriceTaste); +discount sensitivity (1 - price/list).
  double price_fit = 1.0;
  double price_fit_sigma = 0.4;
  double over_price = 1.5;
  double discount = 2.0;
  // Spread (log) of visitors' price levels around the category's median price.
  double price_level_sigma = 0.4;
  // Utility of an item in the visitor's preferred top category.
  double preferred_top = 0.6;
  // Utility added, in later searches, to an item the visitor viewed (clicked) before.
  double revisit = 0;
  // Share of visitors whose preferred top is an adults' one who keep a size in the kids'
  // size system ("age") too; the others cannot buy kids' sized items.
  double parent_share = 1.0;
  // Category paths of a kids' top added to a parent's interests: 1..this, uniformly (0:
  // none). Visitors whose preferred top is a kids' one are parents already.
  int parent_kids_paths = 0;
  ClickModel click_model = ClickModel::kPositionBased;
  double eta = 1.0;               // kPositionBased
  double cascade_stop = 0.5;      // kCascade
  double cascade_patience = 0.9;  // kCascade
  // Sessions per visitor and searches per session, drawn per visitor in [min, max].
  int min_sessions = 5;
  int max_sessions = 5;
  int min_searches = 3;
  int max_searches = 3;
  // Share of visitors whose whole history is a single click before one measured search.
  double one_click_share = 0;
};

// The world of seed `world_seed`: World{} for 0, else every parameter drawn from its range.
// Deterministic in the seed; the draws stay inside the ranges of world.cc.
World DrawWorld(uint64_t world_seed);

// One (name, value) per parameter, in declaration order, for the run's report:
// {"world.first_brand", "1.500"}, {"world.click_model", "cascade"}, ...
std::vector<std::pair<std::string, std::string>> DescribeWorld(const World& world);

std::string_view PriceTasteName(PriceTaste taste);  // "relative", "absolute"
std::string_view ClickModelName(ClickModel model);  // "position_based", "cascade"

}  // namespace tailor::simulator
