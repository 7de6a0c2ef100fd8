#include "searcher/internal/query_builder.h"

#include <algorithm>
#include <vector>

#include "core/index_schema.h"
#include "core/text.h"
#include "searcher/internal/synonym_table.h"
#include "searcher/synonyms.h"

namespace tailor::searcher::internal {
namespace {

// No FLAG_BOOLEAN: a shopper typing "and", "or" or "not" must not get a parse error.
// FLAG_PARTIAL is added when the last word is to match as a prefix, and
// FLAG_SPELLING_CORRECTION when a correction is asked for.
constexpr unsigned kParseFlags = Xapian::QueryParser::FLAG_PHRASE |
                                 Xapian::QueryParser::FLAG_LOVEHATE |
                                 Xapian::QueryParser::FLAG_WILDCARD;

void Configure(Xapian::QueryParser& parser, Handle& handle, const SearcherOptions& options) {
  parser.set_database(handle.db);
  parser.set_stemmer(handle.stemmer);
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  if (options.stopwords) parser.set_stopper(&handle.stopper);
  parser.set_max_expansion(options.partial_max_expansion,
                           Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
                           Xapian::QueryParser::FLAG_PARTIAL);
  parser.set_max_expansion(options.wildcard_max_expansion,
                           Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
                           Xapian::QueryParser::FLAG_WILDCARD);
  parser.add_prefix("title", std::string(schema::kTitlePrefix));
  parser.add_prefix("brand", std::string(schema::kBrandTextPrefix));
  parser.add_prefix("category", std::string(schema::kCategoryTextPrefix));
  parser.add_prefix("attribute", std::string(schema::kAttributeTextPrefix));
  parser.add_prefix("description", std::string(schema::kDescriptionPrefix));
}

// Parses with the full flags, or, when the text trips the parser, as plain words.
Xapian::Query Parse(Xapian::QueryParser& parser, const std::string& text, unsigned flags) {
  try {
    return parser.parse_query(text, flags);
  } catch (const Xapian::QueryParserError&) {
    return parser.parse_query(text, 0);
  }
}

bool IsBlank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n\f\v") == std::string::npos;
}

// A byte of a word: ASCII letter or digit, or part of a UTF-8 character.
bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (static_cast<unsigned char>(c) & 0x80) != 0;
}

// Whether text[i] follows a "-" operator: a "-" first or after a space.
bool AfterHateOperator(const std::string& text, size_t i) {
  return i >= 1 && text[i - 1] == '-' && (i == 1 || text[i - 2] == ' ' || text[i - 2] == '\t');
}

// Whether text has a word or quoted phrase after a "-" operator.
bool HasHatedWord(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if ((IsWordByte(text[i]) || text[i] == '"') && AfterHateOperator(text, i)) return true;
  }
  return false;
}

// Whether text has words and every one is hated ("-red", "-\"red wine\"").
bool OnlyHatedWords(const std::string& text) {
  bool in_quotes = false;
  bool quote_hated = false;
  bool any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') {
      in_quotes = !in_quotes;
      if (in_quotes) quote_hated = AfterHateOperator(text, i);
      continue;
    }
    if (!IsWordByte(text[i]) || (i > 0 && IsWordByte(text[i - 1]))) continue;
    if (!(in_quotes ? quote_hated : AfterHateOperator(text, i))) return false;
    any = true;
  }
  return any;
}

Xapian::Query AnyTerm(const std::vector<std::string>& values, std::string_view prefix) {
  std::vector<Xapian::Query> terms;
  terms.reserve(values.size());
  for (const std::string& value : values) terms.emplace_back(schema::FilterTerm(prefix, value));
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// "Men / Shoes" and "Men/Shoes" both name the path the indexer wrote as "men/shoes".
std::string CategoryPath(const std::string& path) {
  std::vector<std::string> levels;
  for (const std::string& level : Split(path, schema::kCategorySeparator)) {
    std::string normalized = NormalizeKeyword(level);
    if (!normalized.empty()) levels.push_back(normalized);
  }
  return Join(levels, schema::kCategorySeparator);
}

// A phrase of the synonym file as a query: one word as the parser reads it (stemmed, as a
// typed word is), several as a phrase of their words.
Xapian::Query AlternativeQuery(Xapian::QueryParser& parser, const std::string& phrase) {
  const std::vector<std::string> words = SynonymWords(phrase);
  std::string text = Join(words, ' ');
  if (words.size() > 1) text = "\"" + text + "\"";
  return Parse(parser, text, kParseFlags);
}

// OP_SYNONYM of a span as typed and the phrases it also finds. The span as typed keeps
// the parser's default operator and, at the very end of the text, the prefix match of the
// last word: "tee" typed on the way to "teen" still finds teens.
Xapian::Query SpanQuery(Xapian::QueryParser& parser, const std::string& text,
                        const SynonymMatch& match, LastWord last_word) {
  unsigned flags = kParseFlags;
  if (match.end == text.size() && last_word == LastWord::kPrefix) {
    flags |= Xapian::QueryParser::FLAG_PARTIAL;
  }
  std::vector<Xapian::Query> alternatives = {
      Parse(parser, text.substr(match.begin, match.end - match.begin), flags)};
  for (const std::string& phrase : *match.alternatives) {
    // The same query twice would count its wdf twice in OP_SYNONYM.
    Xapian::Query alternative = AlternativeQuery(parser, phrase);
    const std::string description = alternative.get_description();
    if (std::none_of(alternatives.begin(), alternatives.end(),
                     [&](const Xapian::Query& q) { return q.get_description() == description; })) {
      alternatives.push_back(std::move(alternative));
    }
  }
  return Xapian::Query(Xapian::Query::OP_SYNONYM, alternatives.begin(), alternatives.end());
}

// The text's query with each span that names a synonym phrase (FindSynonyms) matched as
// OP_SYNONYM of the span as typed and the phrases it also finds, joined by default_op with
// the query of the rest of the text; nullopt when no span names one, or when a relaxed (OR)
// query has a hated word, which would not exclude the synonyms' matches (the caller keeps
// the plain query then).
std::optional<Xapian::Query> WithSynonyms(Xapian::QueryParser& parser, const std::string& text,
                                          Xapian::Query::op default_op, LastWord last_word,
                                          Handle& handle) {
  if (handle.synonyms == nullptr) return std::nullopt;
  const std::vector<SynonymMatch> matches = FindSynonyms(text, *handle.synonyms, handle.stemmer);
  if (matches.empty()) return std::nullopt;
  if (default_op == Xapian::Query::OP_OR && HasHatedWord(text)) return std::nullopt;
  std::vector<Xapian::Query> parts;
  std::string rest = text;
  for (const SynonymMatch& match : matches) {
    rest.replace(match.begin, match.end - match.begin, match.end - match.begin, ' ');
    parts.push_back(SpanQuery(parser, text, match, last_word));
  }
  if (OnlyHatedWords(rest)) {
    // The parser would read a text of hated words alone as those words (there is nothing
    // to exclude them from): exclude them from the spans' matches here.
    std::replace(rest.begin(), rest.end(), '-', ' ');
    parser.set_default_op(Xapian::Query::OP_OR);
    Xapian::Query hated = Parse(parser, rest, kParseFlags);
    parser.set_default_op(default_op);
    return Xapian::Query(Xapian::Query::OP_AND_NOT,
                         Xapian::Query(default_op, parts.begin(), parts.end()), hated);
  }
  // The rest ends in spaces where a span was cut out, so only a last word typed after every
  // span is matched as a prefix.
  if (!IsBlank(rest)) {
    unsigned flags = kParseFlags;
    if (last_word == LastWord::kPrefix) flags |= Xapian::QueryParser::FLAG_PARTIAL;
    Xapian::Query rest_query = Parse(parser, rest, flags);
    if (!rest_query.empty()) parts.insert(parts.begin(), std::move(rest_query));
  }
  return Xapian::Query(default_op, parts.begin(), parts.end());
}

}  // namespace

LastWord PrefixLastWord(const std::string& text, PrefixMode prefix, Handle& handle) {
  if (prefix == PrefixMode::kOff || text.empty() || !IsWordByte(text.back())) {
    return LastWord::kWhole;
  }
  if (prefix == PrefixMode::kOn) return LastWord::kPrefix;
  size_t start = text.size();
  while (start > 0 && IsWordByte(text[start - 1])) --start;
  std::string word = NormalizeKeyword(std::string_view(text).substr(start));
  // A whole word of the index ("jack" of Jack Wolfskin, "tile") is taken as finished.
  std::string stem_term = "Z";
  stem_term += handle.stemmer(word);
  const bool in_index = handle.db.term_exists(word) || handle.db.term_exists(stem_term);
  return in_index ? LastWord::kWhole : LastWord::kPrefix;
}

namespace {

// Whether a word of the query counts for the word bonus: a number or a unit ("72 inch")
// is in too many titles to tell products apart.
bool CountsForBonus(const Xapian::Query& word) {
  if (word.get_type() != Xapian::Query::LEAF_TERM) return true;
  std::string term = *word.get_terms_begin();
  if (!term.empty() && term[0] == 'Z') term.erase(0, 1);
  if (term.empty() || (term[0] >= '0' && term[0] <= '9')) return false;
  return !IsMeasurementUnit(term);
}

}  // namespace

Xapian::Query WithWordBonus(const Xapian::Query& loose, double bonus) {
  if (bonus <= 0 || loose.get_type() != Xapian::Query::OP_OR) return loose;
  std::vector<Xapian::Query> parts = {loose};
  for (size_t i = 0; i < loose.get_num_subqueries(); ++i) {
    const Xapian::Query word = loose.get_subquery(i);
    if (!CountsForBonus(word)) continue;
    Xapian::Query fixed((new Xapian::FixedWeightPostingSource(bonus))->release());
    parts.emplace_back(Xapian::Query::OP_FILTER, fixed, word);
  }
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

Xapian::Query FillQuery(const Xapian::Query& strict, const Xapian::Query& loose) {
  Xapian::Query boost((new Xapian::FixedWeightPostingSource(kFillBoost))->release());
  Xapian::Query first(Xapian::Query::OP_FILTER, boost, strict);
  return Xapian::Query(Xapian::Query::OP_OR, first, loose);
}

Result<TextQuery> ParseText(const std::string& typed, Xapian::Query::op default_op,
                            LastWord last_word, Handle& handle, const SearcherOptions& options) {
  // ASCII only, so byte offsets (synonym spans) stay those of the text as typed.
  std::string text = typed;
  if (options.lowercase_query) {
    for (char& c : text) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  }
  TextQuery result;
  if (!IsBlank(text)) {
    try {
      Xapian::QueryParser parser;
      Configure(parser, handle, options);
      parser.set_default_op(default_op);
      unsigned flags = kParseFlags;
      if (last_word == LastWord::kPrefix) flags |= Xapian::QueryParser::FLAG_PARTIAL;
      std::optional<Xapian::Query> expanded =
          WithSynonyms(parser, text, default_op, last_word, handle);
      result.query = expanded ? *std::move(expanded) : Parse(parser, text, flags);
    } catch (const Xapian::QueryParserError& e) {
      return Error::InvalidArgument("q: " + e.get_msg());
    }
  }
  if (result.query.empty()) {
    // No words, or only characters the parser ignores ("-", "\"\""): match everything.
    // A fresh match-all query, not a copy of the shared Xapian::Query::MatchAll, whose
    // reference count is not atomic: copying it from several threads corrupts it.
    result.query = Xapian::Query(std::string());
    result.match_all = true;
  }
  return result;
}

std::optional<Xapian::Query> BuildFilter(const SearchRequest& request) {
  std::vector<Xapian::Query> kinds;
  if (!request.brands.empty()) kinds.push_back(AnyTerm(request.brands, schema::kBrandPrefix));
  if (!request.categories.empty()) {
    std::vector<std::string> paths;
    for (const std::string& path : request.categories) paths.push_back(CategoryPath(path));
    kinds.push_back(AnyTerm(paths, schema::kCategoryPrefix));
  }
  if (!request.sizes.empty()) kinds.push_back(AnyTerm(request.sizes, schema::kSizeInStockPrefix));
  if (!request.colors.empty()) kinds.push_back(AnyTerm(request.colors, schema::kColorPrefix));
  if (request.price_min && request.price_max) {
    kinds.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kPriceSlot,
                       Xapian::sortable_serialise(*request.price_min),
                       Xapian::sortable_serialise(*request.price_max));
  } else if (request.price_min) {
    kinds.emplace_back(Xapian::Query::OP_VALUE_GE, schema::kPriceSlot,
                       Xapian::sortable_serialise(*request.price_min));
  } else if (request.price_max) {
    kinds.emplace_back(Xapian::Query::OP_VALUE_LE, schema::kPriceSlot,
                       Xapian::sortable_serialise(*request.price_max));
  }
  if (request.in_stock_only) kinds.emplace_back(std::string(schema::kInStockTerm));
  if (kinds.empty()) return std::nullopt;
  return Xapian::Query(Xapian::Query::OP_AND, kinds.begin(), kinds.end());
}

std::string SplitCompound(const std::string& word, const Xapian::Database& db) {
  constexpr size_t kShortest = 3;  // each part: "snow blower", not "s nowblower"
  std::string best;
  Xapian::doccount best_frequency = 0;
  for (size_t cut = kShortest; cut + kShortest <= word.size(); ++cut) {
    const std::string first = word.substr(0, cut);
    const std::string second = word.substr(cut);
    if (!IsWordByte(first.back()) || !IsWordByte(second.front())) continue;
    const Xapian::doccount frequency = std::min(db.get_termfreq(first), db.get_termfreq(second));
    if (frequency > best_frequency) {
      best_frequency = frequency;
      best = first + " " + second;
    }
  }
  return best;
}

std::string SuggestSpelling(const std::string& text, Handle& handle) {
  constexpr size_t kShortest = 3;  // "x", "in", "ac": too short to tell a typo from a word
  std::string out;
  bool changed = false;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsWordByte(text[i])) {
      out.push_back(text[i++]);
      continue;
    }
    const size_t start = i;
    bool has_digit = false;  // numbers and measurements ("27", "1/2", "p240") stay as typed
    while (i < text.size() && IsWordByte(text[i])) {
      has_digit = has_digit || (text[i] >= '0' && text[i] <= '9');
      ++i;
    }
    // Lowercased as the indexer's TermGenerator does, UTF-8 letters included.
    const std::string word = Xapian::Unicode::tolower(text.substr(start, i - start));
    std::string suggestion;
    if (!has_digit && word.size() >= kShortest && !handle.db.term_exists(word) &&
        !handle.db.term_exists("Z" + handle.stemmer(word))) {
      const CacheEpoch epoch{handle.generation_serial, handle.revision, 0};
      std::shared_ptr<const std::string> known =
          handle.spelling ? handle.spelling->Get(epoch, word) : nullptr;
      if (known) {
        suggestion = *known;
      } else {
        suggestion = SplitCompound(word, handle.db);
        if (suggestion.empty()) suggestion = handle.db.get_spelling_suggestion(word);
        if (handle.spelling) {
          handle.spelling->Put(epoch, word, std::make_shared<const std::string>(suggestion),
                               sizeof(std::string) + suggestion.capacity());
        }
      }
    }
    changed = changed || !suggestion.empty();
    out += suggestion.empty() ? text.substr(start, i - start) : suggestion;
  }
  return changed ? out : std::string();
}

}  // namespace tailor::searcher::internal
