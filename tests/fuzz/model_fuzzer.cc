// Fuzzes the model file parser (ranking/scoring/model.h). A model it accepts is run as the
// ranker runs it (Score on a small batch, Contributions for explain), and must write a file
// (ToJson) that reads back and writes the same text again: trained models are saved and
// loaded exactly this way.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "ranking/scoring/features.h"
#include "ranking/scoring/model.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

// Two rows of feature values: zeros, and small distinct values for every column.
tailor::ranking::FeatureMatrix SampleFeatures() {
  const int cols = static_cast<int>(tailor::ranking::kFeatureCount);
  tailor::ranking::FeatureMatrix features(2, cols);
  for (int col = 0; col < cols; ++col) features.at(1, col) = 0.25f * static_cast<float>(col % 5);
  return features;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using tailor::ranking::Model;
  tailor::Result<std::shared_ptr<const Model>> model =
      Model::FromJson(tailor::fuzz::AsText(data, size), "fuzz.json");
  if (!model.ok()) return 0;
  static const tailor::ranking::FeatureMatrix features = SampleFeatures();
  tailor::fuzz::Check((*model)->Score(features).size() == 2, "one score per row");
  tailor::fuzz::Check((*model)->Contributions(features, 1).size() ==
                          static_cast<size_t>(tailor::ranking::kFeatureCount),
                      "one contribution per registry feature");
  const std::string text = (*model)->ToJson();
  tailor::Result<std::shared_ptr<const Model>> back = Model::FromJson(text, "round trip");
  tailor::fuzz::Check(back.ok(), "a model's ToJson reads back");
  tailor::fuzz::Check((*back)->ToJson() == text, "a model file reads back unchanged");
  return 0;
}
