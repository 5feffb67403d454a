// Delivering the outbox: everything that leaves Kizuna was first written as a job in
// the transaction that caused it; this sends it, retrying with backoff until it goes.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "ports/clock.h"
#include "ports/deliverer.h"
#include "ports/store.h"

namespace kizuna::services {

struct RetryPolicy {
  Timestamp first_delay_ms = 5'000;      // after the first failure
  Timestamp max_delay_ms = 3'600'000;    // the delay doubles up to this
  int max_attempts = 25;                 // then the job is failed for good (about a day)
  Timestamp claim_ms = 120'000;          // a claimed job not finished by then is tried again
  int batch = 50;
  int parallel = 1;                      // jobs of a batch sent at once (deliverers must be thread-safe)
};

// When the next try of a job that failed `attempts` times is due, after `now`.
Timestamp NextTry(int attempts, Timestamp now, const RetryPolicy& policy);

struct DeliveryReport {
  int delivered = 0;
  int retried = 0;
  int failed = 0;
};

// Claims due jobs of the deliverers' kinds, sends each outside any transaction and
// records the outcome. A crash between sending and recording re-sends the job once its
// claim expires: delivery is at least once, so deliverers send idempotently (e.g. a
// stable Message-ID).
Result<DeliveryReport> DeliverDue(ports::Store& store, const std::vector<ports::Deliverer*>& deliverers,
                                  Timestamp now, const RetryPolicy& policy);

// Runs DeliverDue in a background thread until stopped.
class OutboxWorker {
 public:
  OutboxWorker(ports::Store& store, const ports::Clock& clock, std::vector<ports::Deliverer*> deliverers,
               RetryPolicy policy = {});
  ~OutboxWorker();  // stops and joins
  void Start();
  void Stop();
  // Wakes the worker now (a job was just queued).
  void Nudge();

 private:
  void Loop();
  ports::Store& store_;
  const ports::Clock& clock_;
  std::vector<ports::Deliverer*> deliverers_;
  RetryPolicy policy_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool nudged_ = false;
  std::thread thread_;
};

}  // namespace kizuna::services
