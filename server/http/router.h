// Routes a Request by path and method to a handler.
//
// Paths are exact ("/search"), or end in one parameter ("/profiles/{visitor}"): that route
// matches every path that starts with the part before the brace and has a non-empty rest,
// and the rest (which may itself contain '/') is in request.path_params under the name
// between the braces. Exact paths win over parameter routes.
//
// An unknown path answers 404 not_found; a known path with another method answers 405
// method_not_allowed with an Allow header listing the methods it has. Dispatch is the
// request's last resort: a handler that throws is logged to stderr with the request id and
// answered 500, so no handler can take the server down.
//
// Handlers are synchronous (return the Response) or asynchronous: they get a Responder and
// call it once, possibly later and from another thread, e.g. when events are durable. The
// io thread is free meanwhile. A blocking handler (one that reads files, e.g. a reload) must
// not run on an io thread at all: Dispatch hands it to the caller's BlockingRunner (the
// server's reload thread), or runs it on the calling thread when the caller gives none.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "server/http/request.h"

namespace tailor::server::http {

using Handler = std::function<Response(const Request&)>;
// Delivers the answer to a request. Call it exactly once, from any thread.
using Responder = std::function<void(Response)>;
using AsyncHandler = std::function<void(const Request&, Responder)>;
// Runs a job somewhere the caller may block, once, from any thread.
using BlockingRunner = std::function<void(std::function<void()>)>;
// Watches requests (metrics, the access log): called as a request is dispatched, with the
// route that matched it as registered ("/profiles/{visitor}"; "" for none), it returns
// what to call with the answer, once, on the thread that answers (may be empty). The route
// string is the router's own and lives as long as the router: the observer may keep a
// pointer to it instead of a copy.
using RequestObserver =
    std::function<std::function<void(const Response&)>(const Request&, const std::string& route)>;

class Router {
 public:
  // Registers a handler. Requires: not yet registered for this method and path; not called
  // once Dispatch may run (the table is read without locks).
  void Add(const std::string& method, const std::string& path, Handler handler);
  void AddAsync(const std::string& method, const std::string& path, AsyncHandler handler);
  // Registers a handler that blocks; Dispatch runs it through its BlockingRunner.
  void AddBlocking(const std::string& method, const std::string& path, Handler handler);

  // Sets the observer of every request Dispatch answers from now on. Requires: called
  // before Dispatch may run.
  void SetObserver(RequestObserver observer) { observer_ = std::move(observer); }

  // Whether a handler is registered for exactly this method and path (as given to Add).
  bool Has(const std::string& method, const std::string& path) const;
  // Every registered route as "METHOD PATH", paths as given to Add ("/profiles/{visitor}"),
  // sorted.
  std::vector<std::string> Routes() const;

  // Answers one request through respond (exactly once; a handler that throws before it
  // answered gets 500). A blocking handler runs through run_blocking, or on this thread when
  // it is empty. Never throws. Thread-safe once all routes are added.
  void Dispatch(Request request, Responder respond,
                const BlockingRunner& run_blocking = nullptr) const;

  // Answers one request and waits for the answer (tests, tools); blocking handlers run on
  // this thread. Never throws. Requires: not called on a thread an asynchronous handler
  // needs to answer.
  Response Dispatch(const Request& request) const;

 private:
  using Route = std::function<void(const Request&, Responder, const BlockingRunner&)>;
  using Methods = std::map<std::string, Route>;
  struct ParamRoute {
    std::string name;     // between the braces
    std::string pattern;  // as registered: prefix + "{" + name + "}"
    Methods methods;
  };
  // Finds the methods for request.path, filling its path_params and route (the path as
  // registered); nullptr for none.
  const Methods* Match(Request& request, const std::string*& route) const;
  void Insert(const std::string& method, const std::string& path, Route route);

  // path -> method -> handler; std::map keeps the Allow header's order stable.
  std::map<std::string, Methods> routes_;
  // path prefix before "{name}" -> route
  std::map<std::string, ParamRoute> param_routes_;
  RequestObserver observer_;
};

}  // namespace tailor::server::http
