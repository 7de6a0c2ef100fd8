#include "bench/relevance/plain_bm25.h"

#include <rapidjson/document.h>
#include <xapian.h>

#include <filesystem>
#include <unordered_set>

#include "core/json.h"
#include "core/text.h"

namespace tailor::bench {
namespace {

using Operator = PlainOptions::Operator;
using Stemming = PlainOptions::Stemming;

Result<Operator> ParseOperator(std::string_view name) {
  if (name == "or") return Operator::kOr;
  if (name == "and") return Operator::kAnd;
  if (name == "and_fill_or") return Operator::kAndFillOr;
  if (name == "and_else_or") return Operator::kAndElseOr;
  return Error::InvalidArgument("op: expected or, and, and_fill_or or and_else_or");
}

Result<Stemming> ParseStemming(std::string_view name) {
  if (name == "none") return Stemming::kNone;
  if (name == "some") return Stemming::kSome;
  if (name == "all") return Stemming::kAll;
  return Error::InvalidArgument("stemming: expected none, some or all");
}

Status ReadMember(const rapidjson::Value& value, std::string_view key, PlainOptions& options) {
  if (key == "op" || key == "stemming") {
    if (!value.IsString()) return Error::InvalidArgument(std::string(key) + ": must be a string");
    if (key == "op") {
      Result<Operator> op = ParseOperator(value.GetString());
      if (!op.ok()) return op.error();
      options.op = *op;
    } else {
      Result<Stemming> stemming = ParseStemming(value.GetString());
      if (!stemming.ok()) return stemming.error();
      options.stemming = *stemming;
    }
  } else if (key == "k1" || key == "b") {
    if (!value.IsNumber() || value.GetDouble() < 0 || (key == "b" && value.GetDouble() > 1)) {
      return Error::InvalidArgument(std::string(key) + ": must be a number >= 0 (b: <= 1)");
    }
    (key == "k1" ? options.k1 : options.b) = value.GetDouble();
  } else if (key == "partial_last" || key == "spelling" || key == "normalize_measurements") {
    if (!value.IsBool()) return Error::InvalidArgument(std::string(key) + ": must be a boolean");
    bool& field = key == "partial_last" ? options.partial_last
                  : key == "spelling"   ? options.spelling
                                        : options.normalize_measurements;
    field = value.GetBool();
  } else {
    return Error::InvalidArgument(std::string(key) + ": unknown key");
  }
  return Status::Ok();
}

const char* OperatorName(Operator op) {
  switch (op) {
    case Operator::kOr: return "or";
    case Operator::kAnd: return "and";
    case Operator::kAndFillOr: return "and_fill_or";
    case Operator::kAndElseOr: return "and_else_or";
  }
  return "?";
}

Xapian::QueryParser::stem_strategy StemStrategy(Stemming stemming) {
  switch (stemming) {
    case Stemming::kNone: return Xapian::QueryParser::STEM_NONE;
    case Stemming::kSome: return Xapian::QueryParser::STEM_SOME;
    case Stemming::kAll: return Xapian::QueryParser::STEM_ALL_Z;
  }
  return Xapian::QueryParser::STEM_SOME;
}

}  // namespace

Result<PlainOptions> ParsePlainOptions(const std::string& json) {
  rapidjson::Document doc;
  if (Status parsed = ParseJson(json, "--plain-options", doc); !parsed.ok()) {
    return parsed.error();
  }
  if (!doc.IsObject()) return Error::InvalidArgument("--plain-options: must be a JSON object");
  PlainOptions options;
  for (const auto& member : doc.GetObject()) {
    Status read = ReadMember(member.value, member.name.GetString(), options);
    if (!read.ok()) return read.error().WithPrefix("--plain-options");
  }
  return options;
}

std::string Describe(const PlainOptions& options) {
  const PlainOptions kDefaults;
  std::string out;
  auto add = [&out](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
  if (options.op != kDefaults.op) add(std::string("op=") + OperatorName(options.op));
  if (options.stemming != kDefaults.stemming) {
    add(options.stemming == Stemming::kNone ? "stemming=none" : "stemming=all");
  }
  if (options.k1 != kDefaults.k1) add("k1=" + std::to_string(options.k1).substr(0, 4));
  if (options.b != kDefaults.b) add("b=" + std::to_string(options.b).substr(0, 4));
  if (options.partial_last) add("partial_last");
  if (options.spelling) add("spelling");
  if (options.normalize_measurements) add("normalize_measurements");
  return out.empty() ? "defaults" : out;
}

struct PlainBm25::State {
  Xapian::Database db;
  std::vector<std::string> ids;  // product id of docid i + 1
  PlainOptions options;
};

PlainBm25::PlainBm25(std::unique_ptr<State> state) : state_(std::move(state)) {}
PlainBm25::~PlainBm25() = default;

Result<std::unique_ptr<PlainBm25>> PlainBm25::Build(const std::vector<CatalogProduct>& products,
                                                    const std::string& dir,
                                                    const PlainOptions& options) {
  auto state = std::make_unique<State>();
  state->options = options;
  try {
    Xapian::WritableDatabase writer(dir, Xapian::DB_CREATE);
    Xapian::TermGenerator generator;
    generator.set_stemmer(Xapian::Stem("english"));
    if (options.spelling) {
      generator.set_database(writer);
      generator.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
    }
    for (const CatalogProduct& product : products) {
      Xapian::Document doc;
      generator.set_document(doc);
      generator.index_text(options.normalize_measurements ? NormalizeMeasurements(product.title)
                                                          : product.title);
      writer.add_document(doc);  // docids are 1, 2, ... in product order
      state->ids.push_back(product.id);
    }
    writer.commit();
    writer.close();
    state->db = Xapian::Database(dir);
  } catch (const Xapian::Error& e) {
    return Error::Unavailable(dir + ": " + e.get_description());
  }
  return std::unique_ptr<PlainBm25>(new PlainBm25(std::move(state)));
}

}  // namespace tailor::bench

namespace tailor::bench {
namespace {

struct ParsedQuery {
  Xapian::Query query;
  std::string corrected;  // spelling correction, empty when none
};

ParsedQuery ParseQuery(const Xapian::Database& db, const PlainOptions& options,
                       const std::string& text, Xapian::Query::op default_op) {
  Xapian::QueryParser parser;
  parser.set_database(db);
  parser.set_stemmer(Xapian::Stem("english"));
  parser.set_stemming_strategy(StemStrategy(options.stemming));
  parser.set_default_op(default_op);
  unsigned extra = 0;
  if (options.partial_last) extra |= Xapian::QueryParser::FLAG_PARTIAL;
  if (options.spelling) extra |= Xapian::QueryParser::FLAG_SPELLING_CORRECTION;
  ParsedQuery parsed;
  try {
    parsed.query = parser.parse_query(text, Xapian::QueryParser::FLAG_DEFAULT | extra);
  } catch (const Xapian::QueryParserError&) {
    // What a plain integration does with input like "a AND": search the words.
    parsed.query = parser.parse_query(text, extra);
  }
  parsed.corrected = parser.get_corrected_query_string();
  return parsed;
}

// Where a query's matches go: product ids in rank order, and the docids already there.
struct Ranking {
  const std::vector<std::string>& product_ids;  // product id of docid i + 1
  std::vector<std::string> ids;
  std::unordered_set<Xapian::docid> seen;
};

void AppendMatches(const Xapian::Database& db, const PlainOptions& options,
                   const Xapian::Query& query, int depth, Ranking& ranking) {
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BM25Weight(options.k1, 0, 1, options.b, 0.5));
  enquire.set_query(query);
  Xapian::MSet mset = enquire.get_mset(0, depth);
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
    if (static_cast<int>(ranking.ids.size()) >= depth) break;
    if (ranking.seen.insert(*it).second) ranking.ids.push_back(ranking.product_ids[*it - 1]);
  }
}

}  // namespace

Result<std::vector<std::string>> PlainBm25::Rank(const std::string& query, int depth) const {
  const State& state = *state_;
  Ranking ranking{state.ids, {}, {}};
  try {
    std::string text = state.options.normalize_measurements ? NormalizeMeasurements(query) : query;
    for (int attempt = 0; attempt < 2; ++attempt) {
      Operator op = state.options.op;
      Xapian::Query::op first = op == Operator::kOr ? Xapian::Query::OP_OR : Xapian::Query::OP_AND;
      ParsedQuery parsed = ParseQuery(state.db, state.options, text, first);
      AppendMatches(state.db, state.options, parsed.query, depth, ranking);
      bool relax =
          op == Operator::kAndFillOr || (op == Operator::kAndElseOr && ranking.ids.empty());
      if (relax && static_cast<int>(ranking.ids.size()) < depth) {
        Xapian::Query any = ParseQuery(state.db, state.options, text, Xapian::Query::OP_OR).query;
        AppendMatches(state.db, state.options, any, depth, ranking);
      }
      if (!ranking.ids.empty() || !state.options.spelling || parsed.corrected.empty()) break;
      text = parsed.corrected;
    }
  } catch (const Xapian::Error& e) {
    return Error::Unavailable("plain index: " + e.get_description());
  }
  return std::move(ranking.ids);
}

}  // namespace tailor::bench
