// The outbox is delivered at least once, retried with backoff, and given up only for good reasons.
#include "services/outbox.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <atomic>
#include <deque>

#include "fakes/temp_store.h"
#include "services/directory.h"

namespace kizuna::testing {
namespace {

// Answers each delivery from a script of outcomes (then succeeds), recording what it was asked.
class ScriptedDeliverer final : public ports::Deliverer {
 public:
  explicit ScriptedDeliverer(std::string kind, std::deque<Status> script = {})
      : kind_(std::move(kind)), script_(std::move(script)) {}
  std::string kind() const override { return kind_; }
  Status Deliver(const ports::OutboxJob& job) override {
    std::lock_guard lock(mutex_);
    sent_.push_back(job.id);
    if (script_.empty()) return Ok();
    Status next = script_.front();
    script_.pop_front();
    return next;
  }
  std::vector<std::int64_t> sent() {
    std::lock_guard lock(mutex_);
    return sent_;
  }

 private:
  std::string kind_;
  std::deque<Status> script_;
  std::mutex mutex_;
  std::vector<std::int64_t> sent_;
};

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.store().WriteAndWait([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(Workspace w, services::CreateWorkspace(tx, services::WorkspaceInput{"outbox"}, 1));
      ws_ = w.id;
      return Ok();
    }).ok());
  }
  std::int64_t Enqueue(const std::string& kind) {
    ports::OutboxJob job;
    job.workspace_id = ws_;
    job.kind = kind;
    job.payload = "{}";
    job.run_after = clock_.Now();
    EXPECT_TRUE(db_.store().WriteAndWait([&](ports::WriteTx& tx) { return tx.EnqueueOutbox(job); }).ok());
    return job.id;
  }
  ports::OutboxJob Job(std::int64_t id) {
    ports::OutboxJob found;
    EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(auto jobs, tx.ListOutbox(ws_, 100));
      for (const auto& j : jobs) {
        if (j.id == id) found = j;
      }
      return Ok();
    }).ok());
    return found;
  }
  services::DeliveryReport Deliver(ScriptedDeliverer& d) {
    auto report = services::DeliverDue(db_.store(), {&d}, clock_.Now(), policy_);
    EXPECT_TRUE(report.ok());
    return report.ok() ? *report : services::DeliveryReport{};
  }

  TempStore db_;
  FakeClock clock_;
  WorkspaceId ws_ = 0;
  services::RetryPolicy policy_;
};

TEST(RetryDelays, DoubleFromTheFirstDelayUpToTheCap) {
  services::RetryPolicy policy;
  const std::pair<int, Timestamp> cases[] = {{1, 5'000}, {2, 10'000}, {3, 20'000}, {10, 2'560'000}, {11, 3'600'000},
                                             {40, 3'600'000}};
  for (auto [attempts, delay] : cases) EXPECT_EQ(services::NextTry(attempts, 100, policy), 100 + delay) << attempts;
}

TEST_F(OutboxTest, AQueuedJobIsDeliveredOnce) {
  auto id = Enqueue("email");
  ScriptedDeliverer email("email");
  EXPECT_EQ(Deliver(email).delivered, 1);
  EXPECT_EQ(Deliver(email).delivered, 0);
  EXPECT_EQ(email.sent(), std::vector<std::int64_t>{id});
  EXPECT_EQ(Job(id).state, "delivered");
  EXPECT_EQ(Job(id).attempts, 1);
}

TEST_F(OutboxTest, AnUnavailableProviderIsRetriedWithGrowingDelaysUntilItAnswers) {
  auto id = Enqueue("email");
  ScriptedDeliverer email("email", {Error::Unavailable("smtp down"), Error::Unavailable("smtp down")});
  EXPECT_EQ(Deliver(email).retried, 1);
  EXPECT_EQ(Job(id).state, "queued");
  EXPECT_EQ(Job(id).run_after, clock_.Now() + 5'000);
  EXPECT_EQ(Job(id).last_error, "smtp down");
  EXPECT_EQ(Deliver(email).retried, 0);  // not due yet
  clock_.Advance(5'000);
  EXPECT_EQ(Deliver(email).retried, 1);
  EXPECT_EQ(Job(id).run_after, clock_.Now() + 10'000);
  clock_.Advance(10'000);
  EXPECT_EQ(Deliver(email).delivered, 1);
  EXPECT_EQ(Job(id).state, "delivered");
  EXPECT_EQ(Job(id).attempts, 3);
  EXPECT_EQ(email.sent().size(), 3u);
}

TEST_F(OutboxTest, ARejectedJobFailsAtOnceAndOthersGoOn) {
  auto bad = Enqueue("email");
  auto good = Enqueue("email");
  ScriptedDeliverer email("email", {Error::Invalid("to", "no such mailbox")});
  auto report = Deliver(email);
  EXPECT_EQ(report.failed, 1);
  EXPECT_EQ(report.delivered, 1);
  EXPECT_EQ(Job(bad).state, "failed");
  EXPECT_EQ(Job(good).state, "delivered");
}

TEST_F(OutboxTest, ItGivesUpAfterTheLastAttempt) {
  policy_.max_attempts = 3;
  auto id = Enqueue("email");
  ScriptedDeliverer email("email", {Error::Unavailable("a"), Error::Unavailable("b"), Error::Unavailable("c")});
  for (int round = 0; round < 5; ++round) {
    Deliver(email);
    clock_.Advance(3'600'000);
  }
  EXPECT_EQ(Job(id).state, "failed");
  EXPECT_EQ(Job(id).attempts, 3);
  EXPECT_EQ(email.sent().size(), 3u);
}

TEST_F(OutboxTest, AJobClaimedByAWorkerThatDiedIsSentAgainWhenItsClaimExpires) {
  auto id = Enqueue("email");
  ASSERT_TRUE(db_.store().WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(auto claimed, tx.ClaimOutbox({"email"}, clock_.Now(), clock_.Now() + policy_.claim_ms, 10));
    EXPECT_EQ(claimed.size(), 1u);
    return Ok();  // ...and the worker dies before sending
  }).ok());
  ScriptedDeliverer email("email");
  EXPECT_EQ(Deliver(email).delivered, 0);
  clock_.Advance(policy_.claim_ms);
  EXPECT_EQ(Deliver(email).delivered, 1);
  EXPECT_EQ(email.sent(), std::vector<std::int64_t>{id});
}

TEST_F(OutboxTest, ABatchSentOnSeveralThreadsDeliversEachJobOnceAndRecordsEveryOutcome) {
  policy_.parallel = 4;
  std::vector<std::int64_t> ids;
  for (int idx = 0; idx < 30; ++idx) ids.push_back(Enqueue("email"));
  std::deque<Status> script;
  for (int idx = 0; idx < 30; ++idx) script.push_back(idx % 3 == 0 ? Status(Error::Unavailable("busy")) : Ok());
  ScriptedDeliverer d("email", script);
  auto report = Deliver(d);
  EXPECT_EQ(report.delivered, 20);
  EXPECT_EQ(report.retried, 10);
  auto sent = d.sent();
  std::sort(sent.begin(), sent.end());
  EXPECT_EQ(sent, ids) << "every job sent exactly once";
  int queued = 0, delivered = 0;
  for (auto id : ids) {
    auto job = Job(id);
    EXPECT_EQ(job.attempts, 1);
    queued += job.state == "queued";
    delivered += job.state == "delivered";
  }
  EXPECT_EQ(delivered, 20);
  EXPECT_EQ(queued, 10);
}

TEST_F(OutboxTest, OnlyKindsSomeoneDeliversAreClaimed) {
  auto reply = Enqueue("reply");
  Enqueue("email");
  ScriptedDeliverer email("email");
  EXPECT_EQ(Deliver(email).delivered, 1);
  EXPECT_EQ(Job(reply).state, "queued");
  EXPECT_EQ(Job(reply).attempts, 0);
}

TEST_F(OutboxTest, TheWorkerDeliversInTheBackgroundAndStops) {
  ScriptedDeliverer email("email");
  ports::SystemClock clock;
  services::OutboxWorker worker(db_.store(), clock, {&email});
  worker.Start();
  auto id = Enqueue("email");
  worker.Nudge();
  for (int idx = 0; idx < 200 && email.sent().empty(); ++idx) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  worker.Stop();
  EXPECT_EQ(email.sent(), std::vector<std::int64_t>{id});
}

}  // namespace
}  // namespace kizuna::testing
