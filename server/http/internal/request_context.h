// The request context every ranking endpoint takes (visitor, explain, personalize, variant),
// read one way whether it comes from a query string (GET /search, GET /recommendations) or a
// JSON body (POST /search, POST /rerank), and the one visitor check, which the profile
// endpoints apply to the visitor in their path too. Internal to server/http: the endpoints'
// parsers hand it the keys it knows and keep their own.
#pragma once

#include <rapidjson/fwd.h>

#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"
#include "server/engine.h"

namespace tailor::server::http::internal {

// The longest variant name and filter value a request may give, so one request cannot make
// the query parser chew on a megabyte of text.
inline constexpr size_t kMaxNameBytes = 256;

// Parses a request body that must be a JSON object into document. Errors: invalid_argument
// "body: invalid JSON at offset 12: ..." with RapidJSON's reason, "body: must be a JSON
// object".
Status ParseJsonObjectBody(std::string_view body, rapidjson::Document& document);

// Whether key is a context parameter: "visitor", "explain", "personalize" or "variant".
bool IsContextKey(std::string_view key);

// Whether text is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Free text a request gives: valid UTF-8 of at most max_bytes. Errors: invalid_argument
// naming key ("q: must be valid UTF-8", "q: must be at most 1024 bytes").
Status CheckText(std::string_view key, std::string_view text, size_t max_bytes);

// A visitor id: at most Event::kMaxVisitorBytes, as events require. Errors: invalid_argument
// "visitor: must be at most 256 bytes".
Status CheckVisitor(std::string_view visitor);

// Whether text is a whole number of T's type (an integer, or a floating-point number for
// double) and nothing else; value holds it when so.
template <typename T>
bool ParseWhole(std::string_view text, T& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

// Sets the context parameter key from a query-string value: visitor and variant as text
// (CheckText; the visitor also CheckVisitor), explain and personalize as "true" or "1",
// "false" or "0". Requires: IsContextKey(key). Errors: invalid_argument naming key.
Status SetContextParam(std::string_view key, std::string value, SearchContext& context);

// Sets the context parameter key from a JSON value: visitor and variant strings checked as
// above, explain and personalize booleans. Requires: IsContextKey(key). Errors:
// invalid_argument naming key ("visitor: must be a string", "explain: must be true or false").
Status SetContextField(std::string_view key, const rapidjson::Value& value, SearchContext& context);

}  // namespace tailor::server::http::internal
