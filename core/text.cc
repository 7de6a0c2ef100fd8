#include "core/text.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "core/index_schema.h"

namespace tailor {
namespace {

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string NormalizeKeyword(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(LowerAscii(c));
  }
  return out;
}

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsDigit(c) || IsAsciiLetter(c); }

const std::unordered_map<std::string, std::string>& UnitSpellings() {
  static const auto* const kUnits = new std::unordered_map<std::string, std::string>{
      {"in", "inch"},     {"inch", "inch"},   {"inches", "inch"}, {"ft", "ft"},
      {"feet", "ft"},     {"foot", "ft"},     {"v", "volt"},      {"volt", "volt"},
      {"volts", "volt"},  {"w", "watt"},      {"watt", "watt"},   {"watts", "watt"},
      {"a", "amp"},       {"amp", "amp"},     {"amps", "amp"},    {"gal", "gal"},
      {"gallon", "gal"},  {"gallons", "gal"}, {"lb", "lb"},       {"lbs", "lb"},
      {"pound", "lb"},    {"pounds", "lb"},   {"oz", "oz"},       {"ounce", "oz"},
      {"ounces", "oz"},   {"qt", "qt"},       {"quart", "qt"},    {"cu", "cu"},
      {"cubic", "cu"},
  };
  return *kUnits;
}

// Appends a word or number, separated from a word or number right before it.
void Emit(std::string_view token, std::string& out) {
  if (!out.empty() && IsAlnum(out.back())) out.push_back(' ');
  out.append(token);
}

// Whether text[i] is a thousands separator: a comma after a digit followed by exactly
// three digits ("8,000", "1,500,000"; not "2,3" or "1,2345").
bool IsThousandsComma(std::string_view text, size_t i) {
  if (text[i] != ',' || i == 0 || !IsDigit(text[i - 1])) return false;
  for (size_t k = i + 1; k <= i + 3; ++k) {
    if (k >= text.size() || !IsDigit(text[k])) return false;
  }
  return i + 4 >= text.size() || !IsDigit(text[i + 4]);
}

// The digit run (with inner decimal points, and thousands separators dropped: "8,000" is
// "8000") starting at text[i]; advances i past it.
std::string NumberAt(std::string_view text, size_t& i) {
  std::string number;
  while (i < text.size()) {
    if (IsDigit(text[i]) || (text[i] == '.' && i + 1 < text.size() && IsDigit(text[i + 1]))) {
      number.push_back(text[i]);
    } else if (!IsThousandsComma(text, i)) {
      break;
    }
    ++i;
  }
  return number;
}

// The letter run starting at text[i], as written; advances i past it.
std::string_view WordAt(std::string_view text, size_t& i) {
  size_t start = i;
  while (i < text.size() && IsAsciiLetter(text[i])) ++i;
  return text.substr(start, i - start);
}

std::string Lowercase(std::string_view word) {
  std::string lower(word);
  for (char& c : lower) c = LowerAscii(c);
  return lower;
}

}  // namespace

bool HasDigit(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

bool IsMeasurementUnit(std::string_view word) {
  if (word == "x") return true;
  for (const auto& [spelling, unit] : UnitSpellings()) {
    if (word == unit) return true;
  }
  return false;
}

std::string NormalizeMeasurements(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  bool after_number = false;  // the last token was a number (spaces between are fine)
  bool in_phrase = false;     // inside a `"`-quoted phrase
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (IsDigit(c)) {
      Emit(NumberAt(text, i), out);
      after_number = true;
      continue;
    }
    if (IsAsciiLetter(c)) {
      std::string_view word = WordAt(text, i);
      auto unit = after_number ? UnitSpellings().find(Lowercase(word)) : UnitSpellings().end();
      Emit(unit != UnitSpellings().end() ? std::string_view(unit->second) : word, out);
      after_number = false;
      continue;
    }
    ++i;
    if ((c == '"' && after_number && !in_phrase) || (c == '\'' && after_number)) {
      Emit(c == '"' ? "inch" : "ft", out);
      after_number = false;
    } else if (c == ' ' || (c == '-' && !out.empty() && IsAlnum(out.back()))) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      if (c == '"') in_phrase = !in_phrase;
      out.push_back(c);
      after_number = false;
    }
  }
  return out;
}

std::vector<std::string> Split(std::string_view text, char sep) {
  std::vector<std::string> pieces;
  size_t start = 0;
  while (true) {
    size_t end = text.find(sep, start);
    if (end == std::string_view::npos) {
      pieces.emplace_back(text.substr(start));
      return pieces;
    }
    pieces.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
}

std::string Join(const std::vector<std::string>& pieces, char sep) {
  std::string out;
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (i > 0) out.push_back(sep);
    out += pieces[i];
  }
  return out;
}

namespace schema {

std::string FilterTerm(std::string_view prefix, std::string_view value) {
  std::string term(prefix);
  term += NormalizeKeyword(value);
  return term;
}

std::string IdTerm(std::string_view id) {
  std::string term(kIdPrefix);
  term += id;
  return term;
}

}  // namespace schema
}  // namespace tailor
