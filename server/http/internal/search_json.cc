#include "server/http/internal/search_json.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "server/http/error_response.h"

namespace tailor::server::http::internal {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::array<std::string_view, 5> kLeadingFields = {"id", "title", "brand", "price",
                                                            "list_price"};

bool IsLeadingField(std::string_view name) {
  for (std::string_view leading : kLeadingFields) {
    if (name == leading) return true;
  }
  return false;
}

void WriteNumber(Writer& writer, std::string_view name, double number) {
  WriteJsonString(writer, name);
  writer.Double(number);
}

// "explain": the text ranking's part; the features as computed; with a model, each
// feature's contribution; the business blend and what the rules did.
void WriteExplanation(Writer& writer, const HitExplanation& explanation) {
  const std::vector<std::string>& names = ranking::FeatureNames();
  writer.Key("explain");
  writer.StartObject();
  writer.Key("text_rank");
  writer.Int(explanation.text_rank);
  WriteNumber(writer, "text_score", explanation.text_score);
  writer.Key("strict");
  writer.Bool(explanation.strict);
  writer.Key("size_fit");
  writer.String(ranking::SizeFitName(explanation.size_fit));
  writer.Key("in_stock");
  writer.Bool(explanation.in_stock);
  if (explanation.ranked) {
    if (!explanation.model.empty()) {
      writer.Key("model");
      WriteJsonString(writer, explanation.model);
    }
    if (explanation.model_score) WriteNumber(writer, "model_score", *explanation.model_score);
    WriteNumber(writer, "margin", explanation.margin);
    WriteNumber(writer, "final_score", explanation.final_score);
  }
  writer.Key("reasons");
  writer.StartArray();
  for (const std::string& reason : explanation.reasons) WriteJsonString(writer, reason);
  writer.EndArray();
  writer.Key("features");
  writer.StartObject();
  for (size_t i = 0; i < explanation.features.size() && i < names.size(); ++i) {
    WriteNumber(writer, names[i], explanation.features[i]);
  }
  writer.EndObject();
  if (!explanation.contributions.empty()) {
    // Strongest first, leaving out features that contributed nothing.
    std::vector<size_t> order;
    for (size_t i = 0; i < explanation.contributions.size(); ++i) {
      if (explanation.contributions[i] != 0) order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return std::abs(explanation.contributions[a]) > std::abs(explanation.contributions[b]);
    });
    writer.Key("contributions");
    writer.StartObject();
    for (size_t i : order) WriteNumber(writer, names[i], explanation.contributions[i]);
    writer.EndObject();
  }
  if (explanation.ranked) {
    writer.Key("adjustments");
    writer.StartArray();
    for (const ranking::Adjustment& adjustment : explanation.adjustments) {
      writer.StartObject();
      writer.Key("rule");
      WriteJsonString(writer, adjustment.rule);
      writer.Key("action");
      writer.String(ranking::AdjustmentActionName(adjustment.action));
      if (adjustment.delta != 0) WriteNumber(writer, "delta", adjustment.delta);
      if (adjustment.position >= 0) {
        writer.Key("position");
        writer.Int(adjustment.position);
        writer.Key("placed");
        writer.Int(adjustment.placed);
      }
      if (!adjustment.note.empty()) {
        writer.Key("note");
        WriteJsonString(writer, adjustment.note);
      }
      writer.EndObject();
    }
    writer.EndArray();
  }
  writer.EndObject();
}

void WriteHit(Writer& writer, const searcher::Hit& hit, const HitExplanation* explanation) {
  rapidjson::Document stored;
  stored.Parse(hit.stored_json.c_str(), hit.stored_json.size());
  writer.StartObject();
  if (stored.HasParseError() || !stored.IsObject()) {
    writer.Key("id");
    WriteJsonString(writer, hit.id);
    writer.Key("score");
    writer.Double(hit.score);
    if (explanation != nullptr) WriteExplanation(writer, *explanation);
    writer.EndObject();
    return;
  }
  for (std::string_view name : kLeadingFields) {
    auto member = stored.FindMember(rapidjson::StringRef(name.data(), name.size()));
    if (member == stored.MemberEnd() && name == "list_price") {
      member = stored.FindMember("price");
    }
    if (member == stored.MemberEnd()) continue;
    WriteJsonString(writer, name);
    member->value.Accept(writer);
  }
  writer.Key("score");
  writer.Double(hit.score);
  for (const auto& member : stored.GetObject()) {
    std::string_view name(member.name.GetString(), member.name.GetStringLength());
    if (IsLeadingField(name) || name == "score" || name == "explain") continue;
    WriteJsonString(writer, name);
    member.value.Accept(writer);
  }
  if (explanation != nullptr) WriteExplanation(writer, *explanation);
  writer.EndObject();
}

void WriteFacetValues(Writer& writer, std::string_view name,
                      const std::vector<searcher::FacetValue>& values) {
  WriteJsonString(writer, name);
  writer.StartArray();
  for (const searcher::FacetValue& value : values) {
    writer.StartObject();
    writer.Key("value");
    WriteJsonString(writer, value.value);
    writer.Key("count");
    writer.Int64(value.count);
    writer.EndObject();
  }
  writer.EndArray();
}

void WriteOptionalNumber(Writer& writer, std::string_view name, std::optional<double> number) {
  WriteJsonString(writer, name);
  if (number) {
    writer.Double(*number);
  } else {
    writer.Null();
  }
}

void WriteFacets(Writer& writer, const searcher::Facets& facets) {
  writer.Key("facets");
  writer.StartObject();
  WriteFacetValues(writer, "brand", facets.brand);
  WriteFacetValues(writer, "category", facets.category);
  WriteFacetValues(writer, "size", facets.size);
  WriteFacetValues(writer, "color", facets.color);
  writer.Key("price");
  writer.StartObject();
  WriteOptionalNumber(writer, "min", facets.price_min);
  WriteOptionalNumber(writer, "max", facets.price_max);
  writer.EndObject();
  writer.EndObject();
}

// "took_ms", "variant" and "personalized", which a search and a rerank both answer.
template <typename Ranked>
void WriteHowRanked(Writer& writer, const Ranked& response) {
  writer.Key("took_ms");
  writer.Double(response.took_ms);
  writer.Key("variant");
  WriteJsonString(writer, response.variant);
  writer.Key("personalized");
  writer.Bool(response.personalized);
}

// "hits": [...], each explained when explanations has its index.
void WriteHits(Writer& writer, const std::vector<searcher::Hit>& hits,
               const std::vector<HitExplanation>& explanations) {
  writer.Key("hits");
  writer.StartArray();
  for (size_t i = 0; i < hits.size(); ++i) {
    WriteHit(writer, hits[i], i < explanations.size() ? &explanations[i] : nullptr);
  }
  writer.EndArray();
}

}  // namespace

std::string SearchResponseToJson(const SearchResponse& response) {
  const searcher::SearchResult& result = response.result;
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("request_id");
  WriteJsonString(writer, response.request_id);
  writer.Key("query");
  WriteJsonString(writer, result.query);
  writer.Key("total");
  writer.Int64(result.total);
  WriteHowRanked(writer, response);
  if (!result.did_you_mean.empty()) {
    writer.Key("did_you_mean");
    WriteJsonString(writer, result.did_you_mean);
  }
  if (result.relaxed) {
    writer.Key("relaxed");
    writer.Bool(true);
  }
  if (result.corrected) {
    writer.Key("corrected");
    writer.Bool(true);
  }
  WriteHits(writer, result.hits, response.explanations);
  WriteFacets(writer, result.facets);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string RerankResponseToJson(const RerankResponse& response) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("request_id");
  WriteJsonString(writer, response.request_id);
  WriteHowRanked(writer, response);
  WriteHits(writer, response.hits, response.explanations);
  writer.Key("unknown");
  writer.StartArray();
  for (const std::string& id : response.unknown) WriteJsonString(writer, id);
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Response AnswerJson(const Result<SearchResponse>& result) {
  if (!result.ok()) return ErrorResponse(result.error());
  return JsonResponse(SearchResponseToJson(*result));
}

Response AnswerJson(const Result<RerankResponse>& result) {
  if (!result.ok()) return ErrorResponse(result.error());
  return JsonResponse(RerankResponseToJson(*result));
}

std::string HealthToJson(const HealthInfo& health) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("status");
  writer.String("ok");
  writer.Key("documents");
  writer.Int64(health.documents);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

namespace {

void WriteCacheCounters(Writer& writer, const char* name, const searcher::CacheCounters& c) {
  writer.Key(name);
  writer.StartObject();
  writer.Key("hits");
  writer.Int64(c.hits);
  writer.Key("misses");
  writer.Int64(c.misses);
  writer.Key("hit_rate");
  if (c.hits + c.misses > 0) {
    writer.Double(static_cast<double>(c.hits) / static_cast<double>(c.hits + c.misses));
  } else {
    writer.Null();
  }
  writer.Key("inserts");
  writer.Int64(c.inserts);
  writer.Key("evictions");
  writer.Int64(c.evictions);
  writer.Key("entries");
  writer.Int64(c.entries);
  writer.Key("bytes");
  writer.Int64(c.bytes);
  writer.Key("capacity_bytes");
  writer.Int64(c.capacity_bytes);
  writer.EndObject();
}

}  // namespace

std::string StatsToJson(const HealthInfo& health, const searcher::SearchCacheStats& caches) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("documents");
  writer.Int64(health.documents);
  writer.Key("caches");
  writer.StartObject();
  WriteCacheCounters(writer, "results", caches.results);
  WriteCacheCounters(writer, "stored", caches.stored);
  writer.EndObject();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace tailor::server::http::internal
