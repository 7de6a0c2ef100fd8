#include "server/http/request.h"

#include <gtest/gtest.h>

namespace tailor::server::http {
namespace {

TEST(ParseTarget, SplitsPathAndDecodesParametersWithPlusAsSpace) {
  Result<Target> target = ParseTarget("/search?q=rain+parka&brand=Pepe%20Jeans");
  ASSERT_TRUE(target.ok()) << target.error().message;
  EXPECT_EQ(target->path, "/search");
  ASSERT_EQ(target->query_params.size(), 2u);
  EXPECT_EQ(target->query_params.find("q")->second, "rain parka");
  EXPECT_EQ(target->query_params.find("brand")->second, "Pepe Jeans");
}

TEST(ParseTarget, KeepsRepeatedKeysInOrder) {
  Result<Target> target = ParseTarget("/search?brand=A&brand=B&q=");
  ASSERT_TRUE(target.ok());
  auto [begin, end] = target->query_params.equal_range("brand");
  std::vector<std::string> brands;
  for (auto it = begin; it != end; ++it) brands.push_back(it->second);
  EXPECT_EQ(brands, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(target->query_params.find("q")->second, "");
}

TEST(ParseTarget, DecodesEncodedPlusAndUtf8) {
  Result<Target> target = ParseTarget("/search?q=a%2Bb%20%C3%BC");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->query_params.find("q")->second, "a+b \xC3\xBC");
}

TEST(ParseTarget, IgnoresEmptyPairs) {
  Result<Target> target = ParseTarget("/health?&&");
  ASSERT_TRUE(target.ok());
  EXPECT_TRUE(target->query_params.empty());
}

TEST(ParseTarget, RejectsBadEscapeNamingTheParameter) {
  Result<Target> target = ParseTarget("/search?brand=%G1");
  ASSERT_FALSE(target.ok());
  EXPECT_EQ(target.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(target.error().message.find("brand"), std::string::npos);
}

TEST(ParseTarget, RejectsTruncatedEscape) {
  EXPECT_FALSE(ParseTarget("/search?q=%4").ok());
  EXPECT_FALSE(ParseTarget("/search?q=%").ok());
}

TEST(ParseTarget, RejectsTargetNotStartingWithSlash) {
  Result<Target> target = ParseTarget("http://example.com/search");
  ASSERT_FALSE(target.ok());
  EXPECT_EQ(target.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace tailor::server::http
