#include "server/http/router.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <functional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace tailor::server::http {
namespace {

Router MakeTestRouter() {
  Router router;
  router.Add("GET", "/things", [](const Request&) {
    return Response{200, "got", "text/plain", {}};
  });
  router.Add("POST", "/things", [](const Request& r) {
    return Response{201, r.body, "text/plain", {}};
  });
  router.Add("GET", "/broken",
             [](const Request&) -> Response { throw std::runtime_error("handler bug"); });
  return router;
}

Request MakeRequest(std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.request_id = "test-id";
  return request;
}

std::string ErrorCodeOf(const Response& response) {
  rapidjson::Document body;
  body.Parse(response.body.c_str());
  if (body.HasParseError() || !body.IsObject() || !body.HasMember("error")) return "";
  return body["error"]["code"].GetString();
}

TEST(Router, DispatchesByMethodAndPath) {
  Router router = MakeTestRouter();
  EXPECT_EQ(router.Dispatch(MakeRequest("GET", "/things")).body, "got");
  Request post = MakeRequest("POST", "/things");
  post.body = "payload";
  Response response = router.Dispatch(post);
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "payload");
}

TEST(Router, UnknownPathIs404NotFound) {
  Response response = MakeTestRouter().Dispatch(MakeRequest("GET", "/nothing"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(ErrorCodeOf(response), "not_found");
}

TEST(Router, KnownPathWithWrongMethodIs405WithAllowHeader) {
  Response response = MakeTestRouter().Dispatch(MakeRequest("DELETE", "/things"));
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(ErrorCodeOf(response), "method_not_allowed");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Allow");
  EXPECT_EQ(response.headers[0].second, "GET, POST");
}

TEST(Router, ThrowingHandlerIsAnswered500WithRequestId) {
  Response response = MakeTestRouter().Dispatch(MakeRequest("GET", "/broken"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(ErrorCodeOf(response), "internal");
  EXPECT_NE(response.body.find("test-id"), std::string::npos);
}

TEST(Router, ParameterRouteTakesTheRestOfThePath) {
  Router router;
  router.Add("GET", "/profiles/{visitor}", [](const Request& r) {
    return Response{200, r.path_params.at("visitor"), "text/plain", {}};
  });
  router.Add("GET", "/profiles/special", [](const Request&) {
    return Response{200, "exact", "text/plain", {}};
  });
  EXPECT_EQ(router.Dispatch(MakeRequest("GET", "/profiles/v1")).body, "v1");
  EXPECT_EQ(router.Dispatch(MakeRequest("GET", "/profiles/a/b")).body, "a/b");
  EXPECT_EQ(router.Dispatch(MakeRequest("GET", "/profiles/special")).body, "exact");
  EXPECT_EQ(router.Dispatch(MakeRequest("GET", "/profiles/")).status, 404);
  Response wrong = router.Dispatch(MakeRequest("PUT", "/profiles/v1"));
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(ErrorCodeOf(wrong), "method_not_allowed");
}

TEST(Router, AsyncHandlerMayAnswerLaterFromAnotherThread) {
  Router router;
  std::vector<std::thread> workers;
  router.AddAsync("POST", "/later", [&workers](const Request& r, Responder respond) {
    workers.emplace_back([respond, body = r.body] {
      respond(Response{202, body, "text/plain", {}});
    });
  });
  Request request = MakeRequest("POST", "/later");
  request.body = "queued";
  Response response = router.Dispatch(request);
  for (std::thread& worker : workers) worker.join();
  EXPECT_EQ(response.status, 202);
  EXPECT_EQ(response.body, "queued");
}

TEST(Router, AsyncHandlerThatThrowsBeforeAnsweringGets500Once) {
  Router router;
  router.AddAsync("GET", "/bug",
                  [](const Request&, Responder) { throw std::runtime_error("async handler bug"); });
  router.AddAsync("GET", "/answers-then-throws", [](const Request&, Responder respond) {
    respond(Response{200, "first", "text/plain", {}});
    throw std::runtime_error("late bug");
  });
  std::atomic<int> answers{0};
  Response seen;
  router.Dispatch(MakeRequest("GET", "/bug"), [&](Response response) {
    ++answers;
    seen = response;
  });
  EXPECT_EQ(answers.load(), 1);
  EXPECT_EQ(seen.status, 500);
  answers = 0;
  router.Dispatch(MakeRequest("GET", "/answers-then-throws"), [&](Response response) {
    ++answers;
    seen = response;
  });
  EXPECT_EQ(answers.load(), 1);
  EXPECT_EQ(seen.body, "first");
}

TEST(Router, BlockingHandlerRunsThroughTheRunnerGivenAndInlineWithoutOne) {
  Router router;
  router.AddBlocking("POST", "/reload", [](const Request& r) {
    return Response{200, r.request_id, "text/plain", {}};
  });
  std::vector<std::function<void()>> jobs;
  Response seen;
  router.Dispatch(
      MakeRequest("POST", "/reload"), [&](Response response) { seen = response; },
      [&jobs](std::function<void()> job) { jobs.push_back(std::move(job)); });
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(seen.status, 200);
  EXPECT_TRUE(seen.body.empty());  // not answered until the runner runs the job
  jobs.front()();
  EXPECT_EQ(seen.body, "test-id");
  EXPECT_EQ(router.Dispatch(MakeRequest("POST", "/reload")).body, "test-id");
}

TEST(Router, BlockingHandlerThatThrowsOnTheRunnerGets500) {
  Router router;
  router.AddBlocking("POST", "/reload",
                     [](const Request&) -> Response { throw std::runtime_error("reload bug"); });
  std::function<void()> job;
  std::atomic<int> answers{0};
  Response seen;
  router.Dispatch(
      MakeRequest("POST", "/reload"),
      [&](Response response) {
        ++answers;
        seen = response;
      },
      [&job](std::function<void()> queued) { job = std::move(queued); });
  ASSERT_TRUE(job);
  job();
  EXPECT_EQ(answers.load(), 1);
  EXPECT_EQ(seen.status, 500);
  EXPECT_NE(seen.body.find("test-id"), std::string::npos);
}

}  // namespace
}  // namespace tailor::server::http
