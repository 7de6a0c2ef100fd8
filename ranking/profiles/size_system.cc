// SizeSystemOf (ranking/profiles/profile.h): which sizes are comparable with which.
#include <cctype>
#include <string>

#include "ranking/profiles/profile.h"

namespace tailor::ranking {
namespace {

// The label upper-cased without spaces, dots kept: "uk 7" -> "UK7".
std::string Compact(std::string_view size) {
  std::string out;
  for (unsigned char c : size) {
    if (!std::isspace(c)) out += static_cast<char>(std::toupper(c));
  }
  return out;
}

bool IsNumber(std::string_view text) {
  if (text.empty()) return false;
  bool digit = false, dot = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if ((c == '.' || c == ',') && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digit;
}

bool IsLetterSize(std::string_view s) {
  if (s == "S" || s == "M" || s == "L" || s == "XS" || s == "XL") return true;
  // XXS, XXXS, XXL, XXXL, ... and 2XL..6XL, 2XS..
  size_t i = 0;
  if (s[0] >= '2' && s[0] <= '6') {
    if (s.size() < 2 || s[1] != 'X') return false;
    i = 2;
  } else {
    while (i < s.size() && s[i] == 'X') ++i;
    if (i == 0) return false;
  }
  return i + 1 == s.size() && (s[i] == 'S' || s[i] == 'L');
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// "5-6Y", "12Y", "3-6M", "18M", "0-3M".
bool IsAge(std::string_view s) {
  if (s.size() < 2 || (s.back() != 'Y' && s.back() != 'M')) return false;
  std::string_view body = s.substr(0, s.size() - 1);
  size_t dash = body.find('-');
  if (dash == std::string_view::npos) return IsNumber(body);
  return IsNumber(body.substr(0, dash)) && IsNumber(body.substr(dash + 1));
}

// "32/34", "32X34", "W32L34", "W32/L34".
bool IsWaistLength(std::string_view s) {
  if (StartsWith(s, "W")) {
    size_t l = s.find('L');
    if (l == std::string_view::npos) return false;
    std::string_view waist = s.substr(1, l - 1);
    if (!waist.empty() && waist.back() == '/') waist.remove_suffix(1);
    return IsNumber(waist) && IsNumber(s.substr(l + 1));
  }
  size_t sep = s.find_first_of("/X");
  return sep != std::string_view::npos && IsNumber(s.substr(0, sep)) && IsNumber(s.substr(sep + 1));
}

}  // namespace

std::string_view SizeSystemOf(std::string_view size) {
  const std::string s = Compact(size);
  if (s.empty()) return "other";
  if (IsLetterSize(s)) return "letter";
  if (s == "FREESIZE" || s == "ONESIZE" || s == "OS" || s == "ONE") return "one_size";
  for (auto [prefix, system] : {std::pair<std::string_view, std::string_view>{"UK", "shoe_uk"},
                                {"EUR", "shoe_eu"},
                                {"EU", "shoe_eu"},
                                {"US", "shoe_us"}}) {
    if (!StartsWith(s, prefix)) continue;
    std::string_view rest = std::string_view(s).substr(prefix.size());
    if (!rest.empty() && rest.back() == 'C') rest.remove_suffix(1);  // kids' sizes, "UK12C"
    if (IsNumber(rest)) return system;
  }
  if (IsAge(s)) return "age";
  if (IsWaistLength(s)) return "waist_length";
  if (IsNumber(s)) return "numeric";
  return "other";
}

}  // namespace tailor::ranking
