#include "ranking/scoring/model.h"

#include <fcntl.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <Eigen/Dense>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <utility>

#include "ranking/scoring/internal/model_validation.h"
#include "core/files.h"
#include "core/json.h"
#include "core/segment_log.h"

namespace tailor::ranking {
namespace {

constexpr int kFormatVersion = 1;
constexpr const char* kFormatName = "tailor-model";

Result<std::vector<int>> CheckFeatures(const std::vector<std::string>& features) {
  if (features.empty()) return JsonError("features", "must name at least one feature");
  std::vector<int> columns;
  for (size_t i = 0; i < features.size(); ++i) {
    const int column = FeatureIndex(features[i]);
    if (column < 0)
      return JsonError(JsonIndex("features", i), "unknown feature \"" + features[i] + "\"");
    for (size_t j = 0; j < i; ++j) {
      if (features[j] == features[i]) {
        return JsonError(JsonIndex("features", i), "duplicate feature \"" + features[i] + "\"");
      }
    }
    columns.push_back(column);
  }
  return columns;
}

Status CheckFinite(const std::vector<double>& values, const std::string& path) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) return JsonError(JsonIndex(path, i), "must be a finite number");
  }
  return Status::Ok();
}

Status CheckNormalization(const ModelParameters& p) {
  const size_t count = p.features.size();
  for (const auto& [values, path] :
       {std::pair(&p.mean, "normalization.mean"), std::pair(&p.stddev, "normalization.std")}) {
    if (values->size() != count) {
      return JsonError(path, std::to_string(values->size()) + " values for " +
                                 std::to_string(count) + " features");
    }
    if (Status finite = CheckFinite(*values, path); !finite.ok()) return finite;
  }
  for (size_t i = 0; i < count; ++i) {
    if (!(p.stddev[i] > 0)) return JsonError(JsonIndex("normalization.std", i), "must be > 0");
  }
  return Status::Ok();
}

Status CheckLinear(const ModelParameters& p) {
  if (p.layers.size() != 1) {
    return JsonError(
        "linear", "a linear model has exactly one layer, not " + std::to_string(p.layers.size()));
  }
  const ModelLayer& layer = p.layers[0];
  if (layer.bias.size() != 1) return JsonError("linear.bias", "must be one number");
  if (!std::isfinite(layer.bias[0])) return JsonError("linear.bias", "must be a finite number");
  if (layer.weights.size() != p.features.size()) {
    return JsonError("linear.weights", std::to_string(layer.weights.size()) + " values for " +
                                           std::to_string(p.features.size()) + " features");
  }
  for (size_t i = 0; i < layer.weights.size(); ++i) {
    if (layer.weights[i].size() != 1)
      return JsonError(JsonIndex("linear.weights", i), "must be one number");
    if (!std::isfinite(layer.weights[i][0])) {
      return JsonError(JsonIndex("linear.weights", i), "must be a finite number");
    }
  }
  return Status::Ok();
}

Status CheckMlp(const ModelParameters& p) {
  if (p.layers.size() < 2 || p.layers.size() > 3) {
    return JsonError("mlp.layers", std::to_string(p.layers.size()) +
                                       " layers, expected 2 or 3 (1 or 2 hidden layers and the "
                                       "output layer)");
  }
  size_t inputs = p.features.size();
  for (size_t l = 0; l < p.layers.size(); ++l) {
    const ModelLayer& layer = p.layers[l];
    const std::string path = JsonIndex("mlp.layers", l);
    const size_t outputs = layer.bias.size();
    if (outputs == 0) return JsonError(path + ".bias", "must have at least one value");
    if (l + 1 == p.layers.size() && outputs != 1) {
      return JsonError(path + ".bias", std::to_string(outputs) +
                                           " values, expected 1 (the output layer has one output)");
    }
    if (layer.weights.size() != inputs) {
      return JsonError(path + ".weights", std::to_string(layer.weights.size()) +
                                              " rows, expected " + std::to_string(inputs));
    }
    for (size_t r = 0; r < inputs; ++r) {
      const std::string row_path = JsonIndex(path + ".weights", r);
      if (layer.weights[r].size() != outputs) {
        return JsonError(row_path, std::to_string(layer.weights[r].size()) + " values, expected " +
                                       std::to_string(outputs) + " (one per output)");
      }
      if (Status finite = CheckFinite(layer.weights[r], row_path); !finite.ok()) return finite;
    }
    if (Status finite = CheckFinite(layer.bias, path + ".bias"); !finite.ok()) return finite;
    inputs = outputs;
  }
  return Status::Ok();
}

Status CheckTrained(const std::string& trained_json) {
  if (trained_json.empty()) return Status::Ok();
  rapidjson::Document document;
  document.Parse(trained_json.data(), trained_json.size());
  if (document.HasParseError() || !document.IsObject()) {
    return JsonError("trained", "must be a JSON object");
  }
  return Status::Ok();
}

using rapidjson::Value;

Result<double> ReadNumber(const Value& value, const std::string& path) {
  if (!value.IsNumber()) return JsonError(path, "must be a number");
  return value.GetDouble();
}

Result<std::vector<double>> ReadNumbers(const Value& value, const std::string& path) {
  if (!value.IsArray()) return JsonError(path, "must be an array of numbers");
  std::vector<double> numbers;
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    Result<double> number = ReadNumber(value[i], JsonIndex(path, i));
    if (!number.ok()) return number.error();
    numbers.push_back(*number);
  }
  return numbers;
}

Result<std::vector<std::string>> ReadFeatures(const Value& value) {
  if (!value.IsArray()) return JsonError("features", "must be an array of feature names");
  std::vector<std::string> names;
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    if (!value[i].IsString()) return JsonError(JsonIndex("features", i), "must be a string");
    names.emplace_back(value[i].GetString(), value[i].GetStringLength());
  }
  return names;
}

Status ReadNormalization(const Value& value, ModelParameters& p) {
  if (Status keys = CheckJsonMembers(value, "normalization", {"mean", "std"}); !keys.ok())
    return keys;
  for (const auto& [key, target] : {std::pair("mean", &p.mean), std::pair("std", &p.stddev)}) {
    Result<const Value*> member = RequiredJsonMember(value, "normalization", key);
    if (!member.ok()) return member.error();
    Result<std::vector<double>> numbers = ReadNumbers(**member, JsonPath("normalization", key));
    if (!numbers.ok()) return numbers.error();
    *target = std::move(*numbers);
  }
  return Status::Ok();
}

Status ReadLinear(const Value& value, ModelParameters& p) {
  if (Status keys = CheckJsonMembers(value, "linear", {"weights", "bias"}); !keys.ok()) return keys;
  Result<const Value*> weights_json = RequiredJsonMember(value, "linear", "weights");
  if (!weights_json.ok()) return weights_json.error();
  Result<std::vector<double>> weights = ReadNumbers(**weights_json, "linear.weights");
  if (!weights.ok()) return weights.error();
  Result<const Value*> bias_json = RequiredJsonMember(value, "linear", "bias");
  if (!bias_json.ok()) return bias_json.error();
  Result<double> bias = ReadNumber(**bias_json, "linear.bias");
  if (!bias.ok()) return bias.error();
  ModelLayer layer;
  for (double weight : *weights) layer.weights.push_back({weight});
  layer.bias = {*bias};
  p.layers = {std::move(layer)};
  return Status::Ok();
}

Result<ModelLayer> ReadLayer(const Value& value, const std::string& path) {
  if (Status keys = CheckJsonMembers(value, path, {"weights", "bias"}); !keys.ok())
    return keys.error();
  Result<const Value*> rows = RequiredJsonMember(value, path, "weights");
  if (!rows.ok()) return rows.error();
  if (!(*rows)->IsArray()) return JsonError(path + ".weights", "must be an array of rows");
  ModelLayer layer;
  for (rapidjson::SizeType r = 0; r < (*rows)->Size(); ++r) {
    Result<std::vector<double>> row = ReadNumbers((**rows)[r], JsonIndex(path + ".weights", r));
    if (!row.ok()) return row.error();
    layer.weights.push_back(std::move(*row));
  }
  Result<const Value*> bias_json = RequiredJsonMember(value, path, "bias");
  if (!bias_json.ok()) return bias_json.error();
  Result<std::vector<double>> bias = ReadNumbers(**bias_json, path + ".bias");
  if (!bias.ok()) return bias.error();
  layer.bias = std::move(*bias);
  return layer;
}

Status ReadMlp(const Value& value, ModelParameters& p) {
  if (Status keys = CheckJsonMembers(value, "mlp", {"layers"}); !keys.ok()) return keys;
  Result<const Value*> layers = RequiredJsonMember(value, "mlp", "layers");
  if (!layers.ok()) return layers.error();
  if (!(*layers)->IsArray()) return JsonError("mlp.layers", "must be an array of layers");
  for (rapidjson::SizeType l = 0; l < (*layers)->Size(); ++l) {
    Result<ModelLayer> layer = ReadLayer((**layers)[l], JsonIndex("mlp.layers", l));
    if (!layer.ok()) return layer.error();
    p.layers.push_back(std::move(*layer));
  }
  return Status::Ok();
}

Status ReadHeader(const Value& document, ModelParameters& p) {
  Result<const Value*> format = RequiredJsonMember(document, "", "format");
  if (!format.ok()) return format.error();
  if (!(*format)->IsString() || std::string_view((*format)->GetString()) != kFormatName) {
    return JsonError("format", std::string("must be \"") + kFormatName + "\"");
  }
  Result<const Value*> version = RequiredJsonMember(document, "", "version");
  if (!version.ok()) return version.error();
  if (!(*version)->IsInt()) return JsonError("version", "must be an integer");
  if ((*version)->GetInt() != kFormatVersion) {
    return JsonError("version", std::to_string((*version)->GetInt()) +
                                    " is not supported (this build reads " +
                                    std::to_string(kFormatVersion) + ")");
  }
  Result<const Value*> kind = RequiredJsonMember(document, "", "kind");
  if (!kind.ok()) return kind.error();
  if (!(*kind)->IsString()) return JsonError("kind", "must be a string");
  const std::string kind_name((*kind)->GetString(), (*kind)->GetStringLength());
  if (kind_name == "linear") {
    p.kind = ModelKind::kLinear;
  } else if (kind_name == "mlp") {
    p.kind = ModelKind::kMlp;
  } else {
    return JsonError("kind", "unknown \"" + kind_name + "\" (expected \"linear\" or \"mlp\")");
  }
  if (auto name = document.FindMember("name"); name != document.MemberEnd()) {
    if (!name->value.IsString()) return JsonError("name", "must be a string");
    p.name.assign(name->value.GetString(), name->value.GetStringLength());
  }
  return Status::Ok();
}

Result<ModelParameters> ReadParameters(const Value& document) {
  if (!document.IsObject()) return JsonError("", "must be a JSON object");
  if (Status keys = CheckJsonMembers(document, "",
                                     {"format", "version", "kind", "name", "features",
                                      "normalization", "linear", "mlp", "trained", "validation"});
      !keys.ok()) {
    return keys.error();
  }
  ModelParameters p;
  if (Status header = ReadHeader(document, p); !header.ok()) return header.error();
  Result<const Value*> features = RequiredJsonMember(document, "", "features");
  if (!features.ok()) return features.error();
  Result<std::vector<std::string>> names = ReadFeatures(**features);
  if (!names.ok()) return names.error();
  p.features = std::move(*names);
  Result<const Value*> normalization = RequiredJsonMember(document, "", "normalization");
  if (!normalization.ok()) return normalization.error();
  if (Status read = ReadNormalization(**normalization, p); !read.ok()) return read.error();

  const bool linear = p.kind == ModelKind::kLinear;
  const char* own = linear ? "linear" : "mlp";
  const char* other = linear ? "mlp" : "linear";
  if (document.HasMember(other)) {
    return JsonError(other, std::string("not allowed for kind \"") + own + "\"");
  }
  Result<const Value*> body = RequiredJsonMember(document, "", own);
  if (!body.ok()) return body.error();
  Status read = linear ? ReadLinear(**body, p) : ReadMlp(**body, p);
  if (!read.ok()) return read.error();

  if (auto trained = document.FindMember("trained"); trained != document.MemberEnd()) {
    if (!trained->value.IsObject()) return JsonError("trained", "must be a JSON object");
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    trained->value.Accept(writer);
    p.trained_json.assign(buffer.GetString(), buffer.GetSize());
  }
  if (auto validation = document.FindMember("validation"); validation != document.MemberEnd()) {
    Result<ValidationFigures> figures = internal::ReadValidation(validation->value);
    if (!figures.ok()) return figures.error();
    p.validation = std::move(*figures);
  }
  return p;
}

using PrettyWriter = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void WriteNumbers(PrettyWriter& writer, const std::vector<double>& numbers) {
  writer.StartArray();
  for (double number : numbers) writer.Double(number);
  writer.EndArray();
}

void WriteLayers(PrettyWriter& writer, const ModelParameters& p) {
  if (p.kind == ModelKind::kLinear) {
    writer.Key("linear");
    writer.StartObject();
    writer.Key("weights");
    writer.StartArray();
    for (const std::vector<double>& row : p.layers[0].weights) writer.Double(row[0]);
    writer.EndArray();
    writer.Key("bias");
    writer.Double(p.layers[0].bias[0]);
    writer.EndObject();
    return;
  }
  writer.Key("mlp");
  writer.StartObject();
  writer.Key("layers");
  writer.StartArray();
  for (const ModelLayer& layer : p.layers) {
    writer.StartObject();
    writer.Key("weights");
    writer.StartArray();
    for (const std::vector<double>& row : layer.weights) WriteNumbers(writer, row);
    writer.EndArray();
    writer.Key("bias");
    WriteNumbers(writer, layer.bias);
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
}

}  // namespace

struct Model::Compiled {
  Eigen::RowVectorXd mean;
  Eigen::RowVectorXd inverse_std;
  std::vector<Eigen::MatrixXd> weights;  // inputs x outputs
  std::vector<Eigen::RowVectorXd> bias;

  // The normalized model columns of rows [first, first + count) of features.
  Eigen::MatrixXd Normalize(const FeatureMatrix& features, const std::vector<int>& columns,
                            int first, int count) const {
    Eigen::MatrixXd x(count, static_cast<Eigen::Index>(columns.size()));
    for (int i = 0; i < count; ++i) {
      for (size_t k = 0; k < columns.size(); ++k) {
        x(i, k) = (features.at(first + i, columns[k]) - mean[k]) * inverse_std[k];
      }
    }
    return x;
  }

  Eigen::VectorXd Forward(Eigen::MatrixXd h) const {
    for (size_t l = 0; l < weights.size(); ++l) {
      Eigen::MatrixXd z = h * weights[l];
      z.rowwise() += bias[l];
      if (l + 1 < weights.size()) z = z.cwiseMax(0.0);
      h = std::move(z);
    }
    return h.col(0);
  }
};

std::string_view ModelKindName(ModelKind kind) {
  return kind == ModelKind::kLinear ? "linear" : "mlp";
}

Model::Model(ModelParameters parameters, std::vector<int> columns,
             std::unique_ptr<Compiled> compiled)
    : parameters_(std::move(parameters)),
      columns_(std::move(columns)),
      feature_set_(FeatureSetOf(parameters_.features)),
      compiled_(std::move(compiled)) {}

Model::~Model() = default;

Result<std::shared_ptr<const Model>> Model::Create(ModelParameters parameters) {
  Result<std::vector<int>> columns = CheckFeatures(parameters.features);
  if (!columns.ok()) return columns.error();
  Status checked = CheckNormalization(parameters);
  if (checked.ok()) {
    checked =
        parameters.kind == ModelKind::kLinear ? CheckLinear(parameters) : CheckMlp(parameters);
  }
  if (checked.ok()) checked = CheckTrained(parameters.trained_json);
  if (checked.ok() && parameters.validation) {
    checked = internal::CheckValidation(*parameters.validation);
  }
  if (!checked.ok()) return checked.error();

  auto compiled = std::make_unique<Compiled>();
  const auto count = static_cast<Eigen::Index>(parameters.features.size());
  compiled->mean.resize(count);
  compiled->inverse_std.resize(count);
  for (Eigen::Index k = 0; k < count; ++k) {
    compiled->mean[k] = parameters.mean[k];
    compiled->inverse_std[k] = 1.0 / parameters.stddev[k];
  }
  for (const ModelLayer& layer : parameters.layers) {
    const auto inputs = static_cast<Eigen::Index>(layer.weights.size());
    const auto outputs = static_cast<Eigen::Index>(layer.bias.size());
    Eigen::MatrixXd weights(inputs, outputs);
    Eigen::RowVectorXd bias(outputs);
    for (Eigen::Index o = 0; o < outputs; ++o) {
      bias[o] = layer.bias[o];
      for (Eigen::Index i = 0; i < inputs; ++i) weights(i, o) = layer.weights[i][o];
    }
    compiled->weights.push_back(std::move(weights));
    compiled->bias.push_back(std::move(bias));
  }
  return std::shared_ptr<const Model>(
      new Model(std::move(parameters), std::move(*columns), std::move(compiled)));
}

Result<std::shared_ptr<const Model>> Model::FromJson(std::string_view json,
                                                     const std::string& origin) {
  rapidjson::Document document;
  if (Status parsed = ParseJson<rapidjson::kParseFullPrecisionFlag | rapidjson::kParseValidateEncodingFlag>(json, origin, document); !parsed.ok()) {
    return parsed.error();
  }
  Result<ModelParameters> parameters = ReadParameters(document);
  if (!parameters.ok()) return parameters.error().WithPrefix(origin);
  Result<std::shared_ptr<const Model>> model = Create(std::move(*parameters));
  if (!model.ok()) return model.error().WithPrefix(origin);
  return model;
}

Result<std::shared_ptr<const Model>> Model::Load(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  // A model a config names but that cannot be read (missing included) is unavailable: the
  // config is not the caller's input to fix, the deployment is.
  if (!text.ok()) return Error::Unavailable(text.error().message);
  return FromJson(*text, path);
}

std::string Model::ToJson() const {
  const ModelParameters& p = parameters_;
  rapidjson::StringBuffer buffer;
  PrettyWriter writer(buffer);
  writer.SetIndent(' ', 2);
  writer.SetFormatOptions(rapidjson::kFormatSingleLineArray);
  writer.StartObject();
  writer.Key("format");
  writer.String(kFormatName);
  writer.Key("version");
  writer.Int(kFormatVersion);
  writer.Key("kind");
  WriteJsonString(writer, kind());
  writer.Key("name");
  WriteJsonString(writer, p.name);
  writer.Key("features");
  writer.StartArray();
  for (const std::string& feature : p.features) WriteJsonString(writer, feature);
  writer.EndArray();
  writer.Key("normalization");
  writer.StartObject();
  writer.Key("mean");
  WriteNumbers(writer, p.mean);
  writer.Key("std");
  WriteNumbers(writer, p.stddev);
  writer.EndObject();
  WriteLayers(writer, p);
  if (!p.trained_json.empty()) {
    rapidjson::Document trained;
    trained.Parse<rapidjson::kParseFullPrecisionFlag>(p.trained_json.data(), p.trained_json.size());
    writer.Key("trained");
    trained.Accept(writer);
  }
  if (p.validation) {
    const std::string json = internal::ValidationJson(*p.validation);
    rapidjson::Document validation;
    validation.Parse<rapidjson::kParseFullPrecisionFlag>(json.data(), json.size());
    writer.Key("validation");
    validation.Accept(writer);
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

Status Model::Save(const std::string& path) const {
  return WriteFileAtomically(path, ToJson());
}

std::vector<double> Model::Score(const FeatureMatrix& features) const {
  assert(features.cols == kFeatureCount);
  Eigen::VectorXd scores =
      compiled_->Forward(compiled_->Normalize(features, columns_, 0, features.rows));
  return std::vector<double>(scores.data(), scores.data() + scores.size());
}

std::vector<double> Model::Contributions(const FeatureMatrix& features, int row) const {
  assert(features.cols == kFeatureCount && row >= 0 && row < features.rows);
  std::vector<double> contributions(kFeatureCount, 0.0);
  const Eigen::MatrixXd x = compiled_->Normalize(features, columns_, row, 1);
  const auto count = static_cast<Eigen::Index>(columns_.size());
  if (parameters_.kind == ModelKind::kLinear) {
    for (Eigen::Index k = 0; k < count; ++k) {
      contributions[columns_[k]] = compiled_->weights[0](k, 0) * x(0, k);
    }
    return contributions;
  }
  // Row 0 is the candidate as it is; row k + 1 has feature k at its training mean, which is 0
  // once normalized. One forward pass scores them all.
  Eigen::MatrixXd occluded = x.replicate(count + 1, 1);
  for (Eigen::Index k = 0; k < count; ++k) occluded(k + 1, k) = 0.0;
  const Eigen::VectorXd scores = compiled_->Forward(std::move(occluded));
  for (Eigen::Index k = 0; k < count; ++k) contributions[columns_[k]] = scores[0] - scores[k + 1];
  return contributions;
}

}  // namespace tailor::ranking
