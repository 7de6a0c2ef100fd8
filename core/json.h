// Parsing JSON text with RapidJSON into a document, the one way every module does it, so
// malformed JSON always reads "<origin>: invalid JSON at offset N: <reason>"; and the
// member checks of files read by schema (model files), whose errors name the JSON path
// ("mlp.layers[1].bias: required"). Options structs read through core/json_options.h.
//
// Functions are thread-safe; a document is the caller's.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tailor {

// Writes text as a JSON string with RapidJSON's writer (any Writer or PrettyWriter); a view
// need not be NUL-terminated.
template <typename Writer>
void WriteJsonString(Writer& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

// invalid_argument "<origin>: invalid JSON at offset <offset>: <RapidJSON's English reason>",
// or without "<origin>: " when origin is empty.
Error JsonParseError(std::string_view origin, rapidjson::ParseErrorCode code, size_t offset);

// text with every number whose digits are all zeros and that has an exponent ("0e308",
// "-0.00E-5") replaced by "0" or "-0", and every zero with a fraction of two zeros or more
// and no exponent ("0.000", "-0.00") by "0.0" or "-0.0", each padded with spaces to the
// same length; the rest, and so every offset, unchanged. RapidJSON 1.1 reads such numbers in
// full precision mode through DiyFp::Normalize(0), which is undefined: for the first kind it
// gives a tiny non-zero value (Tencent/rapidjson#1249, fixed after 1.1, not in Debian 12's
// package); for the second, from 23 fraction zeros on, it passes 0 to clz() (found by the
// model fuzzer). ParseJson reads full-precision text through this.
std::string PlainZeros(std::string_view text);

// The offset of the first number token whose value is out of a double's range (its decimal
// exponent, the digits before the point counted, above 309 or below -330) or that has more
// than kMaxFullPrecisionDigits digits; nullopt when there is none. RapidJSON 1.1's full
// precision path reads such a number past the end of its table of cached powers
// (internal/diyfp.h, GetCachedPower; found by tests/fuzz's model target), so ParseJson
// refuses it there with kParseErrorNumberTooBig at its offset.
inline constexpr size_t kMaxFullPrecisionDigits = 400;
std::optional<size_t> OutOfRangeNumberOffset(std::string_view text);

// The offset of the first \uXXXX escape in a string of text that is a low surrogate
// (DC00-DFFF) without a high one before it; nullopt when there is none. RapidJSON 1.1 accepts
// such an escape even with kParseValidateEncodingFlag and stores it as bytes that are not
// UTF-8, which then reach stored records, logs and answers; ParseJson refuses it there.
std::optional<size_t> LoneLowSurrogateOffset(std::string_view text);

// Parses text into document with RapidJSON's kFlags (kParseValidateEncodingFlag for text
// from outside, which also refuses a lone low surrogate escape; kParseFullPrecisionFlag for
// numbers that must read back exactly). Errors: JsonParseError's. Document is any
// rapidjson::GenericDocument.
template <unsigned kFlags = rapidjson::kParseDefaultFlags, typename Document>
Status ParseJson(std::string_view text, std::string_view origin, Document& document) {
  if constexpr ((kFlags & rapidjson::kParseValidateEncodingFlag) != 0) {
    if (std::optional<size_t> offset = LoneLowSurrogateOffset(text)) {
      return JsonParseError(origin, rapidjson::kParseErrorStringUnicodeSurrogateInvalid, *offset);
    }
  }
  if constexpr ((kFlags & rapidjson::kParseFullPrecisionFlag) != 0) {
    if (std::optional<size_t> offset = OutOfRangeNumberOffset(text)) {
      return JsonParseError(origin, rapidjson::kParseErrorNumberTooBig, *offset);
    }
    const std::string fixed = PlainZeros(text);
    document.template Parse<kFlags>(fixed.data(), fixed.size());
  } else {
    document.template Parse<kFlags>(text.data(), text.size());
  }
  if (!document.HasParseError()) return Status::Ok();
  return JsonParseError(origin, document.GetParseError(), document.GetErrorOffset());
}

// "path.key", or "key" at the root (empty path).
std::string JsonPath(std::string_view path, std::string_view key);
// "path[i]".
std::string JsonIndex(std::string_view path, size_t i);
// invalid_argument "path: message", or "message" at the root.
Error JsonError(std::string_view path, std::string_view message);

// Whether every key a schema names must be present.
enum class JsonMembers { kSomeOptional, kAllRequired };
// Checks that value is an object whose keys are all among `keys` (and, with kAllRequired,
// that it has each of them). Errors: invalid_argument "PATH: must be an object",
// "PATH.KEY: unknown key", "PATH.KEY: required".
Status CheckJsonMembers(const rapidjson::Value& value, std::string_view path,
                        std::initializer_list<std::string_view> keys,
                        JsonMembers required = JsonMembers::kSomeOptional);
// The member key of object. Errors: invalid_argument "PATH.KEY: required".
Result<const rapidjson::Value*> RequiredJsonMember(const rapidjson::Value& object,
                                                   std::string_view path, const char* key);

}  // namespace tailor
