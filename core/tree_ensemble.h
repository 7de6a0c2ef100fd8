// Gradient-boosted regression trees trained by XGBoost, loaded from its JSON dump and scored
// here, as the Elasticsearch LTR plugin does with XGBoost models. Training happens offline
// (python3-xgboost, Booster.get_dump(dump_format="json")); this only loads and scores.
//
// A model file is a JSON object:
//   {"format": "tailor-text-model-1",
//    "features": ["log_rank", "strict", ...],  // the model's inputs, XGBoost's f0, f1, ...
//    "base_score": 0.5,                        // optional, default 0, added to the sum
//    "trees": [<XGBoost JSON dump tree>, ...]} // other keys are allowed and ignored
// A split node is {"nodeid": 0, "split": "f3" or a feature name, "split_condition": 0.5,
// "yes": 1, "no": 2, "missing": 1, "children": [{...}, {...}]}, a leaf {"nodeid": 3,
// "leaf": -0.0123}; other keys ("depth", "gain", "cover") are ignored. A value goes to "yes"
// when value < split_condition (both as float, as XGBoost compares), to "no" otherwise and to
// "missing" when it is NaN. The sum is XGBoost's margin: no link function is applied.
//
// All trees are flattened into one node array in pre-order, so every child sits after its
// parent and scoring is a loop that cannot cycle and does not allocate. A TreeEnsemble is
// immutable once parsed: any number of threads may Score() at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tailor {

class TreeEnsemble {
 public:
  // Deepest node depth a tree may have (the root is at depth 0).
  static constexpr int kMaxDepth = 64;

  // Parses a model file's text. `feature_names` is the caller's feature vector layout; every
  // name in the model's "features" must be one of them. A split "f<i>" refers to the model's
  // features[i], a split by name to that name, which must be among the model's features (a
  // name wins over the "f<i>" reading). Errors: invalid_argument, prefixed by `source` (a
  // path; nothing when empty) and naming the JSON place, e.g.
  // "model.json: trees[3] node 7: \"yes\" names node 12, which is not among its children",
  // for invalid JSON, a wrong "format", a feature Tailor does not compute, an empty "trees",
  // a missing or mistyped node field, a child no "yes"/"no" names, a node id used twice in a
  // tree, a tree deeper than kMaxDepth, or a split_condition outside float's range.
  static Result<TreeEnsemble> Parse(std::string_view json,
                                    std::span<const std::string> feature_names,
                                    std::string_view source);
  // Parse() of the file at path, with path as source. Errors: Parse()'s, and ReadFile()'s
  // (core/files.h) when the file cannot be read: not_found "<path>: cannot be read".
  static Result<TreeEnsemble> Load(const std::string& path,
                                   std::span<const std::string> feature_names);

  // base_score plus every tree's leaf for `features`, laid out as the feature_names given to
  // Parse(); NaN is a missing value. Requires: features.size() == that layout's size.
  double Score(std::span<const float> features) const;

  size_t tree_count() const { return roots_.size(); }
  size_t node_count() const { return nodes_.size(); }

 private:
  // A split node (feature >= 0) or a leaf (feature == kLeaf). yes/no/missing index nodes_.
  struct Node {
    int32_t feature = kLeaf;  // index into the caller's feature vector
    float threshold = 0;
    int32_t yes = 0;
    int32_t no = 0;
    int32_t missing = 0;
    float leaf = 0;
  };
  static constexpr int32_t kLeaf = -1;
  class Builder;

  TreeEnsemble() = default;

  std::vector<Node> nodes_;
  std::vector<int32_t> roots_;  // each tree's root in nodes_
  double base_score_ = 0;
  size_t feature_count_ = 0;  // the caller's layout size
};

}  // namespace tailor
