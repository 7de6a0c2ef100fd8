// Turns a SearchRequest into Xapian queries: the shopper's text (QueryParser with the
// index's stemmer, search-as-you-type on the last word, phrases, +/-, field prefixes such
// as "brand:puma") and the filters, which never change scores (OP_FILTER).
#pragma once

#include <xapian.h>

#include <optional>
#include <string>

#include "core/result.h"
#include "searcher/internal/generation.h"
#include "searcher/options.h"
#include "searcher/searcher.h"

namespace tailor::searcher::internal {

struct TextQuery {
  Xapian::Query query;     // the words joined by default_op; MatchAll for an empty query
  bool match_all = false;  // the query had no words
};

// Whether ParseText also matches the last word as a prefix (FLAG_PARTIAL); decided once
// per text by PrefixLastWord, as every parse of one text decides the same.
enum class LastWord { kWhole, kPrefix };

// Parses the request text against the handle's database (wildcard expansion), joining words by
// default_op (OP_AND, or OP_OR to relax), the last word also as a prefix as `last_word` says. Spans
// that name a phrase of the handle's synonym table (handle.synonyms) match it or any phrase it also
// finds (OP_SYNONYM), the rest of the text as without synonyms. On a QueryParserError it falls back
// to the plain words; an error that survives is invalid_argument "q: ...". May throw other
// Xapian::Errors (database access).
Result<TextQuery> ParseText(const std::string& text, Xapian::Query::op default_op,
                            LastWord last_word, Handle& handle, const SearcherOptions& options);

// Whether the last word of text should match as a prefix: never after a trailing space or
// with kOff; with kAuto only when the word (lowercased, or its stem) is not in the index.
LastWord PrefixLastWord(const std::string& text, PrefixMode prefix, Handle& handle);

// The OR query `loose` with `bonus` added to a match's score for each of its words (each
// subquery of the top-level OR) that it has; `loose` itself when bonus is 0 or the query is
// not a plain OR (one word, or +/- operators).
Xapian::Query WithWordBonus(const Xapian::Query& loose, double bonus);

// The query of fill relaxation: every match of `loose` (the OR query), those of `strict`
// (the AND query) first: they get kFillBoost added to their score, which is more than any
// BM25 score of a query under 1 KiB (at most ~512 terms of at most (k1+1)(k3+1)·idf each,
// under 2e8 for k1, k3 <= 100), so among them and among the rest the order is BM25's. At
// 1e9 a double still tells scores 1e-6 apart, and the caller subtracts the boost again.
Xapian::Query FillQuery(const Xapian::Query& strict, const Xapian::Query& loose);
inline constexpr double kFillBoost = 1e9;

// The AND of the request's filters (OR within one kind); nullopt when there are none.
std::optional<Xapian::Query> BuildFilter(const SearchRequest& request);

// Per-word spelling suggestion ("jakcet shoes" -> "jacket shoes") for the words the index
// lacks, as such or stemmed: a word run together from two words of the index is split
// first ("snowblower" -> "snow blower", SplitCompound), else Xapian's spelling suggestion.
// Only words of three or more bytes without digits are corrected: numbers and measurements
// ("27", "1/2") and the rest of the text stay as typed. Empty when no word changes.
std::string SuggestSpelling(const std::string& text, Handle& handle);

// The two words of the index (each at least 3 bytes) that `word` is written together
// from, the split whose rarer part is most frequent; empty when there is none.
std::string SplitCompound(const std::string& word, const Xapian::Database& db);

}  // namespace tailor::searcher::internal
