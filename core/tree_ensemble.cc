#include "core/tree_ensemble.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cassert>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_set>

#include "core/files.h"
#include "core/json.h"

namespace tailor {
namespace {

constexpr char kFormat[] = "tailor-text-model-1";

std::string_view View(const rapidjson::Value& string) {
  return {string.GetString(), string.GetStringLength()};
}

// "PLACE: \"KEY\" PROBLEM", the way node errors read.
Error FieldError(const std::string& place, std::string_view key, std::string_view problem) {
  return Error::InvalidArgument(place + ": \"" + std::string(key) + "\" " + std::string(problem));
}

Result<const rapidjson::Value*> Field(const rapidjson::Value& node, const std::string& place,
                                      const char* key) {
  auto it = node.FindMember(key);
  if (it == node.MemberEnd()) return FieldError(place, key, "missing");
  return &it->value;
}

Result<int> NodeIdField(const rapidjson::Value& node, const std::string& place, const char* key) {
  Result<const rapidjson::Value*> field = Field(node, place, key);
  if (!field.ok()) return field.error();
  if (!(*field)->IsInt() || (*field)->GetInt() < 0) {
    return FieldError(place, key, "must be a node id (an integer >= 0)");
  }
  return (*field)->GetInt();
}

// Thresholds and leaves are floats in XGBoost; a value beyond float's range cannot be one.
Result<float> FloatField(const rapidjson::Value& node, const std::string& place, const char* key) {
  Result<const rapidjson::Value*> field = Field(node, place, key);
  if (!field.ok()) return field.error();
  if (!(*field)->IsNumber()) return FieldError(place, key, "must be a number");
  const double value = (*field)->GetDouble();
  if (std::fabs(value) > std::numeric_limits<float>::max()) {
    return FieldError(place, key, "is beyond the range of a float");
  }
  return static_cast<float>(value);
}

// The nodeid of children[k], which must be a node object.
Result<int> ChildId(const rapidjson::Value& children, const std::string& path,
                    rapidjson::SizeType k) {
  const std::string child_path = JsonIndex(path, k);
  if (!children[k].IsObject()) return JsonError(child_path, "must be an object");
  return NodeIdField(children[k], child_path, "nodeid");
}

// The position in children of the node that `key` (of the node at place) names.
Result<rapidjson::SizeType> ChildNamed(const rapidjson::Value& node, const std::string& place,
                                       const rapidjson::Value& children, const std::string& path,
                                       const char* key) {
  Result<int> id = NodeIdField(node, place, key);
  if (!id.ok()) return id.error();
  for (rapidjson::SizeType k = 0; k < children.Size(); ++k) {
    Result<int> child = ChildId(children, path, k);
    if (!child.ok()) return child.error();
    if (*child == *id) return k;
  }
  return FieldError(place, key,
                    "names node " + std::to_string(*id) + ", which is not among its children");
}

}  // namespace

class TreeEnsemble::Builder {
 public:
  Builder(TreeEnsemble& model, std::span<const std::string> caller_features)
      : model_(model), caller_features_(caller_features) {}

  Status Read(const rapidjson::Value& document) {
    if (!document.IsObject()) return JsonError("", "a model must be a JSON object");
    Result<const rapidjson::Value*> format = RequiredJsonMember(document, "", "format");
    if (!format.ok()) return format.error();
    if (!(*format)->IsString() || View(**format) != kFormat) {
      return JsonError("format", std::string("must be \"") + kFormat + "\"");
    }
    if (Status features = ReadFeatures(document); !features.ok()) return features;
    if (auto it = document.FindMember("base_score"); it != document.MemberEnd()) {
      if (!it->value.IsNumber()) return JsonError("base_score", "must be a number");
      model_.base_score_ = it->value.GetDouble();
    }
    Result<const rapidjson::Value*> trees = RequiredJsonMember(document, "", "trees");
    if (!trees.ok()) return trees.error();
    if (!(*trees)->IsArray() || (*trees)->Empty()) {
      return JsonError("trees", "must be a non-empty array");
    }
    for (rapidjson::SizeType t = 0; t < (*trees)->Size(); ++t) {
      tree_ = JsonIndex("trees", t);
      ids_.clear();
      Result<int32_t> root = AddNode((**trees)[t], tree_, 0);
      if (!root.ok()) return root.error();
      model_.roots_.push_back(*root);
    }
    return Status::Ok();
  }

 private:
  Status ReadFeatures(const rapidjson::Value& document) {
    Result<const rapidjson::Value*> features = RequiredJsonMember(document, "", "features");
    if (!features.ok()) return features.error();
    if (!(*features)->IsArray()) return JsonError("features", "must be an array of strings");
    for (rapidjson::SizeType k = 0; k < (*features)->Size(); ++k) {
      const std::string path = JsonIndex("features", k);
      const rapidjson::Value& name = (**features)[k];
      if (!name.IsString()) return JsonError(path, "must be a string");
      std::string quoted(1, '"');  // not "\"" + ..., which GCC 12 warns of (-Wrestrict)
      quoted.append(View(name)).push_back('"');
      if (std::find(names_.begin(), names_.end(), View(name)) != names_.end()) {
        return JsonError(path, quoted + " is listed twice");
      }
      auto column = std::find(caller_features_.begin(), caller_features_.end(), View(name));
      if (column == caller_features_.end()) {
        return JsonError(path, quoted + " is not a feature Tailor computes");
      }
      names_.emplace_back(View(name));
      columns_.push_back(static_cast<int32_t>(column - caller_features_.begin()));
    }
    return Status::Ok();
  }

  // The caller's column of a split: a model feature's name, else "f<i>" for features[i].
  Result<int32_t> SplitColumn(const rapidjson::Value& node, const std::string& place) const {
    Result<const rapidjson::Value*> split = Field(node, place, "split");
    if (!split.ok()) return split.error();
    if (!(*split)->IsString()) return FieldError(place, "split", "must be a string");
    const std::string_view name = View(**split);
    auto named = std::find(names_.begin(), names_.end(), name);
    if (named != names_.end()) return columns_[named - names_.begin()];
    size_t i = 0;
    const char* end = name.data() + name.size();
    if (name.size() > 1 && name[0] == 'f' && std::isdigit(static_cast<unsigned char>(name[1])) &&
        std::from_chars(name.data() + 1, end, i).ptr == end && i < columns_.size()) {
      return columns_[i];
    }
    return FieldError(
        place, "split",
        "names \"" + std::string(name) + "\", which is not among the model's features");
  }

  // Appends the node and, after it, its subtree; returns the node's index. Children come
  // after their parent, which is what makes Score() terminate.
  Result<int32_t> AddNode(const rapidjson::Value& node, const std::string& path, int depth) {
    if (!node.IsObject()) return JsonError(path, "must be an object");
    Result<int> id = NodeIdField(node, path, "nodeid");
    if (!id.ok()) return id.error();
    const std::string place = tree_ + " node " + std::to_string(*id);
    if (!ids_.insert(*id).second) return JsonError(place, "the node id is used twice in the tree");
    if (depth > kMaxDepth) return JsonError(place, "deeper than " + std::to_string(kMaxDepth));
    if (model_.nodes_.size() >= static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
      return JsonError(place, "too many nodes");
    }
    const auto index = static_cast<int32_t>(model_.nodes_.size());
    if (node.HasMember("leaf")) {
      Result<float> leaf = FloatField(node, place, "leaf");
      if (!leaf.ok()) return leaf.error();
      Node added;
      added.leaf = *leaf;
      model_.nodes_.push_back(added);
      return index;
    }
    if (Status split = AddSplit(node, path, place, depth); !split.ok()) return split.error();
    return index;
  }

  // AddNode() of a split node at place: the node, then its "yes" and its "no" subtree.
  Status AddSplit(const rapidjson::Value& node, const std::string& path, const std::string& place,
                  int depth) {
    Result<int32_t> column = SplitColumn(node, place);
    if (!column.ok()) return column.error();
    Result<float> threshold = FloatField(node, place, "split_condition");
    if (!threshold.ok()) return threshold.error();
    Result<const rapidjson::Value*> children = Field(node, place, "children");
    if (!children.ok()) return children.error();
    if (!(*children)->IsArray()) return FieldError(place, "children", "must be an array");
    const std::string children_path = JsonPath(path, "children");
    Result<rapidjson::SizeType> yes = ChildNamed(node, place, **children, children_path, "yes");
    if (!yes.ok()) return yes.error();
    Result<rapidjson::SizeType> no = ChildNamed(node, place, **children, children_path, "no");
    if (!no.ok()) return no.error();
    Result<rapidjson::SizeType> missing =
        ChildNamed(node, place, **children, children_path, "missing");
    if (!missing.ok()) return missing.error();
    if (*yes == *no) return JsonError(place, "\"yes\" and \"no\" name the same node");
    for (rapidjson::SizeType k = 0; k < (*children)->Size(); ++k) {
      if (k == *yes || k == *no) continue;
      Result<int> unreachable = ChildId(**children, children_path, k);
      if (!unreachable.ok()) return unreachable.error();
      return JsonError(place, "child node " + std::to_string(*unreachable) +
                                  " is named by neither \"yes\" nor \"no\" (unreachable)");
    }
    const auto index = static_cast<int32_t>(model_.nodes_.size());
    Node added;
    added.feature = *column;
    added.threshold = *threshold;
    model_.nodes_.push_back(added);
    Result<int32_t> yes_index =
        AddNode((**children)[*yes], JsonIndex(children_path, *yes), depth + 1);
    if (!yes_index.ok()) return yes_index.error();
    Result<int32_t> no_index = AddNode((**children)[*no], JsonIndex(children_path, *no), depth + 1);
    if (!no_index.ok()) return no_index.error();
    Node& split = model_.nodes_[index];  // after the subtrees: they may have moved nodes_
    split.yes = *yes_index;
    split.no = *no_index;
    split.missing = *missing == *yes ? *yes_index : *no_index;
    return Status::Ok();
  }

  TreeEnsemble& model_;
  std::span<const std::string> caller_features_;
  std::vector<std::string> names_;  // the model's "features"
  std::vector<int32_t> columns_;    // names_[i]'s index in caller_features_
  std::string tree_;                // "trees[t]", the tree being read
  std::unordered_set<int> ids_;     // its node ids seen so far
};

Result<TreeEnsemble> TreeEnsemble::Parse(std::string_view json,
                                         std::span<const std::string> feature_names,
                                         std::string_view source) {
  rapidjson::Document document;
  if (Status parsed =
          ParseJson<rapidjson::kParseFullPrecisionFlag | rapidjson::kParseValidateEncodingFlag>(
              json, source, document);
      !parsed.ok()) {
    return parsed.error();
  }
  TreeEnsemble model;
  model.feature_count_ = feature_names.size();
  if (Status read = Builder(model, feature_names).Read(document); !read.ok()) {
    return source.empty() ? read.error() : read.error().WithPrefix(source);
  }
  return model;
}

Result<TreeEnsemble> TreeEnsemble::Load(const std::string& path,
                                        std::span<const std::string> feature_names) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) return text.error();
  return Parse(*text, feature_names, path);
}

double TreeEnsemble::Score(std::span<const float> features) const {
  assert(features.size() == feature_count_);
  double sum = base_score_;
  const Node* nodes = nodes_.data();
  for (const int32_t root : roots_) {
    int32_t i = root;
    while (nodes[i].feature != kLeaf) {
      const Node& node = nodes[i];
      const float value = features[node.feature];
      // NaN compares false with everything, so it is tested first.
      i = std::isnan(value) ? node.missing : (value < node.threshold ? node.yes : node.no);
    }
    sum += nodes[i].leaf;
  }
  return sum;
}

}  // namespace tailor
