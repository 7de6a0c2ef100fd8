// The tailor-ranker executable itself, run through the shell on a state directory whose logs
// the test writes with the library (rankings and events).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <string>

#include "ranking/feature_log/ranking_log.h"
#include "ranking/profiles/profile_state.h"
#include "ranking/scoring/model.h"
#include "tests/common/run_command.h"
#include "tests/server/test_support.h"

namespace tailor::ranking {
namespace {

using tailor::testing::ProcessRun;
using tailor::testing::RunCommand;

using ::testing::HasSubstr;
using ::testing::StartsWith;
using tailor::testing::TempDir;

ProcessRun RunRanker(const std::string& arguments) {
  return RunCommand(std::string(TAILOR_RANKER_BINARY) + " " + arguments);
}

// 40 rankings of A1 B1 C1 (brand Acme, Borealis, Cirrus in the sample catalog) in varying
// orders; the visitor always buys the Borealis item, whose brand_affinity is high.
std::string LoggedState(const TempDir& dir, const std::string& name = "state") {
  const std::string state = (dir.path() / name).string();
  const std::vector<std::string> ids = {"A1", "B1", "C1"};
  std::vector<Event> events;
  {
    auto log = RankingLog::Open(state + "/rankings", RankingLogOptions{});
    EXPECT_TRUE(log.ok());
    for (int r = 0; r < 40; ++r) {
      RankingRecord record;
      record.request_id = "r" + std::to_string(r);
      record.visitor = "v" + std::to_string(r % 4);
      record.variant = "explore";
      record.query = "parka";
      record.timestamp_ms = 1764500000000 + r * 1000;
      record.personalized = true;
      record.feature_names = FeatureNames();
      for (int p = 0; p < 3; ++p) {
        const int which = (p + r) % 3;
        LoggedItem item;
        item.id = ids[which];
        item.position = p;
        item.price = 50;
        item.features.assign(kFeatureCount, 0.0f);
        item.features[kTextScore] = 1.0f;
        item.features[kTextRank] = static_cast<float>(1 / std::log2(p + 2.0));
        item.features[kBrandAffinity] = which == 1 ? 0.8f : 0.1f;
        record.items.push_back(item);
      }
      (*log)->Append(record);
      Event bought;
      bought.type = EventType::kPurchase;
      bought.visitor = record.visitor;
      bought.item = "B1";
      bought.request_id = record.request_id;
      bought.timestamp_ms = record.timestamp_ms + 1;
      events.push_back(bought);
    }
  }
  auto profiles = ProfileState::Open(state, StateOptions{}, ProfileOptions{});
  EXPECT_TRUE(profiles.ok());
  EXPECT_TRUE((*profiles)->AppendAndWait(events).ok());
  return state;
}

TEST(RankerMain, HelpShowsUsageAndSucceeds) {
  ProcessRun run = RunRanker("--help");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.output, StartsWith("Usage:"));
  EXPECT_THAT(run.output, HasSubstr("tailor-ranker eval"));
}

TEST(RankerMain, BadInvocationsExitNonZeroWithOneLineReason) {
  EXPECT_THAT(RunRanker("").output, HasSubstr("a command is required"));
  ProcessRun unknown = RunRanker("rank");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.output, HasSubstr("unknown command \"rank\""));
  ProcessRun no_out = RunRanker("train --state /nonexistent");
  EXPECT_EQ(no_out.exit_code, 1);
  EXPECT_THAT(no_out.output, HasSubstr("--out: required"));
  ProcessRun bad_flag = RunRanker("train --state x --out y --colour red");
  EXPECT_THAT(bad_flag.output, HasSubstr("--colour: unknown flag for train"));
  ProcessRun bad_kind = RunRanker("train --state x --out y --kind tree");
  EXPECT_THAT(bad_kind.output, HasSubstr("--kind: unknown \"tree\""));
  ProcessRun no_state = RunRanker("train --out y");
  EXPECT_EQ(no_state.exit_code, 1);
  EXPECT_THAT(no_state.output, HasSubstr("--state: required"));
  ProcessRun no_seeds = RunRanker("train --state x --out y --seeds 0");
  EXPECT_THAT(no_seeds.output, HasSubstr("seeds: must be >= 1"));
}

TEST(RankerMain, TrainsEvaluatesAndExplainsFromTheLogs) {
  TempDir dir;
  const std::string state = LoggedState(dir);
  const std::string model_path = (dir.path() / "model.json").string();
  ProcessRun train = RunRanker("train --state '" + state + "' --out '" + model_path +
                               "' --features text_rank,brand_affinity");
  ASSERT_EQ(train.exit_code, 0) << train.output;
  EXPECT_THAT(train.output, HasSubstr("validation NDCG@10: logged order"));
  Result<std::shared_ptr<const Model>> model = Model::Load(model_path);
  ASSERT_TRUE(model.ok()) << model.error().message;
  EXPECT_EQ(model->get()->feature_names(),
            (std::vector<std::string>{"text_rank", "brand_affinity"}));

  const std::string index = tailor::testing::BuildSampleIndex(dir.path());
  const std::string scoring = (dir.path() / "scoring.json").string();
  std::ofstream(scoring) << R"({"default_variant": "text", "variants": {"text": {},
      "learned": {"model": "model.json"}}})";
  ProcessRun eval = RunRanker("eval --state '" + state + "' --index '" + index +
                              "' --scoring '" + scoring + "'");
  ASSERT_EQ(eval.exit_code, 0) << eval.output;
  EXPECT_THAT(eval.output, HasSubstr("ndcg@10"));
  EXPECT_THAT(eval.output, HasSubstr("learned"));
  EXPECT_THAT(eval.output, HasSubstr("queries whose top 10 changed most, learned vs text"));

  ProcessRun explain = RunRanker("explain --state '" + state + "' --request-id r1 --scoring '" +
                                 scoring + "' --variant learned");
  ASSERT_EQ(explain.exit_code, 0) << explain.output;
  EXPECT_THAT(explain.output, HasSubstr("request r1"));
  EXPECT_THAT(explain.output, HasSubstr("B1  gain 3"));
  EXPECT_THAT(explain.output, HasSubstr("contributions: brand_affinity"));
  ProcessRun missing = RunRanker("explain --state '" + state + "' --request-id nope");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.output, HasSubstr("no logged ranking nope"));
}

TEST(RankerMain, TrainsOnSeveralSourcesAndWritesTheValidationIntoTheModel) {
  TempDir dir;
  const std::string shop = LoggedState(dir, "shop");
  const std::string other = LoggedState(dir, "other-shop");
  const std::string replayed = LoggedState(dir, "rees46");
  const std::string model_path = (dir.path() / "model.json").string();
  ProcessRun train = RunRanker("train --state '" + shop + "' --state '" + other +
                               "/' --replay-state '" + replayed + "' --out '" + model_path +
                               "' --features text_rank,brand_affinity --seeds 2 --epochs 5");
  ASSERT_EQ(train.exit_code, 0) << train.output;
  EXPECT_THAT(train.output,
              HasSubstr("source shop (served): 32 train, 8 validation queries from 1764500032000"));
  EXPECT_THAT(train.output, HasSubstr("source other-shop (served): 32 train"));
  EXPECT_THAT(train.output, HasSubstr("source rees46 (replayed, no position bias): 32 train"));
  EXPECT_THAT(train.output, HasSubstr("train queries 96, validation queries 24"));
  EXPECT_THAT(train.output, HasSubstr("validation debiased NDCG@10 (ipw): logged order "));
  EXPECT_THAT(train.output, HasSubstr("validation NDCG@10: logged order "));
  EXPECT_THAT(train.output, HasSubstr("seeds (validation debiased NDCG@10): 1 "));
  EXPECT_THAT(train.output, HasSubstr("(kept)"));

  Result<std::shared_ptr<const Model>> model = Model::Load(model_path);
  ASSERT_TRUE(model.ok()) << model.error().message;
  ASSERT_TRUE(model->get()->validation().has_value());
  const ValidationFigures& validation = *model->get()->validation();
  EXPECT_EQ(validation.queries, 24);
  ASSERT_EQ(validation.seeds.size(), 2u);
  EXPECT_EQ(validation.seeds[1].seed, 2u);
  ASSERT_EQ(validation.sources.size(), 3u);
  EXPECT_EQ(validation.sources[0].name, "shop");
  EXPECT_FALSE(validation.sources[0].replay);
  EXPECT_EQ(validation.sources[1].name, "other-shop");
  EXPECT_EQ(validation.sources[2].name, "rees46");
  EXPECT_TRUE(validation.sources[2].replay);
  // Each source splits on its own clock: the same logs, the same split.
  for (const ValidationSource& source : validation.sources) {
    EXPECT_EQ(source.validation_queries, 8) << source.name;
    EXPECT_EQ(source.validation_from_ms, 1764500000000 + 32 * 1000) << source.name;
  }
  // The model file names its sources, not the machine's directories.
  std::ifstream file(model_path);
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find(dir.path().string()), std::string::npos);
}

TEST(RankerMain, BalancedReplayWeightCountsTheReplayedQueriesAsMuchAsTheServed) {
  TempDir dir;
  const std::string shop = LoggedState(dir, "shop");
  const std::string other = LoggedState(dir, "other-shop");
  const std::string replayed = LoggedState(dir, "rees46");
  const std::string model_path = (dir.path() / "model.json").string();
  const std::string flags =
      " --out '" + model_path + "' --features text_rank,brand_affinity --seeds 1 --epochs 3";
  // Two served sources of 40 judged queries each against one replayed: each replayed query
  // counts 2.
  ProcessRun train =
      RunRanker("train --state '" + shop + "' --state '" + other + "' --replay-state '" + replayed +
                "' --replay-weight balanced" + flags);
  ASSERT_EQ(train.exit_code, 0) << train.output;
  EXPECT_THAT(train.output, HasSubstr("--replay-weight balanced: each replayed query counts 2"));
  EXPECT_THAT(train.output,
              HasSubstr("source rees46 (replayed, no position bias): 32 train, 8 validation "
                        "queries from 1764500032000, 0 skipped; validation debiased NDCG@10: "
                        "logged order "));
  // Nothing served to balance against: refused, naming the flag.
  ProcessRun alone =
      RunRanker("train --replay-state '" + replayed + "' --replay-weight balanced" + flags);
  EXPECT_NE(alone.exit_code, 0);
  EXPECT_THAT(alone.output, HasSubstr("--replay-weight balanced: needs judged queries of both"));
  ProcessRun bad = RunRanker("train --state '" + shop + "' --replay-state '" + replayed +
                             "' --replay-weight half" + flags);
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.output, HasSubstr("--replay-weight"));
}

TEST(RankerMain, EvalPutsEveryVariantBesideBaselineAndTextAsRatios) {
  TempDir dir;
  const std::string state = LoggedState(dir);
  const std::string index = tailor::testing::BuildSampleIndex(dir.path());
  // A hand-weighted baseline that likes the brand the visitors buy, and one that dislikes it.
  for (const auto& [name, weight] : {std::pair("baseline", "1.0"), std::pair("contrary", "-1.0")}) {
    std::ofstream(dir.path() / (std::string(name) + ".json"))
        << R"({"format": "tailor-model", "version": 1, "kind": "linear", "features":
              ["brand_affinity"], "normalization": {"mean": [0], "std": [1]},
              "linear": {"weights": [)" << weight << R"(], "bias": 0}})";
  }
  const std::string scoring = (dir.path() / "scoring.json").string();
  std::ofstream(scoring) << R"({"default_variant": "text", "variants": {"text": {},
      "baseline": {"model": "baseline.json"}, "contrary": {"model": "contrary.json"}}})";
  ProcessRun eval = RunRanker("eval --state '" + state + "' --index '" + index +
                              "' --scoring '" + scoring + "' --variants contrary,text,baseline");
  ASSERT_EQ(eval.exit_code, 0) << eval.output;
  EXPECT_THAT(eval.output, HasSubstr("ndcg@10 / baseline"));
  EXPECT_THAT(eval.output, HasSubstr("ndcg@10 (ipw) / baseline"));
  EXPECT_THAT(eval.output, HasSubstr("mrr@10 / baseline"));
  EXPECT_THAT(eval.output, HasSubstr("ndcg@10 / text"));
  EXPECT_THAT(eval.output, HasSubstr("mrr@10 / text"));
  // Columns in the order of --variants; the baseline buys first every time: its MRR is 1.
  const size_t row = eval.output.find("mrr@10 / baseline");
  ASSERT_NE(row, std::string::npos);
  const std::string line = eval.output.substr(row, eval.output.find('\n', row) - row);
  EXPECT_THAT(line, ::testing::EndsWith("1.0000x")) << line;
  EXPECT_THAT(line, HasSubstr("0.3333x")) << line;
  // Without baseline or text there is no ratio table.
  ProcessRun alone = RunRanker("eval --state '" + state + "' --index '" + index +
                               "' --scoring '" + scoring + "' --variants contrary");
  ASSERT_EQ(alone.exit_code, 0) << alone.output;
  EXPECT_THAT(alone.output, ::testing::Not(HasSubstr(" / ")));
}

// Purchases of A1 then A3 by each visitor, in a fresh state directory.
std::string PurchasesState(const TempDir& dir, const std::string& name,
                           const std::vector<std::string>& visitors) {
  const std::string state = (dir.path() / name).string();
  auto profiles = ProfileState::Open(state, StateOptions{}, ProfileOptions{});
  EXPECT_TRUE(profiles.ok());
  std::vector<Event> events;
  int64_t at = 1764500000000;
  for (const std::string& visitor : visitors) {
    for (const char* item : {"A1", "A3"}) {
      Event event;
      event.type = EventType::kPurchase;
      event.visitor = visitor;
      event.item = item;
      event.timestamp_ms = at++;
      events.push_back(event);
    }
  }
  EXPECT_TRUE((*profiles)->AppendAndWait(events).ok());
  return state;
}

TEST(RankerMain, RecsMeasuresHitRatesOfTheNextPurchase) {
  TempDir dir;
  const std::string train = PurchasesState(dir, "train", {"t1", "t2", "t3"});
  const std::string held_out = PurchasesState(dir, "held-out", {"h1", "h2"});
  const std::string index = tailor::testing::BuildSampleIndex(dir.path());
  ProcessRun run = RunRanker("recs --train-state '" + train + "' --state '" + held_out +
                             "' --index '" + index + "'");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("next purchases judged 2"));
  EXPECT_THAT(run.output, HasSubstr("hit rate@10 also_bought 1"));
  EXPECT_THAT(run.output, HasSubstr("hit rate@10 bestsellers 1")) << "A3 is a bestseller too";
}

TEST(RankerMain, AnalyticsPrintsTheReportOfAWindowAsJson) {
  TempDir dir;
  const std::string state = LoggedState(dir);
  // Every ranking of LoggedState is in the window, each bought from: lines without "total"
  // count as searches by their query.
  ProcessRun run = RunRanker("analytics --state " + state +
                             " --from 1764500000000 --to 2025-11-30T11:00:00Z --limit 5");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  rapidjson::Document json;
  json.Parse(run.output.c_str());
  ASSERT_TRUE(json.IsObject()) << run.output;
  EXPECT_EQ(json["window"]["from"].GetInt64(), 1764500000000);
  EXPECT_EQ(json["limit"].GetInt(), 5);
  EXPECT_EQ(json["totals"]["searches"].GetInt64(), 40);
  EXPECT_EQ(json["totals"]["visitors"].GetInt64(), 4);
  EXPECT_EQ(json["totals"]["events_read"].GetInt64(), 40);
  EXPECT_DOUBLE_EQ(json["totals"]["purchase_rate"].GetDouble(), 1.0);
  EXPECT_DOUBLE_EQ(json["totals"]["click_through_rate"].GetDouble(), 0.0);
  ASSERT_EQ(json["top_queries"].Size(), 1u);
  EXPECT_STREQ(json["top_queries"][0]["query"].GetString(), "parka");
  ASSERT_EQ(json["no_clicks"].Size(), 1u);
  EXPECT_EQ(json["no_clicks"][0]["searches"].GetInt64(), 40);
  EXPECT_STREQ(json["variants"][0]["variant"].GetString(), "explore");

  ProcessRun other = RunRanker("analytics --state " + state +
                               " --from 1764500000000 --to 2025-11-30T11:00:00Z --variant text");
  ASSERT_EQ(other.exit_code, 0) << other.output;
  EXPECT_THAT(other.output, HasSubstr(R"("totals":{"searches":0,)"));
}

TEST(RankerMain, AnalyticsRefusesBadFlagsWithOneLine) {
  TempDir dir;
  const std::string state = (dir.path() / "state").string();
  ProcessRun limit = RunRanker("analytics --state " + state + " --limit 0");
  EXPECT_NE(limit.exit_code, 0);
  EXPECT_THAT(limit.output, HasSubstr("--limit: must be an integer in [1, 1000]"));
  ProcessRun order = RunRanker("analytics --state " + state + " --from 2000 --to 1000");
  EXPECT_NE(order.exit_code, 0);
  EXPECT_THAT(order.output, HasSubstr("--from: must not be after to"));
  ProcessRun unknown = RunRanker("analytics --state " + state + " --index x");
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.output, HasSubstr("--index: unknown flag for analytics"));
  ProcessRun no_state = RunRanker("analytics");
  EXPECT_NE(no_state.exit_code, 0);
  EXPECT_THAT(no_state.output, HasSubstr("--state: required"));
}

}  // namespace
}  // namespace tailor::ranking
