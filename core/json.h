// Parsing JSON text with RapidJSON into a document, the one way every module does it, so
// malformed JSON always reads "<origin>: invalid JSON at offset N: <reason>".
//
// Functions are thread-safe; a document is the caller's.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <string_view>

#include "core/result.h"

namespace tailor {

// invalid_argument "<origin>: invalid JSON at offset <offset>: <RapidJSON's English reason>",
// or without "<origin>: " when origin is empty.
Error JsonParseError(std::string_view origin, rapidjson::ParseErrorCode code, size_t offset);

// Parses text into document with RapidJSON's kFlags (kParseValidateEncodingFlag for text
// from outside; kParseFullPrecisionFlag for numbers that must read back exactly). Errors:
// JsonParseError's. Document is any rapidjson::GenericDocument.
template <unsigned kFlags = rapidjson::kParseDefaultFlags, typename Document>
Status ParseJson(std::string_view text, std::string_view origin, Document& document) {
  document.template Parse<kFlags>(text.data(), text.size());
  if (!document.HasParseError()) return Status::Ok();
  return JsonParseError(origin, document.GetParseError(), document.GetErrorOffset());
}

}  // namespace tailor
