#include "core/tree_ensemble.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "tests/common/temp_dir.h"

namespace tailor {
namespace {

using ::testing::HasSubstr;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// The caller's feature vector layout.
const std::vector<std::string> kLayout = {"log_rank", "strict", "price", "popularity"};

// Written by hand as Booster.get_dump(dump_format="json", with_stats=True) writes trees for a
// booster without feature names: f0 is the model's features[0] ("strict"), f1 "log_rank".
// Tree 0: log_rank < 2.5 ? 1.5 : (strict < 0.5 ? -0.5 : 0.25), NaN log_rank taking "no" and
// NaN strict "yes"; its children are listed out of nodeid order.
constexpr char kTreeByIndex[] = R"({"nodeid": 0, "depth": 0, "split": "f1",
  "split_condition": 2.5, "yes": 1, "no": 2, "missing": 2, "gain": 10.5, "cover": 100,
  "children": [
    {"nodeid": 2, "depth": 1, "split": "f0", "split_condition": 0.5, "yes": 3, "no": 4,
     "missing": 3, "gain": 2, "cover": 60,
     "children": [{"nodeid": 4, "leaf": 0.25, "cover": 30}, {"nodeid": 3, "leaf": -0.5}]},
    {"nodeid": 1, "leaf": 1.5, "cover": 40}]})";
// Tree 1, split by name: strict < 1 ? 0.125 : -0.0625, NaN taking "no".
constexpr char kTreeByName[] = R"({"nodeid": 0, "depth": 0, "split": "strict",
  "split_condition": 1, "yes": 1, "no": 2, "missing": 2,
  "children": [{"nodeid": 1, "leaf": 0.125}, {"nodeid": 2, "leaf": -0.0625}]})";

std::string ModelJson(const std::string& trees,
                      const std::string& features = R"(["strict", "log_rank"])") {
  return R"({"format": "tailor-text-model-1", "features": )" + features +
         R"(, "base_score": 0.5, "trained_on": "clicks-2026-11", "validation": {"ndcg": 0.41},
            "trees": [)" +
         trees + "]}";
}

std::string TwoTrees() { return ModelJson(std::string(kTreeByIndex) + ", " + kTreeByName); }

// A tree `depth` splits deep down its "yes" side (f0 < 0), each "no" a leaf 0; the deepest
// leaf, 1, is at `depth`.
std::string Chain(int depth) {
  auto id = [](int n) { return std::to_string(n); };
  std::string node = R"({"nodeid": )" + id(2 * depth) + R"(, "leaf": 1})";
  for (int d = depth - 1; d >= 0; --d) {
    node = R"({"nodeid": )" + id(2 * d) + R"(, "split": "f0", "split_condition": 0, "yes": )" +
           id(2 * d + 2) + R"(, "no": )" + id(2 * d + 1) + R"(, "missing": )" + id(2 * d + 1) +
           R"(, "children": [)" + node + R"(, {"nodeid": )" + id(2 * d + 1) + R"(, "leaf": 0}]})";
  }
  return node;
}

TreeEnsemble ParseOk(const std::string& json, const std::vector<std::string>& layout = kLayout) {
  Result<TreeEnsemble> model = TreeEnsemble::Parse(json, layout, "model.json");
  EXPECT_TRUE(model.ok()) << model.error().message;
  return std::move(model).value();
}

Error ParseError(const std::string& json) {
  Result<TreeEnsemble> model = TreeEnsemble::Parse(json, kLayout, "model.json");
  EXPECT_FALSE(model.ok());
  if (model.ok()) return Error::Internal("parsed");
  EXPECT_EQ(model.error().code, ErrorCode::kInvalidArgument);
  return model.error();
}

double ScoreOf(const TreeEnsemble& model, std::vector<float> features) {
  return model.Score(features);
}

TEST(TreeEnsemble, ScoresBaseScorePlusEveryTreesLeaf) {
  const TreeEnsemble model = ParseOk(TwoTrees());
  EXPECT_EQ(model.tree_count(), 2u);
  EXPECT_EQ(model.node_count(), 8u);
  // Layout: log_rank, strict, price, popularity; the last two are not the model's.
  EXPECT_EQ(ScoreOf(model, {1, 0, 9, 9}), 0.5 + 1.5 + 0.125);
  EXPECT_EQ(ScoreOf(model, {3, 1, 0, 0}), 0.5 + 0.25 - 0.0625);
  EXPECT_EQ(ScoreOf(model, {3, 0.25f, 0, 0}), 0.5 - 0.5 + 0.125);
}

TEST(TreeEnsemble, AValueEqualToTheThresholdGoesNo) {
  const TreeEnsemble model = ParseOk(TwoTrees());
  // log_rank 2.5 is not < 2.5 (no: node 2); strict 1 is not < 1 (no: -0.0625).
  EXPECT_EQ(ScoreOf(model, {2.5f, 1, 0, 0}), 0.5 + 0.25 - 0.0625);
  EXPECT_EQ(ScoreOf(model, {2.4999998f, 0.5f, 0, 0}), 0.5 + 1.5 + 0.125);
}

TEST(TreeEnsemble, NaNTakesTheMissingBranch) {
  const TreeEnsemble model = ParseOk(TwoTrees());
  // Tree 0: NaN log_rank -> node 2, NaN strict -> node 3 (-0.5); tree 1: NaN strict -> no.
  EXPECT_EQ(ScoreOf(model, {kNaN, kNaN, 0, 0}), 0.5 - 0.5 - 0.0625);
  EXPECT_EQ(ScoreOf(model, {kNaN, 1, 0, 0}), 0.5 + 0.25 - 0.0625);
  EXPECT_EQ(ScoreOf(model, {1, kNaN, kNaN, kNaN}), 0.5 + 1.5 - 0.0625);
}

TEST(TreeEnsemble, ASplitByNameScoresAsTheSameSplitByIndex) {
  std::string by_name = kTreeByIndex;
  by_name.replace(by_name.find("\"f1\""), 4, "\"log_rank\"");
  by_name.replace(by_name.find("\"f0\""), 4, "\"strict\"");
  const TreeEnsemble indexed = ParseOk(ModelJson(kTreeByIndex));
  const TreeEnsemble named = ParseOk(ModelJson(by_name));
  for (const std::vector<float>& features : std::vector<std::vector<float>>{
           {1, 0, 0, 0}, {3, 0, 0, 0}, {3, 1, 0, 0}, {kNaN, 0.75f, 0, 0}, {kNaN, kNaN, 0, 0}}) {
    EXPECT_EQ(ScoreOf(named, features), ScoreOf(indexed, features));
  }
  EXPECT_EQ(ScoreOf(named, {3, 1, 0, 0}), 0.5 + 0.25);
}

TEST(TreeEnsemble, MapsTheModelsFeatureOrderOntoTheCallersLayout) {
  const std::vector<std::string> other = {"popularity", "strict", "price", "log_rank", "extra"};
  const TreeEnsemble model = ParseOk(TwoTrees(), other);
  EXPECT_EQ(ScoreOf(model, {0, 0, 0, 1, 0}), 0.5 + 1.5 + 0.125);
  EXPECT_EQ(ScoreOf(model, {0, 1, 0, 3, 0}), 0.5 + 0.25 - 0.0625);
  EXPECT_EQ(ScoreOf(model, {1, 0, 3, 3, 1}), 0.5 - 0.5 + 0.125);
}

TEST(TreeEnsemble, BaseScoreIsOptionalAndASingleLeafIsATree) {
  const TreeEnsemble model = ParseOk(
      R"({"format": "tailor-text-model-1", "features": [], "trees": [{"nodeid": 0, "leaf": 2}]})");
  EXPECT_EQ(model.node_count(), 1u);
  EXPECT_EQ(ScoreOf(model, {0, 0, 0, 0}), 2.0);
}

TEST(TreeEnsemble, AcceptsDepth64AndRejectsDepth65) {
  const TreeEnsemble deep = ParseOk(ModelJson(Chain(TreeEnsemble::kMaxDepth)));
  EXPECT_EQ(ScoreOf(deep, {0, -1, 0, 0}), 0.5 + 1);
  EXPECT_EQ(ScoreOf(deep, {0, 1, 0, 0}), 0.5);
  EXPECT_EQ(ParseError(ModelJson(Chain(TreeEnsemble::kMaxDepth + 1))).message,
            "model.json: trees[0] node 130: deeper than 64");
}

TEST(TreeEnsemble, RejectsAChildReferenceNotAmongTheChildrenNamingThePlace) {
  std::string tree = kTreeByName;
  tree.replace(tree.find("\"yes\": 1"), 8, "\"yes\": 12");
  EXPECT_EQ(ParseError(ModelJson(std::string(kTreeByIndex) + ", " + tree)).message,
            "model.json: trees[1] node 0: \"yes\" names node 12, which is not among its children");
  tree = kTreeByIndex;
  tree.replace(tree.find("\"missing\": 3"), 12, "\"missing\": 7");
  EXPECT_EQ(ParseError(ModelJson(tree)).message,
            "model.json: trees[0] node 2: \"missing\" names node 7, which is not among its "
            "children");
}

TEST(TreeEnsemble, RejectsAMissingOrMistypedNodeFieldNamingThePlace) {
  std::string tree = kTreeByName;
  tree.replace(tree.find("\"split_condition\": 1,"), 21, "");
  EXPECT_EQ(ParseError(ModelJson(tree)).message,
            "model.json: trees[0] node 0: \"split_condition\" missing");
  tree = kTreeByName;
  tree.replace(tree.find("0.125"), 5, "\"x\"");
  EXPECT_EQ(ParseError(ModelJson(tree)).message,
            "model.json: trees[0] node 1: \"leaf\" must be a number");
  tree = kTreeByName;
  tree.replace(tree.find("\"nodeid\": 2"), 11, "\"id\": 2");
  EXPECT_EQ(ParseError(ModelJson(tree)).message,
            "model.json: trees[0].children[1]: \"nodeid\" missing");
  tree = kTreeByName;
  tree.replace(tree.find("1,"), 1, "1e39");
  EXPECT_THAT(ParseError(ModelJson(tree)).message,
              HasSubstr("trees[0] node 0: \"split_condition\" is beyond the range of a float"));
}

TEST(TreeEnsemble, RejectsASplitOnAFeatureNotInTheModel) {
  std::string tree = kTreeByName;
  tree.replace(tree.find("\"strict\""), 8, "\"f2\"");
  EXPECT_EQ(ParseError(ModelJson(tree)).message,
            "model.json: trees[0] node 0: \"split\" names \"f2\", which is not among the "
            "model's features");
  tree = kTreeByName;
  tree.replace(tree.find("\"strict\""), 8, "\"price\"");  // the caller's, not the model's
  EXPECT_THAT(ParseError(ModelJson(tree)).message, HasSubstr("\"split\" names \"price\""));
}

TEST(TreeEnsemble, RejectsANodeIdUsedTwiceSoNoCycleIsPossible) {
  std::string tree = kTreeByName;
  tree.replace(tree.find("\"nodeid\": 2"), 11, "\"nodeid\": 0");
  tree.replace(tree.find("\"no\": 2"), 7, "\"no\": 0");
  tree.replace(tree.find("\"missing\": 2"), 12, "\"missing\": 0");
  EXPECT_EQ(ParseError(ModelJson(tree)).message,
            "model.json: trees[0] node 0: the node id is used twice in the tree");
  tree = kTreeByName;
  tree.replace(tree.find("\"no\": 2"), 7, "\"no\": 1");
  EXPECT_EQ(ParseError(ModelJson(tree)).message,
            "model.json: trees[0] node 0: \"yes\" and \"no\" name the same node");
}

TEST(TreeEnsemble, RejectsAnUnreachableChild) {
  std::string tree = kTreeByName;
  tree.replace(tree.find("]}"), 2, R"(, {"nodeid": 5, "leaf": 9}]})");
  EXPECT_EQ(ParseError(ModelJson(tree)).message,
            "model.json: trees[0] node 0: child node 5 is named by neither \"yes\" nor \"no\" "
            "(unreachable)");
}

TEST(TreeEnsemble, RejectsBadTopLevelFieldsNamingThem) {
  EXPECT_EQ(ParseError(ModelJson(kTreeByName, R"(["strict", "log_rank", "foo"])")).message,
            "model.json: features[2]: \"foo\" is not a feature Tailor computes");
  EXPECT_EQ(ParseError(ModelJson(kTreeByName, R"(["strict", "strict"])")).message,
            "model.json: features[1]: \"strict\" is listed twice");
  EXPECT_EQ(ParseError(ModelJson("")).message, "model.json: trees: must be a non-empty array");
  std::string json = TwoTrees();
  json.replace(json.find("text-model-1"), 12, "text-model-2");
  EXPECT_EQ(ParseError(json).message, "model.json: format: must be \"tailor-text-model-1\"");
  EXPECT_EQ(ParseError(R"({"format": "tailor-text-model-1", "trees": []})").message,
            "model.json: features: required");
  EXPECT_THAT(ParseError(R"({"format": )").message,
              HasSubstr("model.json: invalid JSON at offset"));
}

TEST(TreeEnsemble, LoadReadsAFileAndNamesItInErrors) {
  testing::TempDir dir;
  Result<TreeEnsemble> loaded = TreeEnsemble::Load(dir.Write("m.json", TwoTrees()), kLayout);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(ScoreOf(*loaded, {1, 0, 0, 0}), 0.5 + 1.5 + 0.125);
  const std::string bad = dir.Write("bad.json", ModelJson(""));
  Result<TreeEnsemble> refused = TreeEnsemble::Load(bad, kLayout);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, bad + ": trees: must be a non-empty array");
  Result<TreeEnsemble> missing = TreeEnsemble::Load(dir.Path("none.json"), kLayout);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(missing.error().message, HasSubstr(dir.Path("none.json")));
}

}  // namespace
}  // namespace tailor
