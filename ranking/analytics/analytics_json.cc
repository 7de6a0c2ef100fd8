// AnalyticsReportToJson, apart from the counting.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

#include "core/json.h"
#include "ranking/analytics/search_analytics.h"

namespace tailor::ranking {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// part / whole rounded to the four decimals written (the writer would cut, not round).
double Share(int64_t part, int64_t whole) {
  if (whole <= 0) return 0;
  return std::round(static_cast<double>(part) / static_cast<double>(whole) * 1e4) / 1e4;
}

// searches, visitors, the rates and the mean click position (null without clicks).
void WriteFigures(Writer& writer, const SearchFigures& f) {
  writer.Key("searches");
  writer.Int64(f.searches);
  writer.Key("visitors");
  writer.Int64(f.visitors);
  writer.Key("click_through_rate");
  writer.Double(Share(f.clicked, f.searches));
  writer.Key("add_to_cart_rate");
  writer.Double(Share(f.carted, f.searches));
  writer.Key("purchase_rate");
  writer.Double(Share(f.purchased, f.searches));
  writer.Key("mean_click_position");
  if (f.clicks > 0) {
    writer.Double(Share(f.click_position_sum, f.clicks));
  } else {
    writer.Null();
  }
}

void WriteQueries(Writer& writer, const char* key, const std::vector<QueryFigures>& queries,
                  bool full) {
  writer.Key(key);
  writer.StartArray();
  for (const QueryFigures& q : queries) {
    writer.StartObject();
    writer.Key("query");
    WriteJsonString(writer, q.query);
    if (full) {
      WriteFigures(writer, q.figures);
    } else {
      writer.Key("searches");
      writer.Int64(q.figures.searches);
    }
    writer.EndObject();
  }
  writer.EndArray();
}

}  // namespace

std::string AnalyticsReportToJson(const AnalyticsReport& report) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.SetMaxDecimalPlaces(4);
  writer.StartObject();
  writer.Key("window");
  writer.StartObject();
  writer.Key("from");
  writer.Int64(report.query.from_ms);
  writer.Key("to");
  writer.Int64(report.query.to_ms);
  writer.Key("covered_to");
  writer.Int64(report.covered_to_ms);
  writer.EndObject();
  writer.Key("truncated");
  writer.Bool(report.truncated);
  writer.Key("limit");
  writer.Int(report.query.limit);
  writer.Key("variant");
  if (report.query.variant.empty()) {
    writer.Null();
  } else {
    WriteJsonString(writer, report.query.variant);
  }
  writer.Key("totals");
  writer.StartObject();
  WriteFigures(writer, report.totals);
  writer.Key("searches_without_results");
  writer.Int64(report.totals.searches - report.totals.with_results);
  writer.Key("rankings_read");
  writer.Int64(report.rankings_read);
  writer.Key("events_read");
  writer.Int64(report.events_read);
  writer.EndObject();
  WriteQueries(writer, "top_queries", report.top_queries, true);
  WriteQueries(writer, "no_results", report.no_results, false);
  WriteQueries(writer, "no_clicks", report.no_clicks, false);
  writer.Key("filters");
  writer.StartArray();
  for (const FilterCount& filter : report.filters) {
    writer.StartObject();
    writer.Key("filter");
    WriteJsonString(writer, filter.filter);
    writer.Key("searches");
    writer.Int64(filter.searches);
    writer.EndObject();
  }
  writer.EndArray();
  writer.Key("variants");
  writer.StartArray();
  for (const VariantFigures& variant : report.variants) {
    writer.StartObject();
    writer.Key("variant");
    WriteJsonString(writer, variant.variant);
    WriteFigures(writer, variant.figures);
    WriteQueries(writer, "top_queries", variant.top_queries, true);
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace tailor::ranking
