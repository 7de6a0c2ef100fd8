#include "searcher/options.h"

#include <cmath>
#include <functional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tailor::searcher {
namespace {

// One accepted key: how to read it and where it goes.
struct Field {
  std::string_view key;
  std::function<Status(const rapidjson::Value&, SearcherOptions&, const std::string&)> read;
};

Field IntField(std::string_view key, int SearcherOptions::*member, int min_value) {
  return {key, [member, min_value](const rapidjson::Value& value, SearcherOptions& options,
                                   const std::string& path) -> Status {
            if (!value.IsInt()) return Error::InvalidArgument(path + ": must be an integer");
            if (value.GetInt() < min_value) {
              return Error::InvalidArgument(path + ": must be " +
                                            (min_value == 0 ? std::string(">= 0") : "> 0"));
            }
            options.*member = value.GetInt();
            return Status::Ok();
          }};
}

Field DoubleField(std::string_view key, double SearcherOptions::*member, double max_value) {
  return {key, [member, max_value](const rapidjson::Value& value, SearcherOptions& options,
                                   const std::string& path) -> Status {
            if (!value.IsNumber()) return Error::InvalidArgument(path + ": must be a number");
            double number = value.GetDouble();
            if (!std::isfinite(number) || number < 0) {
              return Error::InvalidArgument(path + ": must be >= 0");
            }
            if (number > max_value) {
              std::ostringstream limit;
              limit << max_value;  // "1", not std::to_string's "1.000000"
              return Error::InvalidArgument(path + ": must be at most " + limit.str());
            }
            options.*member = number;
            return Status::Ok();
          }};
}

Field BoolField(std::string_view key, bool SearcherOptions::*member) {
  return {key, [member](const rapidjson::Value& value, SearcherOptions& options,
                        const std::string& path) -> Status {
            if (!value.IsBool()) return Error::InvalidArgument(path + ": must be true or false");
            options.*member = value.GetBool();
            return Status::Ok();
          }};
}

// A string key with a fixed set of values, e.g. "relax_mode": "fill" | "replace" | "off".
template <typename Enum>
Field EnumField(std::string_view key, Enum SearcherOptions::*member,
                std::vector<std::pair<std::string_view, Enum>> values) {
  return {key, [member, values](const rapidjson::Value& value, SearcherOptions& options,
                                const std::string& path) -> Status {
            std::string names;
            for (const auto& [name, choice] : values) {
              if (value.IsString() && name == value.GetString()) {
                options.*member = choice;
                return Status::Ok();
              }
              names += (names.empty() ? "\"" : ", \"") + std::string(name) + "\"";
            }
            return Error::InvalidArgument(path + ": must be one of " + names);
          }};
}

const std::vector<Field>& Fields() {
  static const std::vector<Field> kFields = {
      IntField("default_limit", &SearcherOptions::default_limit, 0),
      IntField("max_limit", &SearcherOptions::max_limit, 1),
      IntField("max_offset", &SearcherOptions::max_offset, 0),
      IntField("facet_values", &SearcherOptions::facet_values, 0),
      IntField("exact_total_up_to", &SearcherOptions::exact_total_up_to, 0),
      IntField("refresh_interval_ms", &SearcherOptions::refresh_interval_ms, 0),
      IntField("max_depth", &SearcherOptions::max_depth, 1),
      DoubleField("bm25_k1", &SearcherOptions::bm25_k1, 1000),
      DoubleField("bm25_k2", &SearcherOptions::bm25_k2, 1000),
      DoubleField("bm25_k3", &SearcherOptions::bm25_k3, 1000),
      DoubleField("bm25_b", &SearcherOptions::bm25_b, 1),
      DoubleField("bm25_min_normlen", &SearcherOptions::bm25_min_normlen, 1000),
      EnumField<RelaxMode>("relax_mode", &SearcherOptions::relax_mode,
                           {{"fill", RelaxMode::kFill},
                            {"replace", RelaxMode::kReplace},
                            {"off", RelaxMode::kOff}}),
      IntField("relax_below", &SearcherOptions::relax_below, 1),
      EnumField<PrefixMode>("prefix_last_word", &SearcherOptions::prefix_last_word,
                            {{"auto", PrefixMode::kAuto},
                             {"on", PrefixMode::kOn},
                             {"off", PrefixMode::kOff}}),
      BoolField("spelling_rerun", &SearcherOptions::spelling_rerun),
      BoolField("normalize_measurements", &SearcherOptions::normalize_measurements),
      BoolField("stopwords", &SearcherOptions::stopwords),
      IntField("partial_max_expansion", &SearcherOptions::partial_max_expansion, 1),
      IntField("wildcard_max_expansion", &SearcherOptions::wildcard_max_expansion, 1),
  };
  return kFields;
}

}  // namespace

Result<SearcherOptions> ParseSearcherOptions(const rapidjson::Value& json) {
  if (!json.IsObject()) return Error::InvalidArgument("searcher: must be an object");
  SearcherOptions options;
  for (auto it = json.MemberBegin(); it != json.MemberEnd(); ++it) {
    std::string_view key(it->name.GetString(), it->name.GetStringLength());
    std::string path = "searcher." + std::string(key);
    const Field* field = nullptr;
    for (const Field& candidate : Fields()) {
      if (candidate.key == key) field = &candidate;
    }
    if (field == nullptr) return Error::InvalidArgument(path + ": unknown key");
    Status status = field->read(it->value, options, path);
    if (!status.ok()) return status.error();
  }
  if (options.default_limit > options.max_limit) {
    return Error::InvalidArgument("searcher.default_limit: must be at most max_limit (" +
                                  std::to_string(options.max_limit) + ")");
  }
  return options;
}

}  // namespace tailor::searcher
