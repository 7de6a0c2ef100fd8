#include "bench/relevance/measurements.h"

#include <string>
#include <unordered_map>

namespace tailor::bench {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

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

// Appends a word or number, separated from a word or number before it.
void Emit(std::string_view token, std::string& out) {
  if (!out.empty() && (IsDigit(out.back()) || IsAsciiLetter(out.back()))) out.push_back(' ');
  out.append(token);
}

}  // namespace

std::string NormalizeMeasurements(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  bool after_number = false;  // the last token was a number (spaces and hyphens between ok)
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (IsDigit(c)) {
      size_t start = i;
      while (i < text.size() && (IsDigit(text[i]) ||
                                 (text[i] == '.' && i + 1 < text.size() && IsDigit(text[i + 1])))) {
        ++i;
      }
      Emit(text.substr(start, i - start), out);
      after_number = true;
    } else if (IsAsciiLetter(c)) {
      std::string word;
      while (i < text.size() && IsAsciiLetter(text[i])) {
        word.push_back(static_cast<char>(text[i] | 0x20));
        ++i;
      }
      auto unit = after_number ? UnitSpellings().find(word) : UnitSpellings().end();
      Emit(unit != UnitSpellings().end() ? unit->second : word, out);
      after_number = false;
    } else if ((c == '"' || c == '\'') && after_number) {
      Emit(c == '"' ? "inch" : "ft", out);
      after_number = false;
      ++i;
    } else if (c == ' ' || c == '-') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      ++i;
    } else {
      out.push_back(c);
      after_number = false;
      ++i;
    }
  }
  return out;
}

}  // namespace tailor::bench
