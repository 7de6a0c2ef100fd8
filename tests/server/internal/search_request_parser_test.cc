#include "server/http/internal/search_request_parser.h"

#include <gtest/gtest.h>

namespace tailor::server::http::internal {
namespace {

using Params = std::multimap<std::string, std::string>;

// Asserts an invalid_argument error whose message starts with the field's name.
void ExpectErrorNaming(const Result<ParsedSearch>& parsed, const std::string& field) {
  ASSERT_FALSE(parsed.ok()) << "expected an error naming " << field;
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parsed.error().message.rfind(field + ":", 0), 0u) << parsed.error().message;
}

TEST(ParseSearchQuery, ReadsEveryParameter) {
  Result<ParsedSearch> parsed = ParseSearchQuery(
      {{"q", "parka"}, {"visitor", "v1"}, {"limit", "5"}, {"offset", "10"}, {"brand", "A"},
       {"brand", "B"}, {"category", "Men/Jackets"}, {"size", "M"}, {"color", "black"},
       {"price_min", "10.5"}, {"price_max", "99"}, {"in_stock", "true"}, {"explain", "1"},
       {"personalize", "false"}, {"variant", "b"}, {"prefix", "false"}});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const searcher::SearchRequest& request = parsed->request;
  EXPECT_EQ(request.query, "parka");
  EXPECT_EQ(request.limit, 5);
  EXPECT_EQ(request.offset, 10);
  EXPECT_EQ(request.brands, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(request.categories, (std::vector<std::string>{"Men/Jackets"}));
  EXPECT_EQ(request.sizes, (std::vector<std::string>{"M"}));
  EXPECT_EQ(request.colors, (std::vector<std::string>{"black"}));
  EXPECT_EQ(request.price_min, 10.5);
  EXPECT_EQ(request.price_max, 99);
  EXPECT_TRUE(request.in_stock_only);
  EXPECT_EQ(request.prefix_last_word, searcher::PrefixMode::kOff);
  EXPECT_EQ(parsed->context.visitor, "v1");
  EXPECT_TRUE(parsed->context.explain);
  EXPECT_FALSE(parsed->context.personalize);
  EXPECT_EQ(parsed->context.variant, "b");
}

TEST(ParseSearchQuery, DefaultsWhenEmpty) {
  Result<ParsedSearch> parsed = ParseSearchQuery({});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->request.query, "");
  EXPECT_FALSE(parsed->request.limit.has_value());
  EXPECT_EQ(parsed->request.offset, 0);
  EXPECT_FALSE(parsed->request.in_stock_only);
  EXPECT_FALSE(parsed->request.prefix_last_word.has_value());  // the searcher decides
  EXPECT_TRUE(parsed->context.personalize);
  EXPECT_FALSE(parsed->context.explain);
}

TEST(ParseSearchQuery, RejectsEachMalformedParameterByName) {
  ExpectErrorNaming(ParseSearchQuery({{"limit", "ten"}}), "limit");
  ExpectErrorNaming(ParseSearchQuery({{"limit", "-1"}}), "limit");
  ExpectErrorNaming(ParseSearchQuery({{"limit", "5x"}}), "limit");
  ExpectErrorNaming(ParseSearchQuery({{"limit", ""}}), "limit");
  ExpectErrorNaming(ParseSearchQuery({{"limit", "99999999999"}}), "limit");
  ExpectErrorNaming(ParseSearchQuery({{"offset", "1.5"}}), "offset");
  ExpectErrorNaming(ParseSearchQuery({{"offset", "-3"}}), "offset");
  ExpectErrorNaming(ParseSearchQuery({{"price_min", "cheap"}}), "price_min");
  ExpectErrorNaming(ParseSearchQuery({{"price_min", "-1"}}), "price_min");
  ExpectErrorNaming(ParseSearchQuery({{"price_max", "inf"}}), "price_max");
  ExpectErrorNaming(ParseSearchQuery({{"price_max", "nan"}}), "price_max");
  ExpectErrorNaming(ParseSearchQuery({{"in_stock", "yes"}}), "in_stock");
  ExpectErrorNaming(ParseSearchQuery({{"prefix", "auto"}}), "prefix");
  ExpectErrorNaming(ParseSearchQuery({{"explain", "maybe"}}), "explain");
  ExpectErrorNaming(ParseSearchQuery({{"personalize", ""}}), "personalize");
  ExpectErrorNaming(ParseSearchQuery({{"brand", ""}}), "brand");
  ExpectErrorNaming(ParseSearchQuery({{"category", ""}}), "category");
  ExpectErrorNaming(ParseSearchQuery({{"size", ""}}), "size");
  ExpectErrorNaming(ParseSearchQuery({{"color", ""}}), "color");
  ExpectErrorNaming(ParseSearchQuery({{"q", std::string(kMaxQueryBytes + 1, 'a')}}), "q");
  ExpectErrorNaming(ParseSearchQuery({{"visitor", std::string(kMaxNameBytes + 1, 'v')}}),
                    "visitor");
  ExpectErrorNaming(ParseSearchQuery({{"variant", "\xff"}}), "variant");
  ExpectErrorNaming(ParseSearchQuery({{"q", "\xc3"}}), "q");
}

TEST(ParseSearchQuery, RejectsUnknownParameterByName) {
  Result<ParsedSearch> parsed = ParseSearchQuery({{"q", "parka"}, {"brnad", "Acme"}});
  ExpectErrorNaming(parsed, "brnad");
  EXPECT_NE(parsed.error().message.find("unknown"), std::string::npos);
}

TEST(ParseSearchQuery, RejectsRepeatedSingleValuedParameter) {
  ExpectErrorNaming(ParseSearchQuery({{"limit", "1"}, {"limit", "2"}}), "limit");
  ExpectErrorNaming(ParseSearchQuery({{"q", "a"}, {"q", "b"}}), "q");
}

TEST(ParseSearchQuery, RejectsPriceMinAbovePriceMax) {
  ExpectErrorNaming(ParseSearchQuery({{"price_min", "50"}, {"price_max", "10"}}), "price_min");
}

TEST(ParseSearchBody, ReadsStringsArraysNumbersAndBooleans) {
  Result<ParsedSearch> parsed = ParseSearchBody(
      R"({"q":"parka","brand":["A","B"],"color":"black","limit":3,"price_max":99.5,)"
      R"("in_stock":true,"personalize":false,"visitor":"v1","prefix":true})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->request.query, "parka");
  EXPECT_EQ(parsed->request.brands, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(parsed->request.colors, (std::vector<std::string>{"black"}));
  EXPECT_EQ(parsed->request.limit, 3);
  EXPECT_EQ(parsed->request.price_max, 99.5);
  EXPECT_TRUE(parsed->request.in_stock_only);
  EXPECT_EQ(parsed->request.prefix_last_word, searcher::PrefixMode::kOn);
  EXPECT_FALSE(parsed->context.personalize);
  EXPECT_EQ(parsed->context.visitor, "v1");
}

TEST(ParseSearchBody, MalformedJsonNamesParseErrorAndOffset) {
  Result<ParsedSearch> parsed = ParseSearchBody(R"({"q": "parka",})");
  ExpectErrorNaming(parsed, "body");
  EXPECT_NE(parsed.error().message.find("offset 14"), std::string::npos)
      << parsed.error().message;
}

TEST(ParseSearchBody, EmptyBodyIsInvalidJson) { ExpectErrorNaming(ParseSearchBody(""), "body"); }

TEST(ParseSearchBody, RejectsNonObject) { ExpectErrorNaming(ParseSearchBody("[1,2]"), "body"); }

TEST(ParseSearchBody, RejectsInvalidUtf8) {
  ExpectErrorNaming(ParseSearchBody("{\"q\":\"\xff\"}"), "body");
}

TEST(ParseSearchBody, RejectsUnknownFieldByName) {
  Result<ParsedSearch> parsed = ParseSearchBody(R"({"q":"parka","colour":"red"})");
  ExpectErrorNaming(parsed, "colour");
}

TEST(ParseSearchBody, RejectsWrongTypesNamingTheField) {
  ExpectErrorNaming(ParseSearchBody(R"({"q":5})"), "q");
  ExpectErrorNaming(ParseSearchBody(R"({"limit":"5"})"), "limit");
  ExpectErrorNaming(ParseSearchBody(R"({"limit":2.5})"), "limit");
  ExpectErrorNaming(ParseSearchBody(R"({"limit":-1})"), "limit");
  ExpectErrorNaming(ParseSearchBody(R"({"offset":null})"), "offset");
  ExpectErrorNaming(ParseSearchBody(R"({"price_min":"10"})"), "price_min");
  ExpectErrorNaming(ParseSearchBody(R"({"price_max":-2})"), "price_max");
  ExpectErrorNaming(ParseSearchBody(R"({"in_stock":"true"})"), "in_stock");
  ExpectErrorNaming(ParseSearchBody(R"({"brand":7})"), "brand");
  ExpectErrorNaming(ParseSearchBody(R"({"size":{"M":1}})"), "size");
  ExpectErrorNaming(ParseSearchBody(R"({"brand":["A",3]})"), "brand[1]");
  ExpectErrorNaming(ParseSearchBody(R"({"category":["A",""]})"), "category[1]");
}

TEST(ParseSearchBody, RejectsDuplicateField) {
  ExpectErrorNaming(ParseSearchBody(R"({"limit":1,"limit":2})"), "limit");
}

TEST(ParseSearchQuery, ReadsFacetModeDisjunctiveByDefault) {
  Result<ParsedSearch> parsed = ParseSearchQuery({});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->request.facets, searcher::FacetMode::kDisjunctive);
  parsed = ParseSearchQuery({{"facets", "conjunctive"}});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->request.facets, searcher::FacetMode::kConjunctive);
  parsed = ParseSearchQuery({{"facets", "disjunctive"}});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->request.facets, searcher::FacetMode::kDisjunctive);
}

TEST(ParseSearchQuery, RejectsBadFacetModeByName) {
  ExpectErrorNaming(ParseSearchQuery({{"facets", "or"}}), "facets");
  ExpectErrorNaming(ParseSearchQuery({{"facets", ""}}), "facets");
  ExpectErrorNaming(ParseSearchQuery({{"facets", "Conjunctive"}}), "facets");
  ExpectErrorNaming(ParseSearchQuery({{"facets", "conjunctive"}, {"facets", "conjunctive"}}),
                    "facets");
}

TEST(ParseSearchBody, ReadsFacetMode) {
  Result<ParsedSearch> parsed = ParseSearchBody(R"({"facets":"conjunctive"})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->request.facets, searcher::FacetMode::kConjunctive);
  parsed = ParseSearchBody(R"({"facets":"disjunctive"})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->request.facets, searcher::FacetMode::kDisjunctive);
}

TEST(ParseSearchBody, RejectsBadFacetModeByName) {
  ExpectErrorNaming(ParseSearchBody(R"({"facets":"any"})"), "facets");
  ExpectErrorNaming(ParseSearchBody(R"({"facets":true})"), "facets");
  ExpectErrorNaming(ParseSearchBody(R"({"facets":["conjunctive"]})"), "facets");
}

}  // namespace
}  // namespace tailor::server::http::internal
