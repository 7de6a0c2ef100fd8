// Routes a Request by exact path and method to a handler.
//
// An unknown path answers 404 not_found; a known path with another method answers 405
// method_not_allowed with an Allow header listing the methods it has. Dispatch is the
// request's last resort: a handler that throws is logged to stderr with the request id and
// answered 500, so no handler can take the server down.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "server/http/request.h"

namespace tailor::server::http {

using Handler = std::function<Response(const Request&)>;

class Router {
 public:
  // Registers a handler. Requires: not yet registered for this method and path; not called
  // once Dispatch may run (the table is read without locks).
  void Add(const std::string& method, const std::string& path, Handler handler);

  // Answers one request. Never throws. Thread-safe once all routes are added.
  Response Dispatch(const Request& request) const;

 private:
  // path -> method -> handler; std::map keeps the Allow header's order stable.
  std::map<std::string, std::map<std::string, Handler>> routes_;
};

}  // namespace tailor::server::http
