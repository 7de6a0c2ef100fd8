// End-to-end tests of the merchandiser's admin API over real sockets: every admin route
// refuses a missing or wrong token; PUT /admin/scoring validates, swaps and keeps a history
// that survives a restart and rolls back; a preview's figures equal `tailor-ranker eval` on
// the same logs and configs; explain answers the ranked page with reasons.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "server/http/handlers.h"
#include "tests/common/run_command.h"
#include "tests/e2e/http_client.h"
#include "tests/e2e/running_server.h"

namespace tailor::testing {
namespace {

using server::PreviewStatus;

const std::string kToken = "console-token";
const std::map<std::string, std::string> kAuthorized = {{"Authorization", "Bearer " + kToken}};

// A boost of Cirrus: in the sample catalog Cirrus City Parka is one of five parkas.
constexpr char kBoostCirrus[] = R"({"default_variant": "default", "variants": {"default": {
    "model": "models/hand_set.json",
    "business": {"rules": [{"name": "cirrus-week", "action": "boost", "weight": 50,
                            "match": {"brand": "Cirrus"}}]}}}})";

// The tests' scoring config and its model, copied where the server may rewrite them.
std::string CopyScoring(const TempDir& dir) {
  std::filesystem::copy(TAILOR_SOURCE_DIR "/tests/data", dir.path() / "scoring",
                        std::filesystem::copy_options::recursive);
  return (dir.path() / "scoring" / "scoring.json").string();
}

RunningServerOptions AdminServer(const std::string& scoring) {
  RunningServerOptions options = WithState();
  options.admin_token = kToken;
  options.scoring_config = scoring;
  return options;
}

std::vector<std::string> TopIds(const HttpResult& result) {
  std::vector<std::string> ids;
  rapidjson::Document body = ParseBody(result);
  for (const auto& hit : body["hits"].GetArray()) ids.push_back(hit["id"].GetString());
  return ids;
}

TEST(ScoringAdminE2E, EveryAdminRouteRefusesAMissingOrWrongToken) {
  TempDir dir;
  RunningServer server(AdminServer(CopyScoring(dir)));
  ASSERT_TRUE(server.ok());
  // Every admin route the router has, so a new one cannot forget the check.
  server::http::RouterOptions options;
  options.admin_token = kToken;
  const std::vector<std::string> routes =
      server::http::MakeRouter(server.engine(), options).Routes();
  int admin_routes = 0;
  HttpClient client(server.port());
  for (const std::string& route : routes) {
    const size_t space = route.find(' ');
    const std::string method = route.substr(0, space);
    std::string path = route.substr(space + 1);
    if (path.rfind("/admin/", 0) != 0) continue;
    ++admin_routes;
    if (size_t brace = path.find('{'); brace != std::string::npos)
      path = path.substr(0, brace) + "x";
    HttpResult missing = client.Send(method, path, "{}");
    EXPECT_EQ(missing.status, 401) << route;
    EXPECT_EQ(missing.headers["www-authenticate"], "Bearer") << route;
    HttpResult wrong = client.Send(method, path, "{}", {{"Authorization", "Bearer nope"}});
    EXPECT_EQ(wrong.status, 401) << route;
    EXPECT_EQ(ErrorCodeOf(wrong), "unauthenticated") << route;
  }
  EXPECT_GE(admin_routes, 12);
}

TEST(ScoringAdminE2E, WithoutATokenAdminAndTheConsoleAreOff) {
  TempDir dir;
  RunningServerOptions options = AdminServer(CopyScoring(dir));
  options.admin_token = "";
  RunningServer server(options);
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  EXPECT_EQ(client.Send("GET", "/admin/scoring").status, 404);
  EXPECT_EQ(client.Send("POST", "/admin/preview", "{}").status, 404);
  EXPECT_EQ(client.Send("GET", "/console").status, 404);
  EXPECT_EQ(client.Send("GET", "/").status, 200);  // the demo shop is not admin
}

TEST(ScoringAdminE2E, PutSwapsKeepsHistoryAcrossRestartsAndRollsBack) {
  TempDir dir;
  const std::string scoring = CopyScoring(dir);
  RunningServerOptions options = AdminServer(scoring);
  options.state_path = (dir.path() / "state").string();
  std::vector<std::string> before;
  {
    RunningServer server(options);
    ASSERT_TRUE(server.ok());
    HttpClient client(server.port());
    HttpResult live = client.Send("GET", "/admin/scoring", "", kAuthorized);
    ASSERT_EQ(live.status, 200) << live.body;
    EXPECT_EQ(ParseBody(live)["version"].GetInt(), 1);
    before = TopIds(client.Send("GET", "/search?q=parka&limit=5"));
    ASSERT_EQ(before.size(), 5u);
    ASSERT_NE(before[0], "C1");

    // A bad rule: 400 naming its JSON path, and nothing changes.
    std::string bad = kBoostCirrus;
    bad.replace(bad.find("\"weight\": 50"), 12, "\"weight\": 0");
    HttpResult refused = client.Send("PUT", "/admin/scoring", bad, kAuthorized);
    EXPECT_EQ(refused.status, 400);
    rapidjson::Document error = ParseBody(refused);
    EXPECT_EQ(std::string(error["error"]["message"].GetString())
                  .rfind("variants.default.business.rules[0].weight: ", 0),
              0u)
        << refused.body;
    EXPECT_EQ(TopIds(client.Send("GET", "/search?q=parka&limit=5")), before);

    HttpResult put = client.Send("PUT", "/admin/scoring", kBoostCirrus, kAuthorized);
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(ParseBody(put)["version"].GetInt(), 2);
    EXPECT_EQ(TopIds(client.Send("GET", "/search?q=parka&limit=5"))[0], "C1");
    // The file is the live config: a restart serves it.
    std::ifstream file(scoring);
    const std::string text((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("cirrus-week"), std::string::npos);
  }
  RunningServer restarted(options);
  ASSERT_TRUE(restarted.ok());
  HttpClient client(restarted.port());
  EXPECT_EQ(TopIds(client.Send("GET", "/search?q=parka&limit=5"))[0], "C1");
  HttpResult history = client.Send("GET", "/admin/scoring/history", "", kAuthorized);
  ASSERT_EQ(history.status, 200);
  rapidjson::Document versions = ParseBody(history);
  EXPECT_EQ(versions["live"].GetInt(), 2);
  ASSERT_EQ(versions["versions"].Size(), 2u);
  EXPECT_STREQ(versions["versions"][0]["source"].GetString(), "put");
  EXPECT_STREQ(versions["versions"][1]["source"].GetString(), "startup");
  EXPECT_TRUE(versions["versions"][0]["config"].IsObject());

  HttpResult rolled = client.Send("POST", "/admin/rollback", "", kAuthorized);
  ASSERT_EQ(rolled.status, 200) << rolled.body;
  rapidjson::Document answer = ParseBody(rolled);
  EXPECT_EQ(answer["version"].GetInt(), 3);
  EXPECT_EQ(answer["restored"].GetInt(), 1);
  EXPECT_EQ(TopIds(client.Send("GET", "/search?q=parka&limit=5")), before);
  EXPECT_EQ(client.Send("POST", "/admin/rollback", R"({"version": 99})", kAuthorized).status, 404);
  EXPECT_EQ(client.Send("POST", "/admin/rollback", R"({"versio": 2})", kAuthorized).status, 400);
  // Back to the boost by number.
  ASSERT_EQ(client.Send("POST", "/admin/rollback", R"({"version": 2})", kAuthorized).status, 200);
  EXPECT_EQ(TopIds(client.Send("GET", "/search?q=parka&limit=5"))[0], "C1");
}

// Searches of several visitors with clicks and purchases on what they were shown, the
// traffic a preview replays.
void LogTraffic(RunningServer& server) {
  HttpClient client(server.port());
  const std::vector<std::string> queries = {"parka", "shirt", "boots", "parka", "jacket"};
  for (int visitor = 0; visitor < 6; ++visitor) {
    const std::string id = "shopper-" + std::to_string(visitor);
    // A profile first, so some rankings are personalized.
    ASSERT_EQ(
        client.Send("POST", "/events", R"({"type":"view","visitor":")" + id + R"(","item":"B1"})")
            .status,
        202);
    for (size_t q = 0; q < queries.size(); ++q) {
      HttpResult search =
          client.Send("GET", "/search?q=" + queries[q] + "&visitor=" + id + "&limit=5");
      ASSERT_EQ(search.status, 200);
      rapidjson::Document body = ParseBody(search);
      if (body["hits"].Empty()) continue;
      const size_t position = (visitor + q) % body["hits"].Size();
      const std::string item =
          body["hits"][static_cast<rapidjson::SizeType>(position)]["id"].GetString();
      const std::string type = (visitor + q) % 3 == 0 ? "purchase" : "click";
      ASSERT_EQ(client
                    .Send("POST", "/events",
                          R"({"type":")" + type + R"(","visitor":")" + id + R"(","item":")" + item +
                              R"(","request_id":")" + body["request_id"].GetString() +
                              R"(","position":)" + std::to_string(position) + "}")
                    .status,
                202);
    }
  }
  ASSERT_TRUE(server.engine().FlushLogs().ok());
}

rapidjson::Document AwaitPreview(HttpClient& client, const std::string& id) {
  for (int attempt = 0; attempt < 600; ++attempt) {
    HttpResult status = client.Send("GET", "/admin/preview/" + id, "", kAuthorized);
    rapidjson::Document body = ParseBody(status);
    if (status.status != 200 || std::string(body["status"].GetString()) != "running") return body;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "preview " << id << " still running after 30 s";
  return rapidjson::Document();
}

// tailor-ranker eval's table: metric -> its values, one per config, as printed.
std::map<std::string, std::vector<double>> EvalTable(const std::string& output) {
  std::map<std::string, std::vector<double>> table;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line.size() <= 22 || line[0] == ' ') {
      if (line.empty()) break;  // the table ends at the first blank line
      continue;
    }
    std::string name = line.substr(0, 22);
    name.erase(name.find_last_not_of(' ') + 1);
    std::istringstream values(line.substr(22));
    double value;
    while (values >> value) table[name].push_back(value);
  }
  return table;
}

TEST(ScoringAdminE2E, PreviewEqualsTailorRankerEvalOnTheSameLogsAndConfigs) {
  TempDir dir;
  const std::string scoring = CopyScoring(dir);
  RunningServer server(AdminServer(scoring));
  ASSERT_TRUE(server.ok());
  LogTraffic(server);
  HttpClient client(server.port());

  HttpResult started = client.Send("POST", "/admin/preview",
                                   std::string(R"({"config": )") + kBoostCirrus + "}", kAuthorized);
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string id = ParseBody(started)["id"].GetString();
  rapidjson::Document preview = AwaitPreview(client, id);
  ASSERT_STREQ(preview["status"].GetString(), "done") << id;
  const rapidjson::Value& report = preview["report"];
  EXPECT_EQ(report["rankings"].GetInt(), 30);
  EXPECT_GT(report["live"]["judged"].GetInt(), 0);
  EXPECT_GT(report["proposed"]["boosted_share"].GetDouble(),
            report["live"]["boosted_share"].GetDouble());
  ASSERT_GT(report["changed"].Size(), 0u);
  const rapidjson::Value& changed = report["changed"][0];
  EXPECT_EQ(changed["live"].Size(), changed["proposed"].Size());
  EXPECT_TRUE(changed["proposed"][0].HasMember("title"));

  // The same replay from the command line, on the same state, index and config files.
  const std::string proposed = (dir.path() / "scoring" / "proposed.json").string();
  std::ofstream(proposed) << kBoostCirrus;
  // Its progress lines (stderr) are left out of the table.
  const ProcessRun eval = RunCommand(
      "(" + std::string(TAILOR_BIN_DIR) + "/tailor-ranker eval --state '" + server.state_dir() +
      "' --index '" + server.index_dir() + "' --scoring '" + scoring + "' --scoring '" + proposed +
      "' --variants 1:default,2:default 2>/dev/null)");
  ASSERT_EQ(eval.exit_code, 0) << eval.output;
  const std::map<std::string, std::vector<double>> table = EvalTable(eval.output);
  const std::map<std::string, std::string> fields = {{"rankings", "rankings"},
                                                     {"judged", "judged"},
                                                     {"ndcg@10", "ndcg10"},
                                                     {"ndcg@10 (ipw)", "ndcg10_ipw"},
                                                     {"mrr@10", "mrr10"},
                                                     {"revenue@10", "revenue10"},
                                                     {"margin@10", "margin10"},
                                                     {"boosted share top10", "boosted_share"},
                                                     {"out-of-size top10", "out_of_size"}};
  for (const auto& [row, field] : fields) {
    ASSERT_EQ(table.count(row), 1u) << row << " missing from:\n" << eval.output;
    ASSERT_EQ(table.at(row).size(), 2u) << row;
    // eval prints 4 decimals (2 for money): equal up to its rounding.
    const double tolerance = row == "revenue@10" || row == "margin@10" ? 0.006 : 0.00006;
    EXPECT_NEAR(report["live"][field.c_str()].GetDouble(), table.at(row)[0], tolerance) << row;
    EXPECT_NEAR(report["proposed"][field.c_str()].GetDouble(), table.at(row)[1], tolerance) << row;
  }
}

PreviewStatus AwaitRunner(const server::PreviewRunner& runner, const std::string& id) {
  for (int attempt = 0; attempt < 600; ++attempt) {
    std::optional<PreviewStatus> status = runner.Status(id);
    if (!status) break;
    if (status->state != server::PreviewState::kRunning) return *status;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "preview " << id << " lost or still running";
  return {};
}

TEST(PreviewRunner, RunsOneAtATimeIsCancelledAndStopsAtItsBounds) {
  TempDir dir;
  const std::string scoring = CopyScoring(dir);
  RunningServer server(AdminServer(scoring));
  ASSERT_TRUE(server.ok());
  LogTraffic(server);
  Result<std::shared_ptr<const ranking::Scoring>> live = ranking::Scoring::Load(scoring);
  ASSERT_TRUE(live.ok());
  server::PreviewRequest request;
  request.live = *live;
  request.live_variant = "default";
  request.proposed = *live;
  request.proposed_variant = "boosted";
  auto items = [&server] { return server.engine().Items(); };

  // Held at its start until the test has asked the second one and the cancel.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  server::PreviewOptions held;
  held.on_start = [released] { released.wait(); };
  server::PreviewRunner runner(server.state_dir(), items, held);
  Result<std::string> first = runner.Start(request);
  ASSERT_TRUE(first.ok());
  Result<std::string> second = runner.Start(request);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(runner.Cancel(*first));
  release.set_value();
  EXPECT_EQ(AwaitRunner(runner, *first).state, server::PreviewState::kCancelled);
  // Finished, the next one may start; a cap of rankings is a truncated, done preview.
  request.max_rankings = 3;
  Result<std::string> capped = runner.Start(request);
  ASSERT_TRUE(capped.ok()) << capped.error().message;
  const PreviewStatus done = AwaitRunner(runner, *capped);
  EXPECT_EQ(done.state, server::PreviewState::kDone);
  EXPECT_TRUE(done.truncated);
  ASSERT_TRUE(done.report.has_value());
  EXPECT_EQ(done.report->variants[0].rankings, 3);

  server::PreviewOptions no_time;
  no_time.max_seconds = 0;
  server::PreviewRunner hurried(server.state_dir(), items, no_time);
  Result<std::string> late = hurried.Start(request);
  ASSERT_TRUE(late.ok());
  const PreviewStatus failed = AwaitRunner(hurried, *late);
  EXPECT_EQ(failed.state, server::PreviewState::kFailed);
  ASSERT_TRUE(failed.error.has_value());
  EXPECT_EQ(failed.error->code, ErrorCode::kResourceExhausted);
}

TEST(ScoringAdminE2E, PreviewRefusesABadConfigNamingTheFieldAndUnknownIds) {
  TempDir dir;
  RunningServer server(AdminServer(CopyScoring(dir)));
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  std::string bad = kBoostCirrus;
  bad.replace(bad.find("\"boost\""), 7, "\"boots\"");
  HttpResult refused =
      client.Send("POST", "/admin/preview", std::string(R"({"config": )") + bad + "}", kAuthorized);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(std::string(ParseBody(refused)["error"]["message"].GetString())
                .rfind("config.variants.default.business.rules[0].action: ", 0),
            0u)
      << refused.body;
  EXPECT_EQ(client.Send("POST", "/admin/preview", R"({"max_rankings": 5})", kAuthorized).status,
            400);
  EXPECT_EQ(client
                .Send("POST", "/admin/preview",
                      std::string(R"({"config": )") + kBoostCirrus + R"(, "variant": "nope"})",
                      kAuthorized)
                .status,
            400);
  EXPECT_EQ(client.Send("GET", "/admin/preview/p999", "", kAuthorized).status, 404);
  EXPECT_EQ(client.Send("DELETE", "/admin/preview/p999", "", kAuthorized).status, 404);
}

TEST(ScoringAdminE2E, ExplainAnswersThePageWithEveryHitsReasons) {
  TempDir dir;
  RunningServer server(AdminServer(CopyScoring(dir)));
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  ASSERT_EQ(client.Send("POST", "/events", R"({"type":"click","visitor":"e1","item":"A1"})").status,
            202);
  HttpResult explained =
      client.Send("GET", "/admin/explain?q=parka&visitor=e1&explain=false", "", kAuthorized);
  ASSERT_EQ(explained.status, 200) << explained.body;
  rapidjson::Document body = ParseBody(explained);
  ASSERT_GT(body["hits"].Size(), 0u);
  for (const auto& hit : body["hits"].GetArray()) EXPECT_TRUE(hit.HasMember("explain"));
  EXPECT_TRUE(body["personalized"].GetBool());
}

}  // namespace
}  // namespace tailor::testing
