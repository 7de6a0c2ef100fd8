#include "bench/relevance/judgments.h"

#include <array>
#include <charconv>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "core/files.h"

namespace tailor::bench {
namespace {

// Windows-1252 code points of bytes 0x80..0x9F; the five bytes it leaves undefined keep
// their Latin-1 (C1 control) value.
constexpr std::array<char32_t, 32> kWindows1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80-87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,  // 88-8F
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90-97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,  // 98-9F
};

void AppendUtf8(char32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

Error CsvError(std::string_view source_name, long line, std::string_view what) {
  return Error::InvalidArgument(std::string(source_name) + ":" + std::to_string(line) + ": " +
                                std::string(what));
}

// Appends the record of one line (0-based relevance check aside) to the set.
Status AddRecord(const std::vector<std::string>& fields, std::string_view where,
                 JudgmentSet& set, std::unordered_map<std::string, size_t>& query_index,
                 std::unordered_map<std::string, size_t>& product_index) {
  if (fields.size() != 5) {
    return Error::InvalidArgument(std::string(where) + ": expected 5 fields, found " +
                                  std::to_string(fields.size()));
  }
  const std::string& product_id = fields[1];
  const std::string& relevance_text = fields[4];
  double relevance = 0;
  auto [end, ec] = std::from_chars(relevance_text.data(),
                                   relevance_text.data() + relevance_text.size(), relevance);
  if (ec != std::errc() || end != relevance_text.data() + relevance_text.size() ||
      relevance < 1 || relevance > 3) {
    return Error::InvalidArgument(std::string(where) + ": relevance: must be a number in 1..3, got \"" +
                                  relevance_text + "\"");
  }
  if (product_id.empty()) return Error::InvalidArgument(std::string(where) + ": product_uid: empty");
  if (product_index.emplace(product_id, set.products.size()).second) {
    set.products.push_back({product_id, fields[2]});
  }
  auto [it, inserted] = query_index.emplace(fields[3], set.queries.size());
  if (inserted) set.queries.push_back({fields[3], {}});
  set.queries[it->second].products.push_back({product_id, relevance - 1});
  ++set.rows;
  return Status::Ok();
}

}  // namespace

std::string Windows1252ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 16);
  for (char c : bytes) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out.push_back(c);
    } else if (byte < 0xA0) {
      AppendUtf8(kWindows1252High[byte - 0x80], out);
    } else {
      AppendUtf8(byte, out);
    }
  }
  return out;
}

uint32_t Crc32(std::string_view bytes) {
  static const std::array<uint32_t, 256> kTable = MakeCrcTable();
  uint32_t crc = 0xFFFFFFFFu;
  for (char c : bytes) crc = kTable[(crc ^ static_cast<unsigned char>(c)) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text,
                                                       std::string_view source_name) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  std::string field;
  long line = 1;
  size_t i = 0;
  while (i < text.size()) {
    bool quoted = text[i] == '"';
    if (quoted) {
      long start_line = line;
      ++i;
      while (true) {
        if (i >= text.size()) return CsvError(source_name, start_line, "unterminated quoted field");
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (text[i] == '\n') ++line;
        field.push_back(text[i++]);
      }
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        field.push_back(text[i++]);
      }
    }
    fields.push_back(std::move(field));
    field.clear();
    if (i < text.size() && text[i] == ',') {
      ++i;
      if (i == text.size()) fields.emplace_back();
      continue;
    }
    if (i < text.size() && text[i] == '\r') ++i;
    if (i < text.size() && text[i] != '\n') return CsvError(source_name, line, "text after a closing quote");
    if (i < text.size()) ++i;
    records.push_back(std::move(fields));
    fields.clear();
    ++line;
  }
  if (!fields.empty()) records.push_back(std::move(fields));  // text ended after a comma
  return records;
}

Result<JudgmentSet> ParseJudgments(std::string_view utf8_csv, std::string_view source_name) {
  Result<std::vector<std::vector<std::string>>> records = ParseCsv(utf8_csv, source_name);
  if (!records.ok()) return records.error();
  const std::vector<std::string> kHeader = {"id", "product_uid", "product_title", "search_term",
                                            "relevance"};
  if (records->empty() || (*records)[0] != kHeader) {
    return Error::InvalidArgument(std::string(source_name) +
                                  ":1: header: expected id,product_uid,product_title,"
                                  "search_term,relevance");
  }
  JudgmentSet set;
  std::unordered_map<std::string, size_t> query_index;
  std::unordered_map<std::string, size_t> product_index;
  for (size_t r = 1; r < records->size(); ++r) {
    std::string where = std::string(source_name) + ":record " + std::to_string(r + 1);
    Status added = AddRecord((*records)[r], where, set, query_index, product_index);
    if (!added.ok()) return added.error();
  }
  return set;
}

Result<JudgmentSet> LoadJudgments(const std::string& path) {
  Result<std::string> bytes = ReadFile(path);
  if (!bytes.ok()) return bytes.error();
  return ParseJudgments(Windows1252ToUtf8(*bytes), path);
}

Result<Half> ParseHalf(std::string_view name) {
  if (name == "dev") return Half::kDev;
  if (name == "test") return Half::kTest;
  return Error::InvalidArgument("--half: expected dev or test, got \"" + std::string(name) + "\"");
}

Half HalfOf(std::string_view query) { return Crc32(query) % 2 == 0 ? Half::kDev : Half::kTest; }

std::vector<QueryJudgments> QueriesOfHalf(const JudgmentSet& set, Half half) {
  std::vector<QueryJudgments> out;
  for (const QueryJudgments& q : set.queries) {
    if (HalfOf(q.query) == half) out.push_back(q);
  }
  return out;
}

}  // namespace tailor::bench
