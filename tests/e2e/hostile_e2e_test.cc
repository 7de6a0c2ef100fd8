// End-to-end tests of the server against hostile clients (issue 16, part 4): the connection
// cap, the header and body deadlines, slow connections beside a normal client, and the rate
// limit per client address. Deadlines are configured small so that each test takes well
// under a second of waiting; the tests wait on socket events with guard timeouts, never on
// sleeps, except to let a keep-alive connection idle on purpose.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/http_client.h"
#include "tests/e2e/raw_socket.h"
#include "tests/e2e/running_server.h"

namespace tailor::testing {
namespace {

// Long enough for any loaded machine; a wait that reaches it fails the test.
constexpr int kGuardMs = 20000;
constexpr std::string_view kHealth = "GET /health HTTP/1.1\r\nHost: t\r\n\r\n";

// Polls condition until it holds or the guard passes: for state the server changes on its
// own threads after a socket event (a session ending once it saw the client close).
bool Eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kGuardMs);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

RunningServerOptions WithHttp(const std::function<void(server::http::HttpServerOptions&)>& set) {
  RunningServerOptions options;
  set(options.http);
  return options;
}

TEST(HostileClients, ConnectionBeyondTheCapIs503AndClosedAndLaterOnesAreServed) {
  RunningServer server(WithHttp([](auto& http) {
    http.max_connections = 4;
    http.header_timeout_ms = 60000;
  }));
  ASSERT_TRUE(server.ok());
  std::vector<std::unique_ptr<HttpClient>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<HttpClient>(server.port()));
    ASSERT_EQ(held.back()->Send("GET", "/health").status, 200) << i;
  }
  RawSocket extra(server.port());
  ASSERT_TRUE(extra.ok()) << extra.error();
  extra.Send(kHealth);
  bool closed = false;
  const std::string answer = extra.ReadUntilClosed(kGuardMs, &closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(StatusOf(answer), 503) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Retry-After: 1"), std::string::npos) << answer;
  EXPECT_NE(BodyOf(answer).find(R"({"error":{"code":"unavailable","message":")"), std::string::npos)
      << answer;
  EXPECT_EQ(server.connection_stats().refused, 1);
  EXPECT_EQ(server.connection_stats().open, 4);
  // In GET /metrics too (read in process: every connection is held), though the router
  // never saw the refused request.
  const std::string metrics = server.engine().MetricsText();
  EXPECT_NE(metrics.find("\ntailor_http_connections_refused_total 1\n"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("\ntailor_http_connections_open 4\n"), std::string::npos) << metrics;

  held.resize(2);  // two clients leave; their sessions end once the server reads the close
  ASSERT_TRUE(Eventually([&] { return server.connection_stats().open == 2; }));
  HttpClient next(server.port());
  EXPECT_EQ(next.Send("GET", "/health").status, 200);
  EXPECT_EQ(held[0]->Send("GET", "/health").status, 200);  // the held ones are still served
  EXPECT_EQ(server.connection_stats().refused, 1);
}

TEST(HostileClients, ASlowlorisTricklingItsHeaderIsCutOffAtTheHeaderDeadline) {
  RunningServer server(WithHttp([](auto& http) {
    http.header_timeout_ms = 300;
    http.idle_timeout_ms = 60000;
  }));
  ASSERT_TRUE(server.ok());
  RawSocket slow(server.port());
  ASSERT_TRUE(slow.ok()) << slow.error();
  ASSERT_TRUE(slow.Send("GET /search?q=parka HTTP/1.1\r\nHost: t\r\nX-Slow: "));
  // One byte per 100 ms, waiting on the socket in between: it is closed long before the
  // 200 bytes (20 s) are out, and the header never completes.
  int trickled = 0;
  bool cut_off = false;
  for (; trickled < 200 && !cut_off; ++trickled) {
    cut_off = slow.WaitReadable(100);
    if (!cut_off) slow.Send("a");
  }
  ASSERT_TRUE(cut_off) << "still open after trickling " << trickled << " bytes";
  bool closed = false;
  const std::string rest = slow.ReadUntilClosed(kGuardMs, &closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(rest, "");  // no answer: the request never arrived
  EXPECT_TRUE(Eventually([&] { return server.connection_stats().open == 0; }));
}

TEST(HostileClients, AConnectionThatSendsNothingIsClosedAtTheHeaderDeadline) {
  RunningServer server(WithHttp([](auto& http) { http.header_timeout_ms = 200; }));
  ASSERT_TRUE(server.ok());
  RawSocket silent(server.port());
  ASSERT_TRUE(silent.ok()) << silent.error();
  bool closed = false;
  EXPECT_EQ(silent.ReadUntilClosed(kGuardMs, &closed), "");
  EXPECT_TRUE(closed);
}

TEST(HostileClients, AStalledBodyIsCutOffAtTheBodyDeadline) {
  RunningServer server(WithHttp([](auto& http) {
    http.header_timeout_ms = 60000;
    http.body_timeout_ms = 200;
  }));
  ASSERT_TRUE(server.ok());
  RawSocket stalled(server.port());
  ASSERT_TRUE(stalled.ok()) << stalled.error();
  ASSERT_TRUE(
      stalled.Send("POST /search HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                   "Content-Length: 100\r\n\r\n{\"q\": "));
  bool closed = false;
  EXPECT_EQ(stalled.ReadUntilClosed(kGuardMs, &closed), "");
  EXPECT_TRUE(closed);
}

TEST(HostileClients, TheHeaderDeadlineOfALaterRequestStartsAtItsFirstByteNotAtTheIdleWait) {
  RunningServer server(WithHttp([](auto& http) {
    http.header_timeout_ms = 150;
    http.idle_timeout_ms = 60000;
  }));
  ASSERT_TRUE(server.ok());
  RawSocket client(server.port());
  ASSERT_TRUE(client.ok()) << client.error();
  ASSERT_TRUE(client.Send(kHealth));
  EXPECT_EQ(StatusOf(client.ReadAnswer(kGuardMs)), 200);
  // Idling past the header deadline is what keep-alive is for: the idle timeout governs it.
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  ASSERT_TRUE(client.Send(kHealth));
  EXPECT_EQ(StatusOf(client.ReadAnswer(kGuardMs)), 200);
  // A later request that starts and stalls is cut off at the header deadline.
  ASSERT_TRUE(client.Send("GET /health HTTP/1.1\r\nHo"));
  bool closed = false;
  EXPECT_EQ(client.ReadUntilClosed(kGuardMs, &closed), "");
  EXPECT_TRUE(closed);
}

TEST(HostileClients, RateLimitLetsTheBurstThroughThenAnswers429WithRetryAfter) {
  RunningServer server(WithHttp([](auto& http) {
    http.rate_limit.enabled = true;
    // So slow a refill that no token comes back during the test, however loaded the machine.
    http.rate_limit.requests_per_second = 0.001;
    http.rate_limit.burst = 3;
  }));
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(client.Send("GET", "/search?q=parka").status, 200) << i;
  }
  HttpResult limited = client.Send("GET", "/search?q=parka");
  EXPECT_EQ(limited.status, 429) << limited.error << limited.body;
  EXPECT_EQ(ErrorCodeOf(limited), "rate_limited");
  EXPECT_EQ(limited.headers["retry-after"], "1000");
  // The connection stays usable, and another connection from the same address is limited
  // too: the bucket is the address's, not the connection's.
  EXPECT_EQ(client.Send("GET", "/health").status, 429);
  EXPECT_EQ(Fetch(server.port(), "GET", "/health").status, 429);
  EXPECT_EQ(server.connection_stats().rate_limited, 3);
  // In GET /metrics too (read in process: this address would get a 429 for it).
  const std::string metrics = server.engine().MetricsText();
  EXPECT_NE(metrics.find("\ntailor_http_rate_limited_total 3\n"), std::string::npos) << metrics;
}

TEST(HostileClients, WithoutARateLimitConfiguredNoRequestIsLimited) {
  RunningServer server;
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  for (int i = 0; i < 100; ++i) ASSERT_EQ(client.Send("GET", "/health").status, 200) << i;
  EXPECT_EQ(server.connection_stats().rate_limited, 0);
}

TEST(HostileClients, TwoThousandSlowConnectionsDoNotDelayANormalClientsSearchPast50Ms) {
  constexpr int kSlow = 2000;
  // The test process holds both ends of every connection, plus the index's and the
  // server's own descriptors.
  if (!RaiseDescriptorLimit(2 * kSlow + 512)) {
    GTEST_SKIP() << "cannot raise RLIMIT_NOFILE to " << 2 * kSlow + 512
                 << " (hard limit too low): 2,000 slow connections need it";
  }
  RunningServer server(WithHttp([](auto& http) { http.header_timeout_ms = 120000; }));
  ASSERT_TRUE(server.ok());
  ASSERT_EQ(HttpClient(server.port()).Send("GET", "/search?q=parka").status, 200);  // warm

  std::vector<RawSocket> slow;
  slow.reserve(kSlow);
  for (int i = 0; i < kSlow; ++i) {
    slow.emplace_back(server.port());
    ASSERT_TRUE(slow.back().ok()) << "connection " << i << ": " << slow.back().error();
    // A request header begun and never finished: each holds a session waiting for more.
    ASSERT_TRUE(slow.back().Send("GET /search?q=parka HTTP/1.1\r\nHost: slow\r\nX-A: "));
  }
  ASSERT_TRUE(Eventually([&] { return server.connection_stats().open >= kSlow; }));

  // Every normal search is answered while all slow connections hold their sessions. How
  // long it takes is a benchmark's question, not a test's (the issue's 50 ms is measured
  // there, not asserted here on a shared CI machine).
  const std::vector<std::string> queries = {"parka", "shirt", "jacket", "shoes", "dress"};
  for (int i = 0; i < 15; ++i) {
    const std::string target =
        "/search?q=" + queries[i % queries.size()] + "&visitor=normal" + std::to_string(i);
    HttpResult result = Fetch(server.port(), "GET", target);
    ASSERT_EQ(result.status, 200) << target << ": " << result.error << result.body;
  }
  EXPECT_GE(server.connection_stats().open, kSlow);  // they were all still there
}

}  // namespace
}  // namespace tailor::testing
