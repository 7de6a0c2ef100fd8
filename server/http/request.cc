#include "server/http/request.h"

namespace tailor::server::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<std::string> PercentDecode(std::string_view text, bool plus_as_space) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+' && plus_as_space) {
      decoded.push_back(' ');
    } else if (c == '%') {
      int high = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (high < 0 || low < 0) return Error::InvalidArgument("invalid percent-encoding");
      decoded.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      decoded.push_back(c);
    }
  }
  return decoded;
}

Result<Target> ParseTarget(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return Error::InvalidArgument("target: must start with '/'");
  }
  Target parsed;
  size_t question = target.find('?');
  Result<std::string> path = PercentDecode(target.substr(0, question), false);
  if (!path.ok()) return path.error().WithPrefix("path");
  parsed.path = std::move(*path);
  if (question == std::string_view::npos) return parsed;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2" and a trailing '&' are harmless
    size_t eq = pair.find('=');
    Result<std::string> key = PercentDecode(pair.substr(0, eq), true);
    if (!key.ok()) return key.error().WithPrefix("query parameter");
    std::string_view raw_value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    Result<std::string> value = PercentDecode(raw_value, true);
    if (!value.ok()) return value.error().WithPrefix("query parameter " + *key);
    parsed.query_params.emplace(std::move(*key), std::move(*value));
  }
  return parsed;
}

}  // namespace tailor::server::http
