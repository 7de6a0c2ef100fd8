#include "searcher/synonyms.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "core/files.h"
#include "core/json.h"
#include "core/text.h"
#include "searcher/internal/synonym_table.h"

namespace tailor::searcher {
namespace {

// A phrase's field value: a string with at least one word, within the limits.
Result<std::string> ReadPhrase(const rapidjson::Value& value, const std::string& path) {
  if (!value.IsString()) return JsonError(path, "must be a string");
  std::string phrase(value.GetString(), value.GetStringLength());
  if (phrase.size() > kMaxSynonymPhraseBytes) {
    return JsonError(path, "must be at most " + std::to_string(kMaxSynonymPhraseBytes) + " bytes");
  }
  const size_t words = SynonymWords(phrase).size();
  if (words == 0) return JsonError(path, "must not be empty (needs a letter or digit)");
  if (words > kMaxSynonymPhraseWords) {
    return JsonError(path, "must be at most " + std::to_string(kMaxSynonymPhraseWords) + " words");
  }
  return phrase;
}

Result<SynonymEntry> ReadEntry(const rapidjson::Value& json, const std::string& path) {
  if (Status members = CheckJsonMembers(json, path, {"root", "synonyms"}); !members.ok()) {
    return members.error();
  }
  SynonymEntry entry;
  std::vector<std::string> seen;  // the words of each phrase so far, joined
  if (auto root = json.FindMember("root"); root != json.MemberEnd()) {
    Result<std::string> phrase = ReadPhrase(root->value, JsonPath(path, "root"));
    if (!phrase.ok()) return phrase.error();
    entry.root = std::move(*phrase);
    seen.push_back(Join(SynonymWords(entry.root), ' '));
  }
  Result<const rapidjson::Value*> list = RequiredJsonMember(json, path, "synonyms");
  if (!list.ok()) return list.error();
  const std::string list_path = JsonPath(path, "synonyms");
  if (!(*list)->IsArray()) return JsonError(list_path, "must be an array of strings");
  const size_t needed = entry.root.empty() ? 2 : 1;
  const rapidjson::Value& phrases = **list;
  if (phrases.Size() < needed) {
    return JsonError(list_path, needed == 2 ? "needs at least 2 phrases (or a root)"
                                            : "needs at least 1 phrase");
  }
  if (phrases.Size() > kMaxSynonymPhrases) {
    return JsonError(list_path, "at most " + std::to_string(kMaxSynonymPhrases) + " phrases");
  }
  for (rapidjson::SizeType i = 0; i < phrases.Size(); ++i) {
    const std::string phrase_path = JsonIndex(list_path, i);
    Result<std::string> phrase = ReadPhrase(phrases[i], phrase_path);
    if (!phrase.ok()) return phrase.error();
    std::string key = Join(SynonymWords(*phrase), ' ');
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      return JsonError(phrase_path, "\"" + *phrase + "\" is already in this entry");
    }
    seen.push_back(std::move(key));
    entry.synonyms.push_back(std::move(*phrase));
  }
  return entry;
}

Result<Synonyms> ReadSynonyms(const rapidjson::Value& json) {
  if (!json.IsObject()) return JsonError("", "must be a JSON object {\"synonyms\": [...]}");
  if (Status members = CheckJsonMembers(json, "", {"synonyms"}, JsonMembers::kAllRequired);
      !members.ok()) {
    return members.error();
  }
  const rapidjson::Value& list = json["synonyms"];
  if (!list.IsArray()) return JsonError("synonyms", "must be an array of entries");
  if (list.Size() > kMaxSynonymEntries) {
    return JsonError("synonyms", "at most " + std::to_string(kMaxSynonymEntries) + " entries");
  }
  Synonyms synonyms;
  synonyms.entries.reserve(list.Size());
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
    Result<SynonymEntry> entry = ReadEntry(list[i], JsonIndex("synonyms", i));
    if (!entry.ok()) return entry.error();
    synonyms.entries.push_back(std::move(*entry));
  }
  return synonyms;
}

}  // namespace

std::vector<std::string> SynonymWords(std::string_view text) {
  std::vector<std::string> words;
  for (const internal::WordSpan& span : internal::SplitWords(text)) {
    words.push_back(span.word);
  }
  return words;
}

Result<std::shared_ptr<const Synonyms>> ParseSynonyms(std::string_view json_text,
                                                      std::string_view origin) {
  rapidjson::Document document;
  if (Status parsed = ParseJson<rapidjson::kParseValidateEncodingFlag>(json_text, origin, document);
      !parsed.ok()) {
    return parsed.error();
  }
  Result<Synonyms> synonyms = ReadSynonyms(document);
  if (!synonyms.ok()) {
    return origin.empty() ? synonyms.error() : synonyms.error().WithPrefix(origin);
  }
  return std::make_shared<const Synonyms>(std::move(*synonyms));
}

Result<std::shared_ptr<const Synonyms>> LoadSynonymsFile(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) return text.error();
  return ParseSynonyms(*text, path);
}

std::string SynonymsToJson(const Synonyms& synonyms) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  std::string out = "{\"synonyms\": [";
  for (size_t i = 0; i < synonyms.entries.size(); ++i) {
    const SynonymEntry& entry = synonyms.entries[i];
    buffer.Clear();
    writer.Reset(buffer);
    writer.StartObject();
    if (!entry.root.empty()) {
      writer.Key("root");
      writer.String(entry.root.data(), static_cast<rapidjson::SizeType>(entry.root.size()));
    }
    writer.Key("synonyms");
    writer.StartArray();
    for (const std::string& phrase : entry.synonyms) {
      writer.String(phrase.data(), static_cast<rapidjson::SizeType>(phrase.size()));
    }
    writer.EndArray();
    writer.EndObject();
    out += i == 0 ? "\n  " : ",\n  ";
    out.append(buffer.GetString(), buffer.GetSize());
  }
  out += synonyms.entries.empty() ? "]}\n" : "\n]}\n";
  return out;
}

}  // namespace tailor::searcher
