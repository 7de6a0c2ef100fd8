#include "server/http/internal/request_context.h"

#include <rapidjson/document.h>

#include <cstdint>
#include <utility>

#include "core/event.h"
#include "core/json.h"

namespace tailor::server::http::internal {
namespace {

Error Bad(std::string_view key, std::string_view what) {
  return Error::InvalidArgument(std::string(key) + ": " + std::string(what));
}

Status CheckLength(std::string_view key, std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes) {
    return Bad(key, "must be at most " + std::to_string(max_bytes) + " bytes");
  }
  return Status::Ok();
}

Status SetText(std::string_view key, std::string value, SearchContext& context) {
  if (!IsValidUtf8(value)) return Bad(key, "must be valid UTF-8");
  const bool visitor = key == "visitor";
  Status checked = visitor ? CheckVisitor(value) : CheckLength(key, value, kMaxNameBytes);
  if (!checked.ok()) return checked;
  (visitor ? context.visitor : context.variant) = std::move(value);
  return Status::Ok();
}

void SetBool(std::string_view key, bool value, SearchContext& context) {
  (key == "explain" ? context.explain : context.personalize) = value;
}

// How many continuation bytes follow a UTF-8 lead byte; -1 for a byte that cannot lead.
int ContinuationBytes(unsigned char lead) {
  if (lead < 0x80) return 0;
  if ((lead & 0xe0) == 0xc0) return 1;
  if ((lead & 0xf0) == 0xe0) return 2;
  if ((lead & 0xf8) == 0xf0) return 3;
  return -1;
}

bool IsText(std::string_view key) { return key == "visitor" || key == "variant"; }

}  // namespace

Status ParseJsonObjectBody(std::string_view body, rapidjson::Document& document) {
  if (Status parsed = ParseJson<rapidjson::kParseValidateEncodingFlag>(body, "body", document);
      !parsed.ok()) {
    return parsed;
  }
  if (!document.IsObject()) return Error::InvalidArgument("body: must be a JSON object");
  return Status::Ok();
}

bool IsContextKey(std::string_view key) {
  return IsText(key) || key == "explain" || key == "personalize";
}

bool IsValidUtf8(std::string_view text) {
  static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    const int extra = ContinuationBytes(c);
    if (extra < 0 || i + extra >= text.size()) return false;
    uint32_t code_point = extra == 0 ? c : c & (0x3f >> extra);
    for (int k = 1; k <= extra; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3f);
    }
    if (code_point < kMinForLength[extra] || code_point > 0x10ffff ||
        (code_point >= 0xd800 && code_point <= 0xdfff)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

Status CheckText(std::string_view key, std::string_view text, size_t max_bytes) {
  if (!IsValidUtf8(text)) return Bad(key, "must be valid UTF-8");
  return CheckLength(key, text, max_bytes);
}

Status CheckVisitor(std::string_view visitor) {
  return CheckLength("visitor", visitor, Event::kMaxVisitorBytes);
}

Status SetContextParam(std::string_view key, std::string value, SearchContext& context) {
  if (IsText(key)) return SetText(key, std::move(value), context);
  if (value == "true" || value == "1") {
    SetBool(key, true, context);
  } else if (value == "false" || value == "0") {
    SetBool(key, false, context);
  } else {
    return Bad(key, "must be true or false");
  }
  return Status::Ok();
}

Status SetContextField(std::string_view key, const rapidjson::Value& value,
                       SearchContext& context) {
  if (IsText(key)) {
    if (!value.IsString()) return Bad(key, "must be a string");
    return SetText(key, std::string(value.GetString(), value.GetStringLength()), context);
  }
  if (!value.IsBool()) return Bad(key, "must be true or false");
  SetBool(key, value.GetBool(), context);
  return Status::Ok();
}

}  // namespace tailor::server::http::internal
