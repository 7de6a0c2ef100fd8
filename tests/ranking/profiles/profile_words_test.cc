#include "ranking/profiles/profile_words.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace tailor::ranking {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

// A shopper who likes Puma in size M, paid about 1,200 in Men and looked at p2 three times.
ProfileView Shopper() {
  ProfileView view;
  view.events = 6;
  view.brands = {{"puma", "Puma", 0.5, 6}};
  view.sizes = {{"letter", "m", "M", 1.0, 4}};
  view.recent_views.push_back({});
  view.recent_views.back().item = "p2";
  view.recent_views.back().views = 3;
  view.price_levels.push_back({});
  view.price_levels.back().category = "Men";
  view.price_levels.back().mean_log_price = std::log(1200.0);
  view.price_levels.back().weight = 5;
  return view;
}

TEST(ProfileWords, SayWhatAProfileHolds) {
  std::vector<std::string> words = ProfileInWords(Shopper());
  EXPECT_THAT(words, Contains("You like Puma."));
  EXPECT_THAT(words, Contains("Your sizes: M."));
  EXPECT_THAT(words, Contains("In Men you usually pay about 1,200."));
  EXPECT_THAT(words, Contains(HasSubstr("You looked at p2 last, 3 times")));
  EXPECT_TRUE(ProfileInWords(ProfileView{}).empty());
  EXPECT_EQ(PriceInWords(12.5), "12.50");
  EXPECT_EQ(PriceInWords(1234567), "1,234,567");
}

TEST(ProfileWords, LeavesAndTimes) {
  EXPECT_EQ(LeafInWords("Men/Topwear/Jackets"), "Jackets");
  EXPECT_EQ(LeafInWords("Shoes"), "Shoes");
  EXPECT_EQ(TimesInWords(1), "once");
  EXPECT_EQ(TimesInWords(2), "twice");
  EXPECT_EQ(TimesInWords(7), "7 times");
}

}  // namespace
}  // namespace tailor::ranking
