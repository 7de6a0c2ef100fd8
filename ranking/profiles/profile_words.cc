#include "ranking/profiles/profile_words.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tailor::ranking {

std::string LeafInWords(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string TimesInWords(int n) {
  if (n == 1) return "once";
  if (n == 2) return "twice";
  return std::to_string(n) + " times";
}

std::string PriceInWords(double price) {
  char buffer[64];
  if (price >= 100) {
    const long whole = std::lround(price);
    std::string digits = std::to_string(whole), out;
    for (size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
      out += digits[i];
    }
    return out;
  }
  std::snprintf(buffer, sizeof(buffer), "%.2f", price);
  return buffer;
}

std::vector<std::string> ProfileInWords(const ProfileView& profile) {
  std::vector<std::string> words;
  if (profile.empty()) return words;
  auto list = [](const std::vector<ProfileView::Affinity>& affinities, size_t count) {
    std::string out;
    for (size_t i = 0; i < affinities.size() && i < count; ++i) {
      out += (i == 0 ? "" : i + 1 == std::min(count, affinities.size()) ? " and " : ", ");
      out += affinities[i].display;
    }
    return out;
  };
  if (!profile.brands.empty()) words.push_back("You like " + list(profile.brands, 3) + ".");
  std::vector<ProfileView::Affinity> leaves;
  for (const ProfileView::Affinity& a : profile.categories) {
    if (a.display.find('/') != std::string::npos) leaves.push_back({a.key, LeafInWords(a.display), a.affinity, a.weight});
  }
  if (!leaves.empty()) words.push_back("You shop " + list(leaves, 3) + " most.");
  if (!profile.colors.empty()) words.push_back("Your colours: " + list(profile.colors, 2) + ".");
  std::string sizes;
  for (const ProfileView::SizePreference& size : profile.sizes) {
    if (size.share < 0.25) continue;
    sizes += (sizes.empty() ? "" : ", ") + size.display;
  }
  if (!sizes.empty()) words.push_back("Your sizes: " + sizes + ".");
  for (const ProfileView::PriceLevel& level : profile.price_levels) {
    if (level.category.empty() || level.weight <= 0) continue;
    words.push_back("In " + level.category + " you usually pay about " +
                    PriceInWords(level.typical_price()) + ".");
    break;  // the strongest top category; the numbers list them all
  }
  if (profile.price_sensitivity >= 0.6) words.push_back("You often go for reduced items.");
  if (!profile.recent_views.empty()) {
    const ProfileView::ItemRef& last = profile.recent_views.front();
    words.push_back("You looked at " + last.item + " last" +
                    (last.views > 1 ? ", " + TimesInWords(last.views) + "." : "."));
  }
  return words;
}

}  // namespace tailor::ranking
