#include "core/json.h"

#include <rapidjson/error/en.h>

#include <algorithm>
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

// The length of the longest prefix of token that is a well-formed JSON number with a zero
// significand and an exponent, -?0(\.0+)?[eE][+-]?[0-9]+; 0 when there is none. Only such a
// prefix is rewritten, so malformed text never becomes valid and its error stays in place:
// what follows it ("0e308e") still follows a number.
size_t ZeroWithExponentLength(std::string_view token) {
  size_t i = 0;
  if (i < token.size() && token[i] == '-') ++i;
  if (i >= token.size() || token[i] != '0') return 0;
  ++i;
  if (i < token.size() && token[i] == '.') {
    const size_t fraction = ++i;
    while (i < token.size() && token[i] == '0') ++i;
    if (i == fraction) return 0;
  }
  if (i >= token.size() || (token[i] != 'e' && token[i] != 'E')) return 0;
  ++i;
  if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
  const size_t exponent = i;
  while (i < token.size() && IsDigit(token[i])) ++i;
  return i > exponent ? i : 0;
}

// The length of a token's leading zero written with a fraction of two zeros or more and no
// exponent ("0.000", "-0.00"), else 0.
size_t ZeroFractionLength(std::string_view token) {
  size_t i = token[0] == '-' ? 1 : 0;
  if (i + 1 >= token.size() || token[i] != '0' || token[i + 1] != '.') return 0;
  i += 2;
  const size_t fraction = i;
  while (i < token.size() && token[i] == '0') ++i;
  if (i - fraction < 2) return 0;
  if (i < token.size() && (IsDigit(token[i]) || token[i] == 'e' || token[i] == 'E')) return 0;
  return i;
}

// The value of the \uXXXX escape at text[i] (text[i] == '\\'), -1 when it is not one.
int UnicodeEscape(std::string_view text, size_t i) {
  if (i + 6 > text.size() || text[i + 1] != 'u') return -1;
  int value = 0;
  for (size_t j = i + 2; j < i + 6; ++j) {
    const char c = text[j];
    int digit = -1;
    if (IsDigit(c)) digit = c - '0';
    if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

}  // namespace

namespace {

// Calls visit(start, token) for each number token of JSON text outside strings, in order,
// until it returns true. The whole run of number characters is one token, so a zero inside
// "10e5" is never taken for a number of its own.
template <typename Visit>
void ForEachNumberToken(std::string_view text, Visit visit) {
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
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
    size_t end = i;
    while (end < text.size() && IsNumberChar(text[end])) ++end;
    if (visit(i, text.substr(i, end - i))) return;
    i = end - 1;
  }
}

}  // namespace

std::string PlainZeros(std::string_view text) {
  // Replacements keep the length, so the tokens of text are at the same places in out.
  std::string out(text);
  ForEachNumberToken(text, [&out](size_t start, std::string_view token) {
    if (const size_t length = ZeroWithExponentLength(token)) {
      const std::string zero = token[0] == '-' ? "-0" : "0";
      out.replace(start, length, zero + std::string(length - zero.size(), ' '));
    } else if (const size_t zeros = ZeroFractionLength(token)) {
      const std::string zero = token[0] == '-' ? "-0.0" : "0.0";
      out.replace(start, zeros, zero + std::string(zeros - zero.size(), ' '));
    }
    return false;
  });
  return out;
}

namespace {

// Whether a number token is outside OutOfRangeNumberOffset's bounds.
bool OutOfRange(std::string_view token) {
  size_t i = token[0] == '-' ? 1 : 0;
  long digits = 0, leading_zeros = 0, integer_digits = 0;
  bool seen_nonzero = false, in_fraction = false;
  for (; i < token.size() && (IsDigit(token[i]) || token[i] == '.'); ++i) {
    if (token[i] == '.') {
      in_fraction = true;
      continue;
    }
    ++digits;
    if (!seen_nonzero && token[i] == '0') {
      if (in_fraction) ++leading_zeros;
      continue;
    }
    seen_nonzero = true;
    if (!in_fraction) ++integer_digits;
  }
  if (static_cast<size_t>(digits) > kMaxFullPrecisionDigits) return true;
  if (!seen_nonzero) return false;  // a zero, whatever its exponent
  long exponent = 0;
  if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    const bool negative = i < token.size() && token[i] == '-';
    if (i < token.size() && (token[i] == '-' || token[i] == '+')) ++i;
    for (; i < token.size() && IsDigit(token[i]); ++i) {
      exponent = std::min(exponent * 10 + (token[i] - '0'), 100000L);  // far out either way
    }
    if (negative) exponent = -exponent;
  }
  // The value is about 10^magnitude.
  const long magnitude = integer_digits > 0 ? exponent + integer_digits : exponent - leading_zeros;
  return magnitude > 309 || magnitude < -330;
}

}  // namespace

std::optional<size_t> OutOfRangeNumberOffset(std::string_view text) {
  std::optional<size_t> found;
  ForEachNumberToken(text, [&found](size_t start, std::string_view token) {
    if (OutOfRange(token)) found = start;
    return found.has_value();
  });
  return found;
}

std::optional<size_t> LoneLowSurrogateOffset(std::string_view text) {
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!in_string) {
      in_string = c == '"';
      continue;
    }
    if (c == '"') {
      in_string = false;
      continue;
    }
    if (c != '\\') continue;
    const int value = UnicodeEscape(text, i);
    if (value < 0) {
      ++i;  // the escaped character cannot end the string
      continue;
    }
    if (value >= 0xDC00 && value <= 0xDFFF) return i;
    i += 5;  // to the escape's last digit
    // A high surrogate takes the escape after it as its pair; RapidJSON checks that one.
    if (value >= 0xD800 && value <= 0xDBFF && i + 1 < text.size() && text[i + 1] == '\\' &&
        UnicodeEscape(text, i + 1) >= 0) {
      i += 6;
    }
  }
  return std::nullopt;
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
