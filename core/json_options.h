// Reading an options struct from a JSON object of a config file, the one way every module
// does it (STYLE.md section 6): each accepted key is declared once with its bounds; unknown
// keys, wrong types and values out of range are invalid_argument errors naming the key
// path ("profiles.half_life_hours: must be > 0").
//
//   json_options::Reader<ProfileOptions> reader;
//   reader.Double("half_life_hours", &ProfileOptions::half_life_hours, 0, 1e6,
//                 json_options::Bound::kExclusive)
//       .Int("max_brands", &ProfileOptions::max_brands, 1, 4096);
//   ProfileOptions options;
//   Status status = reader.Read(json, "profiles", options);
#pragma once

#include <rapidjson/document.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace tailor::json_options {

// Whether a lower bound itself is allowed (">= 0") or not ("> 0").
enum class Bound { kInclusive, kExclusive };

template <typename Options>
class Reader {
 public:
  Reader& Int(std::string_view key, int Options::*member, int min_value,
              int max_value = std::numeric_limits<int>::max(), Bound lower = Bound::kInclusive) {
    return Add(key, [=](const rapidjson::Value& value, Options& options,
                        const std::string& path) -> Status {
      if (!value.IsInt()) return Error::InvalidArgument(path + ": must be an integer");
      Status range = CheckRange(value.GetInt(), min_value, max_value, lower, path);
      if (range.ok()) options.*member = value.GetInt();
      return range;
    });
  }

  Reader& Int64(std::string_view key, int64_t Options::*member, int64_t min_value,
                int64_t max_value = std::numeric_limits<int64_t>::max()) {
    return Add(key, [=](const rapidjson::Value& value, Options& options,
                        const std::string& path) -> Status {
      if (!value.IsInt64()) return Error::InvalidArgument(path + ": must be an integer");
      Status range = CheckRange(value.GetInt64(), min_value, max_value, Bound::kInclusive, path);
      if (range.ok()) options.*member = value.GetInt64();
      return range;
    });
  }

  Reader& Double(std::string_view key, double Options::*member, double min_value,
                 double max_value, Bound lower = Bound::kInclusive) {
    return Add(key, [=](const rapidjson::Value& value, Options& options,
                        const std::string& path) -> Status {
      if (!value.IsNumber() || !std::isfinite(value.GetDouble())) {
        return Error::InvalidArgument(path + ": must be a number");
      }
      Status range = CheckRange(value.GetDouble(), min_value, max_value, lower, path);
      if (range.ok()) options.*member = value.GetDouble();
      return range;
    });
  }

  Reader& Bool(std::string_view key, bool Options::*member) {
    return Add(key, [=](const rapidjson::Value& value, Options& options,
                        const std::string& path) -> Status {
      if (!value.IsBool()) return Error::InvalidArgument(path + ": must be true or false");
      options.*member = value.GetBool();
      return Status::Ok();
    });
  }

  Reader& String(std::string_view key, std::string Options::*member) {
    return Add(key, [=](const rapidjson::Value& value, Options& options,
                        const std::string& path) -> Status {
      if (!value.IsString()) return Error::InvalidArgument(path + ": must be a string");
      options.*member = std::string(value.GetString(), value.GetStringLength());
      return Status::Ok();
    });
  }

  // A string key with a fixed set of values, e.g. "fsync": "batch" | "interval" | "none".
  template <typename Enum>
  Reader& Choice(std::string_view key, Enum Options::*member,
                 std::vector<std::pair<std::string_view, Enum>> choices) {
    return Add(key, [=](const rapidjson::Value& value, Options& options,
                        const std::string& path) -> Status {
      std::string names;
      for (const auto& [name, choice] : choices) {
        if (value.IsString() && name == value.GetString()) {
          options.*member = choice;
          return Status::Ok();
        }
        names += (names.empty() ? "\"" : ", \"") + std::string(name) + "\"";
      }
      return Error::InvalidArgument(path + ": must be one of " + names);
    });
  }

  // Any other key: read(value, options, path) does the checking.
  using ReadFn = std::function<Status(const rapidjson::Value&, Options&, const std::string&)>;
  Reader& Custom(std::string_view key, ReadFn read) { return Add(key, std::move(read)); }

  // Reads every member of json into options (keys it does not name keep their values).
  // Errors: invalid_argument "PATH: must be an object", "PATH.KEY: unknown key", or the
  // key's own ("PATH.KEY: must be >= 0").
  Status Read(const rapidjson::Value& json, std::string_view path, Options& options) const {
    if (!json.IsObject()) return Error::InvalidArgument(std::string(path) + ": must be an object");
    for (auto it = json.MemberBegin(); it != json.MemberEnd(); ++it) {
      std::string_view key(it->name.GetString(), it->name.GetStringLength());
      std::string member_path = path.empty() ? std::string(key)
                                             : std::string(path) + "." + std::string(key);
      const Field* field = nullptr;
      for (const Field& candidate : fields_) {
        if (candidate.key == key) field = &candidate;
      }
      if (field == nullptr) return Error::InvalidArgument(member_path + ": unknown key");
      if (Status status = field->read(it->value, options, member_path); !status.ok()) {
        return status;
      }
    }
    return Status::Ok();
  }

 private:
  struct Field {
    std::string key;
    ReadFn read;
  };

  Reader& Add(std::string_view key, ReadFn read) {
    fields_.push_back(Field{std::string(key), std::move(read)});
    return *this;
  }

  template <typename T>
  static std::string Format(T number) {
    std::ostringstream text;
    text << number;  // "1", not std::to_string's "1.000000"
    return text.str();
  }

  template <typename T>
  static Status CheckRange(T number, T min_value, T max_value, Bound lower,
                           const std::string& path) {
    if (lower == Bound::kExclusive && !(number > min_value)) {
      return Error::InvalidArgument(path + ": must be > " + Format(min_value));
    }
    if (lower == Bound::kInclusive && number < min_value) {
      return Error::InvalidArgument(path + ": must be >= " + Format(min_value));
    }
    if (number > max_value) {
      return Error::InvalidArgument(path + ": must be at most " + Format(max_value));
    }
    return Status::Ok();
  }

  std::vector<Field> fields_;
};

}  // namespace tailor::json_options
