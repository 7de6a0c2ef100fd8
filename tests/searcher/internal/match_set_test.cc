// MatchSet: the matches read from posting lists are exactly those Xapian's matcher finds,
// for random query trees of every shape it models; the shapes it does not model are
// refused; and facets counted over a MatchSet equal those a match spy counts.
#include "searcher/internal/match_set.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <random>
#include <string>
#include <vector>

#include "searcher/internal/facet_spy.h"
#include "searcher/internal/facet_table.h"
#include "tests/searcher/random_catalog.h"
#include "tests/searcher/test_catalog.h"

namespace tailor::searcher::internal {
namespace {

using testing::BuildIndex;
using testing::ExpectSameFacets;
using testing::TempDir;

std::vector<std::string> RandomCatalog(int count, std::mt19937& rng) {
  std::vector<std::string> lines;
  for (const testing::Record& record : testing::RandomRecords(count, rng)) {
    lines.push_back(testing::JsonLine(record));
  }
  return lines;
}

// Every term of the index (text, prefixed text and boolean filter terms).
std::vector<std::string> AllTerms(const Xapian::Database& db) {
  std::vector<std::string> terms;
  for (Xapian::TermIterator it = db.allterms_begin(); it != db.allterms_end(); ++it) {
    terms.push_back(*it);
  }
  return terms;
}

std::vector<Xapian::docid> MatcherDocids(const Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
  std::vector<Xapian::docid> docids(mset.begin(), mset.end());
  std::sort(docids.begin(), docids.end());
  return docids;
}

std::vector<Xapian::docid> SetDocids(const MatchSet& matches) {
  std::vector<Xapian::docid> docids;
  matches.ForEach([&](Xapian::docid docid) { docids.push_back(docid); });
  return docids;
}

// A random query of the shapes MatchSet models, `depth` levels at most.
Xapian::Query RandomQuery(const std::vector<std::string>& terms, int depth, std::mt19937& rng) {
  const int kind = std::uniform_int_distribution<int>(0, depth > 0 ? 12 : 3)(rng);
  if (kind == 0) return Xapian::Query(std::string());  // every document
  if (kind == 1 && testing::Chance(0.3, rng)) return Xapian::Query::MatchNothing;
  if (kind == 2 && testing::Chance(0.3, rng)) {
    return Xapian::Query((new Xapian::FixedWeightPostingSource(2.5))->release());
  }
  if (kind <= 3) return Xapian::Query(testing::Pick(terms, rng));
  std::vector<Xapian::Query> parts;
  const int count = std::uniform_int_distribution<int>(1, 4)(rng);
  for (int i = 0; i < count; ++i) parts.push_back(RandomQuery(terms, depth - 1, rng));
  static const Xapian::Query::op kOps[] = {
      Xapian::Query::OP_OR,        Xapian::Query::OP_AND,    Xapian::Query::OP_AND_NOT,
      Xapian::Query::OP_AND_MAYBE, Xapian::Query::OP_FILTER, Xapian::Query::OP_SYNONYM,
      Xapian::Query::OP_MAX,       Xapian::Query::OP_OR,     Xapian::Query::OP_AND};
  if (kind == 12) return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, parts[0], 0.5);
  const Xapian::Query::op op = kOps[kind - 4];
  return Xapian::Query(op, parts.begin(), parts.end());
}

TEST(MatchSet, FindsWhatXapiansMatcherFindsForRandomQueries) {
  std::mt19937 rng(7);
  TempDir dir;
  BuildIndex(dir, RandomCatalog(400, rng));
  Xapian::Database db(dir.Path("index"));
  const std::vector<std::string> terms = AllTerms(db);
  ASSERT_GT(terms.size(), 20u);
  for (int i = 0; i < 400; ++i) {
    const Xapian::Query query = RandomQuery(terms, 3, rng);
    SCOPED_TRACE(query.get_description());
    std::optional<MatchSet> matches = MatchSet::Of(query, db);
    ASSERT_TRUE(matches.has_value());
    const std::vector<Xapian::docid> expected = MatcherDocids(db, query);
    EXPECT_EQ(SetDocids(*matches), expected);
    EXPECT_EQ(matches->size(), expected.size());
  }
}

TEST(MatchSet, FillQueriesReadEachWordOnceAndStayExact) {
  // The shape of the searcher's fill query: the AND query under a boost, ORed with the
  // loose words, each also under a word bonus. The AND part lies within the words.
  std::mt19937 rng(11);
  TempDir dir;
  BuildIndex(dir, RandomCatalog(300, rng));
  Xapian::Database db(dir.Path("index"));
  const Xapian::Query boost((new Xapian::FixedWeightPostingSource(100))->release());
  const Xapian::Query bonus((new Xapian::FixedWeightPostingSource(1))->release());
  const Xapian::Query alpha("alpha"), bravo("bravo"), red("red");
  const Xapian::Query strict(Xapian::Query::OP_AND, alpha, bravo);
  const Xapian::Query loose(Xapian::Query::OP_OR, alpha, bravo);
  const std::vector<Xapian::Query> bonus_parts = {
      loose, Xapian::Query(Xapian::Query::OP_FILTER, bonus, alpha),
      Xapian::Query(Xapian::Query::OP_FILTER, bonus, bravo)};
  const Xapian::Query bonused(Xapian::Query::OP_OR, bonus_parts.begin(), bonus_parts.end());
  const Xapian::Query feedback(Xapian::Query::OP_AND_MAYBE, bonused,
                               Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, red, 0.2));
  const Xapian::Query fill(Xapian::Query::OP_OR,
                           Xapian::Query(Xapian::Query::OP_FILTER, boost, strict), feedback);
  std::optional<MatchSet> matches = MatchSet::Of(fill, db);
  ASSERT_TRUE(matches.has_value());
  EXPECT_EQ(SetDocids(*matches), MatcherDocids(db, fill));
  EXPECT_GT(matches->size(), 0u);
}

TEST(MatchSet, RefusesWhatItDoesNotModel) {
  std::mt19937 rng(3);
  TempDir dir;
  BuildIndex(dir, RandomCatalog(50, rng));
  Xapian::Database db(dir.Path("index"));
  const Xapian::Query alpha("alpha"), bravo("bravo");
  const std::vector<Xapian::Query> refused = {
      Xapian::Query(Xapian::Query::OP_PHRASE, alpha, bravo),
      Xapian::Query(Xapian::Query::OP_NEAR, alpha, bravo),
      Xapian::Query(Xapian::Query::OP_WILDCARD, "alp"),
      Xapian::Query(Xapian::Query::OP_VALUE_RANGE, 0, "a", "b"),
      Xapian::Query(Xapian::Query::OP_ELITE_SET, alpha, bravo),
      Xapian::Query(Xapian::Query::OP_XOR, alpha, bravo),
      Xapian::Query((new Xapian::ValueWeightPostingSource(0))->release()),
      // Within an AND, an OR or a negation, the whole query is refused.
      Xapian::Query(Xapian::Query::OP_AND, alpha, Xapian::Query(Xapian::Query::OP_WILDCARD, "br")),
      Xapian::Query(Xapian::Query::OP_OR, alpha,
                    Xapian::Query(Xapian::Query::OP_PHRASE, bravo, alpha)),
      Xapian::Query(Xapian::Query::OP_AND_NOT, alpha,
                    Xapian::Query(Xapian::Query::OP_VALUE_GE, 0, "a")),
  };
  for (const Xapian::Query& query : refused) {
    SCOPED_TRACE(query.get_description());
    EXPECT_FALSE(MatchSet::Of(query, db).has_value());
  }
}

TEST(MatchSet, FacetsCountedOverTheSetEqualThoseOfAMatchSpy) {
  std::mt19937 rng(5);
  TempDir dir;
  BuildIndex(dir, RandomCatalog(300, rng));
  std::shared_ptr<const FacetTable> table;
  {
    Xapian::Database before(dir.Path("index"));
    table = FacetTable::Load(before);
  }
  // Products added after the table was loaded are counted from their value slots.
  std::vector<std::string> added;
  for (const testing::Record& record : testing::RandomRecords(40, rng)) {
    testing::Record renamed = record;
    renamed.id = "new-" + record.id;
    added.push_back(testing::JsonLine(renamed));
  }
  testing::UpdateIndex(dir, added);
  Xapian::Database db(dir.Path("index"));
  ASSERT_GT(db.get_lastdocid(), 300u);
  const std::vector<std::string> terms = AllTerms(db);
  FacetSelection selection;
  selection.values[FacetTable::kBrand] = {"Nike", "Gucci"};
  for (int i = 0; i < 100; ++i) {
    const Xapian::Query query = RandomQuery(terms, 2, rng);
    std::optional<MatchSet> matches = MatchSet::Of(query, db);
    ASSERT_TRUE(matches.has_value());
    for (FacetMask counted : {kAllFacets, ColumnBit(FacetTable::kSizes), kPriceBit}) {
      SCOPED_TRACE(query.get_description() + " mask " + std::to_string(counted));
      FacetSpy spied(table.get(), counted);
      Xapian::Enquire enquire(db);
      enquire.set_query(query);
      enquire.set_weighting_scheme(Xapian::BoolWeight());
      enquire.add_matchspy(&spied);
      enquire.get_mset(0, db.get_doccount());
      FacetSpy counted_set(table.get(), counted);
      counted_set.CountSet(*matches, db);
      ExpectSameFacets(counted_set.Build(3, selection), spied.Build(3, selection));
    }
  }
}

}  // namespace
}  // namespace tailor::searcher::internal
