#include "server/internal/vocabulary.h"

#include <algorithm>
#include <array>

#include "core/text.h"

namespace tailor::server::internal {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Words a suggested phrase does not start or end with (English and German; the title words
// are lowercase ASCII, so "für" is not among them).
bool IsStopword(std::string_view word) {
  static constexpr std::array<std::string_view, 22> kStopwords = {
      "a",  "an",  "and", "as",   "at",  "by",  "for", "from", "in",  "of",  "on",
      "or", "the", "to",  "with", "und", "mit", "der", "die",  "das", "von", "im"};
  return std::find(kStopwords.begin(), kStopwords.end(), word) != kStopwords.end();
}

// A phrase of up to three word ids in one integer (20 bits each, 2 bits for the length).
constexpr int kWordBits = 20;
constexpr int32_t kMaxWordId = (1 << kWordBits) - 1;

// Three 20-bit word slots, first word highest and unused slots 0, under the word count.
uint64_t PackPhrase(std::span<const int32_t> ids) {
  uint64_t key = 0;
  for (size_t i = 0; i < 3; ++i) {
    key = (key << kWordBits) | (i < ids.size() ? static_cast<uint64_t>(ids[i]) : 0);
  }
  return key | (static_cast<uint64_t>(ids.size()) << (3 * kWordBits));
}

std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// The last level of a category key or display path ("men/jackets/parkas" -> "parkas").
std::string_view LastLevel(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The word ids of a packed phrase, first word first.
std::vector<int32_t> UnpackPhrase(uint64_t key) {
  std::vector<int32_t> ids(key >> (3 * kWordBits));
  for (size_t i = 0; i < ids.size(); ++i) {
    ids[i] = static_cast<int32_t>((key >> ((2 - i) * kWordBits)) & kMaxWordId);
  }
  return ids;
}

struct PhraseCount {
  uint64_t key = 0;
  int items = 0;
  size_t words() const { return key >> (3 * kWordBits); }
};

}  // namespace

std::shared_ptr<const Vocabulary> Vocabulary::Build(const ItemTable& items,
                                                    const SuggestOptions& options) {
  std::shared_ptr<Vocabulary> vocabulary(
      new Vocabulary(static_cast<size_t>(options.max_cached_counts)));
  std::vector<int> brand_items(items.DictSize(ItemTable::kBrand));
  std::vector<int> category_items(items.DictSize(ItemTable::kCategory));
  for (ItemTable::Row row = 0; row < items.rows(); ++row) {
    if (!items.present(row)) continue;
    if (items.brand(row) >= 0) ++brand_items[items.brand(row)];
    for (int32_t category : items.categories(row)) ++category_items[category];
  }
  for (size_t id = 0; id < brand_items.size(); ++id) {
    if (brand_items[id] == 0) continue;
    const int32_t brand = static_cast<int32_t>(id);
    vocabulary->terms_.push_back(Term{items.Key(ItemTable::kBrand, brand),
                                      items.Display(ItemTable::kBrand, brand), TermKind::kBrand,
                                      brand_items[id]});
  }
  // One term per level name: "Parkas" of men and of women together.
  std::unordered_map<std::string, size_t> by_name;
  for (size_t id = 0; id < category_items.size(); ++id) {
    if (category_items[id] == 0) continue;
    const int32_t category = static_cast<int32_t>(id);
    const std::string name(LastLevel(items.Key(ItemTable::kCategory, category)));
    auto [it, added] = by_name.try_emplace(name, vocabulary->terms_.size());
    if (added) {
      vocabulary->terms_.push_back(
          Term{name, std::string(LastLevel(items.Display(ItemTable::kCategory, category))),
               TermKind::kCategory, 0});
    }
    vocabulary->terms_[it->second].items += category_items[id];
  }
  vocabulary->AddPhrases(items, options);
  vocabulary->Index();
  return vocabulary;
}

void Vocabulary::AddPhrases(const ItemTable& items, const SuggestOptions& options) {
  std::vector<std::string_view> word_of;  // word id -> text, views into the table's titles
  std::unordered_map<uint64_t, int> counts;  // packed phrase -> titles with it
  counts.reserve(items.rows() * 4);
  std::vector<uint64_t> seen;
  for (ItemTable::Row row = 0; row < items.rows(); ++row) {
    if (!items.present(row)) continue;
    std::span<const int32_t> ids = items.title_word_ids(row);
    std::vector<std::string_view> words = SplitWords(items.title_words(row));
    if (words.size() != ids.size()) continue;
    seen.clear();
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] < 0 || ids[i] > kMaxWordId) continue;
      if (word_of.size() <= static_cast<size_t>(ids[i])) word_of.resize(ids[i] + 1);
      word_of[ids[i]] = words[i];
      for (size_t n = 1; n <= 3 && i + n <= ids.size(); ++n) {
        if (words[i + n - 1].size() < 2 || ids[i + n - 1] < 0 || ids[i + n - 1] > kMaxWordId) {
          break;  // a longer run holds the same one-letter or unpackable word
        }
        if (IsStopword(words[i]) || IsStopword(words[i + n - 1])) continue;
        const uint64_t key = PackPhrase(ids.subspan(i, n));
        if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
        seen.push_back(key);
        ++counts[key];
      }
    }
  }
  std::vector<PhraseCount> kept;
  for (const auto& [key, titles] : counts) {
    PhraseCount count{key, titles};
    if (count.words() > 1 && titles < options.min_phrase_items) continue;
    kept.push_back(count);
  }
  const size_t max = std::min(kept.size(), static_cast<size_t>(options.max_phrases));
  std::partial_sort(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(max), kept.end(),
                    [](const PhraseCount& a, const PhraseCount& b) {
                      if (a.items != b.items) return a.items > b.items;
                      if (a.words() != b.words()) return a.words() < b.words();
                      return a.key < b.key;
                    });
  for (size_t i = 0; i < max; ++i) {
    std::string text;
    for (int32_t id : UnpackPhrase(kept[i].key)) {
      if (!text.empty()) text += ' ';
      text += word_of[id];
    }
    terms_.push_back(Term{text, text, TermKind::kPhrase, kept[i].items});
  }
}

void Vocabulary::Index() {
  std::sort(terms_.begin(), terms_.end(), [](const Term& a, const Term& b) {
    return a.text != b.text ? a.text < b.text : a.kind < b.kind;
  });
  for (size_t i = 0; i < terms_.size(); ++i) {
    if (terms_[i].kind == TermKind::kBrand) brands_.emplace(terms_[i].text, i);
    if (terms_[i].kind == TermKind::kCategory) categories_.emplace(terms_[i].text, i);
  }
}

std::vector<Vocabulary::Match> Vocabulary::Complete(std::string_view prefix, bool typos,
                                                    size_t max_per_kind) const {
  auto lower = [this](std::string_view start) {
    return std::lower_bound(terms_.begin(), terms_.end(), start,
                            [](const Term& term, std::string_view s) { return term.text < s; });
  };
  std::vector<Match> found;
  for (auto it = lower(prefix); it != terms_.end() && StartsWith(it->text, prefix); ++it) {
    found.push_back(Match{&*it, PrefixMatch::kExact});
  }
  if (typos) {
    for (const std::string& start : TypoStarts(prefix)) {
      for (auto it = lower(start); it != terms_.end() && StartsWith(it->text, start); ++it) {
        if (MatchPrefix(prefix, it->text) == PrefixMatch::kTypo) {
          found.push_back(Match{&*it, PrefixMatch::kTypo});
        }
      }
    }
  }
  std::sort(found.begin(), found.end(), [](const Match& a, const Match& b) {
    if (a.term->kind != b.term->kind) return a.term->kind < b.term->kind;
    if (a.match != b.match) return a.match == PrefixMatch::kExact;
    if (a.term->items != b.term->items) return a.term->items > b.term->items;
    return a.term->text < b.term->text;
  });
  std::vector<Match> out;
  size_t in_kind = 0;
  for (size_t i = 0; i < found.size(); ++i) {
    in_kind = i > 0 && found[i].term->kind == found[i - 1].term->kind ? in_kind + 1 : 0;
    if (in_kind < max_per_kind) out.push_back(found[i]);
  }
  return out;
}

const Term* Vocabulary::Brand(std::string_view key) const {
  auto it = brands_.find(std::string(key));
  return it == brands_.end() ? nullptr : &terms_[it->second];
}

const Term* Vocabulary::Category(std::string_view key) const {
  auto it = categories_.find(std::string(LastLevel(key)));
  return it == categories_.end() ? nullptr : &terms_[it->second];
}

std::optional<long> Vocabulary::CachedCount(const std::string& text) const {
  std::lock_guard lock(counts_mu_);
  auto it = counts_.find(text);
  return it == counts_.end() ? std::nullopt : std::optional<long>(it->second);
}

void Vocabulary::CacheCount(const std::string& text, long count) const {
  if (max_cached_counts_ == 0) return;
  std::lock_guard lock(counts_mu_);
  if (counts_.size() >= max_cached_counts_) counts_.clear();
  counts_[text] = count;
}

}  // namespace tailor::server::internal
