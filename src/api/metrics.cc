#include "api/metrics.h"

#include <cstdio>

namespace kizuna::api {

void Metrics::Histogram::Observe(double seconds) {
  for (std::size_t idx = 0; idx < kBuckets.size(); ++idx) {
    if (seconds <= kBuckets[idx]) buckets[idx].fetch_add(1, std::memory_order_relaxed);
  }
  count.fetch_add(1, std::memory_order_relaxed);
  sum_micros.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

Metrics::Histogram& Metrics::Get(std::map<std::string, std::unique_ptr<Histogram>>& map, const std::string& key) {
  std::lock_guard lock(mutex_);
  auto& slot = map[key];
  if (!slot) slot = std::make_unique<Histogram>();
  return *slot;
}

void Metrics::ObserveRequest(const std::string& method, const std::string& route, int status, double seconds) {
  std::string route_labels = "method=\"" + method + "\",route=\"" + route + "\"";
  std::string labels = route_labels + ",status=\"" + std::to_string(status) + "\"";
  {
    std::lock_guard lock(mutex_);
    auto& counter = requests_[labels];
    if (!counter) counter = std::make_unique<std::atomic<std::uint64_t>>(0);
    counter->fetch_add(1, std::memory_order_relaxed);
  }
  Get(latency_, route_labels).Observe(seconds);
}

void Metrics::ObserveStore(const std::string& op, double seconds) { Get(store_, "op=\"" + op + "\"").Observe(seconds); }

void Metrics::RenderHistogram(std::string& out, const std::string& name, const std::string& labels,
                              const Histogram& h) {
  char le[32];
  for (std::size_t idx = 0; idx < kBuckets.size(); ++idx) {
    std::snprintf(le, sizeof le, "%g", kBuckets[idx]);
    out += name + "_bucket{" + labels + ",le=\"" + le + "\"} " + std::to_string(h.buckets[idx].load()) + "\n";
  }
  out += name + "_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(h.count.load()) + "\n";
  char sum[48];
  std::snprintf(sum, sizeof sum, "%.6f", static_cast<double>(h.sum_micros.load()) / 1e6);
  out += name + "_sum{" + labels + "} " + sum + "\n";
  out += name + "_count{" + labels + "} " + std::to_string(h.count.load()) + "\n";
}

std::string Metrics::Render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP kizuna_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE kizuna_http_requests_total counter\n";
  for (const auto& [labels, counter] : requests_) {
    out += "kizuna_http_requests_total{" + labels + "} " + std::to_string(counter->load()) + "\n";
  }
  out += "# HELP kizuna_http_request_duration_seconds Time to answer, by route.\n";
  out += "# TYPE kizuna_http_request_duration_seconds histogram\n";
  for (const auto& [labels, h] : latency_) RenderHistogram(out, "kizuna_http_request_duration_seconds", labels, *h);
  out += "# HELP kizuna_store_duration_seconds Time spent in store transactions, by operation.\n";
  out += "# TYPE kizuna_store_duration_seconds histogram\n";
  for (const auto& [labels, h] : store_) RenderHistogram(out, "kizuna_store_duration_seconds", labels, *h);
  return out;
}

}  // namespace kizuna::api
