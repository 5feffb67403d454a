// Prometheus metrics: request counts and latency histograms by route, store timings.
#pragma once

#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace kizuna::api {

class Metrics {
 public:
  // Records one request answered for `route` (the pattern, e.g. /api/v1/tickets/{id}).
  void ObserveRequest(const std::string& method, const std::string& route, int status, double seconds);
  // Records one store call ("read" or "write").
  void ObserveStore(const std::string& op, double seconds);
  // The Prometheus text exposition.
  std::string Render() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<std::atomic<std::uint64_t>, kBuckets.size()> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_micros{0};
    void Observe(double seconds);
  };
  Histogram& Get(std::map<std::string, std::unique_ptr<Histogram>>& map, const std::string& key);
  static void RenderHistogram(std::string& out, const std::string& name, const std::string& labels,
                              const Histogram& h);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<std::atomic<std::uint64_t>>> requests_;  // key: labels
  std::map<std::string, std::unique_ptr<Histogram>> latency_;                  // key: labels
  std::map<std::string, std::unique_ptr<Histogram>> store_;                    // key: op
};

}  // namespace kizuna::api
