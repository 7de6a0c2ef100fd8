// CheckAdmin's bearer-token check: only the exact token passes; a wrong, shorter (prefix),
// longer or empty one is unauthenticated, and the comparison is by fixed-size digests, so
// neither its result nor its time depends on where or whether the lengths differ.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/http/admin_handlers.h"

namespace tailor::server::http {
namespace {

Status Check(const std::string& authorization, const std::string& token) {
  Request request;
  request.authorization = authorization;
  return CheckAdmin(request, token);
}

TEST(CheckAdmin, OnlyTheExactTokenPasses) {
  const std::string token = "s3cret-0123456789abcdef0123456789abcdef-longer-than-32-bytes";
  EXPECT_TRUE(Check("Bearer " + token, token).ok());
  const std::vector<std::string> wrongs = {"Bearer ",
                                           "Bearer s3cret",
                                           "Bearer " + token.substr(0, token.size() - 1),
                                           "Bearer " + token + "x",
                                           "Bearer " + token + std::string(1, '\0'),
                                           "Bearer " + token.substr(0, 40) + "X" + token.substr(41),
                                           "bearer " + token,
                                           token,
                                           ""};
  for (const std::string& wrong : wrongs) {
    Status status = Check(wrong, token);
    ASSERT_FALSE(status.ok()) << wrong;
    EXPECT_EQ(status.error().code, ErrorCode::kUnauthenticated) << wrong;
  }
}

TEST(CheckAdmin, WithoutAConfiguredTokenAdminIsNotFound) {
  Status status = Check("Bearer ", "");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace tailor::server::http
