// Human relevance judgments for the text relevance benchmark: the Home Depot search
// relevance training file (CSV, Windows-1252), read into products and per-query judgments,
// and the deterministic split of queries into a dev half (for tuning) and a test half (for
// the final measurement only).
//
// All functions are pure apart from LoadJudgments, which reads one file; none throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tailor::bench {

// Converts Windows-1252 bytes to UTF-8. Bytes 0x80..0x9F that Windows-1252 leaves undefined
// map to the code point of the same value, as in Latin-1.
std::string Windows1252ToUtf8(std::string_view bytes);

// Standard CRC-32 (zlib, reflected polynomial 0xEDB88320): Crc32("123456789") == 0xCBF43926.
uint32_t Crc32(std::string_view bytes);

// Parses CSV text (RFC 4180: fields optionally double-quoted, "" inside quotes is one quote,
// quoted fields may hold commas and newlines; records end with \n or \r\n). Returns one
// vector of fields per record; a trailing newline does not make an empty record. Errors:
// invalid_argument "<source_name>:<line>: ..." for an unterminated quote or text after a
// closing quote.
Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text,
                                                       std::string_view source_name);

struct JudgedProduct {
  std::string id;
  double gain = 0;  // relevance - 1: 0 (not relevant) .. 2 (highly relevant)
};

struct QueryJudgments {
  std::string query;                    // the search term as typed, UTF-8
  std::vector<JudgedProduct> products;  // in file order
};

struct CatalogProduct {
  std::string id;
  std::string title;  // UTF-8
};

struct JudgmentSet {
  std::vector<CatalogProduct> products;  // distinct, in order of first appearance
  std::vector<QueryJudgments> queries;   // distinct search terms, in order of first appearance
  long rows = 0;
};

// Builds the judgment set from UTF-8 CSV text with the header
// id,product_uid,product_title,search_term,relevance. Errors: invalid_argument naming
// "<source_name>:<record>: <column>" for a missing column, a wrong field count or a
// relevance outside 1..3.
Result<JudgmentSet> ParseJudgments(std::string_view utf8_csv, std::string_view source_name);

// Reads the file at path (Windows-1252), converts it to UTF-8 and parses it. Errors:
// not_found when the file cannot be read, else as ParseJudgments.
Result<JudgmentSet> LoadJudgments(const std::string& path);

enum class Half { kDev, kTest };

// "dev" or "test"; anything else is an invalid_argument error.
Result<Half> ParseHalf(std::string_view name);

// The dev half holds the queries whose Crc32 of the UTF-8 search term is even.
Half HalfOf(std::string_view query);

// The queries of `set` that fall in `half`, in their original order.
std::vector<QueryJudgments> QueriesOfHalf(const JudgmentSet& set, Half half);

}  // namespace tailor::bench
