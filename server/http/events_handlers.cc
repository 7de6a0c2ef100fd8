#include "server/http/events_handlers.h"

#include <string>
#include <utility>
#include <vector>

#include "core/event.h"
#include "server/http/error_response.h"

namespace tailor::server::http {

void HandleEvents(const Request& request, Engine& engine, Responder respond) {
  if (!request.query_params.empty()) {
    engine.metrics().EventsRefused("invalid");
    return respond(ErrorResponse(Error::InvalidArgument(
        request.query_params.begin()->first + ": POST /events takes the events in the body")));
  }
  EventParseOptions options;
  options.now_ms = Engine::NowMs();
  Result<std::vector<Event>> events = ParseEvents(request.body, options);
  if (!events.ok()) {
    engine.metrics().EventsRefused("invalid");
    return respond(ErrorResponse(events.error()));
  }
  const size_t count = events->size();
  ServerMetrics& metrics = engine.metrics();
  engine.Ingest(std::move(*events), [respond, count, &metrics](Status status) {
    if (!status.ok()) {
      metrics.EventsRefused("unavailable");
      return respond(ErrorResponse(status.error()));
    }
    metrics.EventsAccepted(count);
    respond(JsonResponse("{\"accepted\":" + std::to_string(count) + "}", 202));
  });
}

}  // namespace tailor::server::http
