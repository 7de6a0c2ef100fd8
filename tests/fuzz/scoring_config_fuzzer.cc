// Fuzzes the scoring config parser (ranking/scoring/scoring_config.h). A config it accepts
// is used as a reload uses it: its rules compiled against a small item table for every
// variant (boosts, pins, buries, guardrails name brands, categories and ids) and the sticky
// split asked for a few visitors. Model paths are resolved, never opened.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "core/item_table.h"
#include "core/product.h"
#include "ranking/scoring/ranker.h"
#include "ranking/scoring/scoring_config.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

std::shared_ptr<const tailor::ItemTable> SampleItems() {
  tailor::ItemTableBuilder builder;
  auto add = [&builder](int row, const char* id, const char* brand, const char* category,
                        double price) {
    tailor::Product product;
    product.id = id;
    product.title = std::string(brand) + " item";
    product.brand = brand;
    product.category = {"Men", category};
    product.price = price;
    product.margin = 0.3;
    product.sizes = {{"M", 2}, {"L", 0}};
    builder.Set(row, product);
  };
  add(1, "A1", "Acme", "Jackets", 80);
  add(2, "B1", "Borealis", "Shoes", 120);
  add(3, "C1", "Cirrus", "Shirts", 35);
  return builder.Finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tailor::Result<tailor::ranking::ScoringConfig> config = tailor::ranking::ParseScoringConfig(
      tailor::fuzz::AsText(data, size), "fuzz.json", "/fuzz-base");
  if (!config.ok()) return 0;
  for (const char* visitor : {"", "v1", "v2", "visitor-with-a-longer-id"}) {
    (void)config->ChooseVariant(visitor);
  }
  static const std::shared_ptr<const tailor::ItemTable> items = SampleItems();
  std::shared_ptr<const tailor::ranking::Scoring> scoring =
      tailor::ranking::Scoring::WithModels(std::move(*config), {});
  for (const tailor::ranking::VariantConfig& variant : scoring->config().variants()) {
    tailor::fuzz::Check(scoring->RulesFor(variant, *items) != nullptr, "rules compile");
  }
  return 0;
}
