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

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsNumberChar(char c) {
  return IsDigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// Whether token is exactly -?0(\.0+)?[eE][+-]?[0-9]+: a well-formed JSON number, so that
// rewriting it never turns malformed text into valid JSON.
bool IsZeroWithExponent(std::string_view token) {
  size_t i = 0;
  if (i < token.size() && token[i] == '-') ++i;
  if (i >= token.size() || token[i] != '0') return false;
  ++i;
  if (i < token.size() && token[i] == '.') {
    const size_t fraction = ++i;
    while (i < token.size() && token[i] == '0') ++i;
    if (i == fraction) return false;
  }
  if (i >= token.size() || (token[i] != 'e' && token[i] != 'E')) return false;
  ++i;
  if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
  const size_t exponent = i;
  while (i < token.size() && IsDigit(token[i])) ++i;
  return i > exponent && i == token.size();
}

}  // namespace

std::string PlainZerosForZeroExponents(std::string_view text) {
  std::string out(text);
  bool in_string = false;
  for (size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c != '-' && !IsDigit(c)) continue;
    // The whole run of number characters is one token, so a zero inside "10e5" is never
    // taken for a number of its own.
    size_t end = i;
    while (end < out.size() && IsNumberChar(out[end])) ++end;
    if (IsZeroWithExponent(std::string_view(out).substr(i, end - i))) {
      const std::string zero = c == '-' ? "-0" : "0";
      out.replace(i, end - i, zero + std::string(end - i - zero.size(), ' '));
    }
    i = end - 1;
  }
  return out;
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
