// Pseudo-relevance feedback for the relaxed part of a result: the words the best matches
// share (Xapian's query expansion over an RSet of them) reorder the matches that lack some
// of the query's words, so "ceramic towel holder" ranks towel bars like the ceramic towel
// holders it found above towels that only share "towel".
#pragma once

#include <xapian.h>

#include <optional>

#include "searcher/internal/generation.h"
#include "searcher/options.h"

namespace tailor::searcher::internal {

// `loose` with the feedback words of the best `options.feedback_docs` matches of `source`
// (under `filter`) added as optional weight (OP_AND_MAYBE): the matches stay those of
// `loose`, so totals and facets do not change. Each word weighs BM25 scaled by
// options.feedback_weight and the share of those matches that have it; at most
// options.feedback_terms words, never a word of the query. `loose` itself when feedback is
// off (feedback_docs 0) or finds no word. May throw Xapian::Error (database access).
Xapian::Query WithFeedback(const Xapian::Query& loose, const Xapian::Query& source,
                           const std::optional<Xapian::Query>& filter, Handle& handle,
                           const SearcherOptions& options);

}  // namespace tailor::searcher::internal
