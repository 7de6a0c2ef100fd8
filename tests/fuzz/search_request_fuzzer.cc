// Fuzzes the search request parser (server/http/internal/search_request_parser.h) in both
// forms: the input as a POST /search JSON body, and as the query string of GET /search,
// split and percent-decoded by the session's ParseTarget first, as a real request is.
#include <cstddef>
#include <cstdint>
#include <string>

#include "server/http/internal/search_request_parser.h"
#include "server/http/request.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace http = tailor::server::http;
  std::string_view text = tailor::fuzz::AsText(data, size);
  (void)http::internal::ParseSearchBody(text);
  tailor::Result<http::Target> target = http::ParseTarget("/search?" + std::string(text));
  if (target.ok()) (void)http::internal::ParseSearchQuery(target->query_params);
  return 0;
}
