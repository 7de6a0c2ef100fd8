#include "ranking/scoring/internal/model_validation.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <initializer_list>
#include <limits>
#include <string_view>

#include "core/json.h"

namespace tailor::ranking::internal {
namespace {

using rapidjson::Value;

constexpr const char* kRoot = "validation";

Status CheckKeys(const Value& object, const std::string& path,
                 std::initializer_list<std::string_view> keys) {
  return CheckJsonMembers(object, path, keys, JsonMembers::kAllRequired);
}

// Reads members of one object into typed targets, stopping at the first error.
class Reader {
 public:
  Reader(const Value& object, std::string path) : object_(object), path_(std::move(path)) {}

  void Number(const char* key, double& target) {
    const Value* v = Find(key);
    if (v == nullptr) return;
    if (!v->IsNumber()) return Fail(key, "must be a number");
    target = v->GetDouble();
  }
  template <typename Int>
  void Integer(const char* key, Int& target) {
    const Value* v = Find(key);
    if (v == nullptr) return;
    if (!v->IsInt64() || v->GetInt64() < std::numeric_limits<Int>::min() ||
        v->GetInt64() > std::numeric_limits<Int>::max()) {
      return Fail(key, "must be an integer");
    }
    target = static_cast<Int>(v->GetInt64());
  }
  void Unsigned(const char* key, uint64_t& target) {
    const Value* v = Find(key);
    if (v == nullptr) return;
    if (!v->IsUint64()) return Fail(key, "must be an unsigned integer");
    target = v->GetUint64();
  }
  void Boolean(const char* key, bool& target) {
    const Value* v = Find(key);
    if (v == nullptr) return;
    if (!v->IsBool()) return Fail(key, "must be true or false");
    target = v->GetBool();
  }
  void Text(const char* key, std::string& target) {
    const Value* v = Find(key);
    if (v == nullptr) return;
    if (!v->IsString()) return Fail(key, "must be a string");
    target.assign(v->GetString(), v->GetStringLength());
  }
  // Each element of the array at key, read by read(element, its path).
  template <typename T, typename Read>
  void Array(const char* key, std::vector<T>& target, Read read) {
    const Value* v = Find(key);
    if (v == nullptr) return;
    if (!v->IsArray()) return Fail(key, "must be an array");
    for (rapidjson::SizeType i = 0; i < v->Size() && status_.ok(); ++i) {
      Result<T> element = read((*v)[i], JsonIndex(path_ + "." + key, i));
      if (!element.ok()) {
        status_ = element.error();
        return;
      }
      target.push_back(std::move(*element));
    }
  }
  const Status& status() const { return status_; }

 private:
  const Value* Find(const char* key) const {
    if (!status_.ok()) return nullptr;
    auto it = object_.FindMember(key);
    return it == object_.MemberEnd() ? nullptr : &it->value;
  }
  void Fail(const char* key, const char* message) {
    status_ = JsonError(path_ + "." + key, message);
  }

  const Value& object_;
  std::string path_;
  Status status_ = Status::Ok();
};

Result<ValidationSeed> ReadSeed(const Value& value, const std::string& path) {
  if (Status keys = CheckKeys(value, path, {"seed", "debiased_ndcg10", "ndcg10", "best_epoch"});
      !keys.ok()) {
    return keys.error();
  }
  ValidationSeed seed;
  Reader reader(value, path);
  reader.Unsigned("seed", seed.seed);
  reader.Number("debiased_ndcg10", seed.debiased_ndcg10);
  reader.Number("ndcg10", seed.ndcg10);
  reader.Integer("best_epoch", seed.best_epoch);
  if (!reader.status().ok()) return reader.status().error();
  return seed;
}

Result<ValidationSource> ReadSource(const Value& value, const std::string& path) {
  if (Status keys = CheckKeys(value, path,
                              {"name", "replay", "train_queries", "validation_queries",
                               "skipped_queries", "validation_from_ms"});
      !keys.ok()) {
    return keys.error();
  }
  ValidationSource source;
  Reader reader(value, path);
  reader.Text("name", source.name);
  reader.Boolean("replay", source.replay);
  reader.Integer("train_queries", source.train_queries);
  reader.Integer("validation_queries", source.validation_queries);
  reader.Integer("skipped_queries", source.skipped_queries);
  reader.Integer("validation_from_ms", source.validation_from_ms);
  if (!reader.status().ok()) return reader.status().error();
  return source;
}

Status CheckUnit(double value, const std::string& path) {
  if (std::isfinite(value) && value >= 0 && value <= 1) return Status::Ok();
  return JsonError(path, "must be in [0, 1]");
}

Status CheckAtLeast(int64_t value, int64_t min_value, const std::string& path) {
  if (value >= min_value) return Status::Ok();
  return JsonError(path, "must be >= " + std::to_string(min_value));
}

Status CheckSeeds(const ValidationFigures& v) {
  const std::string path = std::string(kRoot) + ".seeds";
  if (v.seeds.empty()) return JsonError(path, "must name at least one seed");
  bool kept = false;
  for (size_t i = 0; i < v.seeds.size(); ++i) {
    const std::string at = JsonIndex(path, i);
    for (Status status : {CheckUnit(v.seeds[i].debiased_ndcg10, at + ".debiased_ndcg10"),
                          CheckUnit(v.seeds[i].ndcg10, at + ".ndcg10"),
                          CheckAtLeast(v.seeds[i].best_epoch, 1, at + ".best_epoch")}) {
      if (!status.ok()) return status;
    }
    kept = kept || v.seeds[i].seed == v.seed;
  }
  if (!kept) return JsonError(std::string(kRoot) + ".seed", "is not among the seeds tried");
  return Status::Ok();
}

Status CheckSources(const ValidationFigures& v) {
  const std::string path = std::string(kRoot) + ".sources";
  if (v.sources.empty()) return JsonError(path, "must name at least one source");
  for (size_t i = 0; i < v.sources.size(); ++i) {
    const std::string at = JsonIndex(path, i);
    const ValidationSource& s = v.sources[i];
    for (Status status : {CheckAtLeast(s.train_queries, 0, at + ".train_queries"),
                          CheckAtLeast(s.validation_queries, 0, at + ".validation_queries"),
                          CheckAtLeast(s.skipped_queries, 0, at + ".skipped_queries"),
                          CheckAtLeast(s.validation_from_ms, 0, at + ".validation_from_ms")}) {
      if (!status.ok()) return status;
    }
  }
  return Status::Ok();
}

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void WriteNumber(Writer& w, const char* key, double value) {
  w.Key(key);
  w.Double(value);
}

void WriteInteger(Writer& w, const char* key, int64_t value) {
  w.Key(key);
  w.Int64(value);
}

void WriteSeeds(Writer& w, const std::vector<ValidationSeed>& seeds) {
  w.Key("seeds");
  w.StartArray();
  for (const ValidationSeed& seed : seeds) {
    w.StartObject();
    w.Key("seed");
    w.Uint64(seed.seed);
    WriteNumber(w, "debiased_ndcg10", seed.debiased_ndcg10);
    WriteNumber(w, "ndcg10", seed.ndcg10);
    WriteInteger(w, "best_epoch", seed.best_epoch);
    w.EndObject();
  }
  w.EndArray();
}

void WriteSources(Writer& w, const std::vector<ValidationSource>& sources) {
  w.Key("sources");
  w.StartArray();
  for (const ValidationSource& source : sources) {
    w.StartObject();
    w.Key("name");
    w.String(source.name.data(), static_cast<rapidjson::SizeType>(source.name.size()));
    w.Key("replay");
    w.Bool(source.replay);
    WriteInteger(w, "train_queries", source.train_queries);
    WriteInteger(w, "validation_queries", source.validation_queries);
    WriteInteger(w, "skipped_queries", source.skipped_queries);
    WriteInteger(w, "validation_from_ms", source.validation_from_ms);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

Result<ValidationFigures> ReadValidation(const Value& value) {
  if (Status keys = CheckKeys(value, kRoot,
                              {"debiased_ndcg10", "ndcg10", "logged_debiased_ndcg10",
                               "logged_ndcg10", "queries", "pairs", "best_epoch", "seed",
                               "position_bias_eta", "validation_from_ms", "seeds", "sources"});
      !keys.ok()) {
    return keys.error();
  }
  ValidationFigures v;
  Reader reader(value, kRoot);
  reader.Number("debiased_ndcg10", v.debiased_ndcg10);
  reader.Number("ndcg10", v.ndcg10);
  reader.Number("logged_debiased_ndcg10", v.logged_debiased_ndcg10);
  reader.Number("logged_ndcg10", v.logged_ndcg10);
  reader.Integer("queries", v.queries);
  reader.Integer("pairs", v.pairs);
  reader.Integer("best_epoch", v.best_epoch);
  reader.Unsigned("seed", v.seed);
  reader.Number("position_bias_eta", v.position_bias_eta);
  reader.Integer("validation_from_ms", v.validation_from_ms);
  reader.Array("seeds", v.seeds, ReadSeed);
  reader.Array("sources", v.sources, ReadSource);
  if (!reader.status().ok()) return reader.status().error();
  return v;
}

Status CheckValidation(const ValidationFigures& v) {
  const std::string root = kRoot;
  for (Status status :
       {CheckUnit(v.debiased_ndcg10, root + ".debiased_ndcg10"),
        CheckUnit(v.ndcg10, root + ".ndcg10"),
        CheckUnit(v.logged_debiased_ndcg10, root + ".logged_debiased_ndcg10"),
        CheckUnit(v.logged_ndcg10, root + ".logged_ndcg10"),
        CheckAtLeast(v.queries, 1, root + ".queries"), CheckAtLeast(v.pairs, 0, root + ".pairs"),
        CheckAtLeast(v.best_epoch, 1, root + ".best_epoch"),
        CheckAtLeast(v.validation_from_ms, 0, root + ".validation_from_ms"), CheckSeeds(v),
        CheckSources(v)}) {
    if (!status.ok()) return status;
  }
  if (!std::isfinite(v.position_bias_eta) || v.position_bias_eta < 0) {
    return JsonError(root + ".position_bias_eta", "must be a finite number >= 0");
  }
  return Status::Ok();
}

std::string ValidationJson(const ValidationFigures& v) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  WriteNumber(w, "debiased_ndcg10", v.debiased_ndcg10);
  WriteNumber(w, "ndcg10", v.ndcg10);
  WriteNumber(w, "logged_debiased_ndcg10", v.logged_debiased_ndcg10);
  WriteNumber(w, "logged_ndcg10", v.logged_ndcg10);
  WriteInteger(w, "queries", v.queries);
  WriteInteger(w, "pairs", v.pairs);
  WriteInteger(w, "best_epoch", v.best_epoch);
  w.Key("seed");
  w.Uint64(v.seed);
  WriteNumber(w, "position_bias_eta", v.position_bias_eta);
  WriteInteger(w, "validation_from_ms", v.validation_from_ms);
  WriteSeeds(w, v.seeds);
  WriteSources(w, v.sources);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace tailor::ranking::internal
