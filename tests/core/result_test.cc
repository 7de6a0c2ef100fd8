#include "core/result.h"

#include <gtest/gtest.h>

namespace tailor {
namespace {

Result<int> ParsePositive(int value) {
  if (value <= 0) return Error::InvalidArgument("value: must be > 0");
  return value;
}

TEST(Result, CarriesValueOrError) {
  Result<int> good = ParsePositive(3);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 3);
  Result<int> bad = ParsePositive(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message, "value: must be > 0");
}

TEST(Result, WithPrefixNamesThePlace) {
  Error error = Error::InvalidArgument("price: must be >= 0").WithPrefix("catalog.jsonl:17");
  EXPECT_EQ(error.message, "catalog.jsonl:17: price: must be >= 0");
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
}

TEST(Status, DefaultIsOkAndErrorIsNot) {
  EXPECT_TRUE(Status().ok());
  Status failed = Error::NotFound("profile v1");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(ErrorCodeName(failed.error().code), "not_found");
}

TEST(ErrorCodeName, NamesEveryCode) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidArgument), "invalid_argument");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kNotFound), "not_found");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kUnauthenticated), "unauthenticated");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kResourceExhausted), "resource_exhausted");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kFailedPrecondition), "failed_precondition");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kDataLoss), "data_loss");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kUnavailable), "unavailable");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInternal), "internal");
}

}  // namespace
}  // namespace tailor
