// End-to-end tests of the scoring side over real sockets: POST /admin/reload while searches
// are served, the feature log joined to click events by request_id, and DELETE /profiles
// reaching the feature log.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/event.h"
#include "ranking/scoring/features.h"
#include "ranking/profiles/profile_state.h"
#include "ranking/feature_log/ranking_log.h"
#include "tests/e2e/http_client.h"
#include "tests/e2e/running_server.h"

namespace tailor::testing {
namespace {

constexpr char kToken[] = "e2e-token";

std::vector<std::string> HitIds(const rapidjson::Document& body) {
  std::vector<std::string> ids;
  if (!body.IsObject() || !body.HasMember("hits")) return ids;
  for (const auto& hit : body["hits"].GetArray()) ids.push_back(hit["id"].GetString());
  return ids;
}

// Copies the tests' models into dir/scoring/models and returns the config path there
// (not yet written).
std::string ScoringDir(const TempDir& dir) {
  const std::filesystem::path target = dir.path() / "scoring";
  std::filesystem::create_directories(target);
  std::filesystem::copy(TAILOR_SOURCE_DIR "/tests/data/models", target / "models",
                        std::filesystem::copy_options::recursive);
  return (target / "scoring.json").string();
}

// Writes content to path through a temporary file and a rename, as an operator's deploy
// would, so a reader never sees half a file.
void WriteAtomically(const std::string& path, const std::string& content) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << content;
  }
  std::filesystem::rename(temporary, path);
}

// The rankings logged under the state directory, by request id.
std::map<std::string, ranking::RankingRecord> LoggedRankings(const std::string& state_dir) {
  std::map<std::string, ranking::RankingRecord> records;
  Status read = ranking::ForEachLoggedRanking(
      state_dir + "/rankings",
      [&](ranking::RankingRecord&& record) { records[record.request_id] = std::move(record); });
  EXPECT_TRUE(read.ok()) << read.error().message;
  return records;
}

std::string ClickBody(const std::string& visitor, const std::string& item,
                      const std::string& request_id, int position) {
  return R"({"type": "click", "visitor": ")" + visitor + R"(", "item": ")" + item +
         R"(", "query": "parka", "request_id": ")" + request_id + R"(", "position": )" +
         std::to_string(position) + "}";
}

TEST(RankingEndToEnd, ReloadsUnderTrafficDropNoSearch) {
  TempDir configs;
  const std::string config = ScoringDir(configs);
  const std::string first = R"({"variants": {"default": {"model": "models/hand_set.json"},)"
                            R"( "text": {"model": null}}})";
  const std::string second =
      R"({"variants": {"default": {"model": "models/hand_set.json",)"
      R"( "business": {"margin_weight": 0.5, "rules": [{"name": "acme", "action": "boost",)"
      R"( "weight": 2, "match": {"brand": "Acme"}}]}}, "alt": {"model": null}},)"
      R"( "split": [{"variant": "default", "share": 0.5}, {"variant": "alt", "share": 0.5}]})";
  WriteAtomically(config, first);
  RunningServerOptions options = WithState();
  options.scoring_config = config;
  options.admin_token = kToken;
  RunningServer server(options);
  ASSERT_TRUE(server.ok());
  // Visitors with profiles, so searches go through the scoring layer being swapped.
  for (const char* visitor : {"s0", "s1"}) {
    ASSERT_EQ(
        Fetch(server.port(), "POST", "/events",
              std::string(R"({"type": "click", "visitor": ")") + visitor + R"(", "item": "B1"})")
            .status,
        202);
  }

  std::atomic<bool> stop{false};
  std::atomic<int> searches[2] = {0, 0};
  std::atomic<bool> finished[2] = {false, false};
  std::mutex failure_mutex;
  std::vector<std::string> failures;
  std::vector<std::thread> clients;
  for (int t = 0; t < 2; ++t) {
    clients.emplace_back([&, t] {
      HttpClient client(server.port());
      const std::string target = "/search?q=parka&visitor=s" + std::to_string(t);
      while (client.connected() && !stop.load()) {
        HttpResult result = client.Send("GET", target);
        if (result.status != 200) {
          std::lock_guard<std::mutex> lock(failure_mutex);
          failures.push_back(std::to_string(result.status) + " " + result.error + result.body);
          break;
        }
        ++searches[t];
      }
      if (!client.connected()) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        failures.push_back("connect: " + client.connect_error());
      }
      finished[t] = true;
    });
  }
  // The reloads start once both clients are searching.
  for (int t = 0; t < 2; ++t) {
    while (searches[t].load() == 0 && !finished[t].load()) std::this_thread::yield();
  }
  HttpClient admin(server.port());
  const std::map<std::string, std::string> authorized = {
      {"Authorization", std::string("Bearer ") + kToken}};
  const int before = searches[0].load() + searches[1].load();
  for (int i = 0; i < 20; ++i) {
    WriteAtomically(config, i % 2 == 0 ? second : first);
    HttpResult reloaded = admin.Send("POST", "/admin/reload", "", authorized);
    EXPECT_EQ(reloaded.status, 200) << "reload " << i << ": " << reloaded.error << reloaded.body;
  }
  // Both clients keep searching after the last swap too.
  const int during[2] = {searches[0].load(), searches[1].load()};
  for (int t = 0; t < 2; ++t) {
    while (searches[t].load() <= during[t] && !finished[t].load()) std::this_thread::yield();
  }
  stop = true;
  for (std::thread& client : clients) client.join();
  EXPECT_TRUE(failures.empty()) << failures.size() << " failures, first: " << failures[0];
  EXPECT_GT(searches[0].load() + searches[1].load(), before);
  // The last reload (i = 19) served the first config.
  std::vector<std::string> variants;
  for (const auto& v : server.engine().scoring()->config().variants()) variants.push_back(v.name);
  EXPECT_EQ(variants, (std::vector<std::string>{"default", "text"}));
}

TEST(RankingEndToEnd, TheFeatureLogJoinsClicksByRequestId) {
  RunningServer server(WithState());
  ASSERT_TRUE(server.ok());
  // The first search: no profile yet, the text ranking. The second, after the click: the
  // profile ranks it. Both are logged, each click joins its own search.
  std::vector<std::pair<std::string, std::vector<std::string>>> served;  // request id, ids
  for (int round = 0; round < 2; ++round) {
    HttpResult searched = Fetch(server.port(), "GET", "/search?q=parka&visitor=joiner");
    ASSERT_EQ(searched.status, 200) << searched.error << searched.body;
    rapidjson::Document body = ParseBody(searched);
    EXPECT_EQ(body["personalized"].GetBool(), round == 1);
    const std::string request_id = body["request_id"].GetString();
    const std::vector<std::string> ids = HitIds(body);
    ASSERT_GE(ids.size(), 3u);
    HttpResult clicked =
        Fetch(server.port(), "POST", "/events", ClickBody("joiner", ids[1], request_id, 1));
    ASSERT_EQ(clicked.status, 202) << clicked.body;
    served.emplace_back(request_id, ids);
  }
  ASSERT_NE(served[0].first, served[1].first);
  Status flushed = server.engine().FlushLogs();
  ASSERT_TRUE(flushed.ok()) << flushed.error().message;

  std::map<std::string, ranking::RankingRecord> records = LoggedRankings(server.state_dir());
  for (int round = 0; round < 2; ++round) {
    const auto& [request_id, ids] = served[round];
    auto found = records.find(request_id);
    ASSERT_NE(found, records.end()) << "no logged ranking for " << request_id;
    const ranking::RankingRecord& record = found->second;
    EXPECT_EQ(record.visitor, "joiner");
    EXPECT_EQ(record.query, "parka");
    EXPECT_EQ(record.variant, "default");
    EXPECT_EQ(record.personalized, round == 1);
    EXPECT_EQ(record.feature_names, ranking::FeatureNames());
    ASSERT_EQ(record.items.size(), ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      EXPECT_EQ(record.items[i].id, ids[i]) << "round " << round << " position " << i;
      EXPECT_EQ(record.items[i].position, static_cast<int>(i));
      EXPECT_EQ(record.items[i].features.size(), ranking::FeatureNames().size());
    }
  }
  // The text ranking's first hit has the best BM25 score of its page.
  EXPECT_FLOAT_EQ(records[served[0].first].items[0].features[ranking::kTextScore], 1.0f);
  // The second ranking saw the visitor's first click.
  const ranking::RankingRecord& personal = records[served[1].first];
  float affinity = 0;
  for (const ranking::LoggedItem& item : personal.items) {
    affinity = std::max(affinity, item.features[ranking::kBrandAffinity]);
  }
  EXPECT_GT(affinity, 0.0f);

  std::map<std::string, Event> clicks;
  Status read = ranking::ForEachLoggedEvent(server.state_dir(), [&](const Event& event) {
    if (event.type == EventType::kClick) clicks[event.request_id] = event;
  });
  ASSERT_TRUE(read.ok()) << read.error().message;
  for (const auto& [request_id, ids] : served) {
    auto click = clicks.find(request_id);
    ASSERT_NE(click, clicks.end()) << "no logged click for " << request_id;
    EXPECT_EQ(click->second.visitor, "joiner");
    EXPECT_EQ(click->second.item, ids[1]);
    EXPECT_EQ(click->second.position, 1);
  }
}

TEST(RankingEndToEnd, DeletingAProfileRemovesItsLoggedRankingsOnly) {
  RunningServer server(WithState());
  ASSERT_TRUE(server.ok());
  for (const char* visitor : {"leaver", "stayer"}) {
    ASSERT_EQ(
        Fetch(server.port(), "POST", "/events",
              std::string(R"({"type": "view", "visitor": ")") + visitor + R"(", "item": "A1"})")
            .status,
        202);
    for (const char* q : {"parka", "shirt"}) {
      HttpResult searched =
          Fetch(server.port(), "GET", std::string("/search?q=") + q + "&visitor=" + visitor);
      ASSERT_EQ(searched.status, 200) << searched.body;
    }
    HttpResult reranked =
        Fetch(server.port(), "POST", "/rerank",
              std::string(R"({"visitor": ")") + visitor + R"(", "items": ["A1", "C2"]})");
    ASSERT_EQ(reranked.status, 200) << reranked.body;
  }
  ASSERT_TRUE(server.engine().FlushLogs().ok());
  auto count_by_visitor = [&] {
    std::map<std::string, int> counts;
    for (const auto& [id, record] : LoggedRankings(server.state_dir())) ++counts[record.visitor];
    return counts;
  };
  std::map<std::string, int> before = count_by_visitor();
  EXPECT_EQ(before["leaver"], 3);
  EXPECT_EQ(before["stayer"], 3);

  HttpResult deleted = Fetch(server.port(), "DELETE", "/profiles/leaver");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  ASSERT_TRUE(server.engine().FlushLogs().ok());
  std::map<std::string, int> after = count_by_visitor();
  EXPECT_EQ(after.count("leaver"), 0u);
  EXPECT_EQ(after["stayer"], 3);
  bool leaver_event = false;
  Status read = ranking::ForEachLoggedEvent(server.state_dir(), [&](const Event& event) {
    leaver_event = leaver_event || event.visitor == "leaver";
  });
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_FALSE(leaver_event);
}

}  // namespace
}  // namespace tailor::testing
