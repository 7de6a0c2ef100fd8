#include "server/http/internal/search_request_parser.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <set>

#include <rapidjson/document.h>

namespace tailor::server::http::internal {
namespace {

// kContext: visitor, explain, personalize and variant, which request_context.h reads.
// kFacetMode: facets=disjunctive|conjunctive.
enum class Kind { kText, kFilter, kInteger, kNumber, kBool, kFacetMode, kContext };

std::optional<Kind> KindOf(std::string_view key) {
  if (IsContextKey(key)) return Kind::kContext;
  if (key == "q") return Kind::kText;
  if (key == "brand" || key == "category" || key == "size" || key == "color") {
    return Kind::kFilter;
  }
  if (key == "limit" || key == "offset") return Kind::kInteger;
  if (key == "price_min" || key == "price_max") return Kind::kNumber;
  if (key == "in_stock" || key == "prefix") return Kind::kBool;
  if (key == "facets") return Kind::kFacetMode;
  return std::nullopt;
}

Error Bad(std::string_view key, std::string_view what) {
  return Error::InvalidArgument(std::string(key) + ": " + std::string(what));
}

Status SetText(std::string_view key, std::string value, ParsedSearch& out) {
  Status checked = CheckText(key, value, key == "q" ? kMaxQueryBytes : kMaxNameBytes);
  if (!checked.ok()) return checked;
  if (key == "q") {
    out.request.query = std::move(value);
  } else {
    if (value.empty()) return Bad(key, "must not be empty");
    if (key == "brand") out.request.brands.push_back(std::move(value));
    if (key == "category") out.request.categories.push_back(std::move(value));
    if (key == "size") out.request.sizes.push_back(std::move(value));
    if (key == "color") out.request.colors.push_back(std::move(value));
  }
  return Status::Ok();
}

Status SetInteger(std::string_view key, int64_t value, ParsedSearch& out) {
  if (value < 0) return Bad(key, "must be >= 0");
  if (value > std::numeric_limits<int>::max()) return Bad(key, "is too large");
  if (key == "limit") out.request.limit = static_cast<int>(value);
  if (key == "offset") out.request.offset = static_cast<int>(value);
  return Status::Ok();
}

Status SetNumber(std::string_view key, double value, ParsedSearch& out) {
  if (!std::isfinite(value)) return Bad(key, "must be a finite number");
  if (value < 0) return Bad(key, "must be >= 0");
  if (key == "price_min") out.request.price_min = value;
  if (key == "price_max") out.request.price_max = value;
  return Status::Ok();
}

Status SetBool(std::string_view key, bool value, ParsedSearch& out) {
  if (key == "in_stock") out.request.in_stock_only = value;
  if (key == "prefix") {
    out.request.prefix_last_word = value ? searcher::PrefixMode::kOn : searcher::PrefixMode::kOff;
  }
  return Status::Ok();
}

Status SetFacetMode(std::string_view key, std::string_view value, ParsedSearch& out) {
  if (value == "disjunctive") {
    out.request.facets = searcher::FacetMode::kDisjunctive;
  } else if (value == "conjunctive") {
    out.request.facets = searcher::FacetMode::kConjunctive;
  } else {
    return Bad(key, "must be disjunctive or conjunctive");
  }
  return Status::Ok();
}

Status SetFromString(std::string_view key, Kind kind, std::string value, ParsedSearch& out) {
  switch (kind) {
    case Kind::kText:
    case Kind::kFilter:
      return SetText(key, std::move(value), out);
    case Kind::kInteger: {
      int64_t number = 0;
      if (!ParseWhole(value, number)) return Bad(key, "must be an integer");
      return SetInteger(key, number, out);
    }
    case Kind::kNumber: {
      double number = 0;
      if (!ParseWhole(value, number)) return Bad(key, "must be a number");
      return SetNumber(key, number, out);
    }
    case Kind::kBool:
      if (value == "true" || value == "1") return SetBool(key, true, out);
      if (value == "false" || value == "0") return SetBool(key, false, out);
      return Bad(key, "must be true or false");
    case Kind::kFacetMode:
      return SetFacetMode(key, value, out);
    case Kind::kContext:
      return SetContextParam(key, std::move(value), out.context);
  }
  return Status::Ok();
}

Status SetFilterFromJson(std::string_view key, const rapidjson::Value& value, ParsedSearch& out) {
  if (value.IsString()) {
    return SetText(key, std::string(value.GetString(), value.GetStringLength()), out);
  }
  if (!value.IsArray()) return Bad(key, "must be a string or an array of strings");
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    const std::string element_key = std::string(key) + "[" + std::to_string(i) + "]";
    if (!value[i].IsString()) return Bad(element_key, "must be a string");
    Status status =
        SetText(key, std::string(value[i].GetString(), value[i].GetStringLength()), out);
    if (!status.ok()) return Bad(element_key, status.error().message.substr(key.size() + 2));
  }
  return Status::Ok();
}

Status SetFromJson(std::string_view key, Kind kind, const rapidjson::Value& value,
                   ParsedSearch& out) {
  switch (kind) {
    case Kind::kText:
      if (!value.IsString()) return Bad(key, "must be a string");
      return SetText(key, std::string(value.GetString(), value.GetStringLength()), out);
    case Kind::kFilter:
      return SetFilterFromJson(key, value, out);
    case Kind::kInteger:
      if (!value.IsInt64()) return Bad(key, "must be an integer");
      return SetInteger(key, value.GetInt64(), out);
    case Kind::kNumber:
      if (!value.IsNumber()) return Bad(key, "must be a number");
      return SetNumber(key, value.GetDouble(), out);
    case Kind::kBool:
      if (!value.IsBool()) return Bad(key, "must be true or false");
      return SetBool(key, value.GetBool(), out);
    case Kind::kFacetMode:
      if (!value.IsString()) return Bad(key, "must be disjunctive or conjunctive");
      return SetFacetMode(key, std::string_view(value.GetString(), value.GetStringLength()), out);
    case Kind::kContext:
      return SetContextField(key, value, out.context);
  }
  return Status::Ok();
}

Status CheckTogether(const ParsedSearch& out) {
  if (out.request.price_min && out.request.price_max &&
      *out.request.price_min > *out.request.price_max) {
    return Bad("price_min", "must be <= price_max");
  }
  return Status::Ok();
}

}  // namespace

Result<ParsedSearch> ParseSearchQuery(const std::multimap<std::string, std::string>& params) {
  ParsedSearch out;
  std::set<std::string_view> seen;
  for (const auto& [key, value] : params) {
    std::optional<Kind> kind = KindOf(key);
    if (!kind) {
      if (!IsValidUtf8(key)) return Error::InvalidArgument("unknown query parameter");
      return Bad(key, "unknown query parameter");
    }
    if (*kind != Kind::kFilter && !seen.insert(key).second) return Bad(key, "given more than once");
    Status status = SetFromString(key, *kind, value, out);
    if (!status.ok()) return status.error();
  }
  Status together = CheckTogether(out);
  if (!together.ok()) return together.error();
  return out;
}

Result<ParsedSearch> ParseSearchBody(std::string_view body) {
  rapidjson::Document document;
  Status parsed = ParseJsonObjectBody(body, document);
  if (!parsed.ok()) return parsed.error();
  ParsedSearch out;
  std::set<std::string_view> seen;
  for (const auto& member : document.GetObject()) {
    std::string_view key(member.name.GetString(), member.name.GetStringLength());
    std::optional<Kind> kind = KindOf(key);
    if (!kind) return Bad(key, "unknown field");
    if (!seen.insert(key).second) return Bad(key, "given more than once");
    Status status = SetFromJson(key, *kind, member.value, out);
    if (!status.ok()) return status.error();
  }
  Status together = CheckTogether(out);
  if (!together.ok()) return together.error();
  return out;
}

}  // namespace tailor::server::http::internal
