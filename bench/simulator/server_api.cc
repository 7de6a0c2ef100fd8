#include "bench/simulator/server_api.h"

#include <algorithm>
#include <cctype>

namespace tailor::simulator {
namespace {

// The answer's body on one line and not too long, for an error message.
std::string OneLine(std::string_view body) {
  std::string out(body.substr(0, 500));
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

}  // namespace

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Result<rapidjson::Document> Exchange(Transport& transport, std::string_view method,
                                     const std::string& target, const std::string& body) {
  Result<HttpAnswer> answer = transport.Send(method, target, body);
  if (!answer.ok()) return answer.error();
  const std::string where = std::string(method) + " " + target;
  if (answer->status < 200 || answer->status > 299) {
    return Error::Unavailable(where + ": HTTP " + std::to_string(answer->status) + ": " +
                              OneLine(answer->body));
  }
  rapidjson::Document json;
  json.Parse(answer->body.c_str(), answer->body.size());
  if (json.HasParseError() || !json.IsObject()) {
    return Error::Unavailable(where + ": answer is not a JSON object: " + OneLine(answer->body));
  }
  return json;
}

Result<std::vector<AnsweredHit>> HitsOf(const Catalog& catalog, const rapidjson::Document& answer,
                                        const std::string& where) {
  auto hits = answer.FindMember("hits");
  if (hits == answer.MemberEnd() || !hits->value.IsArray()) {
    return Error::Unavailable(where + ": answer lacks hits");
  }
  std::vector<AnsweredHit> out;
  for (const rapidjson::Value& hit : hits->value.GetArray()) {
    AnsweredHit answered;
    if (hit.IsObject()) {
      auto id = hit.FindMember("id");
      if (id != hit.MemberEnd() && id->value.IsString()) {
        answered.item = catalog.Find(id->value.GetString());
      }
      auto explain = hit.FindMember("explain");
      answered.ranked = explain != hit.MemberEnd() && explain->value.IsObject() &&
                        explain->value.HasMember("final_score");
    }
    out.push_back(answered);
  }
  return out;
}

}  // namespace tailor::simulator
