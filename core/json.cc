#include "core/json.h"

#include <rapidjson/error/en.h>

#include <string>

namespace tailor {

Error JsonParseError(std::string_view origin, rapidjson::ParseErrorCode code, size_t offset) {
  std::string message = origin.empty() ? "" : std::string(origin) + ": ";
  message += "invalid JSON at offset " + std::to_string(offset) + ": " +
             rapidjson::GetParseError_En(code);
  return Error::InvalidArgument(std::move(message));
}

std::string JsonPath(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : std::string(path) + "." + std::string(key);
}

std::string JsonIndex(std::string_view path, size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

Error JsonError(std::string_view path, std::string_view message) {
  return Error::InvalidArgument(path.empty() ? std::string(message)
                                             : std::string(path) + ": " + std::string(message));
}

Status CheckJsonMembers(const rapidjson::Value& value, std::string_view path,
                        std::initializer_list<std::string_view> keys, JsonMembers required) {
  if (!value.IsObject()) return JsonError(path, "must be an object");
  for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
    const std::string_view key(it->name.GetString(), it->name.GetStringLength());
    bool known = false;
    for (std::string_view allowed : keys) known = known || allowed == key;
    if (!known) return JsonError(JsonPath(path, key), "unknown key");
  }
  if (required == JsonMembers::kAllRequired) {
    for (std::string_view key : keys) {
      if (!value.HasMember(std::string(key).c_str())) {
        return JsonError(JsonPath(path, key), "required");
      }
    }
  }
  return Status::Ok();
}

Result<const rapidjson::Value*> RequiredJsonMember(const rapidjson::Value& object,
                                                   std::string_view path, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return JsonError(JsonPath(path, key), "required");
  return &it->value;
}

}  // namespace tailor
