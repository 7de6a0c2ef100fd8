#include "server/http/suggest_handlers.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

#include "core/json.h"
#include "server/http/error_response.h"
#include "server/http/internal/request_context.h"
#include "server/http/internal/search_request_parser.h"

namespace tailor::server::http {
namespace {

Result<SuggestRequest> ParseSuggestQuery(const std::multimap<std::string, std::string>& params) {
  SuggestRequest request;
  bool has_query = false;
  for (const auto& [key, value] : params) {
    if (params.count(key) > 1) return Error::InvalidArgument(key + ": given more than once");
    if (key == "q") {
      Status checked = internal::CheckText(key, value, internal::kMaxQueryBytes);
      if (!checked.ok()) return checked.error();
      request.query = value;
      has_query = true;
    } else if (key == "visitor") {
      Status checked = internal::CheckVisitor(value);
      if (!checked.ok()) return checked.error();
      request.visitor = value;
    } else if (key == "limit") {
      int limit = 0;
      if (!internal::ParseWhole(value, limit)) {
        return Error::InvalidArgument("limit: must be an integer in 1.." +
                                      std::to_string(kMaxSuggestLimit));
      }
      request.limit = limit;
    } else {
      return Error::InvalidArgument(key + ": unknown parameter");
    }
  }
  if (!has_query) return Error::InvalidArgument("q: required");
  return request;
}

const char* KindName(SuggestionKind kind) {
  switch (kind) {
    case SuggestionKind::kQuery:
      return "query";
    case SuggestionKind::kBrand:
      return "brand";
    case SuggestionKind::kCategory:
      return "category";
    case SuggestionKind::kPhrase:
      return "phrase";
  }
  return "query";
}

std::string SuggestResponseToJson(const SuggestResponse& response) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("query");
  WriteJsonString(writer, response.query);
  writer.Key("suggestions");
  writer.StartArray();
  for (const Suggestion& suggestion : response.suggestions) {
    writer.StartObject();
    writer.Key("text");
    WriteJsonString(writer, suggestion.text);
    writer.Key("kind");
    writer.String(KindName(suggestion.kind));
    writer.Key("results");
    writer.Int64(suggestion.results);
    writer.EndObject();
  }
  writer.EndArray();
  writer.Key("took_ms");
  writer.Double(response.took_ms);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

Response HandleSuggest(const Request& request, Engine& engine) {
  Result<SuggestRequest> parsed = ParseSuggestQuery(request.query_params);
  if (!parsed.ok()) return ErrorResponse(parsed.error());
  Result<SuggestResponse> response = engine.Suggest(*parsed);
  if (!response.ok()) return ErrorResponse(response.error());
  return JsonResponse(SuggestResponseToJson(*response));
}

}  // namespace tailor::server::http
