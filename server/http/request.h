// Our own HTTP request and response values, free of Beast, so that handlers and their tests
// work without sockets. The session (session.cc) converts between these and Beast messages.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace tailor::server::http {

struct Request {
  std::string method;   // "GET", "POST", ... as sent
  std::string path;     // percent-decoded path, without the query string
  // Query parameters, percent-decoded with '+' as space, in the order sent; keys may repeat.
  std::multimap<std::string, std::string> query_params;
  // Values of a route's path parameter ("/profiles/{visitor}" -> "visitor"), decoded.
  std::map<std::string, std::string> path_params;
  std::string body;
  std::string authorization;  // the Authorization header field, "" when absent
  std::string if_none_match;  // the If-None-Match header field, "" when absent
  std::string request_id;  // assigned by the session; used in logs and responses
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra header fields
};

struct Target {
  std::string path;
  std::multimap<std::string, std::string> query_params;
};

// Splits a request target "/search?q=a+b&brand=X%20Y" into its decoded path and parameters.
// Errors: invalid_argument for a target that does not start with '/' or a bad %-escape,
// naming the parameter ("query parameter brand: invalid percent-encoding").
Result<Target> ParseTarget(std::string_view target);

// Decodes %XX escapes, and '+' as space when plus_as_space. Errors: invalid_argument
// (message without a place; the caller adds it) for a truncated or non-hex escape.
Result<std::string> PercentDecode(std::string_view text, bool plus_as_space);

}  // namespace tailor::server::http
