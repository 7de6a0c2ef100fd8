// The synonyms file format (searcher/synonyms.h): what ParseSynonyms accepts and how it
// names what it refuses.
#include "searcher/synonyms.h"

#include <gtest/gtest.h>

#include <string>

namespace tailor::searcher {
namespace {

Error MustFail(const std::string& json) {
  Result<std::shared_ptr<const Synonyms>> parsed = ParseSynonyms(json, "syn.json");
  EXPECT_FALSE(parsed.ok()) << json;
  if (parsed.ok()) return Error::Internal("parsed");
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  return parsed.error();
}

TEST(SynonymsParser, ReadsOneWayAndMultiWayEntries) {
  Result<std::shared_ptr<const Synonyms>> parsed = ParseSynonyms(
      R"({"synonyms": [{"root": "tee", "synonyms": ["t-shirt", "tshirt"]},
                       {"synonyms": ["sofa", "couch", "settee"]}]})",
      "syn.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const Synonyms& synonyms = **parsed;
  ASSERT_EQ(synonyms.entries.size(), 2u);
  EXPECT_EQ(synonyms.entries[0].root, "tee");
  EXPECT_EQ(synonyms.entries[0].synonyms, (std::vector<std::string>{"t-shirt", "tshirt"}));
  EXPECT_EQ(synonyms.entries[1].root, "");
  EXPECT_EQ(synonyms.entries[1].synonyms.size(), 3u);
}

TEST(SynonymsParser, RejectsMultiWayEntryWithOnePhraseNamingTheEntry) {
  Error error = MustFail(R"({"synonyms": [{"synonyms": ["a", "b"]}, {"synonyms": ["sofa"]}]})");
  EXPECT_EQ(error.message, "syn.json: synonyms[1].synonyms: needs at least 2 phrases (or a root)");
}

TEST(SynonymsParser, RejectsOneWayEntryWithoutSynonyms) {
  EXPECT_EQ(MustFail(R"({"synonyms": [{"root": "tee", "synonyms": []}]})").message,
            "syn.json: synonyms[0].synonyms: needs at least 1 phrase");
  EXPECT_EQ(MustFail(R"({"synonyms": [{"root": "tee"}]})").message,
            "syn.json: synonyms[0].synonyms: required");
}

TEST(SynonymsParser, RejectsUnknownFieldsInEntryAndDocument) {
  EXPECT_EQ(MustFail(R"({"synonyms": [{"synonyms": ["a", "b"], "weight": 2}]})").message,
            "syn.json: synonyms[0].weight: unknown key");
  EXPECT_EQ(MustFail(R"({"synonyms": [], "version": 1})").message,
            "syn.json: version: unknown key");
  EXPECT_EQ(MustFail(R"({})").message, "syn.json: synonyms: required");
}

TEST(SynonymsParser, RejectsEmptyAndBlankPhrasesNamingTheField) {
  EXPECT_EQ(MustFail(R"({"synonyms": [{"synonyms": ["sofa", ""]}]})").message,
            "syn.json: synonyms[0].synonyms[1]: must not be empty (needs a letter or digit)");
  EXPECT_EQ(MustFail(R"({"synonyms": [{"root": " - ", "synonyms": ["x"]}]})").message,
            "syn.json: synonyms[0].root: must not be empty (needs a letter or digit)");
}

TEST(SynonymsParser, RejectsWrongTypes) {
  EXPECT_EQ(MustFail(R"({"synonyms": [{"synonyms": [1, "b"]}]})").message,
            "syn.json: synonyms[0].synonyms[0]: must be a string");
  EXPECT_EQ(MustFail(R"({"synonyms": {"sofa": "couch"}})").message,
            "syn.json: synonyms: must be an array of entries");
  EXPECT_EQ(MustFail(R"({"synonyms": ["sofa"]})").message,
            "syn.json: synonyms[0]: must be an object");
  EXPECT_EQ(MustFail(R"([])").message, "syn.json: must be a JSON object {\"synonyms\": [...]}");
}

TEST(SynonymsParser, RejectsAPhraseRepeatedWithinAnEntry) {
  EXPECT_EQ(MustFail(R"({"synonyms": [{"synonyms": ["Sofa", "couch", "sofa"]}]})").message,
            "syn.json: synonyms[0].synonyms[2]: \"sofa\" is already in this entry");
  EXPECT_EQ(MustFail(R"({"synonyms": [{"root": "T-Shirt", "synonyms": ["t shirt"]}]})").message,
            "syn.json: synonyms[0].synonyms[0]: \"t shirt\" is already in this entry");
}

TEST(SynonymsParser, RejectsTooLongPhrases) {
  EXPECT_EQ(MustFail(R"({"synonyms": [{"synonyms": ["a b c d e f g", "x"]}]})").message,
            "syn.json: synonyms[0].synonyms[0]: must be at most 6 words");
}

TEST(SynonymsParser, ReportsMalformedJsonWithOffset) {
  Error error = MustFail(R"({"synonyms": [)");
  EXPECT_NE(error.message.find("syn.json: invalid JSON at offset"), std::string::npos)
      << error.message;
}

TEST(SynonymsParser, WritesTheSetBackInItsOwnFormat) {
  Result<std::shared_ptr<const Synonyms>> parsed = ParseSynonyms(
      R"({"synonyms": [{"root": "tee", "synonyms": ["t-shirt"]}, {"synonyms": ["a \"b\"", "c"]}]})",
      "syn.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  Result<std::shared_ptr<const Synonyms>> again = ParseSynonyms(SynonymsToJson(**parsed), "out");
  ASSERT_TRUE(again.ok()) << again.error().message;
  ASSERT_EQ((*again)->entries.size(), 2u);
  EXPECT_EQ((*again)->entries[0].root, "tee");
  EXPECT_EQ((*again)->entries[1].synonyms, (std::vector<std::string>{"a \"b\"", "c"}));
  EXPECT_EQ(SynonymsToJson(Synonyms{}), "{\"synonyms\": []}\n");
}

TEST(SynonymsParser, SplitsWordsAsTheQueryParserReadsThem) {
  EXPECT_EQ(SynonymWords("Men's T-Shirts, M&S"),
            (std::vector<std::string>{"men's", "t", "shirts", "m&s"}));
}

TEST(SynonymsParser, BundledConfigParses) {
  Result<std::shared_ptr<const Synonyms>> parsed =
      LoadSynonymsFile(TAILOR_SOURCE_DIR "/config/synonyms.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_GT((*parsed)->entries.size(), 10u);
}

}  // namespace
}  // namespace tailor::searcher
