// The plain BM25 baseline of the relevance benchmark: a Xapian index of product titles built
// the way a default Xapian setup would (TermGenerator, english stemmer) and queried with a
// default QueryParser and BM25Weight. PlainOptions can vary that setup, so that query
// handling ideas can be measured here before the searcher offers them as options.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bench/relevance/judgments.h"
#include "core/result.h"

namespace tailor::bench {

struct PlainOptions {
  enum class Operator {
    kOr,         // default QueryParser: OR of the terms
    kAnd,        // AND of the terms
    kAndFillOr,  // AND matches first, then OR matches fill the list up to the depth
    kAndElseOr,  // AND; OR only when AND matches nothing
  };
  enum class Stemming { kNone, kSome, kAll };
  Operator op = Operator::kOr;
  Stemming stemming = Stemming::kSome;
  // BM25Weight parameters; the defaults are Xapian's.
  double k1 = 1.0;
  double b = 0.5;
  // QueryParser FLAG_PARTIAL: the last word also matches as a prefix.
  bool partial_last = false;
  // Index spelling data and, when the query matches nothing, run the corrected query.
  bool spelling = false;
  // Run titles and queries through NormalizeMeasurements (core/text.h) first.
  bool normalize_measurements = false;
};

// Reads options from a JSON object such as {"op": "and_fill_or", "k1": 1.2, "b": 0.75,
// "stemming": "some", "partial_last": false, "spelling": false, "normalize_measurements":
// false}. Unknown keys and bad values
// are invalid_argument errors naming the key.
Result<PlainOptions> ParsePlainOptions(const std::string& json);

// Short description of the options that differ from the defaults, "defaults" when none.
std::string Describe(const PlainOptions& options);

class PlainBm25 {
 public:
  // Builds the index in `dir` (created, must not hold a database) from the products.
  // Errors: unavailable for Xapian or I/O failures.
  static Result<std::unique_ptr<PlainBm25>> Build(const std::vector<CatalogProduct>& products,
                                                  const std::string& dir,
                                                  const PlainOptions& options);
  ~PlainBm25();

  // Product ids of the top `depth` matches of `query`, best first. A query the parser
  // rejects is retried as plain words. Errors: unavailable for Xapian failures.
  Result<std::vector<std::string>> Rank(const std::string& query, int depth) const;

 private:
  struct State;
  explicit PlainBm25(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace tailor::bench
