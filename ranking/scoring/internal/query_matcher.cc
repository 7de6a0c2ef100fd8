#include "ranking/scoring/internal/query_matcher.h"

#include <algorithm>
#include <cctype>

namespace tailor::ranking::internal {
namespace {

std::vector<std::string_view> SplitWords(std::string_view words) {
  std::vector<std::string_view> out;
  while (!words.empty()) {
    size_t space = words.find(' ');
    out.push_back(words.substr(0, space));
    if (space == std::string_view::npos) break;
    words.remove_prefix(space + 1);
  }
  return out;
}

// A byte of a word as TitleWords splits text: ASCII letters and digits, any non-ASCII byte.
bool IsWordByte(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || u >= 0x80;
}

}  // namespace

bool SameWord(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 2) return false;  // no suffix to compare: skip the memcmp
  if (b.substr(0, a.size()) != a) return false;
  std::string_view rest = b.substr(a.size());
  return rest.empty() || rest == "s" || rest == "es";
}

QueryMatcher::QueryMatcher(const ItemTable& items, std::string_view query)
    : items_(items), words_(TitleWords(query)), query_words_(SplitWords(words_)) {
  if (query_words_.empty()) return;
  title_ids_.reserve(query_words_.size());
  for (std::string_view word : query_words_) title_ids_.push_back(items.FindWordForms(word));
  brand_named_.assign(items.DictSize(ItemTable::kBrand), kUnknown);
  category_named_.assign(items.DictSize(ItemTable::kCategory), kUnknown);
}

double QueryMatcher::TitleMatch(ItemTable::Row row) const {
  if (query_words_.empty()) return 0;
  const std::span<const int32_t> title = items_.title_word_ids(row);
  int found = 0;
  for (const ItemTable::WordForms& forms : title_ids_) {
    if (std::any_of(title.begin(), title.end(), [&](int32_t id) { return forms.Has(id); })) {
      ++found;
    }
  }
  return static_cast<double>(found) / query_words_.size();
}

bool QueryMatcher::BrandMatch(ItemTable::Row row) {
  const int32_t brand = items_.brand(row);
  if (brand == ItemTable::kNone || query_words_.empty()) return false;
  Named& named = brand_named_[static_cast<size_t>(brand)];
  if (named == kUnknown) named = NamedIf(NamesAllWords(items_.Key(ItemTable::kBrand, brand)));
  return named == kYes;
}

bool QueryMatcher::CategoryMatch(ItemTable::Row row) {
  if (query_words_.empty()) return false;
  for (int32_t category : items_.categories(row)) {
    Named& named = category_named_[static_cast<size_t>(category)];
    if (named == kUnknown) {
      // A category id names a path; the query names the path's last level. Keys keep the
      // display's '/'s, so this is the same level as in the display.
      std::string_view path = items_.Key(ItemTable::kCategory, category);
      size_t slash = path.rfind('/');
      std::string_view level = slash == std::string_view::npos ? path : path.substr(slash + 1);
      named = NamedIf(NamesAllWords(level));
    }
    if (named == kYes) return true;
  }
  return false;
}

// The words of a dictionary key are those of its display: a key only lowercases ASCII and
// collapses whitespace (NormalizeKeyword), which TitleWords does as well. Reading them from
// the key in place spares a TitleWords string per brand.
bool QueryMatcher::NamesAllWords(std::string_view key) const {
  bool any_word = false;
  size_t begin = 0;
  while (true) {
    while (begin < key.size() && !IsWordByte(key[begin])) ++begin;
    if (begin == key.size()) return any_word;
    size_t end = begin;
    while (end < key.size() && IsWordByte(key[end])) ++end;
    const std::string_view word = key.substr(begin, end - begin);
    const bool found = std::any_of(query_words_.begin(), query_words_.end(),
                                   [word](std::string_view q) { return SameWord(q, word); });
    if (!found) return false;
    any_word = true;
    begin = end;
  }
}

}  // namespace tailor::ranking::internal
