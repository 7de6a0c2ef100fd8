#include "server/internal/prefix_match.h"

namespace tailor::server::internal {
namespace {

// Whether a and b (equal length) differ in one byte or in two neighbours swapped.
bool OneReplaceOrSwap(std::string_view a, std::string_view b) {
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return false;  // equal: not an edit
  if (a.substr(i + 1) == b.substr(i + 1)) return true;
  return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
         a.substr(i + 2) == b.substr(i + 2);
}

// Whether longer is shorter with one byte inserted.
bool OneInsert(std::string_view longer, std::string_view shorter) {
  size_t i = 0;
  while (i < shorter.size() && longer[i] == shorter[i]) ++i;
  return longer.substr(i + 1) == shorter.substr(i);
}

}  // namespace

PrefixMatch MatchPrefix(std::string_view prefix, std::string_view text) {
  if (text.substr(0, prefix.size()) == prefix) return PrefixMatch::kExact;
  const size_t n = prefix.size();
  if (n < kMinTypoPrefixBytes) return PrefixMatch::kNone;
  if (text.size() >= n && OneReplaceOrSwap(prefix, text.substr(0, n))) return PrefixMatch::kTypo;
  if (text.size() >= n - 1 && OneInsert(prefix, text.substr(0, n - 1))) {
    return PrefixMatch::kTypo;
  }
  if (text.size() >= n + 1 && OneInsert(text.substr(0, n + 1), prefix)) {
    return PrefixMatch::kTypo;
  }
  return PrefixMatch::kNone;
}

std::vector<std::string> TypoStarts(std::string_view prefix) {
  if (prefix.size() < kMinTypoPrefixBytes) return {};
  std::vector<std::string> starts{std::string(1, prefix[0])};
  if (prefix[1] != prefix[0]) starts.emplace_back(1, prefix[1]);
  return starts;
}

}  // namespace tailor::server::internal
