#include "searcher/internal/synonym_table.h"

#include <algorithm>

#include "core/text.h"

namespace tailor::searcher::internal {
namespace {

bool IsInfix(unsigned ch) { return ch == '\'' || ch == '&'; }

std::string StemmedKey(const std::vector<std::string>& words, Xapian::Stem& stemmer) {
  std::vector<std::string> stems;
  stems.reserve(words.size());
  for (const std::string& word : words) stems.push_back(stemmer(word));
  return Join(stems, ' ');
}

void AddAlternative(std::vector<std::string>& alternatives, const std::string& phrase) {
  if (std::find(alternatives.begin(), alternatives.end(), phrase) == alternatives.end()) {
    alternatives.push_back(phrase);
  }
}

// Whether the word at span is free for a synonym: not quoted, not the target of a + or -
// operator, not a field name or value.
bool IsPlainWord(std::string_view text, const WordSpan& span, bool in_quotes) {
  if (in_quotes) return false;
  if (span.end < text.size() && text[span.end] == ':') return false;
  if (span.begin == 0) return true;
  const char before = text[span.begin - 1];
  if (before == ':') return false;
  if (before == '+' || before == '-') {
    return span.begin >= 2 && text[span.begin - 2] != ' ' && text[span.begin - 2] != '\t';
  }
  return true;
}

bool JoinsPhrase(std::string_view between) {
  return between.find_first_not_of(" \t-/.") == std::string_view::npos;
}

}  // namespace

std::vector<WordSpan> SplitWords(std::string_view text) {
  std::vector<WordSpan> spans;
  const std::string input(text);
  Xapian::Utf8Iterator it(input), end;
  auto offset = [&](const Xapian::Utf8Iterator& at) {
    return at == end ? input.size() : static_cast<size_t>(at.raw() - input.data());
  };
  while (it != end) {
    if (!Xapian::Unicode::is_wordchar(*it)) {
      ++it;
      continue;
    }
    WordSpan span;
    span.begin = offset(it);
    while (it != end) {
      if (Xapian::Unicode::is_wordchar(*it)) {
        Xapian::Unicode::append_utf8(span.word, Xapian::Unicode::tolower(*it));
        ++it;
        continue;
      }
      Xapian::Utf8Iterator next = it;
      ++next;
      if (!IsInfix(*it) || next == end || !Xapian::Unicode::is_wordchar(*next)) break;
      Xapian::Unicode::append_utf8(span.word, *it);
      it = next;
    }
    span.end = offset(it);
    spans.push_back(std::move(span));
  }
  return spans;
}

SynonymTable SynonymTable::Build(const Synonyms& synonyms, Xapian::Stem& stemmer) {
  SynonymTable table;
  // Every phrase of the entry is an alternative, the one typed too: typed as "Sofas" it is
  // not stemmed by the parser (a capital), written as in the entry it is.
  auto add = [&](const std::string& from, const SynonymEntry& entry) {
    const std::vector<std::string> words = SynonymWords(from);
    std::vector<std::string>& alternatives = table.alternatives_[StemmedKey(words, stemmer)];
    if (!entry.root.empty()) AddAlternative(alternatives, entry.root);
    for (const std::string& phrase : entry.synonyms) AddAlternative(alternatives, phrase);
    table.max_words_ = std::max(table.max_words_, words.size());
  };
  for (const SynonymEntry& entry : synonyms.entries) {
    if (!entry.root.empty()) {
      add(entry.root, entry);
      continue;
    }
    for (const std::string& phrase : entry.synonyms) add(phrase, entry);
  }
  return table;
}

const std::vector<std::string>* SynonymTable::Find(const std::string& stemmed_key) const {
  auto it = alternatives_.find(stemmed_key);
  return it == alternatives_.end() ? nullptr : &it->second;
}

std::vector<SynonymMatch> FindSynonyms(std::string_view text, const SynonymTable& table,
                                       Xapian::Stem& stemmer) {
  std::vector<SynonymMatch> matches;
  if (table.empty()) return matches;
  const std::vector<WordSpan> words = SplitWords(text);
  std::vector<bool> plain(words.size());
  std::vector<std::string> stems(words.size());
  size_t quotes = 0;
  size_t scanned = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    quotes += std::count(text.begin() + scanned, text.begin() + words[i].begin, '"');
    scanned = words[i].begin;
    plain[i] = IsPlainWord(text, words[i], quotes % 2 == 1);
    stems[i] = stemmer(words[i].word);
  }
  for (size_t i = 0; i < words.size();) {
    // The longest run of plain words from i, joined by phrase separators only.
    size_t run = 0;
    while (i + run < words.size() && run < table.max_words() && plain[i + run] &&
           (run == 0 || JoinsPhrase(text.substr(words[i + run - 1].end,
                                                words[i + run].begin - words[i + run - 1].end)))) {
      ++run;
    }
    const std::vector<std::string>* found = nullptr;
    size_t length = run;
    for (; length > 0 && found == nullptr; --length) {
      std::vector<std::string> key(stems.begin() + i, stems.begin() + i + length);
      found = table.Find(Join(key, ' '));
      if (found != nullptr) break;
    }
    if (found == nullptr) {
      ++i;
      continue;
    }
    matches.push_back({words[i].begin, words[i + length - 1].end, found});
    i += length;
  }
  return matches;
}

}  // namespace tailor::searcher::internal
