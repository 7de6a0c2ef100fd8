// The past queries query suggestions offer (server/internal/past_queries.h) and the typo
// tolerant prefix match they share with the vocabulary (server/internal/prefix_match.h).
#include "server/internal/past_queries.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tailor::server::internal {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;
constexpr int64_t kNow = 1'800'000'000'000;  // 2027

std::vector<std::string> TextsOf(const std::vector<PastQueries::Completion>& completions) {
  std::vector<std::string> texts;
  for (const PastQueries::Completion& c : completions) texts.push_back(c.text);
  return texts;
}

// Visitors v<first>..v<first+count-1> each type query at time ms (minutes apart, so no
// keystroke grouping between visitors applies anyway).
void TypedBy(PastQueries& past, const std::string& query, int first, int count, int64_t ms) {
  for (int i = first; i < first + count; ++i) {
    past.Record(query, "v" + std::to_string(i), true, ms);
  }
}

TEST(PastQueries, SuggestedToOthersOnlyOnceKDistinctVisitorsTypedIt) {
  PastQueries past(SuggestOptions{});  // min_visitors 3
  TypedBy(past, "Parka", 1, 2, kNow);
  EXPECT_TRUE(past.Complete("par", "new", false, kNow, 8).empty());
  // The same visitor again does not make a third one.
  past.Record("parka", "v1", true, kNow + 1000);
  EXPECT_TRUE(past.Complete("par", "new", false, kNow, 8).empty());
  TypedBy(past, "parka", 3, 1, kNow);
  std::vector<PastQueries::Completion> found = past.Complete("par", "new", false, kNow, 8);
  ASSERT_EQ(TextsOf(found), std::vector<std::string>{"parka"});
  EXPECT_EQ(found[0].visitors, 3);
  EXPECT_FALSE(found[0].own);
}

TEST(PastQueries, AVisitorSeesTheirOwnQueryAtOnce) {
  PastQueries past(SuggestOptions{});
  past.Record("rain jacket", "me", true, kNow);
  std::vector<PastQueries::Completion> mine = past.Complete("rain", "me", false, kNow, 8);
  ASSERT_EQ(TextsOf(mine), std::vector<std::string>{"rain jacket"});
  EXPECT_TRUE(mine[0].own);
  EXPECT_TRUE(past.Complete("rain", "you", false, kNow, 8).empty());
  EXPECT_TRUE(past.Complete("rain", "", false, kNow, 8).empty());
}

TEST(PastQueries, QueriesWithoutResultsOrVisitorOrInQuerySyntaxAreNotKept) {
  PastQueries past(SuggestOptions{});
  past.Record("parkx", "me", false, kNow);
  past.Record("parka", "", true, kNow);
  past.Record("brand:acme", "me", true, kNow + kHourMs);
  past.Record("\"rain parka\"", "me", true, kNow + 2 * kHourMs);
  EXPECT_EQ(past.size(), 0u);
}

TEST(PastQueries, ForgetRemovesAVisitorSoAQueryFallsBelowK) {
  PastQueries past(SuggestOptions{});
  TypedBy(past, "parka", 1, 3, kNow);
  ASSERT_EQ(past.Complete("par", "new", false, kNow, 8).size(), 1u);
  past.Forget("v2");
  EXPECT_TRUE(past.Complete("par", "new", false, kNow, 8).empty());
  EXPECT_EQ(past.Complete("par", "v1", false, kNow, 8).size(), 1u);  // still v1's own
  EXPECT_TRUE(past.Complete("par", "v2", false, kNow, 8).empty());
}

TEST(PastQueries, OlderTypingWeighsLessWithTheHalfLife) {
  SuggestOptions options;
  options.half_life_hours = 10;
  PastQueries past(options);
  TypedBy(past, "parka", 1, 4, kNow - 30 * kHourMs);  // 4 visitors, three half-lives ago
  TypedBy(past, "park bench", 11, 3, kNow);           // 3 visitors now
  std::vector<PastQueries::Completion> found = past.Complete("park", "new", false, kNow, 8);
  ASSERT_EQ(TextsOf(found), (std::vector<std::string>{"park bench", "parka"}));
  EXPECT_NEAR(found[0].weight, 3.0, 1e-3);
  EXPECT_NEAR(found[1].weight, 4.0 / 8, 1e-3);
  // Typed again now, by one of the four, it counts one whole visitor again, not two.
  past.Record("parka", "v1", true, kNow);
  EXPECT_NEAR(past.Complete("parka", "new", false, kNow, 8)[0].weight, 1 + 3.0 / 8, 1e-3);
}

TEST(PastQueries, OneTypoFromFourBytesOnExactMatchesFirst) {
  PastQueries past(SuggestOptions{});
  TypedBy(past, "parka", 1, 3, kNow);
  TypedBy(past, "prada bag", 11, 3, kNow);
  // "prak" is one swap from "park" and one replacement from "prad".
  EXPECT_EQ(TextsOf(past.Complete("prak", "new", true, kNow, 8)),
            (std::vector<std::string>{"parka", "prada bag"}));
  EXPECT_EQ(TextsOf(past.Complete("pra", "new", true, kNow, 8)),
            std::vector<std::string>{"prada bag"});  // too short for typos
  EXPECT_EQ(TextsOf(past.Complete("prada", "new", true, kNow, 8)),
            std::vector<std::string>{"prada bag"});
  EXPECT_EQ(TextsOf(past.Complete("parkx", "new", true, kNow, 8)),
            std::vector<std::string>{"parka"});
  EXPECT_TRUE(past.Complete("prak", "new", false, kNow, 8).empty());
  // An exact prefix ranks first, even below a heavier typo match.
  TypedBy(past, "parka", 21, 5, kNow);
  TypedBy(past, "praktiker", 31, 3, kNow);
  EXPECT_EQ(TextsOf(past.Complete("prak", "new", true, kNow, 8)),
            (std::vector<std::string>{"praktiker", "parka", "prada bag"}));
}

TEST(PastQueries, KeystrokesOfOneQueryCountOnlyTheLastOne) {
  PastQueries past(SuggestOptions{.min_visitors = 1});
  past.Record("par", "v1", true, kNow);
  past.Record("park", "v1", true, kNow + 300);
  past.Record("parka", "v1", true, kNow + 600);
  EXPECT_EQ(TextsOf(past.Complete("p", "other", false, kNow, 8)),
            std::vector<std::string>{"parka"});
  // A query typed before stays when the visitor extends it later.
  past.Record("parka", "v1", true, kNow + 600 + PastQueries::kKeystrokeMs + 1);
  past.Record("parka coat", "v1", true, kNow + 700 + PastQueries::kKeystrokeMs + 1);
  EXPECT_THAT(TextsOf(past.Complete("p", "other", false, kNow, 8)),
              ::testing::UnorderedElementsAre("parka", "parka coat"));
}

TEST(PastQueries, KeepsAtMostMaxQueriesDroppingTheColdest) {
  SuggestOptions options;
  options.max_queries = 10;
  options.min_visitors = 1;
  PastQueries past(options);
  TypedBy(past, "hot query", 100, 5, kNow);
  for (int i = 0; i < 30; ++i) {
    past.Record("cold " + std::to_string(i), "c" + std::to_string(i), true, kNow + i * kHourMs);
  }
  EXPECT_LE(past.size(), 10u);
  EXPECT_EQ(TextsOf(past.Complete("hot", "x", false, kNow + 30 * kHourMs, 8)),
            std::vector<std::string>{"hot query"});
}

TEST(MatchPrefix, ExactTypoOrNone) {
  EXPECT_EQ(MatchPrefix("par", "parka"), PrefixMatch::kExact);
  EXPECT_EQ(MatchPrefix("prak", "parka"), PrefixMatch::kTypo);   // swap
  EXPECT_EQ(MatchPrefix("pxrka", "parka"), PrefixMatch::kTypo);  // replace
  EXPECT_EQ(MatchPrefix("parrk", "parka"), PrefixMatch::kTypo);  // a byte too many
  EXPECT_EQ(MatchPrefix("prka", "parka"), PrefixMatch::kTypo);   // a byte missing
  EXPECT_EQ(MatchPrefix("pxxka", "parka"), PrefixMatch::kNone);  // two edits
  EXPECT_EQ(MatchPrefix("prk", "parka"), PrefixMatch::kNone);    // too short
}

}  // namespace
}  // namespace tailor::server::internal
