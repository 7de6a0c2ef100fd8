#include "server/http/router.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <exception>
#include <future>
#include <iostream>
#include <memory>

#include "server/http/error_response.h"

namespace tailor::server::http {
namespace {

template <typename Methods>
Response MethodNotAllowed(const Request& request, const Methods& methods) {
  std::string allow;
  for (const auto& [method, handler] : methods) {
    if (!allow.empty()) allow += ", ";
    allow += method;
  }
  Response response =
      ErrorResponse(405, "method_not_allowed",
                    request.method + " " + request.path + ": method not allowed; use " + allow);
  response.headers.emplace_back("Allow", allow);
  return response;
}

Response LastResort(const Request& request, const char* what) {
  std::cerr << "tailor-server: request " << request.request_id << " " << request.method << " "
            << request.path << " failed: " << what << std::endl;
  return ErrorResponse(Error::Internal("internal error (request " + request.request_id + ")"));
}

// Runs answer, the request's last resort: what it throws is logged and answered 500 (once:
// respond ignores a second answer).
template <typename Answer>
void Guarded(const Request& request, const Responder& respond, Answer answer) {
  try {
    answer();
  } catch (const std::exception& e) {
    respond(LastResort(request, e.what()));
  } catch (...) {
    respond(LastResort(request, "unknown exception"));
  }
}

}  // namespace

void Router::Add(const std::string& method, const std::string& path, Handler handler) {
  Insert(method, path,
         [handler = std::move(handler)](const Request& request, Responder respond,
                                        const BlockingRunner&) { respond(handler(request)); });
}

void Router::AddAsync(const std::string& method, const std::string& path, AsyncHandler handler) {
  Insert(method, path,
         [handler = std::move(handler)](const Request& request, Responder respond,
                                        const BlockingRunner&) { handler(request, respond); });
}

void Router::AddBlocking(const std::string& method, const std::string& path, Handler handler) {
  Insert(method, path,
         [handler = std::move(handler)](const Request& request, Responder respond,
                                        const BlockingRunner& run_blocking) {
           if (!run_blocking) return respond(handler(request));
           // The job runs after Dispatch returned: it owns copies of what it uses, and a throw
           // there has no Dispatch around it.
           run_blocking([handler, request, respond] {
             Guarded(request, respond, [&] { respond(handler(request)); });
           });
         });
}

void Router::Insert(const std::string& method, const std::string& path, Route route) {
  const size_t brace = path.find('{');
  bool inserted = false;
  if (brace == std::string::npos) {
    inserted = routes_[path].emplace(method, std::move(route)).second;
  } else {
    assert(path.back() == '}');
    ParamRoute& param_route = param_routes_[path.substr(0, brace)];
    param_route.name = path.substr(brace + 1, path.size() - brace - 2);
    param_route.pattern = path;
    inserted = param_route.methods.emplace(method, std::move(route)).second;
  }
  assert(inserted);
  (void)inserted;
}

bool Router::Has(const std::string& method, const std::string& path) const {
  const size_t brace = path.find('{');
  const Methods* methods = nullptr;
  if (brace == std::string::npos) {
    if (auto it = routes_.find(path); it != routes_.end()) methods = &it->second;
  } else if (auto it = param_routes_.find(path.substr(0, brace)); it != param_routes_.end()) {
    methods = &it->second.methods;
  }
  return methods != nullptr && methods->count(method) > 0;
}

std::vector<std::string> Router::Routes() const {
  std::vector<std::string> routes;
  for (const auto& [path, methods] : routes_) {
    for (const auto& [method, route] : methods) routes.push_back(method + " " + path);
  }
  for (const auto& [prefix, param_route] : param_routes_) {
    for (const auto& [method, route] : param_route.methods) {
      routes.push_back(method + " " + prefix + "{" + param_route.name + "}");
    }
  }
  std::sort(routes.begin(), routes.end());
  return routes;
}

const Router::Methods* Router::Match(Request& request, const std::string*& route) const {
  if (auto exact = routes_.find(request.path); exact != routes_.end()) {
    route = &exact->first;
    return &exact->second;
  }
  for (const auto& [prefix, param_route] : param_routes_) {
    if (request.path.size() > prefix.size() &&
        request.path.compare(0, prefix.size(), prefix) == 0) {
      request.path_params[param_route.name] = request.path.substr(prefix.size());
      route = &param_route.pattern;
      return &param_route.methods;
    }
  }
  return nullptr;
}

void Router::Dispatch(Request request, Responder respond,
                      const BlockingRunner& run_blocking) const {
  static const std::string kNoRoute;
  const std::string* route_name = &kNoRoute;
  const Methods* methods = Match(request, route_name);
  std::function<void(const Response&)> observe;
  if (observer_) observe = observer_(request, *route_name);
  // The answer goes out once: a handler that throws after answering is only logged.
  auto answered = std::make_shared<std::atomic<bool>>(false);
  Responder once = [answered, respond, observe = std::move(observe)](Response response) {
    if (answered->exchange(true)) return;
    if (observe) observe(response);
    respond(std::move(response));
  };
  Guarded(request, once, [&] {
    if (methods == nullptr) {
      return once(ErrorResponse(Error::NotFound("no such path: " + request.path)));
    }
    auto route = methods->find(request.method);
    if (route == methods->end()) return once(MethodNotAllowed(request, *methods));
    route->second(request, once, run_blocking);
  });
}

Response Router::Dispatch(const Request& request) const {
  auto answer = std::make_shared<std::promise<Response>>();
  std::future<Response> future = answer->get_future();
  Dispatch(request, [answer](Response response) { answer->set_value(std::move(response)); });
  return future.get();
}

}  // namespace tailor::server::http
