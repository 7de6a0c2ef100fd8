#include "core/json.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cmath>
#include <string>

namespace tailor {
namespace {

constexpr unsigned kFullPrecision = rapidjson::kParseFullPrecisionFlag;

TEST(PlainZeros, RewritesOnlyZeroSignificandsWithAnExponent) {
  EXPECT_EQ(PlainZeros("[0e308, -0.00E-5, 0E+1]"), "[0    , -0      , 0   ]");
  EXPECT_EQ(PlainZeros("[10e5, 0.5e3, 1e0, 0, 0.0, -0]"), "[10e5, 0.5e3, 1e0, 0, 0.0, -0]");
  // Found by fuzzing: the zero before a stray character is still read (then refused).
  EXPECT_EQ(PlainZeros("[\t0e308e]"), "[\t0    e]");
}

// Found by the model fuzzer: "0." and 23 zeros or more made RapidJSON 1.1's full-precision
// reader pass 0 to clz(), which is undefined.
TEST(PlainZeros, ShortensZerosWithLongFractions) {
  EXPECT_EQ(PlainZeros("[0.00, -0.000000, 0.0, 0.001, 0.00e1, 0.000-]"),
            "[0.0 , -0.0     , 0.0, 0.001, 0     , 0.0  -]");
  const std::string long_zero = "-0." + std::string(30, '0');
  rapidjson::Document document;
  ASSERT_TRUE(ParseJson<kFullPrecision>("[" + long_zero + "]", "t", document).ok());
  ASSERT_TRUE(document[0].IsDouble());
  EXPECT_EQ(document[0].GetDouble(), 0.0);
  EXPECT_TRUE(std::signbit(document[0].GetDouble()));
}

TEST(PlainZeros, LeavesStringsAndMalformedNumbersAlone) {
  EXPECT_EQ(PlainZeros(R"({"0e5": "a\"0e5", "k": 00e5, "j": 0.e5})"),
            R"({"0e5": "a\"0e5", "k": 00e5, "j": 0.e5})");
}

// Found by fuzzing (tests/fuzz/corpus/model/zero-with-exponent): RapidJSON 1.1 read "0e308"
// in full precision as -6.05723e-269.
TEST(ParseJson, AZeroWithAnExponentReadsAsExactlyZeroInFullPrecision) {
  rapidjson::Document document;
  ASSERT_TRUE(ParseJson<kFullPrecision>("[0e308, -0.0e-400, 0E1, 2.5e-1]", "t", document).ok());
  EXPECT_EQ(document[0].GetDouble(), 0.0);
  EXPECT_EQ(document[1].GetDouble(), 0.0);
  EXPECT_EQ(document[2].GetDouble(), 0.0);
  EXPECT_EQ(document[3].GetDouble(), 0.25);
}

TEST(ParseJson, NumbersBeyondADoubleAreRefusedInFullPrecisionAtTheirOffset) {
  // The model fuzz target's input: RapidJSON 1.1 read past its cached powers on it.
  const std::string long_mantissa = "[" + std::string(98, '1') + "10e308]";
  for (const std::string& text : {long_mantissa, std::string("[1, 1e400]"),
                                  std::string("[1, -2.5e-400]"), std::string("[1, 0.001e-329]"),
                                  "[1, " + std::string(kMaxFullPrecisionDigits + 1, '7') + "]"}) {
    rapidjson::Document document;
    Status status = ParseJson<kFullPrecision>(text, "m.json", document);
    ASSERT_FALSE(status.ok()) << text;
    EXPECT_NE(status.error().message.find(text == long_mantissa ? "offset 1:" : "offset 4:"),
              std::string::npos)
        << status.error().message;
  }
  rapidjson::Document document;
  ASSERT_TRUE(ParseJson<kFullPrecision>(R"([1.5e308, 1e-300, 0.001e-320, 0e999, "1e999", 123])",
                                        "m.json", document)
                  .ok());
  EXPECT_EQ(document[0].GetDouble(), 1.5e308);
  EXPECT_EQ(document[1].GetDouble(), 1e-300);
  EXPECT_STREQ(document[4].GetString(), "1e999");
  // Outside full precision RapidJSON's own check answers, as before.
  EXPECT_FALSE(ParseJson(std::string("[1e400]"), "m.json", document).ok());
}

TEST(ParseJson, ErrorOffsetsAreThoseOfTheTextAsGiven) {
  rapidjson::Document document;
  Status status = ParseJson<kFullPrecision>("[0e308, 00]", "m.json", document);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message.find("m.json: invalid JSON at offset 9"), std::string::npos)
      << status.error().message;
}

// Found by fuzzing (tests/fuzz/corpus/catalog_line/lone-low-surrogate): RapidJSON 1.1 took
// "\udd8a" alone as valid and stored bytes that are not UTF-8.
TEST(ParseJson, ALoneLowSurrogateIsRefusedWhereEncodingIsValidated) {
  constexpr unsigned kValidate = rapidjson::kParseValidateEncodingFlag;
  rapidjson::Document document;
  Status status = ParseJson<kValidate>(R"({"a": "x\udd8a"})", "c.jsonl:3", document);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message.find("c.jsonl:3: invalid JSON at offset 8"), std::string::npos)
      << status.error().message;
  EXPECT_TRUE(ParseJson<kValidate>(R"({"a": "\ud83d\ude00 \u00e9 \\udd8a"})", "", document).ok());
  EXPECT_EQ(LoneLowSurrogateOffset(R"(["\ud83d\ude00", "\udc00"])"), 18u);
  EXPECT_EQ(LoneLowSurrogateOffset(R"({"k\udfff": 1})"), 3u);
}

}  // namespace
}  // namespace tailor
