#include "server/http/router.h"

#include <cassert>
#include <exception>
#include <iostream>

#include "server/http/error_response.h"

namespace tailor::server::http {
namespace {

Response MethodNotAllowed(const Request& request,
                          const std::map<std::string, Handler>& methods) {
  std::string allow;
  for (const auto& [method, handler] : methods) {
    if (!allow.empty()) allow += ", ";
    allow += method;
  }
  Response response = ErrorResponse(
      405, "method_not_allowed",
      request.method + " " + request.path + ": method not allowed; use " + allow);
  response.headers.emplace_back("Allow", allow);
  return response;
}

Response LastResort(const Request& request, const char* what) {
  std::cerr << "tailor-server: request " << request.request_id << " " << request.method << " "
            << request.path << " failed: " << what << std::endl;
  return ErrorResponse(Error::Internal("internal error (request " + request.request_id + ")"));
}

}  // namespace

void Router::Add(const std::string& method, const std::string& path, Handler handler) {
  bool inserted = routes_[path].emplace(method, std::move(handler)).second;
  assert(inserted);
  (void)inserted;
}

Response Router::Dispatch(const Request& request) const {
  try {
    auto path = routes_.find(request.path);
    if (path == routes_.end()) {
      return ErrorResponse(Error::NotFound("no such path: " + request.path));
    }
    auto handler = path->second.find(request.method);
    if (handler == path->second.end()) return MethodNotAllowed(request, path->second);
    return handler->second(request);
  } catch (const std::exception& e) {
    return LastResort(request, e.what());
  } catch (...) {
    return LastResort(request, "unknown exception");
  }
}

}  // namespace tailor::server::http
