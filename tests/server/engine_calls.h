// The Engine's asynchronous calls awaited, for tests: events ingested and visitors forgotten
// before the next line of the test runs.
#pragma once

#include <future>
#include <string>
#include <utility>
#include <vector>

#include "core/event.h"
#include "server/engine.h"

namespace tailor::testing {

// Parses the POST /events body (timestamps default to now) and waits until the events are
// durable and applied.
inline Status IngestNow(server::Engine& engine, const std::string& body) {
  EventParseOptions parse;
  parse.now_ms = server::Engine::NowMs();
  Result<std::vector<Event>> events = ParseEvents(body, parse);
  if (!events.ok()) return events.error();
  std::promise<Status> done;
  engine.Ingest(std::move(*events), [&done](Status status) { done.set_value(status); });
  return done.get_future().get();
}

// Engine::Forget, waited for.
inline Result<bool> ForgetNow(server::Engine& engine, const std::string& visitor) {
  std::promise<Result<bool>> done;
  engine.Forget(visitor, [&done](Result<bool> forgot) { done.set_value(std::move(forgot)); });
  return done.get_future().get();
}

}  // namespace tailor::testing
