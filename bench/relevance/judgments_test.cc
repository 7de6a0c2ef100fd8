#include "bench/relevance/judgments.h"

#include <gtest/gtest.h>

#include "bench/relevance/evaluate.h"

namespace tailor::bench {
namespace {

using Records = std::vector<std::vector<std::string>>;

TEST(Crc32, MatchesTheZlibCheckValue) {
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(Crc32(""), 0u);
}

TEST(HalfOf, PutsEvenCrcInDevAndOddInTest) {
  EXPECT_EQ(HalfOf("123456789"), Half::kDev);  // 0xCBF43926
  EXPECT_EQ(Crc32("a"), 0xE8B7BE43u);
  EXPECT_EQ(HalfOf("a"), Half::kTest);
}

TEST(Windows1252ToUtf8, MapsHighBytesToTheirCodePoints) {
  EXPECT_EQ(Windows1252ToUtf8("30\xB0 F"), "30\u00B0 F");
  EXPECT_EQ(Windows1252ToUtf8("caf\xE9"), "caf\u00E9");
  EXPECT_EQ(Windows1252ToUtf8("Trex\x99"), "Trex\u2122");
  EXPECT_EQ(Windows1252ToUtf8("plain ascii"), "plain ascii");
}

TEST(ParseCsv, KeepsCommasInsideQuotes) {
  Result<Records> records = ParseCsv("a,\"b, c\",d\n", "t.csv");
  ASSERT_TRUE(records.ok()) << records.error().message;
  EXPECT_EQ(*records, (Records{{"a", "b, c", "d"}}));
}

TEST(ParseCsv, ReadsDoubledQuotesAsOneQuote) {
  Result<Records> records = ParseCsv("\"1/2 in.\"\" pipe\",x\r\ny,\"\"\n", "t.csv");
  ASSERT_TRUE(records.ok()) << records.error().message;
  EXPECT_EQ(*records, (Records{{"1/2 in.\" pipe", "x"}, {"y", ""}}));
}

TEST(ParseCsv, KeepsNewlinesInsideQuotesAndReadsALastLineWithoutNewline) {
  Result<Records> records = ParseCsv("\"two\nlines\",b\nc,", "t.csv");
  ASSERT_TRUE(records.ok()) << records.error().message;
  EXPECT_EQ(*records, (Records{{"two\nlines", "b"}, {"c", ""}}));
}

TEST(ParseCsv, RejectsAnUnterminatedQuoteWithItsLine) {
  Result<Records> records = ParseCsv("a,b\nc,\"open\n", "t.csv");
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(records.error().message, "t.csv:2: unterminated quoted field");
}

TEST(ParseCsv, RejectsTextAfterAClosingQuote) {
  Result<Records> records = ParseCsv("\"a\"b,c\n", "t.csv");
  ASSERT_FALSE(records.ok());
  EXPECT_NE(records.error().message.find("t.csv:1"), std::string::npos);
}

constexpr const char* kHeader = "\"id\",\"product_uid\",\"product_title\",\"search_term\",\"relevance\"\n";

TEST(ParseJudgments, GroupsRowsByQueryAndProduct) {
  std::string csv = std::string(kHeader) +
                    "2,100001,\"Simpson Strong-Tie 12-Gauge Angle\",\"angle bracket\",3\n"
                    "3,100001,\"Simpson Strong-Tie 12-Gauge Angle\",\"l bracket\",2.5\n"
                    "4,100002,\"Deck, \"\"Over\"\" 1-gal.\",\"angle bracket\",1\n";
  Result<JudgmentSet> set = ParseJudgments(Windows1252ToUtf8(csv), "train.csv");
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->rows, 3);
  ASSERT_EQ(set->products.size(), 2u);
  EXPECT_EQ(set->products[1].title, "Deck, \"Over\" 1-gal.");
  ASSERT_EQ(set->queries.size(), 2u);
  EXPECT_EQ(set->queries[0].query, "angle bracket");
  ASSERT_EQ(set->queries[0].products.size(), 2u);
  EXPECT_DOUBLE_EQ(set->queries[0].products[0].gain, 2.0);
  EXPECT_DOUBLE_EQ(set->queries[0].products[1].gain, 0.0);
  EXPECT_DOUBLE_EQ(set->queries[1].products[0].gain, 1.5);
}

TEST(ParseJudgments, RejectsAWrongHeader) {
  Result<JudgmentSet> set = ParseJudgments("id,uid,title,q,rel\n", "train.csv");
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.error().message.find("train.csv:1: header"), std::string::npos);
}

TEST(ParseJudgments, RejectsRelevanceOutOfRangeNamingRecordAndColumn) {
  std::string csv = std::string(kHeader) + "2,100001,\"t\",\"q\",4\n";
  Result<JudgmentSet> set = ParseJudgments(csv, "train.csv");
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(set.error().message.find("train.csv:record 2: relevance"), std::string::npos);
}

TEST(QueriesOfHalf, SplitsEveryQueryIntoExactlyOneHalf) {
  JudgmentSet set;
  for (int i = 0; i < 50; ++i) set.queries.push_back({"query " + std::to_string(i), {}});
  size_t dev = QueriesOfHalf(set, Half::kDev).size();
  size_t test = QueriesOfHalf(set, Half::kTest).size();
  EXPECT_EQ(dev + test, 50u);
  EXPECT_GT(dev, 0u);
  EXPECT_GT(test, 0u);
}

TEST(ScoreRanking, DropsUnjudgedProductsAndCountsMissedOnesInTheIdeal) {
  QueryJudgments q{"q", {{"a", 2}, {"b", 0}, {"c", 1}}};
  QueryScore perfect = ScoreRanking(q, {"x", "a", "y", "c", "b"}, 10);
  EXPECT_DOUBLE_EQ(perfect.ndcg, 1.0);
  EXPECT_EQ(perfect.retrieved_judged, 3);
  QueryScore missed = ScoreRanking(q, {"a"}, 10);
  EXPECT_LT(missed.ndcg, 1.0);
  EXPECT_EQ(missed.retrieved_judged, 1);
  EXPECT_EQ(missed.judged, 3);
  QueryScore all_zero = ScoreRanking({"q", {{"b", 0}}}, {"b"}, 10);
  EXPECT_LT(all_zero.ndcg, 0);
}

}  // namespace
}  // namespace tailor::bench
