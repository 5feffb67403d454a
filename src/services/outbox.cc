#include "services/outbox.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <optional>

namespace kizuna::services {

Timestamp NextTry(int attempts, Timestamp now, const RetryPolicy& policy) {
  Timestamp delay = policy.first_delay_ms;
  for (int idx = 1; idx < attempts && delay < policy.max_delay_ms; ++idx) delay *= 2;
  return now + std::min(delay, policy.max_delay_ms);
}

Result<DeliveryReport> DeliverDue(ports::Store& store, const std::vector<ports::Deliverer*>& deliverers,
                                  Timestamp now, const RetryPolicy& policy) {
  std::map<std::string, ports::Deliverer*> by_kind;
  for (auto* d : deliverers) by_kind[d->kind()] = d;
  std::vector<std::string> kinds;
  for (const auto& [kind, d] : by_kind) kinds.push_back(kind);
  DeliveryReport report;
  if (kinds.empty()) return report;
  std::vector<ports::OutboxJob> jobs;
  Status claimed = store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(jobs, tx.ClaimOutbox(kinds, now, now + policy.claim_ms, policy.batch));
    return Ok();
  });
  if (!claimed.ok()) return claimed.error();
  // Each job is sent by one of `parallel` threads and its outcome queued for the writer
  // at once; the batch ends when every outcome is durable.
  std::mutex mutex;
  std::condition_variable recorded_all;
  std::size_t pending = jobs.size();
  std::optional<Error> failure;
  std::atomic<std::size_t> next{0};
  auto send = [&] {
    for (std::size_t idx = next++; idx < jobs.size(); idx = next++) {
      ports::OutboxJob& job = jobs[idx];
      Status sent = by_kind[job.kind]->Deliver(job);
      job.attempts += 1;
      {
        std::lock_guard lock(mutex);
        if (sent.ok()) {
          job.state = "delivered";
          job.last_error.clear();
          ++report.delivered;
        } else {
          job.last_error = sent.error().message.substr(0, 1000);
          const auto code = sent.error().code;
          bool transient =
              code == ErrorCode::kUnavailable || code == ErrorCode::kInternal || code == ErrorCode::kRateLimited;
          if (transient && job.attempts < policy.max_attempts) {
            job.state = "queued";
            job.run_after = NextTry(job.attempts, now, policy);
            ++report.retried;
          } else {
            job.state = "failed";
            ++report.failed;
          }
        }
      }
      // Unrecorded, the claim expires and the job is sent again: at least once, never lost.
      store.Write([&job](ports::WriteTx& tx) { return tx.FinishOutbox(job); },
                  [&](Status status) {
                    std::lock_guard lock(mutex);
                    if (!status.ok() && !failure) failure = status.error();
                    if (--pending == 0) recorded_all.notify_all();
                  });
    }
  };
  std::vector<std::thread> senders;
  const int extra = std::min<int>(std::max(policy.parallel, 1), static_cast<int>(jobs.size())) - 1;
  for (int idx = 0; idx < extra; ++idx) senders.emplace_back(send);
  send();
  for (auto& sender : senders) sender.join();
  {
    std::unique_lock lock(mutex);
    recorded_all.wait(lock, [&] { return pending == 0; });
  }
  if (failure) return *failure;
  return report;
}

OutboxWorker::OutboxWorker(ports::Store& store, const ports::Clock& clock, std::vector<ports::Deliverer*> deliverers,
                           RetryPolicy policy)
    : store_(store), clock_(clock), deliverers_(std::move(deliverers)), policy_(policy) {}

OutboxWorker::~OutboxWorker() { Stop(); }

void OutboxWorker::Start() {
  if (thread_.joinable() || deliverers_.empty()) return;
  thread_ = std::thread([this] { Loop(); });
}

void OutboxWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OutboxWorker::Nudge() {
  {
    std::lock_guard lock(mutex_);
    nudged_ = true;
  }
  wake_.notify_all();
}

void OutboxWorker::Loop() {
  for (;;) {
    auto report = DeliverDue(store_, deliverers_, clock_.Now(), policy_);
    bool busy = report.ok() && (report->delivered + report->retried + report->failed) >= policy_.batch;
    std::unique_lock lock(mutex_);
    if (!busy) wake_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopping_ || nudged_; });
    if (stopping_) return;
    nudged_ = false;
  }
}

}  // namespace kizuna::services
