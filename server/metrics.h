// The server's metrics for GET /metrics, in Prometheus' data model and text format
// (prometheus-cpp's core library): what the HTTP layer, the event log and the engine count
// as they work. Values that already exist elsewhere (profiles, index documents, caches,
// feature-log counts) are not duplicated here: the Engine reads them at scrape time and
// passes them to Text() as extra families.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <cstddef>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ranking/profiles/profile_state.h"

namespace tailor::server {

class ServerMetrics {
 public:
  ServerMetrics();
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // One answered request: endpoint is the route as registered ("/profiles/{visitor}", so
  // no visitor id becomes a label), empty when no route matched. Thread-safe.
  void ObserveRequest(std::string_view method, std::string_view endpoint, int status,
                      double seconds);

  // Events taken (202) and refused (a bad batch, or the log could not take them), by
  // reason: "invalid" or "unavailable". Thread-safe.
  void EventsAccepted(size_t count);
  void EventsRefused(std::string_view reason);

  // A reload of `what` ("scoring" or "synonyms") and its outcome. Thread-safe.
  void Reloaded(std::string_view what, bool ok);

  // The event log's observer: group-commit sizes and fsync latency.
  ranking::StateObserver StateObserver();

  // Every family in the text exposition format 0.0.4, `extra` (read at scrape time)
  // after the counted ones. Thread-safe.
  std::string Text(const std::vector<prometheus::MetricFamily>& extra) const;

 private:
  struct Instruments {
    prometheus::Histogram* seconds;
    prometheus::Counter* requests;
  };
  Instruments& For(std::string_view method, std::string_view endpoint, int status);

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Histogram>& request_seconds_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Counter>& events_;
  prometheus::Family<prometheus::Counter>& events_refused_;
  prometheus::Family<prometheus::Counter>& reloads_;
  prometheus::Histogram& group_commit_events_;
  prometheus::Histogram& fsync_seconds_;
  prometheus::Counter& events_accepted_;

  // "METHOD endpoint status" -> its instruments, made on first use.
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Instruments> instruments_;
};

// Helpers for the families read at scrape time.
prometheus::MetricFamily GaugeFamily(std::string name, std::string help);
prometheus::MetricFamily CounterFamily(std::string name, std::string help);
// Adds one sample to a family made by the helpers above; labels as name/value pairs.
void AddSample(prometheus::MetricFamily& family, double value,
               std::vector<prometheus::ClientMetric::Label> labels = {});

}  // namespace tailor::server
