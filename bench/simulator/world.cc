#include "bench/simulator/world.h"

#include <cstdio>

#include "bench/simulator/rng.h"

namespace tailor::simulator {
namespace {

constexpr uint64_t kWorldStream = 0x776f726c;  // "worl"

double Range(Rng& rng, double lo, double hi) { return lo + (hi - lo) * rng.Uniform(); }

std::string Fixed(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

// The tastes: what an item is worth to a visitor.
void DrawUtility(Rng& rng, World& world) {
  world.first_brand = Range(rng, 0.3, 2.0);
  world.other_brand = world.first_brand * Range(rng, 0.4, 0.9);
  world.min_brands = 1;
  world.max_brands = rng.Between(1, 5);
  world.color = Range(rng, 0.0, 1.0);
  world.price_taste = rng.Bernoulli(0.5) ? PriceTaste::kAbsolute : PriceTaste::kRelative;
  world.price_fit = Range(rng, 0.3, 1.5);
  world.price_fit_sigma = Range(rng, 0.25, 0.6);
  world.over_price = Range(rng, 0.5, 2.5);
  world.discount = Range(rng, 0.5, 3.0);
  world.price_level_sigma = Range(rng, 0.2, 0.6);
  world.preferred_top = Range(rng, 0.3, 1.0);
  world.revisit = Range(rng, 0.0, 1.5);
  world.parent_share = Range(rng, 0.1, 0.5);
  world.parent_kids_paths = rng.Between(1, 2);
}

// The behaviour: how pages are scanned and how long visitors stay.
void DrawBehaviour(Rng& rng, World& world) {
  world.click_model = rng.Bernoulli(0.5) ? ClickModel::kCascade : ClickModel::kPositionBased;
  world.eta = Range(rng, 0.6, 1.4);
  world.cascade_stop = Range(rng, 0.3, 0.9);
  world.cascade_patience = Range(rng, 0.85, 0.98);
  world.min_sessions = rng.Between(1, 3);
  world.max_sessions = world.min_sessions + rng.Between(0, 6);
  world.min_searches = rng.Between(1, 2);
  world.max_searches = world.min_searches + rng.Between(0, 4);
  world.one_click_share = Range(rng, 0.0, 0.3);
}

}  // namespace

World DrawWorld(uint64_t world_seed) {
  World world;
  if (world_seed == 0) return world;
  world.id = world_seed;
  Rng rng(StreamSeed({world_seed, kWorldStream}));
  DrawUtility(rng, world);
  DrawBehaviour(rng, world);
  return world;
}

std::string_view PriceTasteName(PriceTaste taste) {
  return taste == PriceTaste::kAbsolute ? "absolute" : "relative";
}

std::string_view ClickModelName(ClickModel model) {
  return model == ClickModel::kCascade ? "cascade" : "position_based";
}

std::vector<std::pair<std::string, std::string>> DescribeWorld(const World& w) {
  return {
      {"world.id", std::to_string(w.id)},
      {"world.first_brand", Fixed(w.first_brand)},
      {"world.other_brand", Fixed(w.other_brand)},
      {"world.favourite_brands",
       std::to_string(w.min_brands) + ".." + std::to_string(w.max_brands)},
      {"world.color", Fixed(w.color)},
      {"world.price_taste", std::string(PriceTasteName(w.price_taste))},
      {"world.price_fit", Fixed(w.price_fit)},
      {"world.price_fit_sigma", Fixed(w.price_fit_sigma)},
      {"world.over_price", Fixed(w.over_price)},
      {"world.discount", Fixed(w.discount)},
      {"world.price_level_sigma", Fixed(w.price_level_sigma)},
      {"world.preferred_top", Fixed(w.preferred_top)},
      {"world.revisit", Fixed(w.revisit)},
      {"world.parent_share", Fixed(w.parent_share)},
      {"world.parent_kids_paths", std::to_string(w.parent_kids_paths)},
      {"world.click_model", std::string(ClickModelName(w.click_model))},
      {"world.eta", Fixed(w.eta)},
      {"world.cascade_stop", Fixed(w.cascade_stop)},
      {"world.cascade_patience", Fixed(w.cascade_patience)},
      {"world.sessions", std::to_string(w.min_sessions) + ".." + std::to_string(w.max_sessions)},
      {"world.searches", std::to_string(w.min_searches) + ".." + std::to_string(w.max_searches)},
      {"world.one_click_share", Fixed(w.one_click_share)}};
}

}  // namespace tailor::simulator
