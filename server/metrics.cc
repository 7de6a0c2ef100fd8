#include "server/metrics.h"

#include <prometheus/text_serializer.h>

#include <charconv>
#include <mutex>
#include <sstream>
#include <utility>

namespace tailor::server {
namespace {

// 0.25 ms to 1 s: a cached search answers in well under a millisecond, a cold one in a
// few, and anything near a second is a problem to see, not to resolve.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0};
  return kBuckets;
}

// What one fsync costs ranges from microseconds (tmpfs, a write cache) to tens of ms.
const prometheus::Histogram::BucketBoundaries& FsyncBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0};
  return kBuckets;
}

const prometheus::Histogram::BucketBoundaries& CommitBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {1,  2,   4,   8,   16,   32,
                                                                   64, 128, 256, 512, 1024, 4096};
  return kBuckets;
}

// Methods outside HTTP's usual ones share one label value, so a client cannot grow the
// label set at will.
std::string_view MethodLabel(std::string_view method) {
  for (std::string_view known : {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"}) {
    if (method == known) return known;
  }
  return "OTHER";
}

}  // namespace

ServerMetrics::ServerMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      request_seconds_(prometheus::BuildHistogram()
                           .Name("tailor_http_request_duration_seconds")
                           .Help("Time from a request's arrival at the router to its answer, "
                                 "by endpoint (the route as registered) and method")
                           .Register(*registry_)),
      requests_(prometheus::BuildCounter()
                    .Name("tailor_http_requests_total")
                    .Help("Requests answered, by endpoint, method and status")
                    .Register(*registry_)),
      events_(prometheus::BuildCounter()
                  .Name("tailor_events_accepted_total")
                  .Help("Events acknowledged (202): durable under the fsync policy")
                  .Register(*registry_)),
      events_refused_(prometheus::BuildCounter()
                          .Name("tailor_event_batches_refused_total")
                          .Help("POST /events batches refused, by reason: invalid (4xx, "
                                "nothing taken) or unavailable (the log could not take them)")
                          .Register(*registry_)),
      reloads_(prometheus::BuildCounter()
                   .Name("tailor_reloads_total")
                   .Help("Reloads of the scoring config or the synonyms, by outcome")
                   .Register(*registry_)),
      group_commit_events_(prometheus::BuildHistogram()
                               .Name("tailor_event_log_group_commit_events")
                               .Help("Events written to the durable log by one group commit")
                               .Register(*registry_)
                               .Add({}, CommitBuckets())),
      fsync_seconds_(prometheus::BuildHistogram()
                         .Name("tailor_event_log_fsync_seconds")
                         .Help("Time one fsync of the durable event log took")
                         .Register(*registry_)
                         .Add({}, FsyncBuckets())),
      events_accepted_(events_.Add({})) {
  for (std::string_view reason : {"invalid", "unavailable"}) {
    events_refused_.Add({{"reason", std::string(reason)}});
  }
  for (std::string_view what : {"scoring", "synonyms"}) {
    for (std::string_view outcome : {"ok", "error"}) {
      reloads_.Add({{"what", std::string(what)}, {"outcome", std::string(outcome)}});
    }
  }
}

ServerMetrics::Instruments& ServerMetrics::For(std::string_view method, std::string_view endpoint,
                                               int status) {
  // The key is built in a buffer of the thread's own, so a request allocates nothing here.
  thread_local std::string key;
  char code[16];
  const char* code_end = std::to_chars(code, code + sizeof(code), status).ptr;
  const std::string_view code_text(code, static_cast<size_t>(code_end - code));
  key.clear();
  key.append(method).append(" ").append(endpoint).append(" ").append(code_text);
  {
    std::shared_lock lock(mutex_);
    if (auto it = instruments_.find(key); it != instruments_.end()) return it->second;
  }
  std::unique_lock lock(mutex_);
  if (auto it = instruments_.find(key); it != instruments_.end()) return it->second;
  const std::string endpoint_label = endpoint.empty() ? "(unmatched)" : std::string(endpoint);
  prometheus::Labels labels = {{"endpoint", endpoint_label}, {"method", std::string(method)}};
  Instruments instruments{&request_seconds_.Add(labels, LatencyBuckets()), nullptr};
  labels.emplace("status", std::to_string(status));
  instruments.requests = &requests_.Add(labels);
  return instruments_.emplace(key, instruments).first->second;
}

void ServerMetrics::ObserveRequest(std::string_view method, std::string_view endpoint, int status,
                                   double seconds) {
  Instruments& instruments = For(MethodLabel(method), endpoint, status);
  instruments.seconds->Observe(seconds);
  instruments.requests->Increment();
}

void ServerMetrics::EventsAccepted(size_t count) {
  events_accepted_.Increment(static_cast<double>(count));
}

void ServerMetrics::EventsRefused(std::string_view reason) {
  events_refused_.Add({{"reason", std::string(reason)}}).Increment();
}

void ServerMetrics::Reloaded(std::string_view what, bool ok) {
  reloads_.Add({{"what", std::string(what)}, {"outcome", ok ? "ok" : "error"}}).Increment();
}

ranking::StateObserver ServerMetrics::StateObserver() {
  ranking::StateObserver observer;
  observer.group_commit = [this](size_t events) {
    group_commit_events_.Observe(static_cast<double>(events));
  };
  observer.fsync = [this](double seconds) { fsync_seconds_.Observe(seconds); };
  return observer;
}

std::string ServerMetrics::Text(const std::vector<prometheus::MetricFamily>& extra) const {
  std::vector<prometheus::MetricFamily> families = registry_->Collect();
  families.insert(families.end(), extra.begin(), extra.end());
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

prometheus::MetricFamily GaugeFamily(std::string name, std::string help) {
  return prometheus::MetricFamily{
      std::move(name), std::move(help), prometheus::MetricType::Gauge, {}};
}

prometheus::MetricFamily CounterFamily(std::string name, std::string help) {
  return prometheus::MetricFamily{
      std::move(name), std::move(help), prometheus::MetricType::Counter, {}};
}

void AddSample(prometheus::MetricFamily& family, double value,
               std::vector<prometheus::ClientMetric::Label> labels) {
  prometheus::ClientMetric metric;
  metric.label = std::move(labels);
  if (family.type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(std::move(metric));
}

}  // namespace tailor::server
