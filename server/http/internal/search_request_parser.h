// Turns the parameters of GET /search (query string) or POST /search (JSON body) into a
// searcher::SearchRequest and the Engine's SearchContext (internal to server/http: the
// search handlers use it).
//
// Both forms take the same names: q, visitor, limit, offset, brand, category, size, color,
// price_min, price_max, in_stock, explain, personalize, variant, prefix (true: the last word
// of q also matches as a prefix, false: never; absent: the searcher decides, see
// SearcherOptions::prefix_last_word), facets (disjunctive, the default, or conjunctive:
// searcher::FacetMode). Filters (brand, category,
// size, color) may repeat in the query string and may be a string or an array of strings in
// JSON. Parsing is strict, because a typo in a filter name would otherwise silently widen
// the search: every unknown or malformed parameter is an invalid_argument error whose
// message starts with the parameter's name ("limit: must be an integer").
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"
#include "searcher/searcher.h"
#include "server/engine.h"
#include "server/http/internal/request_context.h"

namespace tailor::server::http::internal {

struct ParsedSearch {
  searcher::SearchRequest request;
  SearchContext context;
};

// The longest q, so one request cannot make the query parser chew on a megabyte of text
// (the variant and each filter value: kMaxNameBytes, request_context.h).
inline constexpr size_t kMaxQueryBytes = 1024;

// Parses decoded query parameters. Errors: invalid_argument naming the parameter.
Result<ParsedSearch> ParseSearchQuery(const std::multimap<std::string, std::string>& params);

// Parses a JSON object body. Errors: invalid_argument with the RapidJSON parse error and
// offset for malformed JSON ("body: invalid JSON at offset 12: ..."), naming the field for
// an unknown or malformed one.
Result<ParsedSearch> ParseSearchBody(std::string_view body);

}  // namespace tailor::server::http::internal
