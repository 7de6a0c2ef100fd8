#include "server/http/search_handlers.h"

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "server/http/error_response.h"
#include "server/http/internal/request_context.h"
#include "server/http/internal/search_json.h"
#include "server/http/internal/search_request_parser.h"

namespace tailor::server::http {
namespace {

Response AnswerSearch(const Request& request, Result<internal::ParsedSearch> parsed,
                      Engine& engine) {
  if (!parsed.ok()) return ErrorResponse(parsed.error());
  parsed->context.request_id = request.request_id;
  return internal::AnswerJson(engine.Search(parsed->request, parsed->context));
}

struct ParsedRerank {
  RerankRequest request;
  SearchContext context;
};

Status ReadString(const rapidjson::Value& value, const char* field, std::string& out) {
  if (!value.IsString()) return Error::InvalidArgument(std::string(field) + ": must be a string");
  out.assign(value.GetString(), value.GetStringLength());
  return Status::Ok();
}

Status ReadItems(const rapidjson::Value& value, std::vector<std::string>& items) {
  if (!value.IsArray()) return Error::InvalidArgument("items: must be an array of product ids");
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    if (!value[i].IsString() || value[i].GetStringLength() == 0) {
      return Error::InvalidArgument("items[" + std::to_string(i) + "]: must be a product id");
    }
    items.emplace_back(value[i].GetString(), value[i].GetStringLength());
  }
  return Status::Ok();
}

// {"visitor", "items": [ids], "query"?, "explain"?, "personalize"?, "variant"?}
Result<ParsedRerank> ParseRerankBody(std::string_view body) {
  rapidjson::Document json;
  Status parsed = internal::ParseJsonObjectBody(body, json);
  if (!parsed.ok()) return parsed.error();
  ParsedRerank out;
  bool has_items = false;
  for (const auto& member : json.GetObject()) {
    const std::string key(member.name.GetString(), member.name.GetStringLength());
    Status status = Status::Ok();
    if (key == "items") {
      has_items = true;
      status = ReadItems(member.value, out.request.items);
    } else if (key == "query") {
      status = ReadString(member.value, "query", out.request.query);
    } else if (internal::IsContextKey(key)) {
      status = internal::SetContextField(key, member.value, out.context);
    } else {
      status = Error::InvalidArgument(key + ": unknown field");
    }
    if (!status.ok()) return status.error();
  }
  if (!has_items) return Error::InvalidArgument("items: required");
  return out;
}

}  // namespace

Response HandleSearchGet(const Request& request, Engine& engine) {
  return AnswerSearch(request, internal::ParseSearchQuery(request.query_params), engine);
}

Response HandleSearchPost(const Request& request, Engine& engine) {
  if (!request.query_params.empty()) {
    return ErrorResponse(Error::InvalidArgument(request.query_params.begin()->first +
                                                ": POST /search takes its parameters in the body"));
  }
  return AnswerSearch(request, internal::ParseSearchBody(request.body), engine);
}

Response HandleRerank(const Request& request, Engine& engine) {
  Result<ParsedRerank> parsed = ParseRerankBody(request.body);
  if (!parsed.ok()) return ErrorResponse(parsed.error());
  parsed->context.request_id = request.request_id;
  return internal::AnswerJson(engine.Rerank(parsed->request, parsed->context));
}

}  // namespace tailor::server::http
