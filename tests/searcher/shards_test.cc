// Catalog shards: the same searches over one database, two local shards and two shards
// served by real xapian-tcpsrv processes on 127.0.0.1 give the same answers (ids in order,
// scores, totals, facets), and a rebuild swaps a sharded generation in under an open
// searcher, local or remote.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "indexer/indexer.h"
#include "searcher/searcher.h"
#include "tests/common/free_port.h"
#include "tests/common/temp_dir.h"

namespace tailor::searcher {
namespace {

using ::tailor::testing::TempDir;

// Every fifth product of the bundled sample catalog (about 4000, real text with many equal
// scores), plus `extra` lines.
std::string WriteSampleSubset(const TempDir& dir, const std::string& name,
                              const std::string& extra = "") {
  std::ifstream in(TAILOR_SOURCE_DIR "/data/catalog.jsonl");
  std::ofstream out(dir.Path(name));
  int n = 0;
  for (std::string line; std::getline(in, line); ++n) {
    if (n % 5 == 0) out << line << "\n";
  }
  out << extra;
  return dir.Path(name);
}

void BuildIndex(const std::string& catalog, const std::string& index, int shards) {
  indexer::BuildOptions options;
  options.catalog_path = catalog;
  options.index_dir = index;
  options.shards = shards;
  Result<indexer::BuildStats> built = indexer::Build(options);
  ASSERT_TRUE(built.ok()) << built.error().message;
}

std::unique_ptr<Searcher> OpenSearcher(const std::string& index, bool ties_by_id = false) {
  SearcherOptions options;
  options.refresh_interval_ms = 0;  // every search checks the index first
  options.ties_by_id = ties_by_id;
  Result<std::unique_ptr<Searcher>> searcher = Searcher::Open(index, options);
  EXPECT_TRUE(searcher.ok()) << searcher.error().message;
  return searcher.ok() ? std::move(*searcher) : nullptr;
}

// The path of xapian-tcpsrv on PATH, "" when it is not installed.
std::string FindTcpServer() {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const std::string candidate = dirs.substr(start, end - start) + "/xapian-tcpsrv";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

// xapian-tcpsrv serving one database on 127.0.0.1, killed and reaped on destruction.
class TcpServer {
 public:
  TcpServer(const std::string& binary, const std::string& database)
      : port_(testing::FreeLoopbackPort()) {
    int fds[2];
    if (port_ == 0 || ::pipe(fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      // A group of its own: xapian-tcpsrv signals its whole process group when it stops
      // (its per-connection children), which must not reach the test.
      ::setpgid(0, 0);
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      const std::string port = std::to_string(port_);
      ::execl(binary.c_str(), binary.c_str(), "--interface", "127.0.0.1", "--port", port.c_str(),
              database.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = ::fdopen(fds[0], "r");
    // It prints "Listening..." once its socket accepts connections.
    char line[256];
    while (out_ != nullptr && std::fgets(line, sizeof line, out_) != nullptr) {
      if (std::string(line).starts_with("Listening")) {
        listening_ = true;
        break;
      }
    }
  }
  ~TcpServer() {
    if (pid_ > 0) {
      ::kill(-pid_, SIGKILL);  // the server and the children serving connections
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ != nullptr) std::fclose(out_);
  }
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  bool listening() const { return listening_; }
  std::string StubLine() const { return "remote 127.0.0.1:" + std::to_string(port_) + "\n"; }

 private:
  int port_ = 0;
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  bool listening_ = false;
};

// Two xapian-tcpsrv serving the shards of a two-shard index through their shard stubs
// (INDEX/XAPIANDB.shard-<i>), and a searcher directory whose stub lists them.
struct RemoteShards {
  std::vector<std::unique_ptr<TcpServer>> servers;
  std::string searcher_dir;
};

RemoteShards ServeRemotely(const std::string& binary, const std::string& index,
                           const std::string& searcher_dir) {
  RemoteShards remote;
  remote.searcher_dir = searcher_dir;
  std::filesystem::create_directories(searcher_dir);
  std::ofstream stub(searcher_dir + "/XAPIANDB");
  for (int shard = 0; shard < 2; ++shard) {
    remote.servers.push_back(
        std::make_unique<TcpServer>(binary, index + "/XAPIANDB.shard-" + std::to_string(shard)));
    EXPECT_TRUE(remote.servers.back()->listening()) << "xapian-tcpsrv did not start";
    stub << remote.servers.back()->StubLine();
  }
  return remote;
}

std::vector<SearchRequest> Requests() {
  std::vector<SearchRequest> requests;
  auto add = [&](std::string query, auto&& adjust) {
    SearchRequest request;
    request.query = std::move(query);
    adjust(request);
    requests.push_back(request);
  };
  auto none = [](SearchRequest&) {};
  add("shirt", none);
  add("men blue shirt", none);
  add("black watch", [](SearchRequest& r) { r.limit = 50; });
  add("shirt", [](SearchRequest& r) {
    r.offset = 40;
    r.limit = 30;
  });
  add("shoes", [](SearchRequest& r) { r.brands = {"Puma", "Nike"}; });
  add("", [](SearchRequest& r) {
    r.categories = {"Men"};
    r.limit = 40;
  });
  add("", [](SearchRequest& r) {
    r.offset = 100;
    r.limit = 25;
  });
  add("dress", [](SearchRequest& r) {
    r.price_min = 500;
    r.price_max = 2000;
  });
  add("jeans", [](SearchRequest& r) {
    r.sizes = {"32"};
    r.in_stock_only = true;
  });
  add("kurta", [](SearchRequest& r) {
    r.colors = {"Blue"};
    r.facets = FacetMode::kConjunctive;
  });
  add("cotton party red dress", none);  // few have every word: the OR fill ranks the rest
  add("jack", none);                    // search-as-you-type: a prefix
  return requests;
}

std::string Describe(const SearchRequest& request) {
  return "q=\"" + request.query + "\" offset=" + std::to_string(request.offset);
}

void ExpectSameFacets(const std::vector<FacetValue>& expected, const std::vector<FacetValue>& got,
                      const std::string& place) {
  ASSERT_EQ(expected.size(), got.size()) << place;
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(expected[i].value, got[i].value) << place << " #" << i;
    EXPECT_EQ(expected[i].count, got[i].count) << place << " " << expected[i].value;
  }
}

// How equal scores may be ordered between the two layouts compared (OrderTies in
// searcher/internal/generation.h): by id on both (shards, local or remote: kExact), or by
// docid on one database against by id on shards (kAnyOrder).
enum class Ties { kExact, kAnyOrder };

// The hits a page holds whatever order equal scores take: sorted by score then id, without
// the runs of equal scores at the page's edges (the last, and the first after an offset),
// whose other tied documents may be on the page instead.
std::vector<const Hit*> Settled(const std::vector<Hit>& hits, bool offset) {
  std::vector<const Hit*> sorted;
  for (const Hit& hit : hits) sorted.push_back(&hit);
  const auto same = [](const Hit* a, const Hit* b) { return std::abs(a->score - b->score) < 1e-9; };
  std::sort(sorted.begin(), sorted.end(), [&](const Hit* a, const Hit* b) {
    return same(a, b) ? a->id < b->id : a->score > b->score;
  });
  std::vector<const Hit*> settled;
  for (const Hit* hit : sorted) {
    if (same(hit, sorted.back())) continue;
    if (offset && same(hit, sorted.front())) continue;
    settled.push_back(hit);
  }
  return settled;
}

void ExpectSameResult(const SearchResult& expected, const SearchResult& got,
                      const std::string& place, Ties ties = Ties::kExact, bool offset = false) {
  EXPECT_EQ(expected.total, got.total) << place;
  ASSERT_EQ(expected.hits.size(), got.hits.size()) << place;
  for (size_t i = 0; i < expected.hits.size(); ++i) {
    EXPECT_NEAR(expected.hits[i].score, got.hits[i].score, 1e-9) << place << " hit " << i;
    if (ties == Ties::kAnyOrder) continue;
    EXPECT_EQ(expected.hits[i].id, got.hits[i].id) << place << " hit " << i;
    EXPECT_EQ(expected.hits[i].stored_json, got.hits[i].stored_json) << place << " hit " << i;
  }
  if (ties == Ties::kAnyOrder) {
    const std::vector<const Hit*> want = Settled(expected.hits, offset);
    const std::vector<const Hit*> have = Settled(got.hits, offset);
    ASSERT_EQ(want.size(), have.size()) << place;
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(want[i]->id, have[i]->id) << place << " settled hit " << i;
      EXPECT_EQ(want[i]->stored_json, have[i]->stored_json) << place << " settled hit " << i;
    }
  }
  ExpectSameFacets(expected.facets.brand, got.facets.brand, place + " brand");
  ExpectSameFacets(expected.facets.category, got.facets.category, place + " category");
  ExpectSameFacets(expected.facets.size, got.facets.size, place + " size");
  ExpectSameFacets(expected.facets.color, got.facets.color, place + " color");
  EXPECT_EQ(expected.facets.price_min, got.facets.price_min) << place;
  EXPECT_EQ(expected.facets.price_max, got.facets.price_max) << place;
  EXPECT_EQ(expected.relaxed, got.relaxed) << place;
}

// Every request answers alike on both searchers, twice (the second from the result cache),
// and the candidates' item tables describe the same products.
void ExpectSameAnswers(const Searcher& expected, const Searcher& got, const std::string& layout,
                       Ties ties) {
  for (const SearchRequest& request : Requests()) {
    for (int run = 0; run < 2; ++run) {
      const std::string place = layout + " " + Describe(request) + " run " + std::to_string(run);
      Result<SearchResult> want = expected.Search(request);
      Result<SearchResult> have = got.Search(request);
      ASSERT_TRUE(want.ok() && have.ok()) << place;
      ExpectSameResult(*want, *have, place, ties, request.offset > 0);
    }
    Result<CandidateResult> want = expected.SearchCandidates(request, 200);
    Result<CandidateResult> have = got.SearchCandidates(request, 200);
    ASSERT_TRUE(want.ok() && have.ok()) << layout << " " << Describe(request);
    ASSERT_NE(have->items, nullptr);
    ASSERT_EQ(want->result.hits.size(), have->result.hits.size());
    std::vector<const Hit*> wanted, had;
    if (ties == Ties::kExact) {
      for (const Hit& hit : want->result.hits) wanted.push_back(&hit);
      for (const Hit& hit : have->result.hits) had.push_back(&hit);
    } else {
      wanted = Settled(want->result.hits, request.offset > 0);
      had = Settled(have->result.hits, request.offset > 0);
      ASSERT_EQ(wanted.size(), had.size()) << layout << " " << Describe(request);
    }
    for (size_t i = 0; i < had.size(); ++i) {
      const Hit& hit = *had[i];
      EXPECT_EQ(hit.id, wanted[i]->id) << layout << " candidate " << i;
      ASSERT_TRUE(have->items->present(hit.docid)) << hit.id;
      EXPECT_EQ(have->items->id(hit.docid), hit.id);
      const Hit& same = *wanted[i];
      EXPECT_EQ(have->items->price(hit.docid), want->items->price(same.docid)) << hit.id;
      EXPECT_EQ(have->items->brand(hit.docid) == ItemTable::kNone,
                want->items->brand(same.docid) == ItemTable::kNone)
          << hit.id;
    }
  }
  EXPECT_EQ(expected.DocumentCount(), got.DocumentCount()) << layout;
}

TEST(SearcherShards, OneTwoLocalAndTwoRemoteShardsAnswerAlike) {
  TempDir dir;
  const std::string catalog = WriteSampleSubset(dir, "catalog.jsonl");
  BuildIndex(catalog, dir.Path("one"), 1);
  BuildIndex(catalog, dir.Path("two"), 2);
  std::unique_ptr<Searcher> one = OpenSearcher(dir.Path("one"));
  std::unique_ptr<Searcher> two = OpenSearcher(dir.Path("two"));
  ASSERT_TRUE(one && two);
  // One database orders equal scores by docid, shards by id (OrderTies); with ties_by_id it
  // orders them by id too, and answers exactly alike.
  ExpectSameAnswers(*one, *two, "two local shards", Ties::kAnyOrder);
  std::unique_ptr<Searcher> one_by_id = OpenSearcher(dir.Path("one"), /*ties_by_id=*/true);
  ASSERT_TRUE(one_by_id);
  ExpectSameAnswers(*one_by_id, *two, "two local shards, ties by id", Ties::kExact);
  // Spelling comes from every local shard: the same suggestion and corrected results.
  SearchRequest typo;
  typo.query = "jakcet";
  Result<SearchResult> want = one->Search(typo);
  Result<SearchResult> have = two->Search(typo);
  ASSERT_TRUE(want.ok() && have.ok());
  EXPECT_FALSE(want->did_you_mean.empty());
  EXPECT_EQ(want->did_you_mean, have->did_you_mean);
  ExpectSameResult(*want, *have, "two local shards, typo", Ties::kAnyOrder);

  const std::string binary = FindTcpServer();
  if (binary.empty()) {
    GTEST_SKIP() << "xapian-tcpsrv is not installed (Debian: xapian-tools): remote shards "
                    "not tested";
  }
  RemoteShards remote = ServeRemotely(binary, dir.Path("two"), dir.Path("remote"));
  std::unique_ptr<Searcher> far = OpenSearcher(remote.searcher_dir);
  ASSERT_TRUE(far);
  ExpectSameAnswers(*one, *far, "two remote shards", Ties::kAnyOrder);
  ExpectSameAnswers(*one_by_id, *far, "two remote shards, ties by id", Ties::kExact);
  // Two remote shards against the same two local ones: alike to the order of equal scores.
  ExpectSameAnswers(*two, *far, "two remote shards against two local", Ties::kExact);
}

TEST(SearcherShards, ARebuildWithShardsSwapsInUnderAnOpenSearcher) {
  TempDir dir;
  const std::string before = WriteSampleSubset(dir, "before.jsonl");
  const std::string after = WriteSampleSubset(
      dir, "after.jsonl",
      R"({"id": "new-1", "title": "Zanzibar Expedition Parka", "price": 99, "brand": "Nord"})"
      "\n");
  BuildIndex(before, dir.Path("index"), 1);
  std::unique_ptr<Searcher> searcher = OpenSearcher(dir.Path("index"));
  ASSERT_TRUE(searcher);
  SearchRequest zanzibar;
  zanzibar.query = "zanzibar";
  ASSERT_TRUE(searcher->Search(zanzibar).ok());
  EXPECT_EQ(searcher->Search(zanzibar)->total, 0);
  const long count = searcher->DocumentCount();

  BuildIndex(after, dir.Path("index"), 2);
  Result<SearchResult> found = searcher->Search(zanzibar);
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(found->hits.size(), 1u);
  EXPECT_EQ(found->hits[0].id, "new-1");
  EXPECT_EQ(found->facets.brand.at(0).value, "Nord");
  EXPECT_EQ(searcher->DocumentCount(), count + 1);
  ASSERT_NE(searcher->Items(), nullptr);
  EXPECT_TRUE(searcher->Items()->Find("new-1").has_value());
}

TEST(SearcherShards, RemoteShardsTurnToANewBuildAndToUpdates) {
  const std::string binary = FindTcpServer();
  if (binary.empty()) {
    GTEST_SKIP() << "xapian-tcpsrv is not installed (Debian: xapian-tools)";
  }
  TempDir dir;
  const std::string before = WriteSampleSubset(dir, "before.jsonl");
  const std::string after = WriteSampleSubset(
      dir, "after.jsonl",
      R"({"id": "new-1", "title": "Zanzibar Expedition Parka", "price": 99, "brand": "Nord"})"
      "\n");
  BuildIndex(before, dir.Path("index"), 2);
  RemoteShards remote = ServeRemotely(binary, dir.Path("index"), dir.Path("remote"));
  std::unique_ptr<Searcher> searcher = OpenSearcher(remote.searcher_dir);
  ASSERT_TRUE(searcher);
  SearchRequest zanzibar;
  zanzibar.query = "zanzibar";
  EXPECT_EQ(searcher->Search(zanzibar)->total, 0);

  // The servers open the new build for new connections; the searcher notices and swaps.
  BuildIndex(after, dir.Path("index"), 2);
  Result<SearchResult> found = searcher->Search(zanzibar);
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(found->hits.size(), 1u);
  EXPECT_EQ(found->hits[0].id, "new-1");
  ASSERT_NE(searcher->Items(), nullptr);
  EXPECT_TRUE(searcher->Items()->Find("new-1").has_value());

  // An update commits into the live shards; the searcher sees it by their commit counters.
  indexer::UpdateOptions update;
  update.catalog_path = dir.Write("update.jsonl", R"({"id": "new-1", "deleted": true})"
                                                  "\n");
  update.index_dir = dir.Path("index");
  Result<indexer::UpdateStats> updated = indexer::Update(update);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(searcher->Search(zanzibar)->total, 0);
  EXPECT_FALSE(searcher->Items()->Find("new-1").has_value());
}

}  // namespace
}  // namespace tailor::searcher
