#include "ranking/scoring/model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "tests/common/temp_dir.h"

namespace tailor::ranking {
namespace {

using tailor::testing::TempDir;

// A linear model file over text_score and brand_affinity; each piece can be replaced.
struct LinearFile {
  std::string features = R"(["text_score", "brand_affinity"])";
  std::string mean = "[0.5, 0.1]";
  std::string stddev = "[0.2, 0.3]";
  std::string weights = "[1.0, 0.6]";
  std::string bias = "0.25";
  std::string header = R"("format": "tailor-model", "version": 1, "kind": "linear")";
  std::string extra;

  std::string Json() const {
    return "{" + header + R"(, "name": "test", "features": )" + features +
           R"(, "normalization": {"mean": )" + mean + R"(, "std": )" + stddev +
           R"(}, "linear": {"weights": )" + weights + R"(, "bias": )" + bias + "}" + extra + "}";
  }
};

// A JSON matrix of rows x cols copies of value.
std::string Matrix(int rows, int cols, double value = 0.5) {
  std::string json = "[";
  for (int r = 0; r < rows; ++r) {
    json += r == 0 ? "[" : ", [";
    for (int c = 0; c < cols; ++c) json += (c == 0 ? "" : ", ") + std::to_string(value);
    json += "]";
  }
  return json + "]";
}

// A JSON array of size zeros.
std::string Zeros(int size) {
  std::string json = "[";
  for (int i = 0; i < size; ++i) json += i == 0 ? "0" : ", 0";
  return json + "]";
}

// An MLP file over two features with the layers given.
std::string MlpJson(const std::string& layers) {
  return R"({"format": "tailor-model", "version": 1, "kind": "mlp",
             "features": ["text_score", "rating"],
             "normalization": {"mean": [0, 0], "std": [1, 1]},
             "mlp": {"layers": )" +
         layers + "}}";
}

std::string Layer(const std::string& weights, const std::string& bias) {
  return R"({"weights": )" + weights + R"(, "bias": )" + bias + "}";
}

std::shared_ptr<const Model> Parse(const std::string& json) {
  Result<std::shared_ptr<const Model>> model = Model::FromJson(json, "models/x.json");
  EXPECT_TRUE(model.ok()) << model.error().message;
  return model.ok() ? *model : nullptr;
}

// The error message of a refused file (empty when it loads).
std::string Refusal(const std::string& json) {
  Result<std::shared_ptr<const Model>> model = Model::FromJson(json, "models/x.json");
  if (model.ok()) return "";
  EXPECT_EQ(model.error().code, ErrorCode::kInvalidArgument);
  return model.error().message;
}

FeatureMatrix Rows(std::vector<std::vector<std::pair<Feature, float>>> rows) {
  FeatureMatrix matrix(static_cast<int>(rows.size()), kFeatureCount);
  for (int r = 0; r < matrix.rows; ++r) {
    for (auto [feature, value] : rows[r]) matrix.at(r, feature) = value;
  }
  return matrix;
}

// Found by fuzzing (tests/fuzz/corpus/model/zero-with-exponent): RapidJSON 1.1 reads a zero
// with an exponent ("0e308") in full precision through DiyFp::Normalize(0), undefined
// behaviour there (Tencent/rapidjson#1249, fixed after 1.1). It must still read as exactly 0.
TEST(Model, AZeroWrittenWithAnExponentReadsAsExactlyZero) {
  LinearFile file;
  file.weights = "[0e308, 0.6]";
  file.mean = "[0e-400, 0.1]";
  file.bias = "-0E+20";
  std::shared_ptr<const Model> model = Parse(file.Json());
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->parameters().layers[0].weights[0][0], 0.0);
  EXPECT_EQ(model->parameters().mean[0], 0.0);
  EXPECT_EQ(model->parameters().layers[0].bias[0], 0.0);
}

TEST(ModelLoad, LinearScoreIsTheHandComputation) {
  std::shared_ptr<const Model> model = Parse(LinearFile{}.Json());
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->kind(), "linear");
  EXPECT_EQ(model->name(), "test");
  FeatureMatrix features = Rows({{{kTextScore, 0.9f}, {kBrandAffinity, 0.4f}},
                                 {{kTextScore, 0.5f}, {kBrandAffinity, 0.1f}, {kRating, 5.0f}}});
  std::vector<double> scores = model->Score(features);
  ASSERT_EQ(scores.size(), 2u);
  const double x0 = (0.9f - 0.5) / 0.2, x1 = (0.4f - 0.1) / 0.3;
  EXPECT_NEAR(scores[0], 1.0 * x0 + 0.6 * x1 + 0.25, 1e-12);
  EXPECT_NEAR(scores[1], 0.25, 1e-7);  // at the mean; the rating column is not read
}

TEST(ModelLoad, ReadsItsFeaturesByNameInItsOwnOrder) {
  LinearFile file;
  file.features = R"(["rating", "text_score"])";
  file.mean = "[0, 0]";
  file.stddev = "[1, 1]";
  file.weights = "[2, -1]";
  file.bias = "0";
  std::shared_ptr<const Model> model = Parse(file.Json());
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->feature_names(), (std::vector<std::string>{"rating", "text_score"}));
  FeatureMatrix features = Rows({{{kRating, 4.0f}, {kTextScore, 1.0f}, {kBrandAffinity, 9.0f}}});
  EXPECT_DOUBLE_EQ(model->Score(features)[0], 2 * 4.0 - 1 * 1.0);
  std::vector<double> contributions = model->Contributions(features, 0);
  ASSERT_EQ(contributions.size(), static_cast<size_t>(kFeatureCount));
  EXPECT_DOUBLE_EQ(contributions[kRating], 8.0);
  EXPECT_DOUBLE_EQ(contributions[kTextScore], -1.0);
  EXPECT_EQ(contributions[kBrandAffinity], 0.0);
}

TEST(ModelLoad, LinearContributionsSumToScoreMinusBias) {
  std::shared_ptr<const Model> model = Parse(LinearFile{}.Json());
  ASSERT_NE(model, nullptr);
  FeatureMatrix features =
      Rows({{{kTextScore, 0.2f}}, {{kTextScore, 0.7f}, {kBrandAffinity, 0.9f}}});
  std::vector<double> contributions = model->Contributions(features, 1);
  double sum = 0;
  for (double contribution : contributions) sum += contribution;
  EXPECT_NEAR(sum, model->Score(features)[1] - 0.25, 1e-12);
}

// Hidden layer: h = relu([x0 + x1, x0 - 2 x1 - 1]); output: 3 h0 - h1 + 0.5.
std::string HandMadeMlp() {
  return MlpJson("[" + Layer("[[1, 1], [1, -2]]", "[0, -1]") + ", " +
                 Layer("[[3], [-1]]", "[0.5]") + "]");
}

double HandMadeScore(double x0, double x1) {
  return 3 * std::max(0.0, x0 + x1) - std::max(0.0, x0 - 2 * x1 - 1) + 0.5;
}

TEST(ModelLoad, MlpScoreIsTheHandMadeNet) {
  std::shared_ptr<const Model> model = Parse(HandMadeMlp());
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->kind(), "mlp");
  FeatureMatrix features = Rows({{{kTextScore, 2.0f}, {kRating, 0.25f}},     // both units active
                                 {{kTextScore, 0.5f}, {kRating, 1.0f}},      // second clipped
                                 {{kTextScore, -1.0f}, {kRating, -1.0f}}});  // first clipped
  std::vector<double> scores = model->Score(features);
  ASSERT_EQ(scores.size(), 3u);
  EXPECT_DOUBLE_EQ(scores[0], HandMadeScore(2.0, 0.25));
  EXPECT_DOUBLE_EQ(scores[1], HandMadeScore(0.5, 1.0));
  EXPECT_DOUBLE_EQ(scores[2], HandMadeScore(-1.0, -1.0));
}

TEST(ModelLoad, MlpContributionsAreOcclusionAtTheMean) {
  std::shared_ptr<const Model> model = Parse(HandMadeMlp());
  ASSERT_NE(model, nullptr);
  FeatureMatrix features = Rows({{{kTextScore, 2.0f}, {kRating, 0.25f}}});
  std::vector<double> contributions = model->Contributions(features, 0);
  const double score = HandMadeScore(2.0, 0.25);
  EXPECT_DOUBLE_EQ(contributions[kTextScore], score - HandMadeScore(0.0, 0.25));
  EXPECT_DOUBLE_EQ(contributions[kRating], score - HandMadeScore(2.0, 0.0));
  EXPECT_EQ(contributions[kBrandAffinity], 0.0);
}

TEST(ModelLoad, ShippedDefaultModelLoads) {
  const std::string path = std::string(TAILOR_SOURCE_DIR) + "/config/models/default.json";
  Result<std::shared_ptr<const Model>> model = Model::Load(path);
  ASSERT_TRUE(model.ok()) << model.error().message;
  // scripts/train-default-model trains an MLP of 16 and writes how it was chosen.
  EXPECT_EQ((*model)->kind(), "mlp");
  EXPECT_EQ((*model)->name(), "default");
  EXPECT_TRUE((*model)->validation().has_value());
}

TEST(ModelLoad, EmptyBatchGivesNoScores) {
  std::shared_ptr<const Model> model = Parse(HandMadeMlp());
  ASSERT_NE(model, nullptr);
  EXPECT_TRUE(model->Score(FeatureMatrix(0, kFeatureCount)).empty());
}

ModelParameters AwkwardMlp() {
  ModelParameters p;
  p.kind = ModelKind::kMlp;
  p.name = "awkward";
  p.features = {"price_fit", "discount", "stock"};
  p.mean = {0.1, 1.0 / 3, -2.5e10};
  p.stddev = {1e-17, 0.7, 123456.789};
  p.layers = {{{{0.1, -0.2}, {1.0 / 7, 2e-300}, {-1.5, 1e300}}, {0.3, -0.4}},
              {{{2.0 / 3, 1}, {-1, 0}}, {0.5, 5e-324}},
              {{{1.1}, {-0.9}}, {-1.0 / 9}}};
  p.trained_json = R"({"epochs":12,"note":"ünïcode","nested":{"a":[1,2.5]}})";
  return p;
}

TEST(ModelJson, RoundTripGivesAnEqualModel) {
  ModelParameters linear;
  linear.features = {"text_score", "brand_affinity", "rating"};
  linear.mean = {0.1, 0.2, 0.3};
  linear.stddev = {0.3, 1.0 / 3, 0.7};
  linear.layers = {{{{0.1}, {-1.0 / 3}, {2.0 / 7}}, {1e-9}}};
  for (const ModelParameters& parameters : {linear, AwkwardMlp()}) {
    Result<std::shared_ptr<const Model>> model = Model::Create(parameters);
    ASSERT_TRUE(model.ok()) << model.error().message;
    Result<std::shared_ptr<const Model>> again = Model::FromJson((*model)->ToJson(), "round trip");
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ((*again)->parameters(), parameters);
    EXPECT_EQ((*again)->ToJson(), (*model)->ToJson());
  }
}

TEST(ModelJson, SaveThenLoad) {
  TempDir dir;
  Result<std::shared_ptr<const Model>> model = Model::Create(AwkwardMlp());
  ASSERT_TRUE(model.ok()) << model.error().message;
  const std::string path = dir.Path("model.json");
  ASSERT_TRUE((*model)->Save(path).ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  Result<std::shared_ptr<const Model>> loaded = Model::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ((*loaded)->parameters(), AwkwardMlp());
}

TEST(ModelJson, LoadOfAMissingFileIsUnavailableWithThePath) {
  TempDir dir;
  Result<std::shared_ptr<const Model>> model = Model::Load(dir.Path("none.json"));
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(model.error().message.find(dir.Path("none.json")), std::string::npos);
}

TEST(ModelJson, LoadPrefixesErrorsWithThePath) {
  TempDir dir;
  LinearFile file;
  file.features = R"(["text_score", "newness"])";
  const std::string path = dir.Write("bad.json", file.Json());
  Result<std::shared_ptr<const Model>> model = Model::Load(path);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(model.error().message, path + ": features[1]: unknown feature \"newness\"");
}

TEST(ModelJson, RefusesBadJsonWithItsOffset) {
  EXPECT_EQ(Refusal(R"({"format": )").rfind("models/x.json: invalid JSON at offset 11: ", 0), 0u);
  EXPECT_EQ(Refusal("[]"), "models/x.json: must be a JSON object");
  LinearFile huge;
  huge.bias = "1e400";
  EXPECT_NE(Refusal(huge.Json()).find("invalid JSON at offset"), std::string::npos);
}

TEST(ModelJson, RefusesWrongFormatVersionAndKind) {
  LinearFile file;
  file.header = R"("format": "tailor-model", "version": 2, "kind": "linear")";
  EXPECT_EQ(Refusal(file.Json()),
            "models/x.json: version: 2 is not supported (this build reads 1)");
  file.header = R"("format": "other", "version": 1, "kind": "linear")";
  EXPECT_EQ(Refusal(file.Json()), "models/x.json: format: must be \"tailor-model\"");
  file.header = R"("format": "tailor-model", "version": 1, "kind": "tree")";
  EXPECT_EQ(Refusal(file.Json()),
            "models/x.json: kind: unknown \"tree\" (expected \"linear\" or \"mlp\")");
  file.header = R"("format": "tailor-model", "version": 1)";
  EXPECT_EQ(Refusal(file.Json()), "models/x.json: kind: required");
}

TEST(ModelJson, RefusesUnknownAndDuplicateFeatures) {
  LinearFile file;
  file.features = R"(["text_score", "rating", "stock", "newness"])";
  file.mean = file.stddev = file.weights = "[1, 1, 1, 1]";
  EXPECT_EQ(Refusal(file.Json()), "models/x.json: features[3]: unknown feature \"newness\"");
  file.features = R"(["text_score", "rating", "stock", "rating"])";
  EXPECT_EQ(Refusal(file.Json()), "models/x.json: features[3]: duplicate feature \"rating\"");
  file.features = R"(["text_score", 7, "stock", "rating"])";
  EXPECT_EQ(Refusal(file.Json()), "models/x.json: features[1]: must be a string");
  file.features = "[]";
  file.mean = file.stddev = file.weights = "[]";
  EXPECT_EQ(Refusal(file.Json()), "models/x.json: features: must name at least one feature");
}

TEST(ModelJson, RefusesMismatchedLengthsAndBadNumbers) {
  LinearFile file;
  file.features = R"(["text_score", "rating", "stock", "discount"])";
  file.mean = file.weights = "[0, 0, 0, 0]";
  file.stddev = "[1, 1, 1]";
  EXPECT_EQ(Refusal(file.Json()), "models/x.json: normalization.std: 3 values for 4 features");
  file.stddev = "[1, 0, 1, 1]";
  EXPECT_EQ(Refusal(file.Json()), "models/x.json: normalization.std[1]: must be > 0");
  file.stddev = "[1, 1, -2, 1]";
  EXPECT_EQ(Refusal(file.Json()), "models/x.json: normalization.std[2]: must be > 0");
  file.stddev = "[1, 1, 1, 1]";
  file.mean = R"([0, "0", 0, 0])";
  EXPECT_EQ(Refusal(file.Json()), "models/x.json: normalization.mean[1]: must be a number");
  file.mean = "[0, 0, 0, 0]";
  file.weights = "[1, 2]";
  EXPECT_EQ(Refusal(file.Json()), "models/x.json: linear.weights: 2 values for 4 features");
}

TEST(ModelJson, RefusesUnknownMissingAndMisplacedMembers) {
  LinearFile file;
  file.extra = R"(, "colour": 1)";
  EXPECT_EQ(Refusal(file.Json()), "models/x.json: colour: unknown key");
  file.extra = R"(, "mlp": {"layers": []})";
  EXPECT_EQ(Refusal(file.Json()), "models/x.json: mlp: not allowed for kind \"linear\"");
  file.extra = R"(, "trained": [1])";
  EXPECT_EQ(Refusal(file.Json()), "models/x.json: trained: must be a JSON object");
  EXPECT_EQ(Refusal(R"({"format": "tailor-model", "version": 1, "kind": "mlp",
                      "features": ["rating"], "normalization": {"mean": [0], "std": [1]}})"),
            "models/x.json: mlp: required");
}

TEST(ModelJson, RefusesLayerShapeMismatches) {
  // Two features -> 16 hidden -> a layer given 8 rows.
  EXPECT_EQ(Refusal(MlpJson("[" + Layer(Matrix(2, 16), Zeros(16)) + ", " +
                            Layer(Matrix(8, 1), "[0]") + "]")),
            "models/x.json: mlp.layers[1].weights: 8 rows, expected 16");
  EXPECT_EQ(Refusal(MlpJson("[" + Layer(Matrix(3, 4), Zeros(4)) + ", " +
                            Layer(Matrix(4, 1), "[0]") + "]")),
            "models/x.json: mlp.layers[0].weights: 3 rows, expected 2");
  EXPECT_EQ(Refusal(MlpJson("[" + Layer("[[1, 1], [1]]", "[0, 0]") + ", " +
                            Layer(Matrix(2, 1), "[0]") + "]")),
            "models/x.json: mlp.layers[0].weights[1]: 1 values, expected 2 (one per output)");
  EXPECT_EQ(Refusal(MlpJson("[" + Layer(Matrix(2, 2), "[0, 0]") + ", " +
                            Layer(Matrix(2, 2), "[0, 0]") + "]")),
            "models/x.json: mlp.layers[1].bias: 2 values, expected 1 (the output layer has one "
            "output)");
  EXPECT_EQ(Refusal(MlpJson("[" + Layer(Matrix(2, 1), "[0]") + "]")),
            "models/x.json: mlp.layers: 1 layers, expected 2 or 3 (1 or 2 hidden layers and the "
            "output layer)");
}

TEST(ModelCreate, RefusesNonFiniteNumbers) {
  ModelParameters p = AwkwardMlp();
  p.layers[1].weights[1][0] = std::numeric_limits<double>::quiet_NaN();
  Result<std::shared_ptr<const Model>> model = Model::Create(p);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.error().message, "mlp.layers[1].weights[1][0]: must be a finite number");

  ModelParameters linear;
  linear.features = {"text_score"};
  linear.mean = {std::numeric_limits<double>::infinity()};
  linear.stddev = {1};
  linear.layers = {{{{1}}, {0}}};
  model = Model::Create(linear);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.error().message, "normalization.mean[0]: must be a finite number");
}

// The "validation" object of a trainer's run over two sources, one of them replayed.
ValidationFigures SomeValidation() {
  ValidationFigures v;
  v.debiased_ndcg10 = 0.4123456789012345;
  v.ndcg10 = 1.0 / 3;
  v.logged_debiased_ndcg10 = 0.35;
  v.logged_ndcg10 = 0.56;
  v.queries = 30;
  v.pairs = 540;
  v.best_epoch = 4;
  v.seed = 2;
  v.position_bias_eta = 0.5;
  v.validation_from_ms = 1796143015701;
  v.seeds = {{1, 0.4, 0.38, 3}, {2, 0.4123456789012345, 1.0 / 3, 4}, {3, 0.39, 0.4, 7}};
  v.sources = {{"train", false, 100, 25, 9, 1796143015701},
               {"rees46", true, 20, 5, 0, 1796143999999}};
  return v;
}

TEST(ModelValidation, FiguresRoundTripThroughTheModelFile) {
  TempDir dir;
  ModelParameters parameters = AwkwardMlp();
  parameters.validation = SomeValidation();
  Result<std::shared_ptr<const Model>> model = Model::Create(parameters);
  ASSERT_TRUE(model.ok()) << model.error().message;
  const std::string path = dir.Path("model.json");
  ASSERT_TRUE((*model)->Save(path).ok());
  Result<std::shared_ptr<const Model>> loaded = Model::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_TRUE((*loaded)->validation().has_value());
  EXPECT_EQ(*(*loaded)->validation(), SomeValidation());
  EXPECT_EQ((*loaded)->parameters(), parameters);
  EXPECT_EQ((*loaded)->ToJson(), (*model)->ToJson());
  EXPECT_NE((*model)->ToJson().find("\"validation\": {"), std::string::npos);
}

TEST(ModelValidation, FilesWithoutItStillLoad) {
  Result<std::shared_ptr<const Model>> model = Model::FromJson(LinearFile{}.Json(), "old.json");
  ASSERT_TRUE(model.ok()) << model.error().message;
  EXPECT_FALSE((*model)->validation().has_value());
  EXPECT_EQ((*model)->ToJson().find("validation"), std::string::npos);
}

// The JSON of SomeValidation() with one member's text replaced (from -> to).
std::string ValidationWith(const std::string& from, const std::string& to) {
  ModelParameters parameters = AwkwardMlp();
  parameters.validation = SomeValidation();
  std::string json = (*Model::Create(parameters))->ToJson();
  const size_t at = json.find(from, json.find("\"validation\""));
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) json.replace(at, from.size(), to);
  return json;
}

TEST(ModelValidation, RefusesAMalformedObjectWithItsPath) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {ValidationWith("\"queries\": 30", "\"queries\": \"30\""),
       "models/x.json: validation.queries: must be an integer"},
      {ValidationWith("\"queries\": 30,", ""), "models/x.json: validation.queries: required"},
      {ValidationWith("\"queries\": 30", "\"queries\": 30, \"colour\": 1"),
       "models/x.json: validation.colour: unknown key"},
      {ValidationWith("\"ndcg10\": 0.38", "\"ndcg10\": 1.5"),
       "models/x.json: validation.seeds[0].ndcg10: must be in [0, 1]"},
      {ValidationWith("\"seed\": 3", "\"seed\": -3"),
       "models/x.json: validation.seeds[2].seed: must be an unsigned integer"},
      {ValidationWith("\"replay\": true", "\"replay\": 1"),
       "models/x.json: validation.sources[1].replay: must be true or false"},
      {ValidationWith("\"name\": \"rees46\"", "\"name\": \"rees46\", \"path\": \"x\""),
       "models/x.json: validation.sources[1].path: unknown key"},
      {ValidationWith("\"best_epoch\": 4,", "\"best_epoch\": 0,"),
       "models/x.json: validation.best_epoch: must be >= 1"},
      {ValidationWith("\"seed\": 2,", "\"seed\": 9,"),
       "models/x.json: validation.seed: is not among the seeds tried"},
  };
  LinearFile not_an_object;
  not_an_object.extra = R"(, "validation": [1])";
  EXPECT_EQ(Refusal(not_an_object.Json()), "models/x.json: validation: must be an object");
  for (const auto& [json, message] : cases) {
    Result<std::shared_ptr<const Model>> model = Model::FromJson(json, "models/x.json");
    ASSERT_FALSE(model.ok()) << message;
    EXPECT_EQ(model.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(model.error().message.rfind(message, 0), 0u) << model.error().message;
  }
  ModelParameters parameters = AwkwardMlp();
  parameters.validation = SomeValidation();
  parameters.validation->sources.clear();
  Result<std::shared_ptr<const Model>> created = Model::Create(parameters);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().message, "validation.sources: must name at least one source");
}

}  // namespace
}  // namespace tailor::ranking
